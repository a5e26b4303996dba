import type { Price, Usage } from './types';

/**
 * Dollars for one call from provider-reported usage. Returns undefined when the price is unknown, or when the
 * provider did not report the usage (`usage.unreported`) of a model that is not free: an unknown cost is shown as
 * unknown and never counted as $0. A free model (every price 0) costs 0 whatever its usage.
 *
 * OpenAI reports cached tokens as part of `inputTokens`; Anthropic reports cache reads and writes separately from
 * `inputTokens`. Adapters normalise to the OpenAI convention: `inputTokens` includes cached reads and cache writes.
 */
export function costOf(usage: Usage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  if (usage.unreported) return isFree(price) ? 0 : undefined;
  const cachedRead = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cacheWrite = Math.min(usage.cacheWriteInputTokens, usage.inputTokens - cachedRead);
  const plainInput = usage.inputTokens - cachedRead - cacheWrite;
  const dollars =
    plainInput * price.inputPerMTok +
    cachedRead * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    cacheWrite * (price.cacheWriteInputPerMTok ?? price.inputPerMTok) +
    usage.outputTokens * price.outputPerMTok;
  return dollars / 1_000_000;
}

/** True when every component of the price is 0 (a local model): its cost is 0 even when its usage is unknown. */
export function isFree(price: Price): boolean {
  return price.inputPerMTok === 0 && price.outputPerMTok === 0 && (price.cachedInputPerMTok ?? 0) === 0 && (price.cacheWriteInputPerMTok ?? 0) === 0;
}
