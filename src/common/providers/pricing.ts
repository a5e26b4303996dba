import type { Price, Usage } from './types';

/**
 * Dollars for one call from provider-reported usage. Returns undefined when the price is unknown: an unknown
 * price is shown as unknown and never counted as $0.
 *
 * OpenAI reports cached tokens as part of `inputTokens`; Anthropic reports cache reads and writes separately from
 * `inputTokens`. Adapters normalise to the OpenAI convention: `inputTokens` includes cached reads and cache writes.
 */
export function costOf(usage: Usage, price: Price | undefined): number | undefined {
  if (!price) return undefined;
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
