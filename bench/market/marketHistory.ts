// SALE's execution history in the benchmark: what the router's OWN paid runs cost (bandit feedback: a model it
// never ran has no history, and the auction falls back on the plan-length prior for it). The data records each
// run's dollars, not its tokens, so a run's tokens are its dollars split at an ASSUMED ratio of input to output
// tokens; priced back at the same list prices they give exactly the recorded dollars, whatever the ratio.
import type { ExecutionHistoryPort, ExecutionHistoryQuery, ExecutionTokens } from '../../src/common/auction/executionHistory';
import type { TaskView } from './data';
import { LIST_PRICES } from './prices';
import { Bm25 } from './text';

/** Input tokens per output token of an agent run (it re-reads a growing context every turn). An assumption. */
export const INPUT_PER_OUTPUT_TOKEN = 30;
/** Similar past tasks looked at, and how many runs of a model among them make its similar-task mean. */
const NEIGHBOURS = 20;
const MIN_SIMILAR_RUNS = 3;

interface PaidRun {
  taskId: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
}

export class MarketHistory implements ExecutionHistoryPort {
  private readonly index = new Bm25();
  private readonly runs: PaidRun[] = [];
  private readonly seen = new Set<string>();

  /** Records one run the router paid for. */
  record(task: TaskView, modelId: string, costUsd: number): void {
    const p = LIST_PRICES[modelId];
    if (!p) throw new Error(`no list price for ${modelId}`);
    const outputTokens = (costUsd * 1e6) / (INPUT_PER_OUTPUT_TOKEN * p.inputPerMTok + p.outputPerMTok);
    this.runs.push({ taskId: task.id, modelId, inputTokens: outputTokens * INPUT_PER_OUTPUT_TOKEN, outputTokens });
    if (!this.seen.has(task.id)) {
      this.seen.add(task.id);
      this.index.add(task.id, task.text);
    }
  }

  executionTokens(query: ExecutionHistoryQuery): Promise<Record<string, ExecutionTokens>> {
    const near = new Set(this.index.search(query.task, NEIGHBOURS).map((h) => h.id));
    const out: Record<string, ExecutionTokens> = {};
    for (const modelId of query.modelIds) {
      const all = this.runs.filter((r) => r.modelId === modelId);
      if (all.length === 0) continue;
      const similar = all.filter((r) => near.has(r.taskId));
      const [basis, runs] = similar.length >= MIN_SIMILAR_RUNS ? (['similar-tasks', similar] as const) : (['all-tasks', all] as const);
      const mean = (pick: (r: PaidRun) => number): number => runs.reduce((s, r) => s + pick(r), 0) / runs.length;
      out[modelId] = { inputTokens: mean((r) => r.inputTokens), outputTokens: mean((r) => r.outputTokens), requests: 0, runs: runs.length, basis };
    }
    return Promise.resolve(out);
  }
}
