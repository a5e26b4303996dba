// The baseline routers. Each sees only the task's text and learns only from the runs it pays for (market.ts).
import { keyedUniform } from '../routing/random';
import type { MarketData, MarketTask, TaskView } from './data';
import { figures, type Executor, type Figures, type Router, type TaskRecord } from './market';
import { LIST_PRICES } from './prices';
import { Bm25 } from './text';

export function alwaysRouter(modelId: string): Router {
  return { name: `always-${modelId}`, solve: (_t, exec) => (exec.run(modelId), Promise.resolve(undefined)) };
}

/** Runs the models in order until one resolves the task (a perfect checker says when), every attempt paid. */
export function cascadeRouter(models: readonly string[]): Router {
  return {
    name: `cascade ${models.join('→')}`,
    solve(_t, exec) {
      for (const m of models) if (exec.run(m).resolved) break;
      return Promise.resolve(undefined);
    },
  };
}

/**
 * The oracle: the cheapest model (by that task's recorded cost) that resolves the task; a task no pool model
 * resolves is charged at the cheapest run. The physical limit of routing: it READS the outcomes, so it is not a
 * router and is computed here, outside the market.
 */
export function oracle(data: MarketData, pool: readonly string[], tasks: readonly MarketTask[], largest: string): Figures & { records: TaskRecord[] } {
  const records = tasks.map((t): TaskRecord => {
    const runs = pool.map((m) => ({ modelId: m, ...data.outcomes.get(t.id)!.get(m)! }));
    const solvers = runs.filter((r) => r.resolved).sort((a, b) => a.costUsd - b.costUsd);
    const pick = solvers[0] ?? [...runs].sort((a, b) => a.costUsd - b.costUsd)[0]!;
    return { taskId: t.id, difficulty: t.difficulty, attempts: [{ modelId: pick.modelId, resolved: pick.resolved, costUsd: pick.costUsd }], decisionUsd: 0 };
  });
  return { ...figures(records, 1, largest), records };
}

/**
 * A nominal agent run (250k input, 15k output tokens) at list price: what a router assumes a model costs before it
 * has paid for a run of it. Observed costs replace it quickly (it counts as one observation).
 */
export function priorRunUsd(modelId: string): number {
  const p = LIST_PRICES[modelId]!;
  return (250_000 * p.inputPerMTok + 15_000 * p.outputPerMTok) / 1e6;
}

/**
 * What a text-neighbour router knows: its own paid runs. For a new task it estimates each model's chance from the
 * outcomes of that model on the most similar past tasks it ran it on (BM25), shrunk to the model's overall rate.
 */
export class NeighbourKnowledge {
  private readonly index = new Bm25();
  private readonly runs = new Map<string, { modelId: string; resolved: boolean }[]>();
  private readonly perModel = new Map<string, { n: number; ok: number; usd: number }>();
  /** Every outcome this router learned, in order (the bandit test compares it with the market's ledger). */
  readonly learned: { taskId: string; modelId: string }[] = [];

  constructor(
    private readonly pool: readonly string[],
    private readonly neighbours = 20,
    private readonly priorWeight = 2,
  ) {}

  learn(task: TaskView, modelId: string, resolved: boolean, costUsd: number): void {
    this.index.add(task.id, task.text);
    let list = this.runs.get(task.id);
    if (!list) this.runs.set(task.id, (list = []));
    list.push({ modelId, resolved });
    const s = this.perModel.get(modelId) ?? { n: 0, ok: 0, usd: 0 };
    this.perModel.set(modelId, { n: s.n + 1, ok: s.ok + (resolved ? 1 : 0), usd: s.usd + costUsd });
    this.learned.push({ taskId: task.id, modelId });
  }

  /** Expected dollars of one run of the model. */
  cost(modelId: string): number {
    const s = this.perModel.get(modelId) ?? { n: 0, ok: 0, usd: 0 };
    return (priorRunUsd(modelId) + s.usd) / (1 + s.n);
  }

  /** Estimated chance that each model resolves the task. */
  chances(task: TaskView): Map<string, number> {
    const hits = this.index.search(task.text, this.neighbours, task.id);
    const out = new Map<string, number>();
    for (const m of this.pool) {
      const s = this.perModel.get(m) ?? { n: 0, ok: 0, usd: 0 };
      const base = (s.ok + 1) / (s.n + 2);
      let n = 0;
      let ok = 0;
      for (const h of hits) {
        for (const r of this.runs.get(h.id) ?? []) {
          if (r.modelId !== m) continue;
          n++;
          ok += r.resolved ? 1 : 0;
        }
      }
      out.set(m, (ok + this.priorWeight * base) / (n + this.priorWeight));
    }
    return out;
  }
}

function runAndLearn(k: NeighbourKnowledge, task: TaskView, exec: Executor, modelId: string): boolean {
  const a = exec.run(modelId);
  k.learn(task, modelId, a.resolved, a.costUsd);
  return a.resolved;
}

export interface KnnParams {
  exploration: number;
  threshold: number;
}

/**
 * kNN router (one attempt): the cheapest model whose estimated chance reaches the threshold, else the model with
 * the best chance; with probability `exploration` a uniformly random model, or it would never learn the others.
 */
export class KnnRouter implements Router {
  readonly name = 'knn (BM25, online)';
  readonly knowledge: NeighbourKnowledge;

  constructor(
    private readonly pool: readonly string[],
    private readonly params: KnnParams,
    private readonly seed: number,
  ) {
    this.knowledge = new NeighbourKnowledge(pool);
  }

  solve(task: TaskView, exec: Executor): Promise<undefined> {
    let pick: string;
    if (keyedUniform(this.seed, 'knn-explore', task.id) < this.params.exploration) {
      pick = this.pool[Math.floor(keyedUniform(this.seed, 'knn-model', task.id) * this.pool.length)]!;
    } else {
      const p = this.knowledge.chances(task);
      const byCost = [...this.pool].sort((a, b) => this.knowledge.cost(a) - this.knowledge.cost(b));
      pick = byCost.find((m) => p.get(m)! >= this.params.threshold) ?? [...this.pool].reverse().reduce((best, m) => (p.get(m)! > p.get(best)! ? m : best));
    }
    runAndLearn(this.knowledge, task, exec, pick);
    return Promise.resolve(undefined);
  }
}

/**
 * Learned escalation without an auction: order the models by expected cost per success (estimated cost / estimated
 * chance from text neighbours), run them in that order until one resolves the task or the attempts run out.
 */
export class LearnedEscalationRouter implements Router {
  readonly name = 'learned escalation (BM25, no auction)';
  readonly knowledge: NeighbourKnowledge;

  constructor(private readonly pool: readonly string[]) {
    this.knowledge = new NeighbourKnowledge(pool);
  }

  solve(task: TaskView, exec: Executor): Promise<undefined> {
    const p = this.knowledge.chances(task);
    const order = [...this.pool].sort((a, b) => this.knowledge.cost(a) / p.get(a)! - this.knowledge.cost(b) / p.get(b)! || (a < b ? -1 : 1));
    for (const m of order) {
      if (exec.attempts.length >= exec.maxAttempts) break;
      if (runAndLearn(this.knowledge, task, exec, m)) break;
    }
    return Promise.resolve(undefined);
  }
}

/** Annotated hours per difficulty bucket (bucket midpoints; >4 hours taken as 6). */
const HOURS: Record<MarketTask['difficulty'], number> = { '<15 min fix': 0.125, '15 min - 1 hour': 0.625, '1-4 hours': 2.5, '>4 hours': 6 };

/**
 * A difficulty predictor learned from texts: the mean annotated hours of the most similar training tasks (BM25).
 * Trained on the held-out split's annotations (offline labelled data, as RouteLLM trains on preference data).
 */
export class DifficultyPredictor {
  private readonly index = new Bm25();
  private readonly hours = new Map<string, number>();

  constructor(
    training: readonly MarketTask[],
    private readonly neighbours = 10,
  ) {
    for (const t of training) {
      this.index.add(t.id, t.text);
      this.hours.set(t.id, HOURS[t.difficulty]);
    }
  }

  private readonly cache = new Map<string, number>();

  predict(task: TaskView): number {
    const cached = this.cache.get(task.id);
    if (cached !== undefined) return cached;
    const value = this.compute(task);
    this.cache.set(task.id, value);
    return value;
  }

  private compute(task: TaskView): number {
    const hits = this.index.search(task.text, this.neighbours, task.id);
    if (hits.length === 0) return 0;
    return hits.reduce((s, h) => s + this.hours.get(h.id)!, 0) / hits.length;
  }
}

export interface ThresholdParams {
  weak: string;
  strong: string;
  /** Predicted hours at or above which the strong model runs. */
  threshold: number;
}

/** RouteLLM-style: the weak model below a predicted-difficulty threshold, the strong one above it. */
export class ThresholdRouter implements Router {
  readonly name = 'difficulty threshold (RouteLLM-style)';

  constructor(
    private readonly predictor: DifficultyPredictor,
    readonly params: ThresholdParams,
  ) {}

  solve(task: TaskView, exec: Executor): Promise<undefined> {
    exec.run(this.predictor.predict(task) >= this.params.threshold ? this.params.strong : this.params.weak);
    return Promise.resolve(undefined);
  }
}
