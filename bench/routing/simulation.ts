import { DEFAULT_WEIGHTS } from '../../src/common/auction/weights';
import type { Assumptions } from './assumptions';
import { runRouter, type RouterStats } from './market';
import { alwaysModel, KnnRouter, randomRouter, thresholdRouter, type Router } from './routers';
import { SaleRouter, type SaleVariant } from './saleRouter';
import { generateTasks, poolOf, succeeds, type PoolModel, type SimTask } from './tasks';

/** Routers that read neither the bids' signals nor the memory: their results do not depend on the setting. */
export const BASELINE_ROUTERS = ['always-largest', 'always-smallest', 'random', 'knn', 'cost-threshold'] as const;

/**
 * The SALE configurations: the engine's DEFAULT_WEIGHTS, and a cost weight scaled to this pool's prices (see
 * `priceScaledCostWeight` in assumptions.json), each with and without refinement.
 */
export function saleVariants(a: Assumptions, pool: readonly PoolModel[]): SaleVariant[] {
  // The scaled weight is calibrated for the paper's literal term (price × plan tokens), so it runs in paper mode.
  const scaled = { cost: priceScaledCostWeight(a, pool), costMode: 'paper' as const };
  return [
    { name: 'sale', refinement: true, weights: {} },
    { name: 'sale-no-refinement', refinement: false, weights: {} },
    { name: 'sale-price-scaled', refinement: true, weights: scaled },
    { name: 'sale-price-scaled-no-refinement', refinement: false, weights: scaled },
  ];
}

/**
 * w_c such that the price gap between the largest and smallest model on a mean-length bid (band-share-weighted
 * mean of bidOutputTokensByBand) equals `likertPoints` Likert points from the whole jury (jury weight / 5 each).
 */
export function priceScaledCostWeight(a: Assumptions, pool: readonly PoolModel[]): number {
  const meanBid = a.bandShares.value.reduce((s, share, band) => s + share * a.bidOutputTokensByBand.value[band]!, 0);
  const gap = pool[pool.length - 1]!.pricePerMTok - pool[0]!.pricePerMTok;
  return (a.priceScaledCostWeight.likertPoints * (DEFAULT_WEIGHTS.jury / 5)) / (gap * meanBid);
}

/** One point of the sweep. */
export interface Setting {
  /** Signal noise: 0 = bids' signals track the true chance, 1 = useless. */
  noise: number;
  /** Added to a refiner's chance when memory showed it a similar past success. */
  memoryBoost: number;
}

/** The routers' results at one setting over one task stream. */
export interface SettingResult extends Setting {
  tasks: number;
  routers: Record<string, RouterStats & { auctionsWithoutWinner?: number }>;
  /** Pass rate each model would reach running every task (same draws): the yardstick for the sanity checks. */
  fixedModelPassRates: Record<string, number>;
}

/** A task stream and the pool, built once per (seed, task count) and shared by every router. */
export class Simulation {
  readonly pool: PoolModel[];
  readonly tasks: SimTask[];
  readonly variants: SaleVariant[];
  private readonly cache = new Map<string, Promise<RouterStats & { auctionsWithoutWinner?: number }>>();

  constructor(
    readonly a: Assumptions,
    readonly seed: number,
    taskCount: number,
  ) {
    this.pool = poolOf(a);
    this.tasks = generateTasks(a, this.pool, seed, taskCount);
    this.variants = saleVariants(a, this.pool);
  }

  routerNames(): string[] {
    return [...BASELINE_ROUTERS, ...this.variants.map((v) => v.name)];
  }

  fixedModelPassRates(): Record<string, number> {
    const n = this.tasks.length || 1;
    return Object.fromEntries(this.pool.map((m) => [m.id, this.tasks.filter((t) => succeeds(this.seed, t, m.id, t.chance[m.id] ?? 0)).length / n]));
  }

  /** Runs every router at the setting; results that cannot depend on it are computed once and reused. */
  async run(setting: Setting, only?: readonly string[]): Promise<SettingResult> {
    const routers: SettingResult['routers'] = {};
    for (const name of this.routerNames().filter((r) => !only || only.includes(r))) routers[name] = await this.stats(name, setting);
    return { ...setting, tasks: this.tasks.length, routers, fixedModelPassRates: this.fixedModelPassRates() };
  }

  private stats(name: string, setting: Setting): Promise<RouterStats & { auctionsWithoutWinner?: number }> {
    const variant = this.variants.find((v) => v.name === name);
    // Baselines ignore both knobs; SALE without refinement never reads memory, so the boost cannot reach it.
    const key = !variant ? name : variant.refinement ? `${name}|${setting.noise}|${setting.memoryBoost}` : `${name}|${setting.noise}`;
    let stats = this.cache.get(key);
    if (!stats) {
      stats = this.compute(name, variant, setting);
      this.cache.set(key, stats);
    }
    return stats;
  }

  private async compute(name: string, variant: SaleVariant | undefined, setting: Setting): Promise<RouterStats & { auctionsWithoutWinner?: number }> {
    if (variant) {
      const router = new SaleRouter(this.a, this.pool, this.seed, setting.noise, setting.memoryBoost, variant);
      const stats = await runRouter(router, this.a, this.pool, this.tasks, this.seed);
      return { ...stats, auctionsWithoutWinner: router.fallbacks };
    }
    return runRouter(this.baseline(name), this.a, this.pool, this.tasks, this.seed);
  }

  private baseline(name: string): Router {
    const { a, pool, seed } = this;
    switch (name) {
      case 'always-largest':
        return alwaysModel(name, pool[pool.length - 1]!);
      case 'always-smallest':
        return alwaysModel(name, pool[0]!);
      case 'random':
        return randomRouter(pool, seed);
      case 'knn':
        return new KnnRouter(a, pool, seed);
      case 'cost-threshold':
        return thresholdRouter(a, pool, seed);
      default:
        throw new Error(`unknown router ${name}`);
    }
  }
}
