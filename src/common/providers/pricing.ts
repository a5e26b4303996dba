import { billedRequests, type Price, type Usage } from './types';

/**
 * Dollars for one call (or the summed usage of several). The one cost function every caller uses: token usage ×
 * per-token prices, plus billed requests × dollars per request × multiplier for request-priced models (GitHub
 * Copilot's premium requests). Returns undefined when the price is unknown, or when the provider did not report
 * the usage (`usage.unreported`) of a model whose token prices are not 0: an unknown cost is shown as unknown and
 * never counted as $0. A request-priced model's cost does not depend on tokens, so it stays known without them.
 *
 * OpenAI reports cached tokens as part of `inputTokens`; Anthropic reports cache reads and writes separately from
 * `inputTokens`. Adapters normalise to the OpenAI convention: `inputTokens` includes cached reads and cache writes.
 */
export function costOf(usage: Usage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  const requestDollars = requestUsd(price) === 0 ? 0 : billedRequests(usage) * requestUsd(price);
  if (usage.unreported) return tokensFree(price) ? requestDollars : undefined;
  const cachedRead = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cacheWrite = Math.min(usage.cacheWriteInputTokens, usage.inputTokens - cachedRead);
  const plainInput = usage.inputTokens - cachedRead - cacheWrite;
  const dollars =
    plainInput * price.inputPerMTok +
    cachedRead * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    cacheWrite * (price.cacheWriteInputPerMTok ?? price.inputPerMTok) +
    usage.outputTokens * price.outputPerMTok;
  return dollars / 1_000_000 + requestDollars;
}

/** Dollars one request costs (per request × multiplier); 0 for a per-token model. */
export function requestUsd(price: Price): number {
  return price.perRequest === undefined ? 0 : price.perRequest * (price.multiplier ?? 1);
}

/** Premium requests a usage consumed on a request-priced model (billed requests × multiplier); 0 otherwise. */
export function premiumRequestsOf(usage: Usage, price: Price | undefined): number {
  if (price?.perRequest === undefined) return 0;
  return billedRequests(usage) * (price.multiplier ?? 1);
}

/**
 * True when every component of the price is 0 (a local model, a 0× Copilot model): its cost is 0 even when its
 * usage is unknown. A model that consumes premium requests is never free.
 */
export function isFree(price: Price): boolean {
  return tokensFree(price) && requestUsd(price) === 0;
}

function tokensFree(price: Price): boolean {
  return price.inputPerMTok === 0 && price.outputPerMTok === 0 && (price.cachedInputPerMTok ?? 0) === 0 && (price.cacheWriteInputPerMTok ?? 0) === 0;
}
