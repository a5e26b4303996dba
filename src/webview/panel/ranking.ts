import type { BidCard } from '../../common/protocol/auctionView';
import { fixed, percent, usd } from './format';

/**
 * What the compact ranking shows of a bid: each figure as text with its tooltip, and the row's state. Pure, so the
 * wording and the ordering of the rows are unit-tested without a browser.
 */

/** Where a bid stands: still bidding, in but not scored yet, failed, or ranked. */
export type RowState = 'bidding' | 'scoring' | 'failed' | 'ranked';

/** One figure of a row: its text and the tooltip that says what it is and what it rests on. */
export interface Figure {
  text: string;
  /** A second, quieter part (the interval of a prediction); null when there is none. */
  detail: string | null;
  title: string;
}

/** The tooltip of a missing prediction: the predictor has nothing to learn from yet. */
export const NO_PREDICTION = 'no outcomes to predict from yet';

export function rowState(card: BidCard): RowState {
  if (card.status === 'failed') return 'failed';
  if (card.status === 'bidding') return 'bidding';
  // Scoring sets the value term on every bid it ranks (the score itself stays null when the cost is unknown).
  return card.valueTerm === null ? 'scoring' : 'ranked';
}

/** The expected execution cost, in the panel's dollars; a dash (never $0) when unknown. */
export function costFigure(card: BidCard): Figure {
  if (!card.work) return { text: '—', detail: null, title: 'expected execution cost unknown: no price, or no usage reported' };
  return { text: usd(card.work.usd), detail: null, title: `expected execution cost ${usd(card.work.usd)}: ${card.work.basis}` };
}

/** The predicted chance of success with its 90% interval; a dash when no prediction was made. */
export function successFigure(card: BidCard): Figure {
  const p = card.prediction;
  if (!p) return { text: '—', detail: null, title: NO_PREDICTION };
  const interval = `${Math.round(p.low * 100)}–${percent(p.high)}`;
  return {
    text: percent(p.p),
    detail: interval,
    title: `predicted success ${percent(p.p)} (90% interval ${interval}), from ${p.outcomes} outcome${p.outcomes === 1 ? '' : 's'} here: ${p.basis}`,
  };
}

/** The jury's mean score out of 5, with how many jurors it rests on. */
export function juryFigure(card: BidCard): Figure {
  if (card.juryMean === null) return { text: '—', detail: null, title: card.judgements.length ? 'no juror scored this bid' : 'not judged yet' };
  const n = card.judgements.length;
  return { text: fixed(card.juryMean, 1), detail: null, title: `jury mean ${fixed(card.juryMean, 2)}/5 from ${n} juror${n === 1 ? '' : 's'}` };
}

/** The score C − V (lowest wins); a dash when the cost is unknown. */
export function scoreFigure(card: BidCard): Figure {
  if (card.score === null) return { text: '—', detail: null, title: card.eligible ? 'no score: the cost is unknown' : 'no score' };
  return { text: fixed(card.score, 3), detail: null, title: `score C − V = ${fixed(card.costTerm, 4)} − ${fixed(card.valueTerm, 3)} = ${fixed(card.score, 4)} (lowest wins)` };
}

/** The short status a row shows in place of its figures while it has none, or when its bid failed. */
export function pendingText(card: BidCard): string {
  switch (rowState(card)) {
    case 'bidding':
      return 'bidding…';
    case 'scoring':
      return card.judgements.length ? `judged by ${card.judgements.length}, scoring…` : 'waiting for the jury…';
    case 'failed':
      return `failed: ${card.failure?.reason ?? 'no bid'}`;
    case 'ranked':
      return '';
  }
}

/**
 * The focus target after a navigation key among `count` rows: Up/Down move one row (and stop at the ends), Home and
 * End jump; null for any other key (the row keeps it: Enter and Space toggle through the button itself).
 */
export function nextRow(current: number, key: string, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, current + 1);
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Which rows of which auction are expanded: kept in the webview's state so a reload restores them. */
export interface ExpandedBids {
  auctionId: string;
  bidIds: string[];
}

/** The bids expanded in this auction; none when the saved state belongs to another auction. */
export function expandedIn(saved: ExpandedBids | null | undefined, auctionId: string): ReadonlySet<string> {
  return new Set(saved?.auctionId === auctionId ? saved.bidIds : []);
}

/** Toggles one bid's row; expanding a row of a new auction forgets the rows of the old one. */
export function toggleBid(saved: ExpandedBids | null | undefined, auctionId: string, bidId: string): ExpandedBids {
  const open = expandedIn(saved, auctionId);
  const bidIds = open.has(bidId) ? [...open].filter((id) => id !== bidId) : [...open, bidId];
  return { auctionId, bidIds };
}
