// Routers whose knobs are tuned, not fixed by hand: two folds per seed. Each fold's knobs are chosen on the OTHER
// fold (held out), the router then runs on this fold from scratch; the two folds' records together cover every task.
import { keyedUniform } from '../routing/random';
import type { MarketData, MarketTask } from './data';
import { figures, Market, runRouter, type Router, type TaskRecord } from './market';
import { alwaysRouter, DifficultyPredictor, KnnRouter, ThresholdRouter, type KnnParams, type ThresholdParams } from './routers';

/** The task order of one seed: a keyed shuffle, so every router sees the same random order. */
export function shuffled(tasks: readonly MarketTask[], seed: number): MarketTask[] {
  return tasks
    .map((t) => ({ t, u: keyedUniform(seed, 'order', t.id) }))
    .sort((a, b) => a.u - b.u)
    .map((x) => x.t);
}

/** The objective both tuned routers use: best pass@1 at no more than half of always-largest's cost on the tuning fold, else the cheapest. */
export function choose<P>(candidates: { params: P; passAt1: number; costUsd: number }[], budgetUsd: number): P {
  const within = candidates.filter((c) => c.costUsd <= budgetUsd).sort((a, b) => b.passAt1 - a.passAt1 || a.costUsd - b.costUsd);
  return (within[0] ?? [...candidates].sort((a, b) => a.costUsd - b.costUsd)[0]!).params;
}

export const KNN_GRID: KnnParams[] = [0, 0.05, 0.1, 0.2].flatMap((exploration) => [0.4, 0.55, 0.7, 0.85].map((threshold) => ({ exploration, threshold })));

async function foldCost(market: Market, fold: readonly MarketTask[], router: Router): Promise<{ passAt1: number; costUsd: number }> {
  const f = figures(await runRouter(router, market, fold, 1), 1, '');
  return { passAt1: f.passAt1, costUsd: f.costUsd };
}

export interface TunedRun {
  records: TaskRecord[];
  /** The knobs chosen for each fold (chosen on the other fold). */
  chosen: unknown[];
}

async function twoFold<P>(
  market: Market,
  order: readonly MarketTask[],
  largest: string,
  tune: (fold: readonly MarketTask[], budget: number) => Promise<P>,
  make: (params: P, trainFold: readonly MarketTask[]) => Router,
): Promise<TunedRun> {
  const half = Math.floor(order.length / 2);
  const folds = [order.slice(0, half), order.slice(half)];
  const records: TaskRecord[] = [];
  const chosen: P[] = [];
  for (const [evalFold, tuneFold] of [
    [folds[1]!, folds[0]!],
    [folds[0]!, folds[1]!],
  ] as const) {
    const budget = (await foldCost(market, tuneFold, alwaysRouter(largest))).costUsd / 2;
    const params = await tune(tuneFold, budget);
    chosen.push(params);
    records.push(...(await runRouter(make(params, tuneFold), market, evalFold, 1)));
  }
  return { records, chosen };
}

/** The kNN router, its exploration and threshold tuned by online (bandit) runs on the held-out fold. */
export function tunedKnn(data: MarketData, pool: readonly string[], order: readonly MarketTask[], seed: number): Promise<TunedRun> {
  const market = new Market(data, pool);
  const largest = pool[pool.length - 1]!;
  return twoFold(
    market,
    order,
    largest,
    async (fold, budget) => {
      const scored = [];
      for (const params of KNN_GRID) scored.push({ params, ...(await foldCost(market, fold, new KnnRouter(pool, params, seed))) });
      return choose(scored, budget);
    },
    (params) => new KnnRouter(pool, params, seed),
  );
}

/** The RouteLLM-style router: difficulty predictor trained on the held-out fold's annotations; weak model and threshold tuned there. */
export function tunedThreshold(data: MarketData, pool: readonly string[], order: readonly MarketTask[]): Promise<TunedRun> {
  const market = new Market(data, pool);
  const largest = pool[pool.length - 1]!;
  return twoFold(
    market,
    order,
    largest,
    async (fold, budget) => {
      const predictor = new DifficultyPredictor(fold);
      const predictions = fold.map((t) => predictor.predict(t)).sort((a, b) => a - b);
      const thresholds = [...new Set([0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1].map((q) => predictions[Math.min(predictions.length - 1, Math.floor(q * predictions.length))]!))];
      thresholds.push(1e9); // never the strong model
      const scored = [];
      for (const weak of pool.slice(0, -1)) {
        for (const threshold of thresholds) {
          const params: ThresholdParams = { weak, strong: largest, threshold };
          scored.push({ params, ...(await foldCost(market, fold, new ThresholdRouter(predictor, params))) });
        }
      }
      return choose(scored, budget);
    },
    (params, trainFold) => new ThresholdRouter(new DifficultyPredictor(trainFold), params),
  );
}
