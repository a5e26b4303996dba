// The track record of a benchmark router, built as the extension builds it: each executed bid's auction and
// outcome folded into observations by our own memory and learning code (auctionLineFromResult, observationsOfAuction),
// the record for an auction learned from them (learnedRecordFrom) with the neutral prior (the shipped public prior
// was computed from these very tasks: it would leak) and the most similar past tasks by BM25 over the problem texts.
// Only the runs the router paid for are learned from (bandit feedback).
import type { AuctionResult } from '../../src/common/auction/types';
import { observationsOfAuction, type Observation } from '../../src/common/learning/observations';
import { NEUTRAL_PRIORS, type SuccessPriors } from '../../src/common/learning/priors';
import { learnedRecordFrom, type LearnedRecord, type TrackRecordPort, type TrackRecordQuery } from '../../src/common/learning/successPredictor';
import { auctionLineFromResult } from '../../src/common/memory/fromAuction';
import { MEMORY_SCHEMA_VERSION, type OutcomeLine } from '../../src/common/memory/records';
import type { TaskView } from './data';
import { Bm25 } from './text';

/** Past tasks a prediction looks at (the predictor's `similarTasks` is 20 as well). */
const NEIGHBOURS = 20;

/**
 * Similarity of past tasks to a task text: BM25 over the problem texts (the bench's text.ts), each of the nearest
 * tasks scored relative to the best hit (1 for the nearest, less for the others). `exclude`: the task's own id.
 */
export function similarityTo(index: Bm25, text: string, exclude?: string): Map<string, number> {
  const hits = index.search(text, NEIGHBOURS, exclude);
  const top = hits[0]?.score ?? 0;
  return new Map(top > 0 ? hits.map((h) => [h.id, h.score / top]) : []);
}

/** A router's own outcomes, as the engine's `TrackRecordPort` and for the routers that predict by themselves. */
export class MarketTrackRecord implements TrackRecordPort {
  readonly observations: Observation[] = [];
  readonly index = new Bm25();

  constructor(private readonly priors: SuccessPriors = NEUTRAL_PRIORS) {}

  load(query: TrackRecordQuery): Promise<LearnedRecord> {
    return Promise.resolve(this.recordFor(query));
  }

  recordFor(query: TrackRecordQuery): LearnedRecord {
    return learnedRecordFrom(this.observations, similarityTo(this.index, query.task), query, this.priors);
  }

  /** The executed bid's outcome as the extension's memory would hold it (auction id = the task's id), folded by our own code. */
  learn(task: TaskView, result: AuctionResult, bidId: string, resolved: boolean, costUsd: number): void {
    const line = auctionLineFromResult({ ...result, auctionId: task.id }, []);
    const outcome = (id: string, fact: OutcomeLine['fact']): OutcomeLine => ({ v: MEMORY_SCHEMA_VERSION, kind: 'outcome', id, auctionId: task.id, bidId, time: result.finishedAt, fact });
    const outcomes = [outcome(`${task.id}/cost`, { type: 'execution-cost', inputTokens: 0, outputTokens: 0, dollars: costUsd, status: 'finished' }), outcome(`${task.id}/tests`, { type: 'tests', passed: resolved })];
    this.observations.push(...observationsOfAuction(line, outcomes));
    this.index.add(task.id, task.text);
  }
}
