import { expectedExecutionUsd, sharedPrefix, type AuctionContext, type ExecutionEstimateConfig } from '../../common/auction';
import type { ModelSpec } from '../../common/providers/types';
import { emptyUsage } from '../../common/providers/types';

/** A typical plan's output tokens (the bid prompt asks for under 300 words), the prior without history. */
const PRIOR_PLAN_TOKENS = 400;
const CHARS_PER_TOKEN = 4;

/**
 * The host's estimate of what the winner's execution will cost, for the auction's overhead cap: the median over
 * the priced bidders of `expectedExecutionUsd` on a prior bid (the task + context as its prompt, a typical plan
 * length as its output). Undefined when no bidder is priced. One function, so a history-based estimate can
 * replace it.
 */
export function estimateExecutionUsd(bidders: readonly ModelSpec[], task: string, context: AuctionContext | undefined, config: ExecutionEstimateConfig): number | undefined {
  const usage = { ...emptyUsage(), inputTokens: Math.ceil(sharedPrefix(task, context).length / CHARS_PER_TOKEN), outputTokens: PRIOR_PLAN_TOKENS };
  const costs = bidders.flatMap((s) => {
    const usd = expectedExecutionUsd(usage, s.price, config);
    return usd === undefined ? [] : [usd];
  });
  if (!costs.length) return undefined;
  costs.sort((a, b) => a - b);
  const mid = Math.floor(costs.length / 2);
  return costs.length % 2 ? costs[mid] : (costs[mid - 1]! + costs[mid]!) / 2;
}
