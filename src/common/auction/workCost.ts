import type { Logger } from '../log';
import { isFree, requestUsd } from '../providers/pricing';
import type { Price, Usage } from '../providers/types';
import type { ExecutionHistoryPort, ExecutionHistoryQuery, ExecutionTokens } from './executionHistory';
import type { ExecutionEstimateConfig } from './weights';

/** What the winner's execution is expected to cost, and what the figure rests on. Shown on the bid's card. */
export interface WorkEstimate {
  /** Expected dollars of the execution at the bidder's prices. */
  usd: number;
  inputTokens: number;
  outputTokens: number;
  /** Model calls expected; priced only for request-priced models. */
  requests: number;
  /**
   * `history`: the mean of `runs` past executions of this model in this workspace (`similar`: of tasks like this
   * one); `prior`: the bid's own plan and prompt lengths times the multipliers of `ExecutionEstimateConfig`.
   */
  basis: 'history' | 'prior';
  runs?: number;
  similar?: boolean;
}

/**
 * The bidder's expected execution cost: its input, output and per-request prices times the tokens its
 * executions use. With history, the mean tokens of the model's past executions (whatever the bid's length: how
 * long an agent runs depends on the task and the model, hardly on the plan); without, the plan-length prior of
 * `expectedExecutionUsd`. Undefined when the price is unknown, or when the prior needs the bid's usage and the
 * provider did not report it (unless the model's tokens are free). Cached-input prices are not applied: history
 * keeps no cache split, so the figure is an upper bound for models with prompt caching.
 */
export function expectedWork(bidUsage: Usage, price: Price | undefined, history: ExecutionTokens | undefined, config: ExecutionEstimateConfig): WorkEstimate | undefined {
  if (!price) return undefined;
  const perRequest = requestUsd(price);
  const dollars = (input: number, output: number, requests: number): number => (isFree(price) ? 0 : (input * price.inputPerMTok + output * price.outputPerMTok) / 1_000_000 + requests * perRequest);
  if (history) {
    const { inputTokens, outputTokens, requests, runs, basis } = history;
    return { usd: dollars(inputTokens, outputTokens, requests), inputTokens, outputTokens, requests, basis: 'history', runs, similar: basis === 'similar-tasks' };
  }
  const requests = config.requestsPerExecution;
  if (bidUsage.unreported) {
    const tokensFree = price.inputPerMTok === 0 && price.outputPerMTok === 0;
    return tokensFree ? { usd: dollars(0, 0, requests), inputTokens: 0, outputTokens: 0, requests, basis: 'prior' } : undefined;
  }
  const outputTokens = bidUsage.outputTokens * config.outputTokensPerPlanToken;
  const inputTokens = bidUsage.inputTokens * config.inputTokensPerPromptToken;
  return { usd: dollars(inputTokens, outputTokens, requests), inputTokens, outputTokens, requests, basis: 'prior' };
}

/**
 * A free model's expected work counts as this share of the dearest known estimate: cheap, but finite on a log
 * scale (log10(1000) = 3 orders of magnitude below the dearest bid).
 */
export const FREE_WORK_FLOOR_SHARE = 1e-3;

/**
 * The `work` cost terms of a set of bids: C_i = w_c × log10(E_i / E_ref), with E_i the bid's expected work
 * dollars (floored at FREE_WORK_FLOOR_SHARE of the dearest estimate, so free models are cheap but finite) and
 * E_ref the cheapest floored estimate of the set. Only ratios count, so scaling every price by k changes no term,
 * and the weight means the same in a pool of local models and one of frontier APIs: a bid whose work costs 10×
 * more must have w_c more value to win. Every known estimate 0 (an all-free pool): C = 0 for all. An unknown
 * estimate stays unknown (undefined), never free.
 */
export function workCostTerms(usds: readonly (number | undefined)[], weight: number): { term?: number; referenceUsd?: number }[] {
  const known = usds.filter((u): u is number => u !== undefined);
  const dearest = known.length ? Math.max(...known) : 0;
  if (dearest <= 0) return usds.map((u) => (u === undefined ? {} : { term: 0 }));
  const floored = (u: number): number => Math.max(u, dearest * FREE_WORK_FLOOR_SHARE);
  const referenceUsd = Math.min(...known.map(floored));
  return usds.map((u) => (u === undefined ? {} : { term: weight * Math.log10(floored(u) / referenceUsd), referenceUsd }));
}

/**
 * Asks the history port once; never throws. A port that fails, or an auction cancelled first, leaves no history
 * (every bid on the prior), with a log line saying why.
 */
export async function loadExecutionHistory(port: ExecutionHistoryPort | undefined, query: ExecutionHistoryQuery, signal: AbortSignal, logger: Logger): Promise<Readonly<Record<string, ExecutionTokens>>> {
  if (!port || signal.aborted) return {};
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<Record<string, ExecutionTokens>>((resolve) => {
    onAbort = () => resolve({});
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const figures = await Promise.race([port.executionTokens(query, signal), aborted]);
    // A figure that is not a count (negative, NaN) would price a bid as free or infinite: it is dropped.
    const sound = (t: ExecutionTokens): boolean => [t.inputTokens, t.outputTokens, t.requests].every((n) => Number.isFinite(n) && n >= 0) && t.runs >= 1;
    return Object.fromEntries(Object.entries(figures).filter(([id, t]) => query.modelIds.includes(id) && sound(t)));
  } catch (e) {
    logger.warn(`execution history unavailable, the cost term uses the plan-length prior: ${e instanceof Error ? e.message : String(e)}`);
    return {};
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
