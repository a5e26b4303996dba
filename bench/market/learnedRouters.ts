// Routers built on OUR learning code (src/common/learning): the success predictor and the expected-utility rule.
// Each learns only from the runs it pays for (bandit feedback through the market's Executor), as in a workspace.
//  - PredictorRouter: no auction, no modelled signal at all: only real outcomes and real task texts.
//  - CalibratedSaleRouter: the real runAuction (modelled jury and entropy signals), its bids then ranked by the
//    learned predictor (jurors calibrated on this router's own executed bids) and the expected-utility rule.
import { runAuction } from '../../src/common/auction/engine';
import type { AuctionDeps, AuctionResult, JuryConfig } from '../../src/common/auction/types';
import { rankByUtility, type UtilityBid } from '../../src/common/learning/expectedUtility';
import type { Observation } from '../../src/common/learning/observations';
import { learnedRecordFrom, predictSuccess } from '../../src/common/learning/successPredictor';
import { Z90, type Scored } from '../../src/common/learning/calibration';
import { logit, sigmoid } from '../../src/common/learning/logistic';
import { NEUTRAL_PRIORS, PUBLIC_BENCHMARK_TABLE, familyPrior, type SuccessPriors } from '../../src/common/learning/priors';
import type { ModelCapabilities, ModelClient } from '../../src/common/providers/types';
import { keyedNormal } from '../routing/random';
import type { TaskView } from './data';
import type { DecisionCost, Executor, Router } from './market';
import { MarketHistory } from './marketHistory';
import { priorRunUsd } from './routers';
import { SHIPPED_OVERHEAD_SHARE, auctionOrLargest } from './saleRouter';
import { Bm25 } from './text';
import { MarketTrackRecord, similarityTo } from './trackRecord';

/** The bench's model ids as the shipped prior table names them (for the public-prior rows only). */
const TABLE_NAMES: Readonly<Record<string, string>> = { opus: 'claude-opus-4-5', sonnet: 'claude-sonnet-4-5' };

/**
 * The shipped public benchmark prior, keyed by the bench's model ids. It was computed from these very 500 tasks,
 * so a router using it knows each model's overall rate in advance (a leak, kept for reference, labelled).
 */
export function publicPriorsFor(pool: readonly string[]): SuccessPriors {
  const table = pool.flatMap((m) => {
    const hit = familyPrior(TABLE_NAMES[m] ?? m, PUBLIC_BENCHMARK_TABLE);
    return hit ? [{ family: m.toLowerCase().replace(/[._/:\s]+/g, '-'), rate: hit.rate }] : [];
  });
  return { ...NEUTRAL_PRIORS, table, source: 'public benchmark prior' };
}

/** How a router turns a prediction into the chance it ranks by. */
export type Exploration = 'greedy' | 'thompson';

/** The chance to rank by: the prediction itself, or a draw from its logit-normal (Thompson sampling). */
function chanceOf(prediction: { p: number; low: number; high: number }, exploration: Exploration, seed: number, key: string): number {
  if (exploration === 'greedy') return prediction.p;
  const sd = (logit(prediction.high) - logit(prediction.low)) / (2 * Z90);
  return sigmoid(logit(prediction.p) + sd * keyedNormal(seed, 'thompson', key));
}

/** Expected dollars of one run: a nominal run at list price counted as one observation, then the observed mean. */
class RunCosts {
  private readonly byModel = new Map<string, { n: number; usd: number }>();
  record(modelId: string, usd: number): void {
    const s = this.byModel.get(modelId) ?? { n: 0, usd: 0 };
    this.byModel.set(modelId, { n: s.n + 1, usd: s.usd + usd });
  }
  expected(modelId: string): number {
    const s = this.byModel.get(modelId) ?? { n: 0, usd: 0 };
    return (priorRunUsd(modelId) + s.usd) / (1 + s.n);
  }
}

/**
 * The success predictor alone: for each task, every pool model's P(success) from its outcomes here (on the
 * BM25-nearest past tasks it ran, counting again), ranked by the expected-utility rule at preference q.
 */
export class PredictorRouter implements Router {
  readonly name: string;
  readonly observations: Observation[] = [];
  /** The predicted chance (its mean, not the Thompson draw) of each run it chose, with the outcome: for calibration. */
  readonly predictions: Scored[] = [];
  private readonly index = new Bm25();
  private readonly costs = new RunCosts();

  constructor(
    private readonly pool: readonly string[],
    private readonly preference: number,
    private readonly seed: number,
    private readonly exploration: Exploration = 'thompson',
    private readonly priors: SuccessPriors = NEUTRAL_PRIORS,
    label = '',
  ) {
    this.name = `predictor alone (${exploration}), expected utility q=${preference}${label}`;
  }

  solve(task: TaskView, exec: Executor): Promise<undefined> {
    const record = learnedRecordFrom(this.observations, similarityTo(this.index, task.text, task.id), { task: task.text, modelIds: this.pool, jurorIds: [] }, this.priors);
    const predicted = new Map(this.pool.map((m) => [m, predictSuccess(record, { modelId: m, jury: [] })]));
    const bids: UtilityBid[] = this.pool.map((m) => ({ bidId: m, expectedUsd: this.costs.expected(m), p: chanceOf(predicted.get(m)!, this.exploration, this.seed, `${task.id}/${m}`) }));
    const pick = rankByUtility(bids, this.preference)[0]!.bidId;
    const run = exec.run(pick);
    this.predictions.push({ p: predicted.get(pick)!.p, success: run.resolved });
    this.costs.record(pick, run.costUsd);
    this.index.add(task.id, task.text);
    this.observations.push({ auctionId: task.id, bidId: `${task.id}/${pick}`, modelId: pick, task: task.text, time: '', label: run.resolved ? 'tests-passed' : 'tests-failed', success: run.resolved, jury: {}, execution: { inputTokens: 0, outputTokens: 0, dollars: run.costUsd, runs: 1 } });
    return Promise.resolve(undefined);
  }
}

// The benchmark's clients return logprobs and answer in the prompted JSON (as in saleRouter.ts).
const CAPABILITIES: ModelCapabilities = { streaming: false, tools: false, structuredOutput: false, logprobs: true, embeddings: false, probedAt: '2026-01-01T00:00:00Z' };

/**
 * SALE with learned calibration: the real runAuction (shipped weights, no refinement, the given jury), then the
 * auction's eligible bids re-ranked by P(success) from the learned record (model track record plus jurors and
 * entropy confidence weighted by how well they predicted this router's past outcomes) and their expected
 * execution dollars (the engine's own work estimate), by the expected-utility rule. What it learns from goes
 * through the memory path of the extension: the auction's memory line (auctionLineFromResult) and outcome lines,
 * folded into observations by observationsOfAuction.
 */
export class CalibratedSaleRouter implements Router {
  readonly name: string;
  private readonly record = new MarketTrackRecord(NEUTRAL_PRIORS);
  /** What it learned from: one observation per executed bid. */
  get observations(): readonly Observation[] {
    return this.record.observations;
  }
  private readonly history = new MarketHistory();
  private readonly deps: AuctionDeps;
  fallbacks = 0;

  constructor(
    private readonly pool: readonly string[],
    clients: readonly ModelClient[],
    private readonly preference: number,
    private readonly seed: number,
    private readonly jury: JuryConfig | undefined,
    private readonly beginTask: (taskId: string) => void,
    private readonly exploration: Exploration = 'thompson',
    private readonly onAuction?: (result: AuctionResult) => void,
  ) {
    this.name = `sale + learned calibration (${exploration}), expected utility q=${preference}`;
    let clock = Date.UTC(2026, 0, 1);
    this.deps = { clients, capabilities: () => CAPABILITIES, executionHistory: this.history, calls: { record: () => undefined }, now: () => (clock += 1) };
  }

  async solve(task: TaskView, exec: Executor): Promise<DecisionCost> {
    this.beginTask(task.id);
    const result = await auctionOrLargest(
      () => runAuction({ auctionId: task.id, task: task.text, pool: [...this.pool], refinement: { enabled: false }, overhead: { maxShare: SHIPPED_OVERHEAD_SHARE }, ...(this.jury ? { jury: this.jury } : {}) }, this.deps),
      task,
      exec,
      this.pool,
      this.history,
    );
    if (!result) {
      this.fallbacks++;
      return { usd: 0, calls: 0 };
    }
    this.onAuction?.(result);
    const jurorIds = [...new Set(result.judgements.map((j) => j.jurorId))];
    const record = this.record.recordFor({ task: task.text, modelIds: this.pool, jurorIds });
    const confidence = new Map(result.bids.map((b) => [b.id, b.entropy?.confidence]));
    const eligible = result.ranking.filter((r) => r.eligible);
    const bids: UtilityBid[] = eligible.map((r) => {
      const c = confidence.get(r.bidId);
      const prediction = predictSuccess(record, { modelId: r.modelId, jury: r.value.jury.map((j) => ({ jurorId: j.jurorId, score: j.score })), ...(c !== undefined ? { confidence: c } : {}) });
      return { bidId: r.bidId, p: chanceOf(prediction, this.exploration, this.seed, `${task.id}/${r.bidId}`), ...(r.expectedExecutionUsd !== undefined ? { expectedUsd: r.expectedExecutionUsd } : {}) };
    });
    const pickBid = bids.length ? rankByUtility(bids, this.preference)[0]!.bidId : undefined;
    const modelId = eligible.find((r) => r.bidId === pickBid)?.modelId ?? this.pool[this.pool.length - 1]!;
    const run = exec.run(modelId);
    this.history.record(task, run.modelId, run.costUsd);
    if (pickBid !== undefined) this.record.learn(task, result, pickBid, run.resolved, run.costUsd);
    else this.record.index.add(task.id, task.text);
    return { usd: result.cost.total.usd, calls: result.cost.total.calls };
  }
}
