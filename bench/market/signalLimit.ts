// A REFERENCE POLICY, not a router and not a proven bound: the best a router could do with each pool model's
// ORIGINAL bid signals, read exactly. For every task and pool model it takes the very draws the auction's clients
// answer with (signals.ts `latent`, same seed and keys: the bidder's entropy and plan length and the shipped panel's
// jurors' scores) and decides with the exact posterior of the signal model:
//
//   P(m resolves t | signals) = σ(logit π_m + d·z̄ / σ²),   z̄ the mean of the bid's k latents, σ² = s + (1 − s)/k
//
// (the mean is sufficient: every latent shifts by the same d and the noise is exchangeable). π_m is the model's
// resolve rate ON THESE VERY TASKS (known in advance: no router can know it), the pool's mean rate for every model
// (no track record), or each model's rate learned from the runs the policy itself paid for (bandit feedback). It is
// generous: it reads the latents before the engine rounds them, every juror scores every bid, and each model's mean
// run cost is known in advance. It is not a bound: a router could also use a second draw of a model (SALE's refined
// bids are fresh draws here; `draws: 2` reads one per model, as if every model bid twice), the other models' signals
// (outcomes are correlated across models) or the task text. It picks argmax P − λ·c̄_m for λ swept from 0 upward and
// pays the chosen model's recorded run; it holds no auction: `bestWithin` subtracts an auction's dollars.
import type { MarketData, MarketTask } from './data';
import { bidKey, latent, SHARED_NOISE, type SignalName } from './signals';
import { stat, type Stat } from './stats';
import { shuffled } from './tune';

export interface LimitPoint {
  /** Dollars of expected run cost one unit of success probability is worth giving up (0 = chance alone). */
  lambda: number;
  passAt1: Stat;
  executionUsd: Stat;
}

/** Where the limit's model rates π_m come from. */
export type LimitPrior = 'known' | 'pool' | 'learned';

export const PRIOR_LABELS: Readonly<Record<LimitPrior, string>> = {
  known: 'rates on these tasks (known in advance)',
  pool: 'pool mean rate (no track record)',
  learned: 'rates learned from its own paid runs',
};

/** The shipped neutral prior (src/common/learning/priors.ts): where the `learned` limit's rates start. */
const NEUTRAL = { mean: 0.5, strength: 2 };

export interface SignalLimit {
  quality: number;
  /** The signals read per bid (entropy, length, the named jurors). */
  signals: string[];
  prior: string;
  /** Draws read per model: 1 (its bid), 2 (a second, independent bid: as if every model bid twice). */
  draws: 1 | 2;
  /** The points of the λ sweep (mean over seeds), dearest first. */
  points: LimitPoint[];
}

/** λ from 0 up: below ~0.01 the chance alone decides, above ~5 the cheapest model always wins. */
export const LAMBDAS: readonly number[] = [0, ...Array.from({ length: 40 }, (_, i) => 0.005 * Math.pow(1000, i / 39))];

/** The signals the shipped auction draws for one bid when `jurors` judge it. */
export function signalNames(jurors: readonly string[]): SignalName[] {
  return ['entropy', 'length', ...jurors.map((j): SignalName => `juror:${j}`)];
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The signal limit on `tasks` for one quality, prior and signal set, over `seeds`. With the `learned` prior the
 * tasks come in the seed's order (tune.ts `shuffled`, as every router gets them) and each model's rate is a Beta
 * from the neutral prior updated by the outcomes of the runs this limit chose (bandit feedback, as a workspace
 * learns); the other priors do not depend on the order.
 */
export function signalLimit(data: MarketData, pool: readonly string[], tasks: readonly MarketTask[], quality: number, signals: readonly SignalName[], seeds: readonly number[], prior: LimitPrior, draws: 1 | 2 = 1): SignalLimit {
  const outcome = (t: MarketTask, m: string) => data.outcomes.get(t.id)!.get(m)!;
  const rate = pool.map((m) => tasks.filter((t) => outcome(t, m).resolved).length / tasks.length);
  const poolRate = rate.reduce((a, b) => a + b, 0) / pool.length;
  const meanCost = pool.map((m) => tasks.reduce((s, t) => s + outcome(t, m).costUsd, 0) / tasks.length);
  const variance = SHARED_NOISE + (1 - SHARED_NOISE) / signals.length;
  const clampP = (p: number): number => Math.min(1 - 1e-6, Math.max(1e-6, p));

  const perLambda = LAMBDAS.map(() => ({ pass: [] as number[], usd: [] as number[] }));
  for (const seed of seeds) {
    const order = prior === 'learned' ? shuffled([...tasks], seed) : tasks;
    // The signals' log-likelihood ratio per task and model, drawn once per seed and read by every λ.
    const evidence = order.map((t) =>
      pool.map((m) => {
        const o = outcome(t, m);
        const kinds = draws === 2 ? (['original', 'refined'] as const) : (['original'] as const);
        // Each draw has its own shared noise (a fresh bid): their log-likelihood ratios add.
        return kinds.reduce((llr, kind) => {
          const key = bidKey(t.id, m, kind);
          const mean = signals.reduce((sum, name) => sum + latent(seed, quality, o.resolved, key, name), 0) / signals.length;
          return llr + (quality * mean) / variance;
        }, 0);
      }),
    );
    LAMBDAS.forEach((lambda, li) => {
      const wins = pool.map(() => 0);
      const runs = pool.map(() => 0);
      let resolved = 0;
      let usd = 0;
      order.forEach((t, ti) => {
        let best = 0;
        let bestUtility = -Infinity;
        pool.forEach((_m, mi) => {
          const pi = prior === 'known' ? rate[mi]! : prior === 'pool' ? poolRate : (NEUTRAL.strength * NEUTRAL.mean + wins[mi]!) / (NEUTRAL.strength + runs[mi]!);
          const u = sigmoid(logit(clampP(pi)) + evidence[ti]![mi]!) - lambda * meanCost[mi]!;
          if (u > bestUtility) [best, bestUtility] = [mi, u];
        });
        const o = outcome(t, pool[best]!);
        resolved += o.resolved ? 1 : 0;
        usd += o.costUsd;
        runs[best]!++;
        if (o.resolved) wins[best]!++;
      });
      perLambda[li]!.pass.push(resolved / tasks.length);
      perLambda[li]!.usd.push(usd);
    });
  }
  return {
    quality,
    signals: [...signals],
    prior: PRIOR_LABELS[prior],
    draws,
    points: LAMBDAS.map((lambda, i) => ({ lambda, passAt1: stat(perLambda[i]!.pass), executionUsd: stat(perLambda[i]!.usd) })),
  };
}

/**
 * The policy's best pass@1 (mean over seeds) whose execution plus `auctionUsd` stays within `budgetUsd` in EVERY
 * seed, not only on average; undefined when none does.
 */
export function bestWithin(limit: SignalLimit, budgetUsd: number, auctionUsd: number): LimitPoint | undefined {
  let best: LimitPoint | undefined;
  for (const p of limit.points) {
    if (p.executionUsd.max + auctionUsd > budgetUsd) continue;
    if (!best || p.passAt1.mean > best.passAt1.mean) best = p;
  }
  return best;
}
