import type { AuctionHead, AuctionView, BodyRef, Entry, EventEntry, OutcomeLabel } from './fold';
import { foldByBid, type FactDigest } from './outcomeFold';
import { OUTCOME_LABELS } from '../protocol/outcomes';
import type { AuctionLine, OutcomeLine } from './records';

/**
 * MemoryState as data for the index snapshot (see memoryIndex.ts), by column, so a reload of 100k auctions
 * decodes one string and a few typed arrays instead of parsing hundreds of thousands of JSON objects.
 *
 * - Heads: their strings (id, time, task, winner bid and model) are concatenated in `text`, lengths in
 *   `textLengths`; pool and context-file lists, which repeat, are an index into `lists`; the folded label and
 *   execution sums are columns too, so a restored auction needs no events in memory until one is added.
 * - Events: grouped by auction (`eventStart`, `eventCount`), with their id, time and bid id ('' when the line
 *   has none) in `text` after the heads', their digest in columns, and their position on disk.
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
    /**
     * Bit 0: has a loser; bit 1: has a winner; bit 2: auction dollars known; bit 3: execution recorded; bit 4:
     * execution dollars known; bit 5: an event is about a bid other than the winner (its bid labels need the events).
     */
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
    /** Per event: digest type, then its fields (label code, passed or failed, tokens, dollars; NaN = unknown). */
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
/** Strings per event: id, time, bid id. */
const EVENT_STRINGS = 3;
/** Label codes: 0 = no label, then OUTCOME_LABELS in their (append-only) order. */
const LABELS: readonly (OutcomeLabel | undefined)[] = [undefined, ...OUTCOME_LABELS];
const EVENT_TYPES = ['review', 'undone', 'tests', 'execution-cost'] as const;

/**
 * The state's auctions (in arrival order), outcomes waiting for their auction, and deleted ids, by column.
 * `viewOf` and `eventsOf` give an auction's folded view and its events, wherever they are kept.
 */
export function encodeState(
  entries: ReadonlyMap<string, Entry>,
  viewOf: (entry: Entry) => AuctionView,
  eventsOf: (entry: Entry) => readonly EventEntry[],
  pending: Iterable<{ line: OutcomeLine; ref: BodyRef | undefined }>,
  deleted: Iterable<string>,
): MemoryStateSnapshot {
  const n = entries.size;
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
  for (const entry of entries.values()) {
    const h = entry.head;
    [h.id, h.time, h.task, h.winner?.bidId ?? '', h.winner?.modelId ?? ''].forEach((str, j) => {
      headTexts.push(str);
      col.textLengths[i * HEAD_STRINGS + j] = str.length;
    });
    const view = viewOf(entry);
    col.bidCount[i] = h.bidCount;
    const events = eventsOf(entry);
    const otherBid = events.some((e) => e.digest.bidId !== undefined && e.digest.bidId !== h.winner?.bidId);
    col.flags[i] = (h.hasLoser ? 1 : 0) | (h.winner ? 2 : 0) | (h.auctionDollars !== undefined ? 4 : 0) | (view.execution ? 8 : 0) | (view.execution?.dollars !== undefined ? 16 : 0) | (otherBid ? 32 : 0);
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
    col.eventStart[i] = ev.type.length;
    col.eventCount[i] = events.length;
    for (const e of events) {
      const bid = e.digest.bidId ?? '';
      eventTexts.push(e.id, e.time, bid);
      eventLengths.push(e.id.length, e.time.length, bid.length);
      const d = e.digest;
      ev.type.push(EVENT_TYPES.indexOf(d.type));
      ev.label.push(d.type === 'review' ? LABELS.indexOf(d.label) : d.type === 'tests' ? (d.passed ? 1 : 0) : d.type === 'execution-cost' ? (d.failed ? 1 : 0) : 0);
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
      pendingOutcomes: [...pending].map((p) => (p.ref ? { line: p.line, ref: p.ref } : { line: p.line })),
      deleted: [...deleted],
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

/** The columns of a restored snapshot, for auctions whose events were not needed yet. */
export class RestoredColumns {
  private constructor(
    private readonly text: string,
    private readonly eventTextStart: number[],
    private readonly arrays: MemoryStateSnapshot['arrays'],
    private readonly residentEvents: Map<number, OutcomeLine>,
  ) {}

  /**
   * Decodes a snapshot's columns: the auctions (events left in the columns), deleted ids and waiting outcomes.
   * The snapshot is checksummed as a whole by its file, so only sizes and bounds are checked here.
   */
  static decode(snapshot: MemoryStateSnapshot): { columns: RestoredColumns; entries: [string, Entry][]; deleted: string[]; pending: MemoryStateSnapshot['meta']['pendingOutcomes'] } {
    const { meta, text, arrays: a } = snapshot;
    const n = meta.count;
    const m = meta.events;
    const perHead = [a.bidCount, a.flags, a.dollars, a.pool, a.contextFiles, a.label, a.execIn, a.execOut, a.execDollars, a.source, a.offset, a.length, a.eventStart, a.eventCount];
    const perEvent = [a.eventType, a.eventLabel, a.eventIn, a.eventOut, a.eventDollars, a.eventSource, a.eventOffset, a.eventLength];
    if (a.textLengths.length !== n * HEAD_STRINGS + EVENT_STRINGS * m || perHead.some((x) => x.length !== n) || perEvent.some((x) => x.length !== m)) {
      throw new Error('memory snapshot: state does not fit');
    }
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
    const entries: [string, Entry][] = [];
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
      entries.push([id, { head, body, events: (a.eventCount[i] as number) === 0 ? [] : undefined, snapshotRow: i, view: undefined }]);
    }
    // Where each event's strings start in `text` (events' strings follow the heads').
    const eventTextStart = new Array<number>(m);
    for (let e = 0; e < m; e++) {
      eventTextStart[e] = pos;
      for (let k = 0; k < EVENT_STRINGS; k++) pos += a.textLengths[n * HEAD_STRINGS + EVENT_STRINGS * e + k] as number;
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
    return { columns: new RestoredColumns(text, eventTextStart, a, residentEvents), entries, deleted: meta.deleted, pending: meta.pendingOutcomes };
  }

  /** A restored, untouched auction's view: the folded values are in the columns. */
  view(entry: Entry): AuctionView {
    const a = this.arrays;
    const i = entry.snapshotRow;
    const f = a.flags[i] as number;
    const label = LABELS[a.label[i] as number];
    const count = a.eventCount[i] as number;
    const winner = entry.head.winner?.bidId;
    // Every event about the winner (the usual case): its label is the auction's; else fold the events again.
    const outcomes =
      f & 32
        ? foldByBid(this.events(entry).map((e) => e.digest), winner)
        : { label, executedBidId: count > 0 ? winner : undefined, labels: label !== undefined && winner !== undefined ? { [winner]: label } : {} };
    return {
      head: entry.head,
      outcomeCount: count,
      label,
      executedBidId: outcomes.executedBidId,
      bidLabels: outcomes.labels,
      execution: f & 8 ? { inputTokens: a.execIn[i] as number, outputTokens: a.execOut[i] as number, dollars: f & 16 ? a.execDollars[i] : undefined } : undefined,
    };
  }

  /** A restored auction's events, read from the columns. */
  events(entry: Entry): EventEntry[] {
    const a = this.arrays;
    const n = a.eventStart.length;
    const start = a.eventStart[entry.snapshotRow] as number;
    const count = a.eventCount[entry.snapshotRow] as number;
    const events: EventEntry[] = [];
    for (let e = start; e < start + count; e++) {
      const idLength = a.textLengths[n * HEAD_STRINGS + EVENT_STRINGS * e] as number;
      const timeLength = a.textLengths[n * HEAD_STRINGS + EVENT_STRINGS * e + 1] as number;
      const bidLength = a.textLengths[n * HEAD_STRINGS + EVENT_STRINGS * e + 2] as number;
      const at = this.eventTextStart[e] as number;
      const bid = this.text.slice(at + idLength + timeLength, at + idLength + timeLength + bidLength);
      const about = bid === '' ? {} : { bidId: bid };
      const type = EVENT_TYPES[a.eventType[e] as number];
      const code = a.eventLabel[e] as number;
      const dollars = a.eventDollars[e] as number;
      const digest: FactDigest =
        type === 'review'
          ? { type, label: LABELS[code], ...about }
          : type === 'tests'
            ? { type, passed: code === 1, ...about }
            : type === 'execution-cost'
              ? { type, inputTokens: a.eventIn[e] as number, outputTokens: a.eventOut[e] as number, dollars: Number.isNaN(dollars) ? undefined : dollars, failed: code === 1, ...about }
              : { type: 'undone', ...about };
      const source = a.eventSource[e] as number;
      const line = source === RESIDENT ? (this.residentEvents.get(e) as OutcomeLine) : { source, offset: a.eventOffset[e] as number, length: a.eventLength[e] as number };
      events.push({ id: this.text.slice(at, at + idLength), time: this.text.slice(at + idLength, at + idLength + timeLength), digest, line });
    }
    return events;
  }
}
