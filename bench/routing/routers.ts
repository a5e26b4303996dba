import type { Assumptions } from './assumptions';
import { bagOfWords, cosine, type WordVector } from './bagOfWords';
import { keyedNormal, keyedUniform } from './random';
import type { PoolModel, SimTask } from './tasks';

/** Which model runs a task, at what true chance, and what deciding cost (auctions only). */
export interface Decision {
  modelId: string;
  /** The true chance of the run (a refined SALE bid may carry the memory effect). */
  chance: number;
  auction?: { inputTokens: number; outputTokens: number; usd: number; refinedWinner: boolean };
}

/** A routing policy over the simulated pool. `observe` gives it the real outcome of the run it chose. */
export interface Router {
  readonly name: string;
  route(task: SimTask): Promise<Decision>;
  observe?(task: SimTask, decision: Decision, passed: boolean): void;
}

const fixed = (task: SimTask, model: PoolModel): Promise<Decision> => Promise.resolve({ modelId: model.id, chance: task.chance[model.id] ?? 0 });

export function alwaysModel(name: string, model: PoolModel): Router {
  return { name, route: (task) => fixed(task, model) };
}

/** Uniform over the pool, from a keyed draw per task. */
export function randomRouter(pool: readonly PoolModel[], seed: number): Router {
  return { name: 'random', route: (task) => fixed(task, pool[Math.floor(keyedUniform(seed, 'random-router', task.index) * pool.length)]!) };
}

/**
 * RouteLLM-style cost-threshold router: a difficulty predicted from the description (simulated as the true
 * complexity plus Gaussian noise), the smallest model below the threshold, the largest above it.
 */
export function thresholdRouter(a: Assumptions, pool: readonly PoolModel[], seed: number): Router {
  const { sigma, threshold } = a.thresholdRouter;
  return {
    name: 'cost-threshold',
    route: (task) => fixed(task, task.complexity + sigma * keyedNormal(seed, 'threshold-router', task.index) < threshold ? pool[0]! : pool[pool.length - 1]!),
  };
}

/**
 * kNN router on bag-of-words task descriptions, trained online: it learns only the outcome of the model it ran.
 * For each model, the k most similar past tasks that model ran; the cheapest model whose neighbours succeeded
 * often enough wins, else the largest. With some probability it explores a random model, or it would never learn
 * anything about the small ones.
 */
export class KnnRouter implements Router {
  readonly name = 'knn';
  private readonly seen = new Map<string, { vector: WordVector; passed: boolean }[]>();

  constructor(
    private readonly a: Assumptions,
    private readonly pool: readonly PoolModel[],
    private readonly seed: number,
  ) {
    for (const m of pool) this.seen.set(m.id, []);
  }

  route(task: SimTask): Promise<Decision> {
    const { k, minNeighbours, threshold, exploration } = this.a.knnRouter;
    if (keyedUniform(this.seed, 'knn-explore', task.index) < exploration) {
      return fixed(task, this.pool[Math.floor(keyedUniform(this.seed, 'knn-explore-model', task.index) * this.pool.length)]!);
    }
    const vector = bagOfWords(task.text);
    for (const model of this.pool.slice(0, -1)) {
      const neighbours = (this.seen.get(model.id) ?? [])
        .map((o) => ({ sim: cosine(vector, o.vector), passed: o.passed }))
        .sort((x, y) => y.sim - x.sim)
        .slice(0, k);
      if (neighbours.length < minNeighbours) continue;
      if (neighbours.filter((n) => n.passed).length / neighbours.length >= threshold) return fixed(task, model);
    }
    return fixed(task, this.pool[this.pool.length - 1]!);
  }

  observe(task: SimTask, decision: Decision, passed: boolean): void {
    this.seen.get(decision.modelId)?.push({ vector: bagOfWords(task.text), passed });
  }
}
