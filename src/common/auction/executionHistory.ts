/** What the auction asks the workspace's execution history: the task, and which models it needs figures for. */
export interface ExecutionHistoryQuery {
  task: string;
  modelIds: readonly string[];
}

/**
 * What one model's past executions in this workspace used, on average per execution (an execution = every
 * execution-phase call of one model for one auction).
 */
export interface ExecutionTokens {
  inputTokens: number;
  outputTokens: number;
  /** Model calls (requests) per execution; request-priced models pay per request. */
  requests: number;
  /** How many past executions the means rest on (≥ 1). */
  runs: number;
  /** `similar-tasks`: only executions of tasks like this one; `all-tasks`: every execution of the model. */
  basis: 'similar-tasks' | 'all-tasks';
}

/**
 * The workspace's record of what executions really used, for the cost term (workCost.ts). Asked once per auction,
 * while the bids are out, so it adds no round to the critical path. Models it has no figures for are left out; a
 * port that fails or is cancelled leaves every bid on the plan-length prior.
 */
export interface ExecutionHistoryPort {
  executionTokens(query: ExecutionHistoryQuery, signal: AbortSignal): Promise<Readonly<Record<string, ExecutionTokens>>>;
}

/** One past execution of a model: what it used, and the task (auction) it ran for. */
export interface PastExecution {
  taskId: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  requests: number;
}

/** How many executions of a model on similar tasks its similar-task mean needs; with fewer, all its runs count. */
export const MIN_SIMILAR_RUNS = 3;

/**
 * Per asked model, the mean use of its past executions on the similar tasks when there are at least
 * `MIN_SIMILAR_RUNS` of them, else of all its executions; a model with none is left out (its bids then use the
 * plan-length prior). Every history port (the ledger's, the benchmark's) answers through this one rule.
 */
export function meanExecutionTokens(executions: readonly PastExecution[], modelIds: Iterable<string>, similarTaskIds: ReadonlySet<string>): Record<string, ExecutionTokens> {
  const out: Record<string, ExecutionTokens> = {};
  for (const modelId of modelIds) {
    const all = executions.filter((e) => e.modelId === modelId);
    if (all.length === 0) continue;
    const near = all.filter((e) => similarTaskIds.has(e.taskId));
    const [basis, runs] = near.length >= MIN_SIMILAR_RUNS ? (['similar-tasks', near] as const) : (['all-tasks', all] as const);
    const mean = (pick: (e: PastExecution) => number): number => runs.reduce((s, e) => s + pick(e), 0) / runs.length;
    out[modelId] = { inputTokens: mean((e) => e.inputTokens), outputTokens: mean((e) => e.outputTokens), requests: mean((e) => e.requests), runs: runs.length, basis };
  }
  return out;
}
