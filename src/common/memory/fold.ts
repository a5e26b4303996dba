import type { OutcomeLabel } from '../protocol/outcomes';
import { digestOf, foldByBid, type FactDigest } from './outcomeFold';
import type { AuctionLine, EmbeddingLine, MemoryLine, OutcomeLine } from './records';
import { RestoredColumns, encodeState, type MemoryStateSnapshot } from './stateColumns';

export { STATE_ARRAYS, type MemoryStateSnapshot } from './stateColumns';

export { labelQuality, type OutcomeLabel } from '../protocol/outcomes';
export { digestOf, foldOutcome, type FactDigest } from './outcomeFold';

/**
 * What the memory keeps in RAM of an auction line: enough to list it, filter it and retrieve it. The bids' plans
 * and jury scores stay on disk and are read when needed (`MemoryState.body`), so 100k auctions load fast and
 * cost little memory.
 */
export interface AuctionHead {
  readonly id: string;
  readonly time: string;
  readonly task: string;
  readonly pool: readonly string[];
  readonly contextFiles: readonly string[];
  readonly bidCount: number;
  readonly winner: { readonly bidId: string; readonly modelId: string } | undefined;
  /** Some bid other than the winner lost: the auction can give a (losing, winning) pair. */
  readonly hasLoser: boolean;
  readonly auctionDollars: number | undefined;
}

export function auctionHead(a: AuctionLine): AuctionHead {
  const winner = a.bids.find((b) => b.bidId === a.winnerBidId);
  return {
    id: a.id,
    time: a.time,
    task: a.task,
    pool: a.pool,
    contextFiles: a.contextFiles,
    bidCount: a.bids.length,
    winner: winner ? { bidId: winner.bidId, modelId: winner.modelId } : undefined,
    hasLoser: a.bids.some((b) => !b.won && b.bidId !== winner?.bidId),
    auctionDollars: a.auctionDollars,
  };
}

/** One auction with everything known about it, except text kept on disk (the bids, the outcome events' details). */
export interface AuctionView {
  readonly head: AuctionHead;
  /** Outcome events recorded (read them with the store's `outcomes()`). */
  readonly outcomeCount: number;
  /** The verdict on the work of the bid executed last (usually the winner); undefined while there is none. */
  readonly label: OutcomeLabel | undefined;
  /** The bid the latest outcome is about; undefined while nothing was executed. */
  readonly executedBidId: string | undefined;
  /** The verdict on each executed bid's work, by bid id (a user can run a losing bid as well as the winner). */
  readonly bidLabels: Readonly<Record<string, OutcomeLabel>>;
  /** Real execution usage and dollars summed over execution-cost events, when any. */
  readonly execution: { inputTokens: number; outputTokens: number; dollars: number | undefined } | undefined;
}

/** Where a full line is: a position in one of the store's files, opaque to the fold. */
export interface BodyRef {
  /** Which file of the store (0 = local, 1 = team). */
  source: number;
  offset: number;
  length: number;
}

function sumExecution(facts: readonly FactDigest[]): AuctionView['execution'] {
  let seen = false;
  let inputTokens = 0;
  let outputTokens = 0;
  let dollars: number | undefined = 0;
  for (const f of facts) {
    if (f.type !== 'execution-cost') continue;
    seen = true;
    inputTokens += f.inputTokens;
    outputTokens += f.outputTokens;
    // One unknown price makes the sum unknown: never report a partial sum as the total.
    dollars = dollars === undefined || f.dollars === undefined ? undefined : dollars + f.dollars;
  }
  return seen ? { inputTokens, outputTokens, dollars } : undefined;
}

/** Change notifications from MemoryState, so indexes stay in sync without rescanning. */
export interface MemoryStateListener {
  /** A new auction; `line` is the full record (its text is indexed now and not kept). */
  onAuction?(view: AuctionView, line: AuctionLine): void;
  onOutcome?(view: AuctionView): void;
  onEmbedding?(line: EmbeddingLine): void;
  onDeleted?(auctionId: string): void;
}

/** One outcome event as the fold keeps it: its digest and where its full line is (or the line itself). */
export interface EventEntry {
  id: string;
  time: string;
  digest: FactDigest;
  line: BodyRef | OutcomeLine;
}

/** One auction as the fold keeps it. */
export interface Entry {
  head: AuctionHead;
  body: BodyRef | AuctionLine;
  /** Its events in time order; undefined while they are only in the snapshot's columns (`snapshotRow`). */
  events: EventEntry[] | undefined;
  snapshotRow: number;
  view: AuctionView | undefined;
}

const byTime = (a: { time: string }, b: { time: string }): number => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0);

/**
 * The fold of memory lines into per-auction views, fed line by line in file order (local file, then team
 * file). Lines arriving twice (the same auction in both files) are ignored by id; outcomes may arrive before
 * their auction (a union merge can reorder) and wait for it.
 *
 * Full lines are kept only when they come without a BodyRef (tests, in-memory use); a store passes each line's
 * position and reads the text again when it is needed (`body`, `eventLines`).
 */
export class MemoryState {
  private readonly entries = new Map<string, Entry>();
  /** Outcome events whose auction has not arrived yet, by auction id. */
  private readonly pending = new Map<string, { line: OutcomeLine; ref: BodyRef | undefined }[]>();
  private readonly deleted = new Set<string>();
  /** Columns of the snapshot this state was restored from, for events not materialised yet. */
  private restored: RestoredColumns | undefined;

  constructor(private readonly listener: MemoryStateListener = {}) {}

  ingest(line: MemoryLine, ref?: BodyRef): void {
    if (line.kind === 'deleted') {
      if (this.deleted.has(line.auctionId)) return;
      this.deleted.add(line.auctionId);
      const had = this.entries.delete(line.auctionId);
      this.pending.delete(line.auctionId);
      if (had) this.listener.onDeleted?.(line.auctionId);
      return;
    }
    if (this.deleted.has(line.kind === 'auction' ? line.id : line.auctionId)) return;
    if (line.kind === 'auction') {
      if (this.entries.has(line.id)) return;
      const entry: Entry = { head: auctionHead(line), body: ref ?? line, events: [], snapshotRow: -1, view: undefined };
      this.entries.set(line.id, entry);
      for (const p of this.pending.get(line.id) ?? []) addEvent(entry, p.line, p.ref);
      this.pending.delete(line.id);
      this.listener.onAuction?.(this.viewOf(entry), line);
    } else if (line.kind === 'outcome') {
      const entry = this.entries.get(line.auctionId);
      if (!entry) {
        const waiting = this.pending.get(line.auctionId) ?? [];
        if (!waiting.some((p) => p.line.id === line.id)) waiting.push({ line, ref });
        this.pending.set(line.auctionId, waiting);
        return;
      }
      if (!addEvent(this.materialise(entry), line, ref)) return;
      entry.view = undefined;
      this.listener.onOutcome?.(this.viewOf(entry));
    } else {
      this.listener.onEmbedding?.(line);
    }
  }

  get(auctionId: string): AuctionView | undefined {
    const entry = this.entries.get(auctionId);
    return entry && this.viewOf(entry);
  }

  /** Where the auction's full line is (or the line itself, when it was fed without a position). */
  body(auctionId: string): BodyRef | AuctionLine | undefined {
    return this.entries.get(auctionId)?.body;
  }

  /** Each of the auction's outcome events, in time order: its id and where it is (or the line itself). */
  eventLines(auctionId: string): { id: string; line: BodyRef | OutcomeLine }[] {
    const entry = this.entries.get(auctionId);
    return entry ? (entry.events ?? this.restoredEvents(entry)).map((e) => ({ id: e.id, line: e.line })) : [];
  }

  has(auctionId: string): boolean {
    return this.entries.has(auctionId);
  }

  isDeleted(auctionId: string): boolean {
    return this.deleted.has(auctionId);
  }

  /** Every auction, in arrival order. */
  *all(): IterableIterator<AuctionView> {
    for (const entry of this.entries.values()) yield this.viewOf(entry);
  }

  get size(): number {
    return this.entries.size;
  }

  toSnapshot(): MemoryStateSnapshot {
    const pending = [...this.pending.values()].flat();
    return encodeState(this.entries, (e) => this.viewOf(e), (e) => e.events ?? this.restoredEvents(e), pending, this.deleted);
  }

  /**
   * Restores a snapshot into this (empty) state without notifying the listener: the indexes restore their own.
   * One small object per auction; events stay in the columns until an auction gets a new one or they are read.
   * The snapshot is checksummed as a whole by its file, so only sizes and bounds are checked here.
   */
  restore(snapshot: MemoryStateSnapshot): void {
    if (this.entries.size > 0) throw new Error('memory snapshot: restore into a state that is not empty');
    const { columns, entries, deleted, pending } = RestoredColumns.decode(snapshot);
    for (const id of deleted) this.deleted.add(id);
    for (const [id, entry] of entries) this.entries.set(id, entry);
    this.restored = columns;
    for (const o of pending) this.ingest(o.line, o.ref);
  }

  private viewOf(entry: Entry): AuctionView {
    if (entry.view) return entry.view;
    let view: AuctionView;
    if (entry.events) {
      const facts = entry.events.map((e) => e.digest);
      const outcomes = foldByBid(facts, entry.head.winner?.bidId);
      view = { head: entry.head, outcomeCount: facts.length, label: outcomes.label, executedBidId: outcomes.executedBidId, bidLabels: outcomes.labels, execution: sumExecution(facts) };
    } else {
      // Restored and untouched: the folded values are in the snapshot's columns.
      view = (this.restored as RestoredColumns).view(entry);
    }
    entry.view = view;
    return view;
  }

  /** Brings a restored auction's events out of the snapshot's columns, to change them. */
  private materialise(entry: Entry): Entry {
    entry.events ??= this.restoredEvents(entry);
    return entry;
  }

  /** A restored auction's events, read from the snapshot's columns. */
  private restoredEvents(entry: Entry): EventEntry[] {
    return (this.restored as RestoredColumns).events(entry);
  }
}

/** Adds an event to an auction (once per id), in time order; false when it was there already. */
function addEvent(entry: Entry, line: OutcomeLine, ref: BodyRef | undefined): boolean {
  const events = entry.events as EventEntry[];
  if (events.some((e) => e.id === line.id)) return false;
  events.push({ id: line.id, time: line.time, digest: digestOf(line.fact, line.bidId), line: ref ?? line });
  // Stable sort by time keeps arrival order for events of the same instant.
  if (events.length > 1) events.sort(byTime);
  entry.view = undefined;
  return true;
}
