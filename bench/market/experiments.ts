// One experiment = one router over one seed's task order, as records; plus the AUROC of the modelled signals.
import type { AuctionResult } from '../../src/common/auction/types';
import { auroc } from './auroc';
import type { MarketData, MarketTask, TaskView } from './data';
import { figures, Market, runRouter, type Figures, type TaskRecord } from './market';
import { LIST_PRICES } from './prices';
import { cascadeRouter } from './routers';
import { AuctionScene, MarketModelClient } from './saleClient';
import { SaleRouter, type SaleConfig } from './saleRouter';

/** Measured AUROC of each modelled signal against the recorded outcome of the bid's model. */
export interface SignalAuroc {
  /** One juror's Likert score (pooled over jurors and bids). */
  juror: number;
  /** The bidder's confidence, 1 − normalised entropy (the engine's own computation). */
  entropy: number;
  /** Shorter plan = more likely to succeed (negated plan length). */
  length: number;
  /** The engine's whole value term V (entropy and every juror together), as ranked. */
  value: number;
  bids: number;
}

/** One SALE configuration of the benchmark (the router's own config type). */
export type SaleVariant = SaleConfig;

export interface SaleRun {
  records: TaskRecord[];
  auroc: SignalAuroc;
  fallbacks: number;
  refinedWins: number;
}

/** SALE through the real runAuction, at signal quality `quality`, escalating up to `maxAttempts`. */
export async function runSale(data: MarketData, pool: readonly string[], order: readonly MarketTask[], variant: SaleVariant, quality: number, seed: number, maxAttempts: number): Promise<SaleRun> {
  const scene = new AuctionScene(seed, quality, (t, m) => data.outcomes.get(t)!.get(m)!.resolved);
  const clients = pool.map((id) => new MarketModelClient(id, scene));
  const value: { v: number; y: boolean }[] = [];
  let refinedWins = 0;
  const onAuction = (_task: TaskView, result: AuctionResult): void => {
    const plans = new Map(result.bids.map((b) => [b.id, b.planText]));
    for (const r of result.ranking) {
      const y = scene.resolvedOfPlan(plans.get(r.bidId) ?? '');
      if (y !== undefined) value.push({ v: r.value.term, y });
    }
    if (result.winner?.kind === 'refined') refinedWins++;
  };
  const router = new SaleRouter(variant, pool, clients, onAuction, (id) => scene.begin(id));
  const records = await runRouter(router, new Market(data, pool), order, maxAttempts);
  const draws = [...scene.draws.values()];
  const jurorPairs = draws.flatMap((d) => d.juryScores.map((s) => ({ s, y: d.resolved })));
  return {
    records,
    fallbacks: router.fallbacks,
    refinedWins,
    auroc: {
      juror: auroc(
        jurorPairs.map((p) => p.s),
        jurorPairs.map((p) => p.y),
      ),
      entropy: auroc(
        draws.map((d) => d.confidence),
        draws.map((d) => d.resolved),
      ),
      length: auroc(
        draws.map((d) => -d.planTokens),
        draws.map((d) => d.resolved),
      ),
      value: auroc(
        value.map((p) => p.v),
        value.map((p) => p.y),
      ),
      bids: draws.length,
    },
  };
}

/** Every cascade of two or three pool models, cheapest list price first, each with its figures (deterministic). */
export async function allCascades(data: MarketData, pool: readonly string[], tasks: readonly MarketTask[], largest: string): Promise<{ models: string[]; figures: Figures }[]> {
  const byPrice = [...pool].sort((a, b) => LIST_PRICES[a]!.outputPerMTok - LIST_PRICES[b]!.outputPerMTok || (a < b ? -1 : 1));
  const combos: string[][] = [];
  for (let i = 0; i < byPrice.length; i++) {
    for (let j = i + 1; j < byPrice.length; j++) {
      combos.push([byPrice[i]!, byPrice[j]!]);
      for (let k = j + 1; k < byPrice.length; k++) combos.push([byPrice[i]!, byPrice[j]!, byPrice[k]!]);
    }
  }
  const market = new Market(data, pool);
  const out = [];
  for (const models of combos) out.push({ models, figures: figures(await runRouter(cascadeRouter(models), market, tasks, models.length), models.length, largest) });
  return out;
}

/** The Pareto front (higher resolved, lower cost) of a set of points. */
export function paretoFront<T extends { resolved: number; costUsd: number }>(points: readonly T[]): T[] {
  return [...points]
    .sort((a, b) => a.costUsd - b.costUsd || b.resolved - a.resolved)
    .filter((p, i, all) => all.slice(0, i).every((q) => q.resolved < p.resolved));
}
