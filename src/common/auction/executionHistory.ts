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
