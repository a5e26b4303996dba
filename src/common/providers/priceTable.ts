import type { Price, ProviderKind } from './types';

/**
 * List prices in dollars per million tokens, as published by the providers on the date below. Prices change:
 * every figure is shown with this date, and any model can be priced in `sale.models` instead (settings win).
 */
export const DEFAULT_PRICES_AS_OF = '2025-11-01';

type TablePrice = Omit<Price, 'source' | 'asOf'>;
const p = (inputPerMTok: number, outputPerMTok: number, cachedInputPerMTok: number, cacheWriteInputPerMTok?: number): TablePrice => ({
  inputPerMTok,
  outputPerMTok,
  cachedInputPerMTok,
  ...(cacheWriteInputPerMTok === undefined ? {} : { cacheWriteInputPerMTok }),
});

/** Keyed by model name prefix; the longest matching prefix wins, so dated snapshots find their family. */
export const DEFAULT_PRICE_TABLE: Readonly<Record<'openai' | 'anthropic', Readonly<Record<string, TablePrice>>>> = {
  openai: {
    'gpt-5': p(1.25, 10, 0.125),
    'gpt-5-mini': p(0.25, 2, 0.025),
    'gpt-5-nano': p(0.05, 0.4, 0.005),
    'gpt-4.1': p(2, 8, 0.5),
    'gpt-4.1-mini': p(0.4, 1.6, 0.1),
    'gpt-4.1-nano': p(0.1, 0.4, 0.025),
    'gpt-4o': p(2.5, 10, 1.25),
    'gpt-4o-mini': p(0.15, 0.6, 0.075),
    o3: p(2, 8, 0.5),
    'o3-mini': p(1.1, 4.4, 0.55),
    'o4-mini': p(1.1, 4.4, 0.275),
    'text-embedding-3-small': p(0.02, 0, 0.02),
    'text-embedding-3-large': p(0.13, 0, 0.13),
  },
  anthropic: {
    'claude-opus-4-5': p(5, 25, 0.5, 6.25),
    'claude-opus-4-1': p(15, 75, 1.5, 18.75),
    'claude-opus-4': p(15, 75, 1.5, 18.75),
    'claude-sonnet-4-5': p(3, 15, 0.3, 3.75),
    'claude-sonnet-4': p(3, 15, 0.3, 3.75),
    'claude-3-7-sonnet': p(3, 15, 0.3, 3.75),
    'claude-haiku-4-5': p(1, 5, 0.1, 1.25),
    'claude-3-5-haiku': p(0.8, 4, 0.08, 1),
  },
};

/** The table's price for a model, matched by the longest name prefix; undefined when the table does not know it. */
export function tablePrice(provider: ProviderKind, model: string, table = DEFAULT_PRICE_TABLE, asOf = DEFAULT_PRICES_AS_OF): Price | undefined {
  // Only the providers' own endpoints: an OpenAI-compatible router may bill the same name differently.
  if (provider === 'openai-compatible') return undefined;
  const prices = table[provider];
  let best: string | undefined;
  for (const prefix of Object.keys(prices)) {
    if ((model === prefix || model.startsWith(`${prefix}-`)) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  const hit = best === undefined ? undefined : prices[best];
  return hit ? { ...hit, source: 'default-table', asOf } : undefined;
}

/** What the user wrote in `sale.models` for one model's price. */
export interface PriceSetting {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
  cacheWriteInputPerMTok?: number;
}

/**
 * The price of one model: the user's setting, else the dated default table, else 0 for a server on this machine,
 * else undefined (unknown, shown as unknown and never counted as $0).
 */
export function resolvePrice(provider: ProviderKind, model: string, local: boolean, setting?: PriceSetting): Price | undefined {
  if (setting) return { ...setting, source: 'settings' };
  const fromTable = tablePrice(provider, model);
  if (fromTable) return fromTable;
  if (local) return { inputPerMTok: 0, outputPerMTok: 0, source: 'local' };
  return undefined;
}
