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
  // Only the providers' own endpoints: an OpenAI-compatible router may bill the same name differently. Models of
  // VS Code's Language Model API are priced per request (see copilotRequestPrice), never from this table.
  if (provider === 'openai-compatible' || provider === 'vscode-lm') return undefined;
  const hit = longestPrefix(table[provider], model);
  return hit ? { ...hit, source: 'default-table', asOf } : undefined;
}

/** The entry whose key is the longest prefix of `model` ending at a `-` (or the whole name); dated snapshots find their family. */
function longestPrefix<T>(entries: Readonly<Record<string, T>>, model: string): T | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(entries)) {
    if ((model === prefix || model.startsWith(`${prefix}-`)) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : entries[best];
}

/**
 * GitHub Copilot's request-based billing: dollars per premium request and each model's multiplier (premium
 * requests one chat request consumes). NEEDS A HUMAN CHECK before anyone relies on it:
 * - the multipliers are those of GitHub's page "Model multipliers for annual plans on request-based billing
 *   (legacy)" (docs.github.com/en/copilot/reference/copilot-billing/request-based-billing-legacy/
 *   model-multipliers-for-annual-plans), read through a mirror of that page in 2026. GitHub says that since
 *   2026-06-01 most plans are billed by usage instead, and that multipliers change often;
 * - $0.04 per premium request is the legacy overage price from GitHub's "Requests in GitHub Copilot" page, not
 *   re-verified here.
 * Every figure is shown with this date; `price` in `sale.models` overrides it for any model.
 */
export const COPILOT_REQUEST_PRICES_AS_OF = '2026-06-01';
export const COPILOT_USD_PER_PREMIUM_REQUEST = 0.04;
/** Keyed by Copilot model family as VS Code's Language Model API names it (lower case, dashes); longest prefix wins. */
export const COPILOT_MULTIPLIERS: Readonly<Record<string, number>> = {
  'claude-haiku-4.5': 0.33,
  'claude-opus-4.5': 15,
  'claude-opus-4.6': 27,
  'claude-opus-4.7': 27,
  'claude-sonnet-4.5': 6,
  'claude-sonnet-4.6': 9,
  'gemini-2.5-pro': 1,
  'gemini-3-flash': 0.33,
  'gemini-3-pro': 6,
  'gpt-4o': 0.33,
  'gpt-4o-mini': 0.33,
  'gpt-4.1': 1,
  'gpt-5-mini': 0.33,
  'gpt-5.1': 3,
  'gpt-5.1-codex': 3,
  'gpt-5.1-codex-mini': 0.33,
  'gpt-5.2': 3,
};

/**
 * The dated default price of a model from VS Code's Language Model API: only Copilot's (vendor `copilot`) models
 * the multiplier table knows; undefined otherwise (unknown, shown as unknown, never $0).
 */
export function copilotRequestPrice(vendor: string | undefined, family: string, multipliers = COPILOT_MULTIPLIERS): Price | undefined {
  if (vendor !== 'copilot') return undefined;
  const multiplier = longestPrefix(multipliers, family.trim().toLowerCase().replace(/\s+/g, '-'));
  if (multiplier === undefined) return undefined;
  return { inputPerMTok: 0, outputPerMTok: 0, perRequest: COPILOT_USD_PER_PREMIUM_REQUEST, multiplier, source: 'default-table', asOf: COPILOT_REQUEST_PRICES_AS_OF };
}

/** What the user wrote in `sale.models` for one model's price: per token, per request × multiplier, or both. */
export interface PriceSetting {
  inputPerMTok?: number;
  outputPerMTok?: number;
  cachedInputPerMTok?: number;
  cacheWriteInputPerMTok?: number;
  perRequest?: number;
  multiplier?: number;
}

/**
 * The price of one model: the user's setting, else the dated default table, else 0 for a server on this machine,
 * else undefined (unknown, shown as unknown and never counted as $0).
 */
export function resolvePrice(provider: ProviderKind, model: string, local: boolean, setting?: PriceSetting, family?: { vendor?: string; family?: string }): Price | undefined {
  const fromRequestTable = provider === 'vscode-lm' ? copilotRequestPrice(family?.vendor, family?.family ?? model) : undefined;
  if (setting) {
    const { inputPerMTok = 0, outputPerMTok = 0, ...rest } = setting;
    const price: Price = { ...rest, inputPerMTok, outputPerMTok, source: 'settings' };
    // A per-request price without a multiplier means 1× (what the user wrote is the price of one request).
    if (price.perRequest !== undefined && price.multiplier === undefined) price.multiplier = 1;
    return price;
  }
  if (fromRequestTable) return fromRequestTable;
  const fromTable = tablePrice(provider, model);
  if (fromTable) return fromTable;
  if (local) return { inputPerMTok: 0, outputPerMTok: 0, source: 'local' };
  return undefined;
}
