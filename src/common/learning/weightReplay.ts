import type { AuctionWeights } from '../auction/weights';
import type { OutcomeLabel } from '../protocol/outcomes';
import { rankFitAuction, type FitAuction, type FitBid } from './weightFeatures';

/**
 * How a set of weights would have routed the remembered auctions, next to the weights in force: per auction the
 * bid each would pick (the engine's own scorer, weightFeatures.ts), what that pick's work came to where it is known,
 * and its dollars. Nothing is invented:
 * - outcome: the picked bid's verdict when it ran and was judged (review, undo, tests, a failed run); `unknown`
 *   otherwise (it never ran, or ran without a verdict). A bid that was never executed has no outcome, whatever
 *   its jury said.
 * - dollars: `measured` = the real execution dollars recorded for the picked bid's runs; `estimated` = the mean
 *   measured execution dollars of the same model in this workspace, else (work mode) an executed bid of the same
 *   auction scaled by the recorded ratio of expected costs (10^(c_pick − c_ran)); `unknown` when neither exists.
 * Refinement and eligibility are replayed as recorded: the refined bids are ranked with the others, and every bid
 * counts as eligible (the memory keeps no budget checks), so a pick may be a bid a budget would have refused.
 */

export type ReplayDollars = { basis: 'measured'; usd: number } | { basis: 'estimated'; usd: number; from: 'model-mean' | 'auction-ratio'; runs?: number } | { basis: 'unknown' };

/** One side's pick in one auction. */
export interface ReplayPick {
  bidId: string;
  modelId: string;
  executed: boolean;
  label: OutcomeLabel | undefined;
  outcome: 'good' | 'bad' | 'unknown';
  dollars: ReplayDollars;
}

export interface ReplayRow {
  auctionId: string;
  time: string;
  task: string;
  recordedWinnerBidId: string | undefined;
  current: ReplayPick;
  fitted: ReplayPick;
  /** The two weights pick different bids. */
  changed: boolean;
  /** The weights in force do not pick the recorded winner (the weights changed since, or a budget decided then). */
  currentDiffersFromRecord: boolean;
}

/** Totals of one side. */
export interface ReplayTotals {
  good: number;
  bad: number;
  unknown: number;
  measuredUsd: number;
  estimatedUsd: number;
  /** Picks whose dollars are unknown (neither measured nor estimable). */
  unpriced: number;
}

export interface WeightReplay {
  rows: ReplayRow[];
  current: ReplayTotals;
  fitted: ReplayTotals;
  changed: number;
  /** Changed picks away from a bid known to have succeeded (its success is traded for an unknown or a failure). */
  lostSuccesses: number;
  /** Changed picks away from a bid known to have failed. */
  avoidedFailures: number;
  /** Auctions not replayed (no bids, or signals that could not be read), with why. */
  notReplayed: { auctionId: string; reason: string }[];
}

export function replayWeights(auctions: readonly FitAuction[], current: AuctionWeights, fitted: AuctionWeights): WeightReplay {
  const modelMeans = meanMeasuredByModel(auctions);
  const rows: ReplayRow[] = [];
  const notReplayed: { auctionId: string; reason: string }[] = [];
  for (const a of [...auctions].sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0))) {
    if (a.problem || a.bids.length === 0) {
      notReplayed.push({ auctionId: a.id, reason: a.problem ?? 'no bids' });
      continue;
    }
    const cur = pickOf(a, current, modelMeans);
    const fit = pickOf(a, fitted, modelMeans);
    rows.push({
      auctionId: a.id,
      time: a.time,
      task: a.task,
      recordedWinnerBidId: a.recordedWinnerBidId,
      current: cur,
      fitted: fit,
      changed: cur.bidId !== fit.bidId,
      currentDiffersFromRecord: a.recordedWinnerBidId !== undefined && cur.bidId !== a.recordedWinnerBidId,
    });
  }
  const changed = rows.filter((r) => r.changed);
  return {
    rows,
    current: totalsOf(rows.map((r) => r.current)),
    fitted: totalsOf(rows.map((r) => r.fitted)),
    changed: changed.length,
    lostSuccesses: changed.filter((r) => r.current.outcome === 'good').length,
    avoidedFailures: changed.filter((r) => r.current.outcome === 'bad').length,
    notReplayed,
  };
}

function pickOf(a: FitAuction, weights: AuctionWeights, modelMeans: ReadonlyMap<string, { usd: number; runs: number }>): ReplayPick {
  const first = rankFitAuction(a, weights)[0]!;
  const bid = a.bids.find((b) => b.bidId === first.bidId)!;
  return { bidId: bid.bidId, modelId: bid.modelId, executed: bid.executed, label: bid.label, outcome: bid.executed ? bid.quality : 'unknown', dollars: dollarsOf(bid, a, modelMeans) };
}

function dollarsOf(bid: FitBid, a: FitAuction, modelMeans: ReadonlyMap<string, { usd: number; runs: number }>): ReplayDollars {
  if (bid.executed && bid.measuredUsd !== undefined) return { basis: 'measured', usd: bid.measuredUsd };
  const mean = modelMeans.get(bid.modelId);
  if (mean) return { basis: 'estimated', usd: mean.usd, from: 'model-mean', runs: mean.runs };
  const ran = a.bids.find((b) => b.measuredUsd !== undefined && b.costUnit !== undefined);
  if (a.costMode === 'work' && ran && bid.costUnit !== undefined) return { basis: 'estimated', usd: (ran.measuredUsd as number) * 10 ** (bid.costUnit - (ran.costUnit as number)), from: 'auction-ratio' };
  return { basis: 'unknown' };
}

/** Mean measured execution dollars per model over every executed bid of the replayed auctions. */
function meanMeasuredByModel(auctions: readonly FitAuction[]): Map<string, { usd: number; runs: number }> {
  const sums = new Map<string, { usd: number; runs: number }>();
  for (const a of auctions) {
    for (const b of a.bids) {
      if (!b.executed || b.measuredUsd === undefined) continue;
      const s = sums.get(b.modelId) ?? { usd: 0, runs: 0 };
      sums.set(b.modelId, { usd: s.usd + b.measuredUsd, runs: s.runs + 1 });
    }
  }
  return new Map([...sums].map(([m, s]) => [m, { usd: s.usd / s.runs, runs: s.runs }]));
}

function totalsOf(picks: readonly ReplayPick[]): ReplayTotals {
  const t: ReplayTotals = { good: 0, bad: 0, unknown: 0, measuredUsd: 0, estimatedUsd: 0, unpriced: 0 };
  for (const p of picks) {
    t[p.outcome]++;
    if (p.dollars.basis === 'measured') t.measuredUsd += p.dollars.usd;
    else if (p.dollars.basis === 'estimated') t.estimatedUsd += p.dollars.usd;
    else t.unpriced++;
  }
  return t;
}
