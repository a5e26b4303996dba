// SALE as a router on the real market: every task goes through the REAL `runAuction` (src/common/auction) over
// the benchmark's model clients. The winner's model runs first; with escalation, when the checker says the run
// failed, the next-ranked bid of a model not yet tried runs, up to the executor's attempt limit. The auction is
// held once per task and its dollars (as the engine reports them) are charged to the router.
import type { AuctionMemoryPort, ContrastivePair, PairQuery } from '../../src/common/auction/memoryPort';
import { runAuction } from '../../src/common/auction/engine';
import type { AuctionDeps, AuctionReasoningEffort, AuctionResult, JuryConfig } from '../../src/common/auction/types';
import type { AuctionWeights } from '../../src/common/auction/weights';
import type { ModelCapabilities, ModelClient } from '../../src/common/providers/types';
import type { TaskView } from './data';
import type { DecisionCost, Executor, Router } from './market';
import { MarketHistory } from './marketHistory';
import { Bm25 } from './text';
import { MarketTrackRecord } from './trackRecord';

/** One SALE configuration. Empty weights = the engine's shipped DEFAULT_WEIGHTS. */
export interface SaleConfig {
  name: string;
  refinement: boolean;
  weights: Partial<AuctionWeights>;
  jury?: JuryConfig;
  /** Run without VS Code's overhead cap (`sale.auction.maxOverheadShare`), as SALE did before it existed. */
  noOverheadCap?: boolean;
  /** `sale.auction.reasoningEffort`; absent = the shipped default (`low`). */
  reasoningEffort?: AuctionReasoningEffort;
}

/** `sale.auction.maxOverheadShare`'s default: the extension asks every auction for this cap. */
export const SHIPPED_OVERHEAD_SHARE = 0.1;

// The benchmark's clients return logprobs and answer in the prompted JSON.
const CAPABILITIES: ModelCapabilities = { streaming: false, tools: false, structuredOutput: false, logprobs: true, embeddings: false, probedAt: '2026-01-01T00:00:00Z' };

interface PastAuction {
  auctionId: string;
  ranked: { bidId: string; modelId: string; plan: string }[];
  winnerBidId: string;
  task: string;
  /** The first run's outcome: the only one this router paid to learn. */
  passed: boolean;
}

/**
 * SALE's auction memory in the benchmark: past auctions of this router with what happened to the winner's run.
 * Similar past tasks by BM25 over their problem texts; pairs prefer the asking model's own losing bid.
 */
export class MarketMemory implements AuctionMemoryPort {
  private readonly index = new Bm25();
  private readonly past = new Map<string, PastAuction>();

  contrastivePairs(query: PairQuery): Promise<{ pairs: ContrastivePair[]; method: 'embedding' | 'lexical' }> {
    const hits = this.index.search(query.task, query.k);
    const pairs = hits.flatMap((h): ContrastivePair[] => {
      const p = this.past.get(h.id)!;
      const winner = p.ranked.find((b) => b.bidId === p.winnerBidId);
      const losing = p.ranked.find((b) => b.modelId === query.modelId && b.bidId !== p.winnerBidId) ?? p.ranked.find((b) => b.bidId !== p.winnerBidId);
      if (!winner || !losing) return [];
      const similarity = Math.min(1, h.score / 50);
      return [{ auctionId: p.auctionId, pastTask: p.task, similarity, losing: { modelId: losing.modelId, plan: losing.plan }, winning: { modelId: winner.modelId, plan: winner.plan }, winnerOutcome: p.passed ? 'tests-passed' : 'tests-failed' }];
    });
    return Promise.resolve({ pairs, method: 'lexical' });
  }

  remember(task: TaskView, result: AuctionResult, passed: boolean): void {
    if (!result.winner) return;
    const plans = new Map(result.bids.map((b) => [b.id, b.planText]));
    this.past.set(task.id, {
      auctionId: result.auctionId,
      task: task.text,
      ranked: result.ranking.map((r) => ({ bidId: r.bidId, modelId: r.modelId, plan: plans.get(r.bidId) ?? '' })),
      winnerBidId: result.winner.bidId,
      passed,
    });
    this.index.add(task.id, task.text);
  }
}

export class SaleRouter implements Router {
  readonly name: string;
  private readonly memory = new MarketMemory();
  /** What this router's own paid runs cost (bandit feedback), for the `work` cost term. */
  private readonly history = new MarketHistory();
  /** What its own paid runs achieved (bandit feedback), as the engine's track record (the extension's memory path). */
  private readonly record = new MarketTrackRecord();
  private readonly deps: AuctionDeps;
  /** Tasks whose auction had no eligible bid (then the largest model ran). Counted so it cannot hide. */
  fallbacks = 0;

  constructor(
    private readonly config: SaleConfig,
    private readonly pool: readonly string[],
    clients: readonly ModelClient[],
    /** Called with each finished auction: the harness measures the signals' AUROC from it. */
    private readonly onAuction?: (task: TaskView, result: AuctionResult) => void,
    /** Sets the environment's current task before the auction's calls (the modelled signals need it). */
    private readonly beginTask?: (taskId: string) => void,
  ) {
    this.name = config.name;
    let clock = Date.UTC(2026, 0, 1);
    this.deps = {
      clients,
      capabilities: () => CAPABILITIES,
      ...(config.refinement ? { memory: this.memory } : {}),
      executionHistory: this.history,
      trackRecord: this.record,
      calls: { record: () => undefined },
      now: () => (clock += 1),
    };
  }

  async solve(task: TaskView, exec: Executor): Promise<DecisionCost> {
    this.beginTask?.(task.id);
    const result = await auctionOrLargest(
      () =>
        runAuction(
          { auctionId: `${this.name}-${task.id}`, task: task.text, pool: [...this.pool], weights: this.config.weights, refinement: { enabled: this.config.refinement }, ...(this.config.jury ? { jury: this.config.jury } : {}), ...(this.config.noOverheadCap ? {} : { overhead: { maxShare: SHIPPED_OVERHEAD_SHARE } }), ...(this.config.reasoningEffort ? { reasoningEffort: this.config.reasoningEffort } : {}) },
          this.deps,
        ),
      task,
      exec,
      this.pool,
      this.history,
    );
    if (!result) {
      this.fallbacks++;
      return { usd: 0, calls: 0 };
    }
    this.onAuction?.(task, result);
    const order: string[] = [];
    for (const r of result.ranking) if (r.eligible && !order.includes(r.modelId)) order.push(r.modelId);
    // The executed bid: the first eligible one, whose model heads `order`.
    const executed = result.ranking.find((r) => r.eligible)!;
    const first = exec.run(executed.modelId);
    // Only the first run feeds the history, as the memory: the pass@1 figures must not learn from escalations.
    this.history.record(task, first.modelId, first.costUsd);
    this.record.learn(task, result, executed.bidId, first.resolved, first.costUsd);
    if (this.config.refinement) this.memory.remember(task, result, first.resolved);
    for (const modelId of order.slice(1)) {
      if (exec.attempts.some((a) => a.resolved) || exec.attempts.length >= exec.maxAttempts) break;
      exec.run(modelId);
    }
    return { usd: result.cost.total.usd, calls: result.cost.total.calls };
  }
}

/**
 * One auction for a task. When it fails (no eligible bid), the task goes to the pool's largest model, as a router
 * without a winner must do: that run is recorded in the market history and undefined is returned, so the caller
 * counts a fallback that cost no auction.
 */
export async function auctionOrLargest(auction: () => Promise<AuctionResult>, task: TaskView, exec: Executor, pool: readonly string[], history: MarketHistory): Promise<AuctionResult | undefined> {
  try {
    return await auction();
  } catch {
    const run = exec.run(pool[pool.length - 1]!);
    history.record(task, run.modelId, run.costUsd);
    return undefined;
  }
}
