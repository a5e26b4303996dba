// The market a router works in: it picks a model for a task and gets that model's RECORDED outcome and cost.
// Bandit feedback is structural: the outcome table is a private field, and the only way to learn an outcome is
// `Executor.run`, which charges the run first. A router never holds the table, only a TaskView and an Executor.
import type { MarketData, MarketTask, Outcome, TaskView } from './data';

/** One paid run of a model on a task. */
export interface Attempt {
  readonly modelId: string;
  readonly resolved: boolean;
  readonly costUsd: number;
}

/** What a router may do with a task: run a pool model on it (charged), at most `maxAttempts` times. */
export interface Executor {
  readonly pool: readonly string[];
  readonly maxAttempts: number;
  /** Runs the model and returns its recorded outcome; the run is charged before the outcome is returned. */
  run(modelId: string): Attempt;
  readonly attempts: readonly Attempt[];
}

/** What one charged entry in the market's ledger says. */
export interface Charge {
  readonly taskId: string;
  readonly modelId: string;
  readonly costUsd: number;
}

export class Market {
  readonly #outcomes: ReadonlyMap<string, ReadonlyMap<string, Outcome>>;
  /** Every charged run, in order. */
  readonly ledger: Charge[] = [];

  constructor(
    data: MarketData,
    readonly pool: readonly string[],
  ) {
    for (const m of pool) if (!data.models.includes(m)) throw new Error(`model ${m} is not in the data`);
    this.#outcomes = data.outcomes;
  }

  /** An executor for one task. The task view it carries has no outcome in it. */
  executor(task: TaskView, maxAttempts: number): Executor {
    const attempts: Attempt[] = [];
    const outcomes = this.#outcomes.get(task.id);
    if (!outcomes) throw new Error(`unknown task ${task.id}`);
    const pool = this.pool;
    const ledger = this.ledger;
    return {
      pool,
      maxAttempts,
      attempts,
      run(modelId: string): Attempt {
        if (!pool.includes(modelId)) throw new Error(`${modelId} is not in the pool`);
        if (attempts.length >= maxAttempts) throw new Error(`task ${task.id}: more than ${maxAttempts} attempts`);
        const o = outcomes.get(modelId);
        if (!o) throw new Error(`no recorded run of ${modelId} on ${task.id}`);
        ledger.push({ taskId: task.id, modelId, costUsd: o.costUsd });
        const a: Attempt = { modelId, resolved: o.resolved, costUsd: o.costUsd };
        attempts.push(a);
        return a;
      },
    };
  }
}

/** Dollars and tokens of a router's own deciding calls (the auction's bids, jury and refinement). */
export interface DecisionCost {
  usd: number;
  calls: number;
}

/** A routing policy. It sees the task's text and learns only from the runs it makes through `exec`. */
export interface Router {
  readonly name: string;
  solve(task: TaskView, exec: Executor): Promise<DecisionCost | undefined>;
}

/** What happened on one task. */
export interface TaskRecord {
  taskId: string;
  difficulty: MarketTask['difficulty'];
  attempts: Attempt[];
  decisionUsd: number;
}

/** Runs a router over the tasks in the given order; every run goes through the market's executor. */
export async function runRouter(router: Router, market: Market, tasks: readonly MarketTask[], maxAttempts: number): Promise<TaskRecord[]> {
  const records: TaskRecord[] = [];
  for (const task of tasks) {
    const view: TaskView = { id: task.id, repo: task.repo, text: task.text };
    const exec = market.executor(view, maxAttempts);
    const decision = await router.solve(view, exec);
    if (exec.attempts.length === 0) throw new Error(`${router.name} ran no model on ${task.id}`);
    records.push({ taskId: task.id, difficulty: task.difficulty, attempts: [...exec.attempts], decisionUsd: decision?.usd ?? 0 });
  }
  return records;
}

/** The figures of a router over a set of task records, looking at the first `k` attempts of each task. */
export interface Figures {
  tasks: number;
  /** Resolved by the first attempt: the paper's metric. */
  passAt1: number;
  /** Resolved within the first k attempts (with a perfect checker saying when to go on). */
  resolved: number;
  k: number;
  meanAttempts: number;
  /** Execution dollars of the attempts counted plus decision dollars. */
  costUsd: number;
  executionUsd: number;
  decisionUsd: number;
  /** Dollars of runs that did not resolve the task. */
  failedUsd: number;
  /** Share of runs made by the pool's largest (dearest) model. */
  largestShare: number;
  /** Runs per model. */
  runs: Record<string, number>;
}

export function figures(records: readonly TaskRecord[], k: number, largest: string): Figures {
  let pass1 = 0;
  let resolved = 0;
  let attempts = 0;
  let execution = 0;
  let decision = 0;
  let failed = 0;
  let largestRuns = 0;
  const runs: Record<string, number> = {};
  for (const r of records) {
    const used = r.attempts.slice(0, k);
    pass1 += used[0]?.resolved ? 1 : 0;
    resolved += used.some((a) => a.resolved) ? 1 : 0;
    attempts += used.length;
    decision += r.decisionUsd;
    for (const a of used) {
      execution += a.costUsd;
      if (!a.resolved) failed += a.costUsd;
      runs[a.modelId] = (runs[a.modelId] ?? 0) + 1;
      if (a.modelId === largest) largestRuns++;
    }
  }
  const n = records.length;
  return {
    tasks: n,
    passAt1: n ? pass1 / n : 0,
    resolved: n ? resolved / n : 0,
    k,
    meanAttempts: n ? attempts / n : 0,
    costUsd: execution + decision,
    executionUsd: execution,
    decisionUsd: decision,
    failedUsd: failed,
    largestShare: attempts ? largestRuns / attempts : 0,
    runs,
  };
}
