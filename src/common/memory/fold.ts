import type { AuctionLine, EmbeddingLine, MemoryBid, MemoryLine, OutcomeLine } from './records';

/** What really happened to the winner's work, folded from the outcome events. */
export type OutcomeLabel = 'accepted' | 'partially-accepted' | 'rejected' | 'undone' | 'tests-passed' | 'tests-failed';

/**
 * Whether a label says the winner's work was good, bad, or we do not know. The auction's "win" is only the
 * jury's opinion; these are the user's and the tests' verdicts, which is what memory should teach from.
 * - good: the user kept the work (accepted, partially accepted) and, if tests ran, they passed;
 * - bad: the user rejected it, undid it after applying, or tests failed after apply;
 * - unknown: no verdict yet (never reviewed, or reviewed in a session that crashed before recording it).
 */
export function labelQuality(label: OutcomeLabel | undefined): 'good' | 'bad' | 'unknown' {
  switch (label) {
    case 'accepted':
    case 'partially-accepted':
    case 'tests-passed':
      return 'good';
    case 'rejected':
    case 'undone':
    case 'tests-failed':
      return 'bad';
    default:
      return 'unknown';
  }
}

/** One auction with everything known about it. */
export interface AuctionView {
  readonly auction: AuctionLine;
  /** Outcome events in the order they happened (time, then arrival). */
  readonly outcomes: readonly OutcomeLine[];
  readonly winner: MemoryBid | undefined;
  /** Undefined while no verdict is recorded. */
  readonly label: OutcomeLabel | undefined;
  /** Real execution usage and dollars summed over execution-cost events, when any. */
  readonly execution: { inputTokens: number; outputTokens: number; dollars: number | undefined } | undefined;
}

/**
 * Folds an auction's outcome events into one label. Precedence, latest review first: an undo after the review
 * wins (the user threw the work away), then the latest test run (the work was applied and checked), then the
 * review itself.
 */
export function foldOutcome(outcomes: readonly OutcomeLine[]): OutcomeLabel | undefined {
  let label: OutcomeLabel | undefined;
  let tests: boolean | undefined;
  let undone = false;
  for (const o of outcomes) {
    const f = o.fact;
    if (f.type === 'review') {
      // A new review starts the story again: earlier undo and test results were about the earlier apply.
      label = reviewLabel(f.files, f.overall);
      tests = undefined;
      undone = false;
    } else if (f.type === 'undone') {
      undone = true;
    } else if (f.type === 'tests') {
      tests = f.passed;
    }
  }
  if (undone) return 'undone';
  if (label === 'rejected') return label;
  if (tests !== undefined) return tests ? 'tests-passed' : 'tests-failed';
  return label;
}

function reviewLabel(files: readonly { decision: 'accepted' | 'rejected' | 'partial' }[], overall: 'accepted' | 'rejected' | undefined): OutcomeLabel | undefined {
  if (files.length === 0) return overall;
  const accepted = files.filter((f) => f.decision === 'accepted').length;
  const rejected = files.filter((f) => f.decision === 'rejected').length;
  if (accepted === files.length) return 'accepted';
  if (rejected === files.length) return 'rejected';
  return 'partially-accepted';
}

function sumExecution(outcomes: readonly OutcomeLine[]): AuctionView['execution'] {
  let seen = false;
  let inputTokens = 0;
  let outputTokens = 0;
  let dollars: number | undefined = 0;
  for (const o of outcomes) {
    if (o.fact.type !== 'execution-cost') continue;
    seen = true;
    inputTokens += o.fact.inputTokens;
    outputTokens += o.fact.outputTokens;
    // One unknown price makes the sum unknown: never report a partial sum as the total.
    dollars = dollars === undefined || o.fact.dollars === undefined ? undefined : dollars + o.fact.dollars;
  }
  return seen ? { inputTokens, outputTokens, dollars } : undefined;
}

/** Change notifications from MemoryState, so indexes stay in sync without rescanning. */
export interface MemoryStateListener {
  onAuction?(view: AuctionView): void;
  onOutcome?(view: AuctionView): void;
  onEmbedding?(line: EmbeddingLine): void;
  onDeleted?(auctionId: string): void;
}

/**
 * The fold of memory lines into per-auction views, fed line by line in file order (local file, then team
 * file). Lines arriving twice (the same auction in both files) are ignored by id; outcomes may arrive before
 * their auction (a union merge can reorder) and wait for it.
 */
export class MemoryState {
  private readonly auctions = new Map<string, AuctionLine>();
  private readonly outcomesByAuction = new Map<string, OutcomeLine[]>();
  private readonly seenEventIds = new Set<string>();
  private readonly deleted = new Set<string>();
  private readonly views = new Map<string, AuctionView>();

  constructor(private readonly listener: MemoryStateListener = {}) {}

  ingest(line: MemoryLine): void {
    if (line.kind === 'deleted') {
      if (this.deleted.has(line.auctionId)) return;
      this.deleted.add(line.auctionId);
      const had = this.auctions.delete(line.auctionId);
      this.outcomesByAuction.delete(line.auctionId);
      this.views.delete(line.auctionId);
      if (had) this.listener.onDeleted?.(line.auctionId);
      return;
    }
    if (this.deleted.has(line.kind === 'auction' ? line.id : line.auctionId)) return;
    if (line.kind === 'auction') {
      if (this.auctions.has(line.id)) return;
      this.auctions.set(line.id, line);
      const view = this.refresh(line.id);
      if (view) this.listener.onAuction?.(view);
    } else if (line.kind === 'outcome') {
      if (this.seenEventIds.has(line.id)) return;
      this.seenEventIds.add(line.id);
      const list = this.outcomesByAuction.get(line.auctionId) ?? [];
      list.push(line);
      // Stable sort by time keeps arrival order for events of the same instant.
      list.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      this.outcomesByAuction.set(line.auctionId, list);
      const view = this.refresh(line.auctionId);
      if (view) this.listener.onOutcome?.(view);
    } else {
      this.listener.onEmbedding?.(line);
    }
  }

  get(auctionId: string): AuctionView | undefined {
    return this.views.get(auctionId);
  }

  has(auctionId: string): boolean {
    return this.views.has(auctionId);
  }

  isDeleted(auctionId: string): boolean {
    return this.deleted.has(auctionId);
  }

  all(): IterableIterator<AuctionView> {
    return this.views.values();
  }

  get size(): number {
    return this.views.size;
  }

  private refresh(auctionId: string): AuctionView | undefined {
    const auction = this.auctions.get(auctionId);
    if (!auction) return undefined;
    const outcomes = this.outcomesByAuction.get(auctionId) ?? [];
    const view: AuctionView = {
      auction,
      outcomes,
      winner: auction.bids.find((b) => b.bidId === auction.winnerBidId),
      label: foldOutcome(outcomes),
      execution: sumExecution(outcomes),
    };
    this.views.set(auctionId, view);
    return view;
  }
}
