import type { AuctionLine, EmbeddingLine, MemoryLine, OutcomeFact, OutcomeLine } from './records';

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
  /** Undefined while no verdict is recorded. */
  readonly label: OutcomeLabel | undefined;
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

/** What the fold needs of an outcome event: its type and, for a review, the label it gives. */
export type FactDigest =
  | { type: 'review'; label: OutcomeLabel | undefined }
  | { type: 'undone' }
  | { type: 'tests'; passed: boolean }
  | { type: 'execution-cost'; inputTokens: number; outputTokens: number; dollars: number | undefined };

export function digestOf(fact: OutcomeFact): FactDigest {
  switch (fact.type) {
    case 'review':
      return { type: 'review', label: reviewLabel(fact.files, fact.overall) };
    case 'undone':
      return { type: 'undone' };
    case 'tests':
      return { type: 'tests', passed: fact.passed };
    case 'execution-cost':
      return { type: 'execution-cost', inputTokens: fact.inputTokens, outputTokens: fact.outputTokens, dollars: fact.dollars };
  }
}

/**
 * Folds an auction's outcome events into one label. Precedence, latest review first: an undo after the review
 * wins (the user threw the work away), then the latest test run (the work was applied and checked), then the
 * review itself.
 */
export function foldOutcome(outcomes: readonly OutcomeLine[]): OutcomeLabel | undefined {
  return foldDigests(outcomes.map((o) => digestOf(o.fact)));
}

function foldDigests(facts: readonly FactDigest[]): OutcomeLabel | undefined {
  let label: OutcomeLabel | undefined;
  let tests: boolean | undefined;
  let undone = false;
  for (const f of facts) {
    if (f.type === 'review') {
      // A new review starts the story again: earlier undo and test results were about the earlier apply.
      label = f.label;
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
interface EventEntry {
  id: string;
  time: string;
  digest: FactDigest;
  line: BodyRef | OutcomeLine;
}

/** One auction as the fold keeps it. */
interface Entry {
  head: AuctionHead;
  body: BodyRef | AuctionLine;
  /** Its events in time order; undefined while they are only in the snapshot's columns (`snapshotRow`). */
  events: EventEntry[] | undefined;
  snapshotRow: number;
  view: AuctionView | undefined;
}

/**
 * MemoryState as data for the index snapshot (see memoryIndex.ts), by column, so a reload of 100k auctions
 * decodes one string and a few typed arrays instead of parsing hundreds of thousands of JSON objects.
 *
 * - Heads: their strings (id, time, task, winner bid and model) are concatenated in `text`, lengths in
 *   `textLengths`; pool and context-file lists, which repeat, are an index into `lists`; the folded label and
 *   execution sums are columns too, so a restored auction needs no events in memory until one is added.
 * - Events: grouped by auction (`eventStart`, `eventCount`), with their id and time in `text` after the heads',
 *   their digest in columns, and their position on disk.
 * - Lines fed without a position (kept whole) and outcomes waiting for their auction are JSON in `meta`.
 */
export interface MemoryStateSnapshot {
  meta: {
    count: number;
    events: number;
    lists: string[][];
    residentAuctions: AuctionLine[];
    residentEvents: OutcomeLine[];
    /** With their position, when they came with one. */
    pendingOutcomes: { line: OutcomeLine; ref?: BodyRef }[];
    deleted: string[];
  };
  text: string;
  arrays: {
    textLengths: Uint32Array;
    bidCount: Uint32Array;
    /** Bit 0: has a loser; bit 1: has a winner; bit 2: auction dollars known; bit 3: execution recorded; bit 4: execution dollars known. */
    flags: Uint8Array;
    dollars: Float64Array;
    pool: Uint32Array;
    contextFiles: Uint32Array;
    label: Uint8Array;
    execIn: Float64Array;
    execOut: Float64Array;
    execDollars: Float64Array;
    source: Uint8Array;
    offset: Float64Array;
    length: Uint32Array;
    eventStart: Uint32Array;
    eventCount: Uint32Array;
    /** Per event: digest type, then its fields (label code, passed, tokens, dollars; NaN = unknown). */
    eventType: Uint8Array;
    eventLabel: Uint8Array;
    eventIn: Float64Array;
    eventOut: Float64Array;
    eventDollars: Float64Array;
    eventSource: Uint8Array;
    eventOffset: Float64Array;
    eventLength: Uint32Array;
  };
}

/** The typed arrays of a MemoryStateSnapshot, by name and element type (checked on restore). */
export const STATE_ARRAYS = {
  textLengths: Uint32Array,
  bidCount: Uint32Array,
  flags: Uint8Array,
  dollars: Float64Array,
  pool: Uint32Array,
  contextFiles: Uint32Array,
  label: Uint8Array,
  execIn: Float64Array,
  execOut: Float64Array,
  execDollars: Float64Array,
  source: Uint8Array,
  offset: Float64Array,
  length: Uint32Array,
  eventStart: Uint32Array,
  eventCount: Uint32Array,
  eventType: Uint8Array,
  eventLabel: Uint8Array,
  eventIn: Float64Array,
  eventOut: Float64Array,
  eventDollars: Float64Array,
  eventSource: Uint8Array,
  eventOffset: Float64Array,
  eventLength: Uint32Array,
} as const;

/** `source` of a line kept in memory (in `resident*`). */
const RESIDENT = 255;
/** Strings per head in the snapshot's text: id, time, task, winner bid id, winner model id. */
const HEAD_STRINGS = 5;
const LABELS: readonly (OutcomeLabel | undefined)[] = [undefined, 'accepted', 'partially-accepted', 'rejected', 'undone', 'tests-passed', 'tests-failed'];
const EVENT_TYPES = ['review', 'undone', 'tests', 'execution-cost'] as const;

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
  private restored: { text: string; eventTextStart: number[]; arrays: MemoryStateSnapshot['arrays']; residentEvents: Map<number, OutcomeLine> } | undefined;

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
    const n = this.entries.size;
    const col = {
      textLengths: new Uint32Array(n * HEAD_STRINGS),
      bidCount: new Uint32Array(n),
      flags: new Uint8Array(n),
      dollars: new Float64Array(n),
      pool: new Uint32Array(n),
      contextFiles: new Uint32Array(n),
      label: new Uint8Array(n),
      execIn: new Float64Array(n),
      execOut: new Float64Array(n),
      execDollars: new Float64Array(n),
      source: new Uint8Array(n),
      offset: new Float64Array(n),
      length: new Uint32Array(n),
      eventStart: new Uint32Array(n),
      eventCount: new Uint32Array(n),
    };
    const lists: string[][] = [];
    const listIndex = new Map<string, number>();
    const listOf = (list: readonly string[]): number => {
      const key = JSON.stringify(list);
      let i = listIndex.get(key);
      if (i === undefined) {
        i = lists.length;
        lists.push([...list]);
        listIndex.set(key, i);
      }
      return i;
    };
    const headTexts: string[] = [];
    const eventTexts: string[] = [];
    const eventLengths: number[] = [];
    const ev = { type: [] as number[], label: [] as number[], in: [] as number[], out: [] as number[], dollars: [] as number[], source: [] as number[], offset: [] as number[], length: [] as number[] };
    const residentAuctions: AuctionLine[] = [];
    const residentEvents: OutcomeLine[] = [];
    let i = 0;
    for (const entry of this.entries.values()) {
      const h = entry.head;
      [h.id, h.time, h.task, h.winner?.bidId ?? '', h.winner?.modelId ?? ''].forEach((str, j) => {
        headTexts.push(str);
        col.textLengths[i * HEAD_STRINGS + j] = str.length;
      });
      const view = this.viewOf(entry);
      col.bidCount[i] = h.bidCount;
      col.flags[i] = (h.hasLoser ? 1 : 0) | (h.winner ? 2 : 0) | (h.auctionDollars !== undefined ? 4 : 0) | (view.execution ? 8 : 0) | (view.execution?.dollars !== undefined ? 16 : 0);
      col.dollars[i] = h.auctionDollars ?? 0;
      col.pool[i] = listOf(h.pool);
      col.contextFiles[i] = listOf(h.contextFiles);
      col.label[i] = LABELS.indexOf(view.label);
      col.execIn[i] = view.execution?.inputTokens ?? 0;
      col.execOut[i] = view.execution?.outputTokens ?? 0;
      col.execDollars[i] = view.execution?.dollars ?? 0;
      if ('kind' in entry.body) {
        col.source[i] = RESIDENT;
        residentAuctions.push(entry.body);
      } else {
        col.source[i] = entry.body.source;
        col.offset[i] = entry.body.offset;
        col.length[i] = entry.body.length;
      }
      const events = entry.events ?? this.restoredEvents(entry);
      col.eventStart[i] = ev.type.length;
      col.eventCount[i] = events.length;
      for (const e of events) {
        eventTexts.push(e.id, e.time);
        eventLengths.push(e.id.length, e.time.length);
        const d = e.digest;
        ev.type.push(EVENT_TYPES.indexOf(d.type));
        ev.label.push(d.type === 'review' ? LABELS.indexOf(d.label) : d.type === 'tests' ? (d.passed ? 1 : 0) : 0);
        ev.in.push(d.type === 'execution-cost' ? d.inputTokens : 0);
        ev.out.push(d.type === 'execution-cost' ? d.outputTokens : 0);
        ev.dollars.push(d.type === 'execution-cost' && d.dollars !== undefined ? d.dollars : NaN);
        if ('kind' in e.line) {
          ev.source.push(RESIDENT);
          ev.offset.push(0);
          ev.length.push(0);
          residentEvents.push(e.line);
        } else {
          ev.source.push(e.line.source);
          ev.offset.push(e.line.offset);
          ev.length.push(e.line.length);
        }
      }
      i++;
    }
    const textLengths = new Uint32Array(n * HEAD_STRINGS + eventLengths.length);
    textLengths.set(col.textLengths);
    textLengths.set(eventLengths, n * HEAD_STRINGS);
    return {
      meta: {
        count: n,
        events: ev.type.length,
        lists,
        residentAuctions,
        residentEvents,
        pendingOutcomes: [...this.pending.values()].flat().map((p) => (p.ref ? { line: p.line, ref: p.ref } : { line: p.line })),
        deleted: [...this.deleted],
      },
      text: headTexts.join('') + eventTexts.join(''),
      arrays: {
        ...col,
        textLengths,
        eventType: Uint8Array.from(ev.type),
        eventLabel: Uint8Array.from(ev.label),
        eventIn: Float64Array.from(ev.in),
        eventOut: Float64Array.from(ev.out),
        eventDollars: Float64Array.from(ev.dollars),
        eventSource: Uint8Array.from(ev.source),
        eventOffset: Float64Array.from(ev.offset),
        eventLength: Uint32Array.from(ev.length),
      },
    };
  }

  /**
   * Restores a snapshot into this (empty) state without notifying the listener: the indexes restore their own.
   * One small object per auction; events stay in the columns until an auction gets a new one or they are read.
   * The snapshot is checksummed as a whole by its file, so only sizes and bounds are checked here.
   */
  restore(snapshot: MemoryStateSnapshot): void {
    const { meta, text, arrays: a } = snapshot;
    const n = meta.count;
    const m = meta.events;
    const perHead = [a.bidCount, a.flags, a.dollars, a.pool, a.contextFiles, a.label, a.execIn, a.execOut, a.execDollars, a.source, a.offset, a.length, a.eventStart, a.eventCount];
    const perEvent = [a.eventType, a.eventLabel, a.eventIn, a.eventOut, a.eventDollars, a.eventSource, a.eventOffset, a.eventLength];
    if (this.entries.size > 0 || a.textLengths.length !== n * HEAD_STRINGS + 2 * m || perHead.some((x) => x.length !== n) || perEvent.some((x) => x.length !== m)) {
      throw new Error('memory snapshot: state does not fit');
    }
    for (const id of meta.deleted) this.deleted.add(id);
    let pos = 0;
    const next = (k: number): string => {
      const len = a.textLengths[k] as number;
      const str = text.slice(pos, pos + len);
      pos += len;
      return str;
    };
    const list = (k: number): string[] => {
      const l = meta.lists[k];
      if (!l) throw new Error('memory snapshot: bad list index');
      return l;
    };
    let residentAt = 0;
    for (let i = 0; i < n; i++) {
      const base = i * HEAD_STRINGS;
      const id = next(base);
      const time = next(base + 1);
      const task = next(base + 2);
      const bidId = next(base + 3);
      const modelId = next(base + 4);
      const f = a.flags[i] as number;
      const head: AuctionHead = {
        id,
        time,
        task,
        pool: list(a.pool[i] as number),
        contextFiles: list(a.contextFiles[i] as number),
        bidCount: a.bidCount[i] as number,
        winner: f & 2 ? { bidId, modelId } : undefined,
        hasLoser: (f & 1) !== 0,
        auctionDollars: f & 4 ? a.dollars[i] : undefined,
      };
      const src = a.source[i] as number;
      const body = src === RESIDENT ? meta.residentAuctions[residentAt++] : { source: src, offset: a.offset[i] as number, length: a.length[i] as number };
      if (!body) throw new Error(`memory snapshot: no line for ${id}`);
      if ((a.eventStart[i] as number) + (a.eventCount[i] as number) > m) throw new Error('memory snapshot: events out of range');
      this.entries.set(id, { head, body, events: (a.eventCount[i] as number) === 0 ? [] : undefined, snapshotRow: i, view: undefined });
    }
    // Where each event's strings start in `text` (events' strings follow the heads').
    const eventTextStart = new Array<number>(m);
    for (let e = 0; e < m; e++) {
      eventTextStart[e] = pos;
      pos += (a.textLengths[n * HEAD_STRINGS + 2 * e] as number) + (a.textLengths[n * HEAD_STRINGS + 2 * e + 1] as number);
    }
    if (pos !== text.length) throw new Error('memory snapshot: text does not fit');
    const residentEvents = new Map<number, OutcomeLine>();
    let k = 0;
    for (let e = 0; e < m; e++) {
      if (a.eventSource[e] !== RESIDENT) continue;
      const line = meta.residentEvents[k++];
      if (!line) throw new Error('memory snapshot: an event line is missing');
      residentEvents.set(e, line);
    }
    this.restored = { text, eventTextStart, arrays: a, residentEvents };
    for (const o of meta.pendingOutcomes) this.ingest(o.line, o.ref);
  }

  private viewOf(entry: Entry): AuctionView {
    if (entry.view) return entry.view;
    let view: AuctionView;
    if (entry.events) {
      const facts = entry.events.map((e) => e.digest);
      view = { head: entry.head, outcomeCount: facts.length, label: foldDigests(facts), execution: sumExecution(facts) };
    } else {
      // Restored and untouched: the folded values are in the snapshot's columns.
      const a = (this.restored as NonNullable<MemoryState['restored']>).arrays;
      const i = entry.snapshotRow;
      const f = a.flags[i] as number;
      view = {
        head: entry.head,
        outcomeCount: a.eventCount[i] as number,
        label: LABELS[a.label[i] as number],
        execution: f & 8 ? { inputTokens: a.execIn[i] as number, outputTokens: a.execOut[i] as number, dollars: f & 16 ? a.execDollars[i] : undefined } : undefined,
      };
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
    const r = this.restored as NonNullable<MemoryState['restored']>;
    const a = r.arrays;
    const n = a.eventStart.length;
    const start = a.eventStart[entry.snapshotRow] as number;
    const count = a.eventCount[entry.snapshotRow] as number;
    const events: EventEntry[] = [];
    for (let e = start; e < start + count; e++) {
      const idLength = a.textLengths[n * HEAD_STRINGS + 2 * e] as number;
      const timeLength = a.textLengths[n * HEAD_STRINGS + 2 * e + 1] as number;
      const at = r.eventTextStart[e] as number;
      const type = EVENT_TYPES[a.eventType[e] as number];
      const code = a.eventLabel[e] as number;
      const dollars = a.eventDollars[e] as number;
      const digest: FactDigest =
        type === 'review'
          ? { type, label: LABELS[code] }
          : type === 'tests'
            ? { type, passed: code === 1 }
            : type === 'execution-cost'
              ? { type, inputTokens: a.eventIn[e] as number, outputTokens: a.eventOut[e] as number, dollars: Number.isNaN(dollars) ? undefined : dollars }
              : { type: 'undone' };
      const source = a.eventSource[e] as number;
      const line = source === RESIDENT ? (r.residentEvents.get(e) as OutcomeLine) : { source, offset: a.eventOffset[e] as number, length: a.eventLength[e] as number };
      events.push({ id: r.text.slice(at, at + idLength), time: r.text.slice(at + idLength, at + idLength + timeLength), digest, line });
    }
    return events;
  }
}

/** Adds an event to an auction (once per id), in time order; false when it was there already. */
function addEvent(entry: Entry, line: OutcomeLine, ref: BodyRef | undefined): boolean {
  const events = entry.events as EventEntry[];
  if (events.some((e) => e.id === line.id)) return false;
  events.push({ id: line.id, time: line.time, digest: digestOf(line.fact), line: ref ?? line });
  // Stable sort by time keeps arrival order for events of the same instant.
  if (events.length > 1) events.sort(byTime);
  entry.view = undefined;
  return true;
}
