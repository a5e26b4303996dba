import { throwIfAborted } from '../errors';
import { observationsOfAuction, type Observation } from '../learning/observations';
import { learnedRecordFrom, type LearnedRecord, type TrackRecordPort, type TrackRecordQuery } from '../learning/successPredictor';
import type { AuctionView } from './fold';
import type { SimilarAuction } from './memoryIndex';
import type { AuctionLine, OutcomeLine } from './records';

/** What the track record reads of the memory: its auctions, their lines and outcome lines, and retrieval. */
export interface TrackRecordSource {
  /** Every auction, newest first. */
  list(): readonly AuctionView[];
  auction(auctionId: string): Promise<AuctionLine | undefined>;
  outcomes(auctionId: string): Promise<OutcomeLine[]>;
  /** The memory's own retrieval (embedding when it has vectors, else BM25): similarity 0..1 per past auction. */
  similar(task: string, k: number, signal: AbortSignal, auctionId?: string): Promise<{ hits: readonly SimilarAuction[] }>;
}

/** How much one load may read and for how long: it runs once per auction, while the bids are out. */
export interface TrackRecordLimits {
  /** Auctions with outcomes read at most (similar ones first, then the newest). */
  maxAuctions: number;
  /** Similar past auctions asked of the retrieval. */
  similarK: number;
  /** After this long, the record is built from what was read so far; a store not open by then gives none. */
  deadlineMs: number;
  /** Lines read at once. */
  concurrency: number;
}

export const DEFAULT_TRACK_RECORD_LIMITS: Readonly<TrackRecordLimits> = Object.freeze({ maxAuctions: 400, similarK: 30, deadlineMs: 2_000, concurrency: 8 });

/**
 * The engine's TrackRecordPort over this workspace's memory: the outcome lines of past auctions become
 * Observations (the learning core's `observationsOfAuction`), the memory's retrieval gives each past auction's
 * similarity to the task, and the core's `learnedRecordFrom` turns both into the record the auction predicts
 * from. Bounded: at most `maxAuctions` auctions with outcomes are read (those similar to the task first, then the
 * newest), and reading stops at the deadline (the record is then built from what was read). Cancellation stops it.
 */
export function memoryTrackRecord(open: () => Promise<TrackRecordSource>, limits: Partial<TrackRecordLimits> = {}, now: () => number = Date.now): TrackRecordPort {
  const lim: TrackRecordLimits = { ...DEFAULT_TRACK_RECORD_LIMITS, ...limits };
  return {
    load: async (query: TrackRecordQuery, signal: AbortSignal): Promise<LearnedRecord> => {
      const deadline = now() + lim.deadlineMs;
      const source = await beforeDeadline(open(), lim.deadlineMs, 'the memory did not open in time');
      throwIfAborted(signal);
      const { hits } = await beforeDeadline(source.similar(query.task, lim.similarK, signal, query.auctionId), Math.max(0, deadline - now()), 'retrieval did not answer in time');
      const similarity = new Map<string, number>();
      for (const h of hits) similarity.set(h.view.head.id, Math.min(1, Math.max(0, h.similarity)));

      const withOutcomes = source.list().filter((v) => v.outcomeCount > 0);
      const byId = new Map(withOutcomes.map((v) => [v.head.id, v]));
      const similarFirst = hits.flatMap((h) => (byId.has(h.view.head.id) ? [h.view.head.id] : []));
      const order = [...new Set([...similarFirst, ...withOutcomes.map((v) => v.head.id)])].slice(0, lim.maxAuctions);

      const observations: Observation[] = [];
      for (let i = 0; i < order.length && now() < deadline; i += lim.concurrency) {
        throwIfAborted(signal);
        const batch = await Promise.all(order.slice(i, i + lim.concurrency).map((id) => observationsOf(source, id)));
        for (const obs of batch) observations.push(...obs);
      }
      throwIfAborted(signal);
      return learnedRecordFrom(observations, similarity, query);
    },
  };
}

async function observationsOf(source: TrackRecordSource, auctionId: string): Promise<Observation[]> {
  const [auction, outcomes] = await Promise.all([source.auction(auctionId), source.outcomes(auctionId)]);
  return auction && outcomes.length ? observationsOfAuction(auction, outcomes) : [];
}

/** `work`, or a rejection with `what` once `ms` have passed (the timer never outlives the race). */
async function beforeDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
