// `npm run bench:routing`: routing on a REAL market. 500 SWE-bench Verified tasks, each model's recorded outcome
// and cost (bench/data/swebench-verified-market). Only the bid signals are modelled (signals.ts), swept in quality
// and labelled; the auction itself is the real runAuction, its calls charged at list prices.
import { DEFAULT_WEIGHTS, PAPER_COST_WEIGHT, type AuctionWeights } from '../../src/common/auction/weights';
import type { JuryConfig } from '../../src/common/auction/types';
import { choosePanel } from '../../src/common/auction/adaptive';
import { DEFAULT_PANEL_SIZE } from '../../src/common/auction/config';
import { AuctionScene, MarketModelClient } from './saleClient';
import { loadMarket, type MarketData, type MarketTask } from './data';
import { runSale, allCascades, paretoFront, type SaleRun, type SaleVariant, type SignalAuroc } from './experiments';
import { figures, Market, runRouter } from './market';
import { AUCTION_TOKENS, LIST_PRICES, LIST_PRICES_AS_OF, POOLS, largestOf } from './prices';
import { alwaysRouter, LearnedEscalationRouter, oracle } from './routers';
import { QUALITY_SWEEP, SHARED_NOISE } from './signals';
import { bestWithin, signalLimit, signalNames, type LimitPoint, type LimitPrior } from './signalLimit';
import { row, stat, type Row, type Stat } from './stats';
import { shuffled, tunedKnn, tunedThreshold } from './tune';

/** The signal quality d whose single signals' AUROC lies in the range published studies report (see README). */
export const PUBLISHED_QUALITY = 0.5;
/** AUROC of LLM self-assessment as published (bench/market/README.md cites the studies). */
export const PUBLISHED_AUROC_RANGE: readonly [number, number] = [0.52, 0.65];
/** Escalation depth of the "within k" rows. */
export const K = 3;

export interface MarketOptions {
  seeds?: number;
  /** Seeds per point of the quality and cost-weight sweeps (default 1). */
  sweepSeeds?: number;
  pools?: string[];
  /** Skip the sweeps (tests). */
  sweeps?: boolean;
  /** Use only the first n tasks of the data (tests); every figure then covers only them. */
  tasks?: number;
  /** One more SALE configuration per pool beside the built-in ones (other weights, another jury), same seeds and quality. */
  custom?: (pool: readonly string[]) => SaleVariant;
  log?: (line: string) => void;
}

export interface SweepPoint {
  quality: number;
  jury: string;
  costWeight: number;
  /** What the cost term priced (`work`: expected execution relative to the pool; `paper`: the plan). */
  costMode: 'work' | 'paper';
  auroc: SignalAuroc;
  passAt1: Stat;
  costUsd: Stat;
  auctionUsd: Stat;
  resolvedWithinK: Stat;
  costWithinK: Stat;
  attemptsWithinK: Stat;
}

export interface PoolResults {
  label: string;
  models: string[];
  largest: string;
  alwaysLargest: { passAt1: number; costUsd: number };
  /** pass@1 rows (first attempt only). */
  passAt1: Row[];
  /** resolved-within-k rows (a perfect checker, every attempt paid). */
  withinK: Row[];
  cascadeFront: { models: string[]; resolved: number; costUsd: number; meanAttempts: number }[];
  qualitySweep: SweepPoint[];
  costWeightSweep: SweepPoint[];
  tuned: Record<string, unknown[]>;
  /** A generous reference policy reading the modelled signals (signalLimit.ts): not a router, not a proven bound. */
  signalLimit: SignalLimitResults;
}

/** The best the signals allow at each swept quality, within the target's budget (half of always-largest). */
export interface SignalLimitResults {
  /** The signals read per bid: the bidder's entropy and plan length, and the shipped panel's jurors. */
  signals: string[];
  budgetUsd: number;
  /** The shipped SALE row's measured auction dollars (mean over seeds). */
  saleAuctionUsd: number;
  rows: {
    quality: number;
    prior: string;
    /** Bids read per model: 1, or 2 as if every model bid twice (then the auction is counted twice). */
    draws: 1 | 2;
    /** The auction dollars `withSaleAuction` pays: SALE's, or twice them for two draws (the bids are nearly all of it). */
    auctionUsd: number;
    /** Best pass@1 within the budget (every seed) when the auction costs nothing. */
    freeAuction?: LimitPoint;
    /** Best pass@1 within the budget (every seed) after paying `auctionUsd`. */
    withSaleAuction?: LimitPoint;
  }[];
  /** The whole λ sweep at the published quality with known rates (pass@1 against execution dollars). */
  frontier: LimitPoint[];
}

export interface RealMarketResults {
  kind: 'real-market';
  label: string;
  data: string;
  tasks: number;
  seeds: number[];
  sweepSeeds: number[];
  shippedWeights: typeof DEFAULT_WEIGHTS;
  publishedQuality: number;
  publishedAurocRange: readonly [number, number];
  qualitySweep: readonly number[];
  sharedNoise: number;
  listPrices: typeof LIST_PRICES;
  listPricesAsOf: string;
  auctionTokens: typeof AUCTION_TOKENS;
  pools: Record<string, PoolResults>;
}

export const MARKET_LABEL =
  'REAL outcomes and execution costs (SWE-bench bash-only leaderboard, 500 Verified tasks); bid signals MODELLED as noisy functions of the recorded outcome (quality swept, AUROC measured); auction calls priced at list prices for assumed token counts; the auction is the real runAuction';

/** The engine's `subset` jury of the pool models whose output list price is at most $2/Mtok. */
export function cheapJury(pool: readonly string[]): JuryConfig {
  return { mode: 'subset', jurors: pool.filter((m) => LIST_PRICES[m]!.outputPerMTok <= 2) };
}

function saleVariants(): SaleVariant[] {
  return [
    { name: 'sale (shipped defaults: work cost, batched jury panel of 3, overhead cap 10%, refinement)', refinement: true, weights: {} },
    { name: 'sale without refinement', refinement: false, weights: {} },
    { name: "sale at the providers' default reasoning (sale.auction.reasoningEffort: default)", refinement: true, weights: {}, reasoningEffort: 'default' },
    { name: 'sale without the overhead cap', refinement: true, weights: {}, noOverheadCap: true },
    { name: 'sale, batched jury of all, no overhead cap', refinement: true, weights: {}, jury: { mode: 'all' }, noOverheadCap: true },
    {
      name: `sale, previous defaults (paper cost ${PAPER_COST_WEIGHT}, per-bid jury of all, no cap)`,
      refinement: true,
      weights: { cost: PAPER_COST_WEIGHT, costMode: 'paper' },
      jury: { mode: 'all', style: 'per-bid' },
      noOverheadCap: true,
    },
  ];
}

async function poolResults(data: MarketData, poolId: string, tasks: MarketTask[], seeds: number[], sweepSeeds: number[], opts: MarketOptions, log: (l: string) => void): Promise<PoolResults> {
  const sweeps = opts.sweeps ?? true;
  const { label, models } = POOLS[poolId]!;
  const pool = [...models];
  const largest = largestOf(pool);
  const market = new Market(data, pool);
  const orders = seeds.map((s) => shuffled(tasks, s));
  const largestRecords = await runRouter(alwaysRouter(largest), market, tasks, 1);
  const largestFig = figures(largestRecords, 1, largest);
  const mk = (name: string, kind: Row['kind'], perSeed: Parameters<typeof row>[2], k: number, note?: string): Row => row(name, kind, perSeed, k, largest, largestFig.costUsd, note);

  const passAt1: Row[] = [];
  const withinK: Row[] = [];
  for (const m of pool) passAt1.push(mk(`always ${m}`, 'fixed', [await runRouter(alwaysRouter(m), market, tasks, 1)], 1));
  const o = oracle(data, pool, tasks, largest);
  passAt1.push(mk('oracle (reads outcomes: the limit)', 'limit', [o.records], 1));
  withinK.push(mk('oracle (reads outcomes: the limit)', 'limit', [o.records], 1));

  const tuned: Record<string, unknown[]> = { knn: [], threshold: [] };
  const knn = [];
  const thr = [];
  for (let i = 0; i < seeds.length; i++) {
    const k = await tunedKnn(data, pool, orders[i]!, seeds[i]!);
    knn.push(k.records);
    tuned.knn!.push(k.chosen);
    const t = await tunedThreshold(data, pool, orders[i]!);
    thr.push(t.records);
    tuned.threshold!.push(t.chosen);
  }
  passAt1.push(mk('knn (BM25, online bandit; tuned on held-out fold)', 'learned', knn, 1));
  passAt1.push(mk('difficulty threshold (RouteLLM-style; tuned on held-out fold)', 'learned', thr, 1));
  log(`${poolId}: baselines done`);

  // One run per depth: a k=3 run must not learn from fourth attempts it would never have paid for.
  for (const k of [K, K + 1]) {
    const learned = [];
    for (const order of orders) learned.push(await runRouter(new LearnedEscalationRouter(pool), market, order, k));
    if (k === K) passAt1.push(mk('learned escalation, first attempt only', 'learned', learned, 1));
    withinK.push(mk(`learned escalation (BM25, no auction), k=${k}`, 'learned', learned, k));
  }

  for (const v of [...saleVariants(), ...(opts.custom ? [opts.custom(pool)] : [])]) {
    const runs = [];
    for (let i = 0; i < seeds.length; i++) runs.push(await runSale(data, pool, orders[i]!, v, PUBLISHED_QUALITY, seeds[i]!, K));
    const note = `modelled signals at d=${PUBLISHED_QUALITY}: single-juror AUROC ${stat(runs.map((r) => r.auroc.juror)).mean.toFixed(3)}, value-term AUROC ${stat(runs.map((r) => r.auroc.value)).mean.toFixed(3)}; fallbacks ${runs.reduce((s, r) => s + r.fallbacks, 0)}; refined winners ${runs.reduce((s, r) => s + r.refinedWins, 0)}`;
    passAt1.push(mk(v.name, 'modelled-signals', runs.map((r) => r.records), 1, note));
    withinK.push(mk(`${v.name} + escalation, k=${K}`, 'modelled-signals', runs.map((r) => r.records), K, note));
    log(`${poolId}: ${v.name} done`);
  }

  const cascades = await allCascades(data, pool, tasks, largest);
  const front = paretoFront(cascades.map((c) => ({ models: c.models, resolved: c.figures.resolved, costUsd: c.figures.costUsd, meanAttempts: c.figures.meanAttempts })));
  const cascadeMarket = new Market(data, pool);
  for (const c of front) {
    const recs = await runRouter({ name: 'cascade', solve: (_t, exec) => { for (const m of c.models) if (exec.run(m).resolved) break; return Promise.resolve(undefined); } }, cascadeMarket, tasks, c.models.length);
    withinK.push(mk(`cascade ${c.models.join(' > ')} (front)`, 'cascade', [recs], c.models.length));
  }

  const qualitySweep: SweepPoint[] = [];
  const costWeightSweep: SweepPoint[] = [];
  if (sweeps) {
    const sweepOrders = sweepSeeds.map((s) => shuffled(tasks, s));
    const point = async (quality: number, jury: string, v: SaleVariant): Promise<SweepPoint> => {
      const runs: SaleRun[] = [];
      for (let i = 0; i < sweepSeeds.length; i++) runs.push(await runSale(data, pool, sweepOrders[i]!, v, quality, sweepSeeds[i]!, K));
      const f1 = runs.map((r) => figures(r.records, 1, largest));
      const fk = runs.map((r) => figures(r.records, K, largest));
      const mean = (pick: (a: SignalAuroc) => number): number => stat(runs.map((r) => pick(r.auroc))).mean;
      return {
        quality,
        jury,
        costWeight: v.weights.cost ?? DEFAULT_WEIGHTS.cost,
        costMode: v.weights.costMode ?? DEFAULT_WEIGHTS.costMode ?? 'work',
        auroc: { juror: mean((a) => a.juror), entropy: mean((a) => a.entropy), length: mean((a) => a.length), value: mean((a) => a.value), bids: runs[0]!.auroc.bids },
        passAt1: stat(f1.map((f) => f.passAt1)),
        costUsd: stat(f1.map((f) => f.costUsd)),
        auctionUsd: stat(f1.map((f) => f.decisionUsd)),
        resolvedWithinK: stat(fk.map((f) => f.resolved)),
        costWithinK: stat(fk.map((f) => f.costUsd)),
        attemptsWithinK: stat(fk.map((f) => f.meanAttempts)),
      };
    };
    const juries: [string, SaleVariant][] = [
      ['panel', { name: 'sweep', refinement: false, weights: {} }],
      ['cheap', { name: 'sweep', refinement: false, weights: {}, jury: cheapJury(pool) }],
    ];
    for (const quality of QUALITY_SWEEP) for (const [jury, v] of juries) qualitySweep.push(await point(quality, jury, v));
    log(`${poolId}: quality sweep done`);
    // The `work` weight around the default, and the paper's literal term at its old default for comparison.
    const costWeights: Partial<AuctionWeights>[] = [...[0, 0.1, DEFAULT_WEIGHTS.cost, 0.5, 1, 2].map((cost) => ({ cost, costMode: 'work' as const })), { cost: PAPER_COST_WEIGHT, costMode: 'paper' }];
    for (const weights of costWeights) {
      for (const [jury, v] of juries) costWeightSweep.push(await point(PUBLISHED_QUALITY, jury, { ...v, weights }));
    }
    log(`${poolId}: cost-weight sweep done`);
  }

  const limit = limitResults(data, pool, tasks, seeds, largestFig.costUsd / 2, passAt1, sweeps ? QUALITY_SWEEP : [PUBLISHED_QUALITY]);
  log(`${poolId}: signal limit done`);

  return {
    label,
    models: pool,
    largest,
    alwaysLargest: { passAt1: largestFig.passAt1, costUsd: largestFig.costUsd },
    passAt1,
    withinK,
    cascadeFront: front,
    qualitySweep,
    costWeightSweep,
    tuned,
    signalLimit: limit,
  };
}

function limitResults(data: MarketData, pool: readonly string[], tasks: readonly MarketTask[], seeds: readonly number[], budgetUsd: number, passAt1: readonly Row[], qualities: readonly number[]): SignalLimitResults {
  // The shipped panel, chosen by the engine's own rule (config.ts DEFAULT_JURY → adaptive.ts choosePanel).
  const scene = new AuctionScene(0, 0, () => false);
  const jurors = choosePanel(pool.map((m) => new MarketModelClient(m, scene)), DEFAULT_PANEL_SIZE).map((c) => c.spec.id);
  const signals = signalNames(jurors);
  const saleAuctionUsd = passAt1.find((r) => r.kind === 'modelled-signals')?.auctionUsd.mean ?? 0;
  const rows: SignalLimitResults['rows'] = [];
  let frontier: LimitPoint[] = [];
  const add = (quality: number, prior: LimitPrior, draws: 1 | 2): void => {
    const limit = signalLimit(data, pool, tasks, quality, signals, seeds, prior, draws);
    if (quality === PUBLISHED_QUALITY && prior === 'known' && draws === 1) frontier = limit.points;
    const auctionUsd = saleAuctionUsd * draws;
    const free = bestWithin(limit, budgetUsd, 0);
    const paid = bestWithin(limit, budgetUsd, auctionUsd);
    rows.push({ quality, prior: limit.prior, draws, auctionUsd, ...(free ? { freeAuction: free } : {}), ...(paid ? { withSaleAuction: paid } : {}) });
  };
  for (const quality of qualities) for (const prior of ['known', 'learned', 'pool'] as const) add(quality, prior, 1);
  for (const prior of ['known', 'learned'] as const) add(PUBLISHED_QUALITY, prior, 2);
  return { signals, budgetUsd, saleAuctionUsd, rows, frontier };
}

export async function benchRealMarket(opts: MarketOptions = {}): Promise<RealMarketResults> {
  const data = loadMarket();
  const tasks = opts.tasks ? data.tasks.slice(0, opts.tasks) : data.tasks;
  const seeds = Array.from({ length: opts.seeds ?? 3 }, (_, i) => i + 1);
  const sweepSeeds = Array.from({ length: opts.sweepSeeds ?? 1 }, (_, i) => 101 + i);
  const log = opts.log ?? ((): void => undefined);
  const pools: Record<string, PoolResults> = {};
  for (const id of opts.pools ?? Object.keys(POOLS)) pools[id] = await poolResults(data, id, tasks, seeds, sweepSeeds, opts, log);
  return {
    kind: 'real-market',
    label: MARKET_LABEL,
    data: 'bench/data/swebench-verified-market (README.md there: sources and licences)',
    tasks: tasks.length,
    seeds,
    sweepSeeds,
    shippedWeights: { ...DEFAULT_WEIGHTS },
    publishedQuality: PUBLISHED_QUALITY,
    publishedAurocRange: PUBLISHED_AUROC_RANGE,
    qualitySweep: QUALITY_SWEEP,
    sharedNoise: SHARED_NOISE,
    listPrices: LIST_PRICES,
    listPricesAsOf: LIST_PRICES_AS_OF,
    auctionTokens: AUCTION_TOKENS,
    pools,
  };
}
