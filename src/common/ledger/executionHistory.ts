import type { ExecutionHistoryQuery, ExecutionTokens } from '../auction/executionHistory';
import { Bm25Index } from '../memory/retrieval/bm25Index';
import type { LedgerLine } from './entry';

/** Past tasks looked at as "similar", the least similarity that counts, and the runs a similar-task mean needs. */
const NEIGHBOURS = 20;
const MIN_SIMILARITY = 0.1;
const MIN_SIMILAR_RUNS = 3;

interface PastExecution {
  auctionId: string;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  calls: number;
  /** A call's usage was not reported: its counts are a lower bound, so the execution is left out of the means. */
  unreported: boolean;
}

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
  const executions = new Map<string, PastExecution>();
  const tasks = new Map<string, string>();
  for (const line of lines) {
    if (line.kind === 'auction') {
      if (line.task !== undefined) tasks.set(line.auctionId, line.task);
      continue;
    }
    const call = line.call;
    if (call.phase !== 'execution' || call.auctionId === undefined || !wanted.has(call.modelId)) continue;
    const key = `${call.auctionId}\n${call.modelId}`;
    const e = executions.get(key) ?? { auctionId: call.auctionId, modelId: call.modelId, inputTokens: 0, outputTokens: 0, calls: 0, unreported: false };
    e.inputTokens += call.usage.inputTokens;
    e.outputTokens += call.usage.outputTokens;
    e.calls += 1;
    e.unreported ||= call.usage.unreported === true;
    executions.set(key, e);
  }
  const usable = [...executions.values()].filter((e) => !e.unreported);

  const index = new Bm25Index();
  for (const id of new Set(usable.map((e) => e.auctionId))) {
    const task = tasks.get(id);
    if (task) index.add({ id, task, plans: [] });
  }
  const similar = new Set(
    index
      .search(query.task, NEIGHBOURS)
      .filter((h) => h.similarity >= MIN_SIMILARITY)
      .map((h) => h.id),
  );

  const out: Record<string, ExecutionTokens> = {};
  for (const modelId of [...wanted].sort()) {
    const all = usable.filter((e) => e.modelId === modelId);
    if (all.length === 0) continue;
    const near = all.filter((e) => similar.has(e.auctionId));
    const [basis, runs] = near.length >= MIN_SIMILAR_RUNS ? (['similar-tasks', near] as const) : (['all-tasks', all] as const);
    const mean = (pick: (e: PastExecution) => number): number => runs.reduce((s, e) => s + pick(e), 0) / runs.length;
    out[modelId] = { inputTokens: mean((e) => e.inputTokens), outputTokens: mean((e) => e.outputTokens), requests: mean((e) => e.calls), runs: runs.length, basis };
  }
  return out;
}
