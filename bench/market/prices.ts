// List prices and the token counts of the auction's own calls. The executions' dollars are RECORDED in the data;
// only the auction's calls (bids, jury, refinement) are priced here, so SALE's overhead is charged against it.

/** Dollars per million tokens, from the providers' public price pages (checked 2025-12). */
export interface ListPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  source: string;
}

export const LIST_PRICES_AS_OF = '2025-12';

export const LIST_PRICES: Readonly<Record<string, ListPrice>> = {
  opus: { inputPerMTok: 5, outputPerMTok: 25, source: 'anthropic.com/pricing, Claude Opus 4.5 (also src/common/providers/priceTable.ts)' },
  sonnet: { inputPerMTok: 3, outputPerMTok: 15, source: 'anthropic.com/pricing, Claude Sonnet 4.5 (also priceTable.ts)' },
  'gemini-3-pro': { inputPerMTok: 2, outputPerMTok: 12, source: 'ai.google.dev/pricing, Gemini 3 Pro Preview, prompts up to 200k tokens' },
  'gpt-5.1': { inputPerMTok: 1.25, outputPerMTok: 10, source: 'openai.com/api/pricing, GPT-5.1' },
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10, source: 'openai.com/api/pricing, GPT-5 (also priceTable.ts)' },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2, source: 'openai.com/api/pricing, GPT-5 mini (also priceTable.ts)' },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4, source: 'openai.com/api/pricing, GPT-5 nano (also priceTable.ts)' },
  'deepseek-v3.2': { inputPerMTok: 0.28, outputPerMTok: 0.42, source: 'api-docs.deepseek.com pricing, DeepSeek V3.2 (cache-miss input)' },
};

/**
 * Token counts of the auction's calls. ASSUMPTIONS (the data has no auction): each is stated with its reason.
 * The prompt's own tokens are not assumed: they are the engine's real prompt (with the real problem text) at
 * 4 characters per token.
 */
export const AUCTION_TOKENS = {
  /** Workspace context every bid, refinement and judgement reads besides the prompt (file excerpts, summary). */
  contextTokens: 1500,
  /** Median visible plan: the bid prompt asks for under 300 words (about 400 tokens). The length signal scales it. */
  planTokens: 400,
  /**
   * Hidden reasoning billed as output per bid or refinement call at the provider's default effort ("medium" for
   * GPT-5, mini, nano and Gemini 3 Pro; DeepSeek V3.2 Reasoner always reasons). See `reasoningTokens`.
   */
  bidReasoningTokens: 1000,
  /** A juror's visible reply: JSON with four criteria, a score and a two-sentence rationale. */
  judgementTokens: 90,
  /** Hidden reasoning billed as output per judgement call, at the default effort. */
  judgementReasoningTokens: 300,
  /**
   * ASSUMED share of the default reasoning a model spends when asked for `low` effort (`sale.auction.reasoningEffort`,
   * shipped `low`); OpenAI publishes no figure. `minimal` is assumed to spend none, `high` twice the default.
   */
  lowEffortShare: 0.25,
} as const;

/** The two pools of the benchmark, cheapest first by output list price; the last is the "largest". */
export const POOLS: Readonly<Record<string, { label: string; models: readonly string[] }>> = {
  ladder: { label: "the paper's shape: one family's tiers (GPT-5 nano, mini, 5, 5.1)", models: ['gpt-5-nano', 'gpt-5-mini', 'gpt-5', 'gpt-5.1'] },
  mixed: { label: 'a realistic mixed pool', models: ['gpt-5-nano', 'deepseek-v3.2', 'gpt-5-mini', 'gpt-5.1', 'gemini-3-pro', 'sonnet', 'opus'] },
};

export function largestOf(pool: readonly string[]): string {
  return pool[pool.length - 1]!;
}

/** Dollars of a call at list price. */
export function callUsd(modelId: string, inputTokens: number, outputTokens: number): number {
  const p = LIST_PRICES[modelId];
  if (!p) throw new Error(`no list price for ${modelId}`);
  return (inputTokens * p.inputPerMTok + outputTokens * p.outputPerMTok) / 1e6;
}

/** The families whose reasoning the product's request decides (see `reasoningTokens`). */
const ANTHROPIC = new Set(['opus', 'sonnet']);
const ALWAYS_REASONS = new Set(['deepseek-v3.2']);
/** OpenAI's GPT-5.1 reasons at `none` unless asked (the API reference); the models before it default to `medium`. */
const DEFAULT_NONE = new Set(['gpt-5.1']);
/** Gemini 3 models think at `high` unless asked (Google's docs); they take `low` and `high`. */
const DEFAULT_HIGH = new Set(['gemini-3-pro']);

/**
 * Reasoning tokens one auction call of `modelId` is billed for, given the effort the engine asked for:
 * - Claude (Anthropic wire): none. The product never sends `thinking`, so its bids and judgements have no extended
 *   thinking at any effort (a FACT of the adapter, src/node/providers/anthropicClient.ts).
 * - DeepSeek V3.2 Reasoner: the default count at any effort (the API has no effort option).
 * - the OpenAI-wire reasoning models (GPT-5 family, Gemini 3 Pro through its OpenAI endpoint): the default count
 *   at `medium` and when no effort is sent (GPT-5.1: none then, its default; Gemini 3 Pro: 2×, its default is
 *   `high`); ASSUMED shares of it otherwise (`lowEffortShare`; minimal 0; high 2×).
 */
export function reasoningTokens(modelId: string, call: 'bid' | 'judgement', effort: string | undefined): number {
  if (ANTHROPIC.has(modelId)) return 0;
  const base = call === 'bid' ? AUCTION_TOKENS.bidReasoningTokens : AUCTION_TOKENS.judgementReasoningTokens;
  if (ALWAYS_REASONS.has(modelId)) return base;
  if (effort === undefined) return DEFAULT_NONE.has(modelId) ? 0 : DEFAULT_HIGH.has(modelId) ? 2 * base : base;
  if (effort === 'medium') return base;
  const share = effort === 'low' ? AUCTION_TOKENS.lowEffortShare : effort === 'minimal' ? 0 : effort === 'high' ? 2 : 1;
  return Math.round(base * share);
}
