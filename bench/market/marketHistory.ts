// SALE's execution history in the benchmark: what the router's OWN paid runs cost (bandit feedback: a model it
// never ran has no history, and the auction falls back on the plan-length prior for it). The data records each
// run's dollars, not its tokens, so a run's tokens are its dollars split at an ASSUMED ratio of input to output
// tokens; priced back at the same list prices they give exactly the recorded dollars, whatever the ratio.
import { meanExecutionTokens, type ExecutionHistoryPort, type ExecutionHistoryQuery, type ExecutionTokens, type PastExecution } from '../../src/common/auction/executionHistory';
import type { TaskView } from './data';
import { LIST_PRICES } from './prices';
import { Bm25 } from './text';

/** Input tokens per output token of an agent run (it re-reads a growing context every turn). An assumption. */
export const INPUT_PER_OUTPUT_TOKEN = 30;
/** Similar past tasks looked at (as the extension's ledger history does). */
const NEIGHBOURS = 20;

export class MarketHistory implements ExecutionHistoryPort {
  private readonly index = new Bm25();
  private readonly runs: PastExecution[] = [];
  private readonly seen = new Set<string>();

  /** Records one run the router paid for. */
  record(task: TaskView, modelId: string, costUsd: number): void {
    const p = LIST_PRICES[modelId];
    if (!p) throw new Error(`no list price for ${modelId}`);
    const outputTokens = (costUsd * 1e6) / (INPUT_PER_OUTPUT_TOKEN * p.inputPerMTok + p.outputPerMTok);
    // The data records no calls per run: no request figure (requests 0), as before.
    this.runs.push({ taskId: task.id, modelId, inputTokens: outputTokens * INPUT_PER_OUTPUT_TOKEN, outputTokens, requests: 0 });
    if (!this.seen.has(task.id)) {
      this.seen.add(task.id);
      this.index.add(task.id, task.text);
    }
  }

  executionTokens(query: ExecutionHistoryQuery): Promise<Record<string, ExecutionTokens>> {
    const near = new Set(this.index.search(query.task, NEIGHBOURS).map((h) => h.id));
    return Promise.resolve(meanExecutionTokens(this.runs, query.modelIds, near));
  }
}
