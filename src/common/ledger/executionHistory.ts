import { meanExecutionTokens, type ExecutionHistoryQuery, type ExecutionTokens, type PastExecution } from '../auction/executionHistory';
import { Bm25Index } from '../memory/retrieval/bm25Index';
import type { LedgerLine } from './entry';

/** Past tasks looked at as "similar", and the least similarity that counts. */
const NEIGHBOURS = 20;
const MIN_SIMILARITY = 0.1;

/** An execution as summed from the ledger; `unreported`: a call's usage was not reported (its counts are a lower bound). */
type LedgerExecution = PastExecution & { unreported: boolean };

/**
 * What each asked model's past executions used, from the ledger: an execution is every execution-phase call of one
 * model in one auction (an escalated auction has one per model it ran). Per model, the mean input and output
 * tokens and calls of its executions on similar tasks (the ledger's task summaries, matched lexically with the
 * memory's BM25 index: the 20 nearest with a similarity of at least 0.1) when there are at least 3 of them, else
 * of all its executions. Executions with a call whose usage was not reported are left out (their counts are a
 * lower bound); a model with none is left out of the answer (the auction then uses its plan-length prior).
 */
export function executionHistoryFromLedger(lines: readonly LedgerLine[], query: ExecutionHistoryQuery): Record<string, ExecutionTokens> {
  const wanted = new Set(query.modelIds);
  const executions = new Map<string, LedgerExecution>();
  const tasks = new Map<string, string>();
  for (const line of lines) {
    if (line.kind === 'auction') {
      if (line.task !== undefined) tasks.set(line.auctionId, line.task);
      continue;
    }
    const call = line.call;
    if (call.phase !== 'execution' || call.auctionId === undefined || !wanted.has(call.modelId)) continue;
    const key = `${call.auctionId}\n${call.modelId}`;
    const e = executions.get(key) ?? { taskId: call.auctionId, modelId: call.modelId, inputTokens: 0, outputTokens: 0, requests: 0, unreported: false };
    e.inputTokens += call.usage.inputTokens;
    e.outputTokens += call.usage.outputTokens;
    e.requests += 1;
    e.unreported ||= call.usage.unreported === true;
    executions.set(key, e);
  }
  const usable = [...executions.values()].filter((e) => !e.unreported);

  const index = new Bm25Index();
  for (const id of new Set(usable.map((e) => e.taskId))) {
    const task = tasks.get(id);
    if (task) index.add({ id, task, plans: [] });
  }
  const similar = new Set(
    index
      .search(query.task, NEIGHBOURS)
      .filter((h) => h.similarity >= MIN_SIMILARITY)
      .map((h) => h.id),
  );

  return meanExecutionTokens(usable, [...wanted].sort(), similar);
}
