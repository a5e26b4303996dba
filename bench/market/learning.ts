// What learning from real outcomes is worth on the real market (issue #20), measured with OUR code
// (src/common/learning): (a) the success predictor alone, routing online with bandit feedback, by the
// expected-utility rule at several q; (b) the predictor's calibration on held-out tasks; (c) SALE with learned
// calibration versus the engine's score rule, at each modelled signal quality.
// Real: outcomes, costs, task texts. Modelled (only in (c)): the bids' jury and entropy signals (signals.ts).
import { auroc, brier, expectedCalibrationError, logLoss, reliability, type ReliabilityBin, type Scored } from '../../src/common/learning/calibration';
import type { Observation } from '../../src/common/learning/observations';
import { NEUTRAL_PRIORS } from '../../src/common/learning/priors';
import { learnedRecordFrom, predictSuccess } from '../../src/common/learning/successPredictor';
import { loadMarket, type MarketData, type MarketTask } from './data';
import { figures, Market, runRouter, type Router, type TaskRecord } from './market';
import { largestOf, POOLS } from './prices';
import { alwaysRouter, KnnRouter, oracle } from './routers';
import { AuctionScene, MarketModelClient } from './saleClient';
import { SaleRouter } from './saleRouter';
import { stat, type Stat } from './stats';
import { shuffled } from './tune';
import { PUBLISHED_QUALITY, type RealMarketResults } from './index';
import { Bm25 } from './text';
import { CalibratedSaleRouter, PredictorRouter, publicPriorsFor } from './learnedRouters';
import { similarityTo } from './trackRecord';

export const WINDOW = 50;
/**
 * (c) task orders: the first is the quality sweep's (realMarket's sweepSeeds start at 101), so its score-rule rows
 * match that sweep; the sweep over d runs it alone, the preferences at the published quality run both.
 */
export const SALE_SEEDS = [101, 102] as const;
/** Signal qualities of (c): a subset of the bench's sweep, useless to practically perfect. */
export const SALE_QUALITIES = [0, 0.5, 1, 2, 6] as const;

/** One router over several seeds (task orders): pass@1 and dollars per window of WINDOW tasks and overall. */
export interface WindowRow {
  router: string;
  kind: 'fixed' | 'limit' | 'learned' | 'learned (leaky prior)' | 'modelled-signals';
  seeds: number;
  passAt1: Stat;
  costUsd: Stat;
  /** Per window of WINDOW tasks in arrival order: mean ± sd over seeds. Absent for rows whose records are not in arrival order. */
  windows?: { passAt1: Stat; costUsd: Stat }[];
  /** Runs per model, summed over seeds. */
  runs: Record<string, number>;
  note?: string;
}

function windowRow(router: string, kind: WindowRow['kind'], perSeed: readonly TaskRecord[][], largest: string, arrivalOrder = true, note?: string): WindowRow {
  const f = perSeed.map((r) => figures(r, 1, largest));
  const runs: Record<string, number> = {};
  for (const x of f) for (const [m, n] of Object.entries(x.runs)) runs[m] = (runs[m] ?? 0) + n;
  const n = perSeed[0]?.length ?? 0;
  const windows = arrivalOrder
    ? Array.from({ length: Math.ceil(n / WINDOW) }, (_, w) => {
        const parts = perSeed.map((r) => figures(r.slice(w * WINDOW, (w + 1) * WINDOW), 1, largest));
        return { passAt1: stat(parts.map((p) => p.passAt1)), costUsd: stat(parts.map((p) => p.costUsd)) };
      })
    : undefined;
  return { router, kind, seeds: perSeed.length, passAt1: stat(f.map((x) => x.passAt1)), costUsd: stat(f.map((x) => x.costUsd)), ...(windows ? { windows } : {}), runs, ...(note ? { note } : {}) };
}

/** Calibration of a set of predictions. */
export interface CalibrationFigures {
  predictor: string;
  predictions: number;
  brier: number;
  logLoss: number;
  auroc: number;
  aurocSe: number;
  ece: number;
  reliability: ReliabilityBin[];
}

function calibrationOf(predictor: string, scored: readonly Scored[]): CalibrationFigures {
  const a = auroc(scored);
  const curve = reliability(scored, 10);
  return { predictor, predictions: scored.length, brier: brier(scored) ?? NaN, logLoss: logLoss(scored) ?? NaN, auroc: a?.auc ?? NaN, aurocSe: a?.se ?? NaN, ece: expectedCalibrationError(curve) ?? NaN, reliability: curve };
}

/**
 * (b) k-fold over tasks: the predictor learns from every pool model's outcome on the training tasks (full
 * information) and predicts each pool model on each held-out task. Baselines: the same predictor without task
 * similarity (each model's rate alone) and one constant rate for every model.
 */
export function heldOutCalibration(data: MarketData, pool: readonly string[], tasks: readonly MarketTask[], folds = 5, seed = 1): CalibrationFigures[] {
  const order = shuffled(tasks, seed);
  const withSimilar: Scored[] = [];
  const rateOnly: Scored[] = [];
  const constant: Scored[] = [];
  for (let k = 0; k < folds; k++) {
    const test = order.filter((_, i) => i % folds === k);
    const train = order.filter((_, i) => i % folds !== k);
    const index = new Bm25();
    const observations: Observation[] = [];
    for (const t of train) {
      index.add(t.id, t.text);
      for (const m of pool) {
        const resolved = data.outcomes.get(t.id)!.get(m)!.resolved;
        observations.push({ auctionId: t.id, bidId: `${t.id}/${m}`, modelId: m, task: t.text, time: '', label: resolved ? 'tests-passed' : 'tests-failed', success: resolved, jury: {} });
      }
    }
    const overall = observations.filter((o) => o.success).length / observations.length;
    const plain = learnedRecordFrom(observations, new Map(), { task: '', modelIds: pool, jurorIds: [] }, NEUTRAL_PRIORS);
    for (const t of test) {
      const record = learnedRecordFrom(observations, similarityTo(index, t.text, t.id), { task: t.text, modelIds: pool, jurorIds: [] }, NEUTRAL_PRIORS);
      for (const m of pool) {
        const success = data.outcomes.get(t.id)!.get(m)!.resolved;
        withSimilar.push({ p: predictSuccess(record, { modelId: m, jury: [] }).p, success });
        rateOnly.push({ p: predictSuccess(plain, { modelId: m, jury: [] }).p, success });
        constant.push({ p: overall, success });
      }
    }
  }
  return [
    calibrationOf('predictor: model rate + BM25-similar tasks (shipped design)', withSimilar),
    calibrationOf('model rate alone (no task similarity)', rateOnly),
    calibrationOf('one constant rate (no model, no task)', constant),
  ];
}

/** (c) one point of the quality sweep: SALE's score rule against SALE + learned calibration, same seeds and jury. */
export interface CalibratedSalePoint {
  quality: number;
  preference: number;
  jury: string;
  seeds: number;
  withoutCalibration: { passAt1: Stat; costUsd: Stat; auctionUsd: Stat };
  withCalibration: { passAt1: Stat; costUsd: Stat; auctionUsd: Stat };
}

async function calibratedSalePoint(
  data: MarketData,
  pool: readonly string[],
  orders: readonly MarketTask[][],
  seeds: readonly number[],
  quality: number,
  preference: number,
  withoutCalibration?: CalibratedSalePoint['withoutCalibration'],
): Promise<CalibratedSalePoint> {
  const largest = largestOf(pool);
  const resolvedOf = (t: string, m: string): boolean => data.outcomes.get(t)!.get(m)!.resolved;
  const sum = (rs: TaskRecord[][]): CalibratedSalePoint['withoutCalibration'] => {
    const f = rs.map((r) => figures(r, 1, largest));
    return { passAt1: stat(f.map((x) => x.passAt1)), costUsd: stat(f.map((x) => x.costUsd)), auctionUsd: stat(f.map((x) => x.decisionUsd)) };
  };
  const plain: TaskRecord[][] = [];
  const calibrated: TaskRecord[][] = [];
  for (let i = 0; i < orders.length; i++) {
    if (!withoutCalibration) {
      const scene = new AuctionScene(seeds[i]!, quality, resolvedOf);
      const saleRouter = new SaleRouter({ name: 'sale (score rule)', refinement: false, weights: {} }, pool, pool.map((id) => new MarketModelClient(id, scene)), undefined, (id) => scene.begin(id));
      plain.push(await runRouter(saleRouter, new Market(data, pool), orders[i]!, 1));
    }
    const scene = new AuctionScene(seeds[i]!, quality, resolvedOf);
    const learned = new CalibratedSaleRouter(pool, pool.map((id) => new MarketModelClient(id, scene)), preference, seeds[i]!, undefined, (id) => scene.begin(id));
    calibrated.push(await runRouter(learned, new Market(data, pool), orders[i]!, 1));
  }
  return { quality, preference, jury: 'panel', seeds: seeds.length, withoutCalibration: withoutCalibration ?? sum(plain), withCalibration: sum(calibrated) };
}

export interface LearningPoolResults {
  label: string;
  models: string[];
  largest: string;
  /** (a) routing with the predictor alone (and the references), per window and overall. */
  routing: WindowRow[];
  /** (b) held-out calibration of the predictor and its baselines. */
  calibration: CalibrationFigures[];
  /** (b') calibration of the predictions the bandit router made before each run it chose (q = 0.5, Thompson). */
  onlineCalibration: CalibrationFigures;
  /** (c) SALE with and without learned calibration per modelled signal quality. */
  calibratedSale: CalibratedSalePoint[];
}

export interface LearningResults {
  kind: 'learning';
  label: string;
  tasks: number;
  seeds: number[];
  window: number;
  preferences: number[];
  pools: Record<string, LearningPoolResults>;
}

export interface LearningOptions {
  seeds?: number;
  pools?: string[];
  preferences?: number[];
  /** Signal qualities d of the (c) sweep (it runs the real auction: the expensive part). */
  qualities?: readonly number[];
  /** The preference (c) ranks by across qualities. */
  salePreference?: number;
  /** More preferences at the published quality. */
  publishedPreferences?: number[];
  /** Pools (c) runs in (default: mixed). */
  salePools?: string[];
  /** The real-market results whose tuned kNN and threshold rows are shown beside (they are not rerun here). */
  reference?: RealMarketResults;
  /** Use only the first n tasks (tests). */
  tasks?: number;
  log?: (line: string) => void;
}

export const LEARNING_LABEL =
  'REAL outcomes, costs and task texts (SWE-bench Verified, 500 tasks); the predictor learns online from the runs it paid for (bandit feedback). (a) and (b) use no modelled signal at all; (c) feeds it the MODELLED jury and entropy signals of the real runAuction (signals.ts). Priors: neutral (the shipped public prior comes from these very tasks; its rows are labelled leaky).';

async function poolResults(data: MarketData, poolId: string, tasks: MarketTask[], seeds: number[], opts: LearningOptions, log: (l: string) => void): Promise<LearningPoolResults> {
  const { label, models } = POOLS[poolId]!;
  const pool = [...models];
  const largest = largestOf(pool);
  const orders = seeds.map((s) => shuffled(tasks, s));
  const market = new Market(data, pool);
  const preferences = opts.preferences ?? [0, 0.5, 0.8, 0.9];
  const routing: WindowRow[] = [];
  const perSeed = async (make: (seed: number) => Router): Promise<TaskRecord[][]> => {
    const out: TaskRecord[][] = [];
    for (let i = 0; i < orders.length; i++) out.push(await runRouter(make(seeds[i]!), market, orders[i]!, 1));
    return out;
  };
  routing.push(windowRow('oracle (reads outcomes: the limit)', 'limit', orders.map((o) => oracle(data, pool, o, largest).records), largest));
  routing.push(windowRow(`always ${largest}`, 'fixed', await perSeed(() => alwaysRouter(largest)), largest));
  const cheapest = pool[1] ?? pool[0]!;
  routing.push(windowRow(`always ${cheapest}`, 'fixed', await perSeed(() => alwaysRouter(cheapest)), largest));
  for (const r of opts.reference?.pools[poolId]?.passAt1 ?? []) {
    if (r.kind !== 'learned' || !/^(knn|difficulty threshold)/.test(r.router)) continue;
    routing.push({ router: `${r.router} [from realMarket, seeds ${r.seeds}]`, kind: 'learned', seeds: r.seeds, passAt1: r.passAt1, costUsd: r.costUsd, runs: r.runs, note: 'tuned on a held-out fold; two folds learned from scratch, so no windows' });
  }
  routing.push(windowRow('knn (BM25, online), ε = 0.1, threshold 0.7 (the knobs most often tuned)', 'learned', await perSeed((s) => new KnnRouter(pool, { exploration: 0.1, threshold: 0.7 }, s)), largest));
  log(`${poolId}: references done`);
  let online: Scored[] = [];
  for (const q of preferences) {
    const routers: PredictorRouter[] = [];
    routing.push(windowRow(`predictor alone, expected utility q=${q} (Thompson)`, 'learned', await perSeed((s) => (routers.push(new PredictorRouter(pool, q, s)), routers[routers.length - 1]!)), largest));
    if (q === 0.5) online = routers.flatMap((r) => r.predictions);
  }
  routing.push(windowRow('predictor alone, expected utility q=0.5 (greedy: no exploration)', 'learned', await perSeed((s) => new PredictorRouter(pool, 0.5, s, 'greedy')), largest));
  routing.push(
    windowRow('predictor alone, expected utility q=0.5 (Thompson), public benchmark prior', 'learned (leaky prior)', await perSeed((s) => new PredictorRouter(pool, 0.5, s, 'thompson', publicPriorsFor(pool), ', public prior')), largest, true, 'the prior is each model’s rate on these same 500 tasks'),
  );
  log(`${poolId}: predictor routing done`);
  const calibration = heldOutCalibration(data, pool, tasks);
  log(`${poolId}: calibration done`);
  const calibratedSale: CalibratedSalePoint[] = [];
  if ((opts.salePools ?? ['mixed']).includes(poolId)) {
    const q = opts.salePreference ?? 0.9;
    const across: [number, number, number[]][] = (opts.qualities ?? SALE_QUALITIES).map((d) => [d, q, [SALE_SEEDS[0]]]);
    const published: [number, number, number[]][] = [...new Set([...(opts.publishedPreferences ?? [0, 0.5, 0.8, 0.95]), q])].sort((a, b) => a - b).map((p) => [PUBLISHED_QUALITY, p, [...SALE_SEEDS]]);
    const plain = new Map<string, CalibratedSalePoint['withoutCalibration']>();
    for (const [quality, preference, saleSeeds] of [...across, ...published]) {
      const key = `${quality}|${saleSeeds.join(',')}`;
      const point = await calibratedSalePoint(data, pool, saleSeeds.map((s) => shuffled(tasks, s)), saleSeeds, quality, preference, plain.get(key));
      plain.set(key, point.withoutCalibration);
      calibratedSale.push(point);
      log(`${poolId}: calibrated sale at d=${quality}, q=${preference}, ${saleSeeds.length} seed(s) done`);
    }
  }
  return { label, models: pool, largest, routing, calibration, onlineCalibration: calibrationOf('bandit router’s own predictions before each run (q=0.5, Thompson, mean p)', online), calibratedSale };
}

export async function benchLearning(opts: LearningOptions = {}): Promise<LearningResults> {
  const data = loadMarket();
  const tasks = opts.tasks ? data.tasks.slice(0, opts.tasks) : data.tasks;
  const seeds = Array.from({ length: opts.seeds ?? 5 }, (_, i) => i + 1);
  const log = opts.log ?? ((): void => undefined);
  const pools: Record<string, LearningPoolResults> = {};
  for (const id of opts.pools ?? ['mixed', 'ladder']) pools[id] = await poolResults(data, id, tasks, seeds, opts, log);
  return { kind: 'learning', label: LEARNING_LABEL, tasks: tasks.length, seeds, window: WINDOW, preferences: opts.preferences ?? [0, 0.5, 0.8, 0.9], pools };
}
