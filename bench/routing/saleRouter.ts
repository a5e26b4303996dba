import { runAuction } from '../../src/common/auction/engine';
import type { AuctionDeps, AuctionResult } from '../../src/common/auction/types';
import type { AuctionWeights } from '../../src/common/auction/weights';
import type { ModelCapabilities } from '../../src/common/providers/types';
import type { Assumptions } from './assumptions';
import type { Decision, Router } from './routers';
import { Scene, SimModelClient } from './simClient';
import { SimMemory } from './simMemory';
import type { PoolModel, SimTask } from './tasks';

/** One SALE configuration compared in the simulation. */
export interface SaleVariant {
  name: string;
  refinement: boolean;
  /** Weights passed to the engine; empty = the engine's DEFAULT_WEIGHTS. */
  weights: Partial<AuctionWeights>;
}

// The simulated models return logprobs and answer in the prompted JSON (no provider-side structured output).
const CAPABILITIES: ModelCapabilities = { streaming: false, tools: false, structuredOutput: false, logprobs: true, embeddings: false, probedAt: '2026-01-01T00:00:00Z' };

/**
 * SALE as a router: every task goes through the real `runAuction` over simulated clients (every pool model bids
 * and judges); the winner's model runs it, with the chance of the winning bid (a refined bid may carry the memory
 * effect). With refinement the router keeps its own auction memory of real outcomes.
 */
export class SaleRouter implements Router {
  readonly name: string;
  private readonly scene: Scene;
  private readonly memory: SimMemory;
  private readonly deps: AuctionDeps;
  private last: AuctionResult | undefined;
  /** Auctions that ended without a winner (then the largest model runs the task). */
  fallbacks = 0;

  constructor(
    a: Assumptions,
    private readonly pool: readonly PoolModel[],
    seed: number,
    noise: number,
    memoryBoost: number,
    private readonly variant: SaleVariant,
  ) {
    this.name = variant.name;
    this.scene = new Scene(a, seed, noise, memoryBoost);
    this.memory = new SimMemory(this.scene);
    const clients = pool.map((m) => new SimModelClient(m, this.scene));
    let clock = Date.UTC(2026, 0, 1);
    this.deps = {
      clients,
      capabilities: () => CAPABILITIES,
      ...(variant.refinement ? { memory: this.memory } : {}),
      calls: { record: () => undefined },
      now: () => (clock += 1),
    };
  }

  async route(task: SimTask): Promise<Decision> {
    // The simulated jurors answer per-bid prompts; this bench measures routing, not the jury's cost.
    this.scene.begin(task);
    let result: AuctionResult;
    try {
      result = await runAuction(
        { auctionId: `${this.variant.name}-${task.index}`, task: task.text, pool: this.pool.map((m) => m.id), weights: this.variant.weights, refinement: { enabled: this.variant.refinement }, jury: PAPER_JURY },
        this.deps,
      );
    } catch {
      // No usable bid: run the largest model, as a user would. Counted, so it cannot hide.
      this.fallbacks++;
      this.last = undefined;
      const largest = this.pool[this.pool.length - 1]!;
      return { modelId: largest.id, chance: task.chance[largest.id] ?? 0 };
    }
    this.last = result;
    const winner = result.winner!;
    // The chance the simulated client registered for the winning bid: it knows whether memory helped a refinement.
    const plan = result.bids.find((b) => b.id === winner.bidId)?.planText ?? '';
    const truth = this.scene.truthOf(/ref:\d+/.exec(plan)?.[0] ?? '');
    if (!truth) throw new Error(`the winning bid ${winner.bidId} carries no known reference`);
    const chance = truth.chance;
    const refined = winner.kind === 'refined';
    const total = result.cost.total;
    return { modelId: winner.modelId, chance, auction: { inputTokens: total.inputTokens, outputTokens: total.outputTokens, usd: total.usd, refinedWinner: refined } };
  }

  observe(task: SimTask, _decision: Decision, passed: boolean): void {
    if (this.variant.refinement && this.last) this.memory.remember(task, this.last, passed);
  }
}

/** The paper's jury (every juror, every bid in its own call): the simulated clients answer per-bid prompts. */
const PAPER_JURY = { mode: 'all', style: 'per-bid' } as const;
