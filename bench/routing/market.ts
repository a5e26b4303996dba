import type { Assumptions } from './assumptions';
import type { Router } from './routers';
import { executionTokens, succeeds, type PoolModel, type SimTask } from './tasks';

/** What one router did over the task stream. Plain JSON. */
export interface RouterStats {
  tasks: number;
  /** Share of tasks whose run succeeded. */
  passRate: number;
  /** Total dollars: execution plus, for SALE, every bidding, jury and refinement call. */
  cost: number;
  executionUsd: number;
  auctionUsd: number;
  /** Share of runs by the largest model. */
  largestShare: number;
  /** Runs per model id. */
  executions: Record<string, number>;
  /** Auction tokens (input + output) as a share of execution tokens; 0 for routers that hold no auction. */
  auctionTokenShare: number;
  /** Share of runs by every model but the largest, per window of tasks over the first `horizon` tasks. */
  smallShareByWindow: number[];
  /** Share of SALE wins that were refined bids (0 for other routers). */
  refinedWinShare: number;
  /** A digest of the tasks the router saw, in order: equal digests = the same stream. */
  streamDigest: string;
}

/**
 * Runs a router over the task stream: route, execute (the run succeeds with the decision's true chance against
 * the shared draw of that task and model), charge execution at the model's price, tell the router the outcome.
 */
export async function runRouter(router: Router, a: Assumptions, pool: readonly PoolModel[], tasks: readonly SimTask[], seed: number): Promise<RouterStats> {
  const price = new Map(pool.map((m) => [m.id, m.pricePerMTok]));
  const largest = pool[pool.length - 1]!.id;
  const executions: Record<string, number> = Object.fromEntries(pool.map((m) => [m.id, 0]));
  const { window, horizon } = a.reporting;
  const windows: { small: number; all: number }[] = [];
  let passed = 0;
  let executionUsd = 0;
  let auctionUsd = 0;
  let executionTok = 0;
  let auctionTok = 0;
  let refinedWins = 0;
  let auctions = 0;
  let digest = 0;

  for (const task of tasks) {
    const decision = await router.route(task);
    const ok = succeeds(seed, task, decision.modelId, decision.chance);
    const tok = executionTokens(a, task);
    executions[decision.modelId] = (executions[decision.modelId] ?? 0) + 1;
    passed += ok ? 1 : 0;
    executionUsd += ((tok.input + tok.output) * (price.get(decision.modelId) ?? 0)) / 1e6;
    executionTok += tok.input + tok.output;
    if (decision.auction) {
      auctions++;
      auctionUsd += decision.auction.usd;
      auctionTok += decision.auction.inputTokens + decision.auction.outputTokens;
      refinedWins += decision.auction.refinedWinner ? 1 : 0;
    }
    if (task.index < horizon) {
      const w = (windows[Math.floor(task.index / window)] ??= { small: 0, all: 0 });
      w.all++;
      w.small += decision.modelId === largest ? 0 : 1;
    }
    digest = (Math.imul(digest, 31) + task.index * 7919 + Math.round(task.complexity * 1e6) + task.text.length) >>> 0;
    router.observe?.(task, decision, ok);
  }

  const n = tasks.length;
  return {
    tasks: n,
    passRate: n ? passed / n : 0,
    cost: executionUsd + auctionUsd,
    executionUsd,
    auctionUsd,
    largestShare: n ? (executions[largest] ?? 0) / n : 0,
    executions,
    auctionTokenShare: executionTok ? auctionTok / executionTok : 0,
    smallShareByWindow: windows.map((w) => w.small / w.all),
    refinedWinShare: auctions ? refinedWins / auctions : 0,
    streamDigest: digest.toString(16).padStart(8, '0'),
  };
}
