// Mean and spread over seeds, and the per-pool rows the tables and results.json show.
import type { Difficulty } from './data';
import { figures, type TaskRecord } from './market';

export interface Stat {
  mean: number;
  /** Sample standard deviation over seeds (0 for one seed or a deterministic router). */
  sd: number;
  min: number;
  max: number;
}

export function stat(xs: readonly number[]): Stat {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
}

/** Difficulty buckets of the tables: the annotations' two longest buckets (42 + 3 tasks) are merged. */
export const BUCKETS = ['<15 min', '15 min-1 h', '>=1 h'] as const;
export type Bucket = (typeof BUCKETS)[number];

export function bucketOf(d: Difficulty): Bucket {
  return d === '<15 min fix' ? '<15 min' : d === '15 min - 1 hour' ? '15 min-1 h' : '>=1 h';
}

/** One router's row: every figure as mean and spread over the seeds it ran. */
export interface Row {
  router: string;
  /** 'pass@1' rows count only the first attempt; 'within-k' rows let a perfect checker ask for up to k attempts. */
  metric: 'pass@1' | 'within-k';
  k: number;
  /** How the router decides; 'limit' reads the outcomes (the oracle), 'modelled-signals' is SALE. */
  kind: 'fixed' | 'limit' | 'cascade' | 'learned' | 'modelled-signals';
  seeds: number;
  passAt1: Stat;
  resolved: Stat;
  costUsd: Stat;
  meanAttempts: Stat;
  failedUsd: Stat;
  largestShare: Stat;
  auctionUsd: Stat;
  /** Auction dollars as a share of execution dollars. */
  auctionShare: Stat;
  /** Mean cost over always-largest's cost. */
  costVsLargest: number;
  /** Mean over seeds, per difficulty bucket. */
  byBucket: Record<Bucket, { tasks: number; passAt1: number; resolved: number; costUsd: number }>;
  /** Runs per model, summed over seeds. */
  runs: Record<string, number>;
  note?: string;
}

export function row(router: string, kind: Row['kind'], perSeed: readonly TaskRecord[][], k: number, largest: string, largestCost: number, note?: string): Row {
  const fs = perSeed.map((r) => figures(r, k, largest));
  const runs: Record<string, number> = {};
  for (const f of fs) for (const [m, n] of Object.entries(f.runs)) runs[m] = (runs[m] ?? 0) + n;
  const byBucket = Object.fromEntries(
    BUCKETS.map((b) => {
      const parts = perSeed.map((r) => figures(r.filter((t) => bucketOf(t.difficulty) === b), k, largest));
      return [b, { tasks: parts[0]?.tasks ?? 0, passAt1: stat(parts.map((p) => p.passAt1)).mean, resolved: stat(parts.map((p) => p.resolved)).mean, costUsd: stat(parts.map((p) => p.costUsd)).mean }];
    }),
  ) as Row['byBucket'];
  const cost = stat(fs.map((f) => f.costUsd));
  return {
    router,
    metric: k === 1 ? 'pass@1' : 'within-k',
    k,
    kind,
    seeds: perSeed.length,
    passAt1: stat(fs.map((f) => f.passAt1)),
    resolved: stat(fs.map((f) => f.resolved)),
    costUsd: cost,
    meanAttempts: stat(fs.map((f) => f.meanAttempts)),
    failedUsd: stat(fs.map((f) => f.failedUsd)),
    largestShare: stat(fs.map((f) => f.largestShare)),
    auctionUsd: stat(fs.map((f) => f.decisionUsd)),
    auctionShare: stat(fs.map((f) => (f.executionUsd ? f.decisionUsd / f.executionUsd : 0))),
    costVsLargest: largestCost ? cost.mean / largestCost : 0,
    byBucket,
    runs,
    ...(note ? { note } : {}),
  };
}
