import type { z } from 'zod';

/**
 * The ModelClient port: everything the auction, the jury and the agent need from a model, and nothing about
 * how a provider's wire format looks. Adapters live in src/node (official SDKs over real HTTP).
 */

/** `vscode-lm`: a model another extension (GitHub Copilot, …) contributes through VS Code's Language Model API. */
export type ProviderKind = 'openai' | 'anthropic' | 'openai-compatible' | 'vscode-lm';
export type ModelRole = 'bidder' | 'juror' | 'executor' | 'embedder';

/**
 * Dollars per million tokens, and for request-priced models (GitHub Copilot's premium requests) dollars per
 * request times the model's multiplier. A call costs the sum of both parts; a request-priced model has token prices
 * of 0. `source` says where the figure came from, so the UI and reports can show it.
 */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Dollars per premium request (before the multiplier); present only for request-priced models. */
  perRequest?: number;
  /** Premium requests one call consumes (Copilot's model multiplier); 1 when `perRequest` is set without it. */
  multiplier?: number;
  /** Price of cache-read input tokens; when absent, cached input is billed at `inputPerMTok`. */
  cachedInputPerMTok?: number;
  /** Price of cache-creation input tokens (Anthropic); when absent, billed at `inputPerMTok`. */
  cacheWriteInputPerMTok?: number;
  source: 'default-table' | 'settings' | 'local';
  /** The date of the price table the figure came from (ISO date), when `source` is 'default-table'. */
  asOf?: string;
}

/** One model of the pool, as configured in `sale.models` or detected on a local port. */
export interface ModelSpec {
  /** Stable id the user chose (unique in the pool), used in memory, ledger and UI. */
  id: string;
  provider: ProviderKind;
  /** API base URL; for OpenAI-compatible servers it includes `/v1`. Undefined means the provider's default. */
  baseUrl?: string;
  /** The model name sent on the wire. */
  model: string;
  /** Undefined when no price is known: reported as unknown, never as $0. */
  price?: Price;
  roles: ModelRole[];
  enabled: boolean;
  /** True for servers on this machine (Ollama, LM Studio, llama.cpp, vLLM on loopback). */
  local: boolean;
  /** Max output tokens the model accepts, when known. */
  maxOutputTokens?: number;
  /** A practice model with scripted replies (the sample workspace of `npm run open`), labelled as such in the UI. */
  practice?: boolean;
  /**
   * For `vscode-lm` models: what VS Code's Language Model API says about the model (`model` is its id), filled in
   * when the pool finds it among `vscode.lm.selectChatModels()`; absent while the model is not available.
   */
  lm?: { vendor: string; family: string; name: string; version: string; maxInputTokens: number };
}

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text of the arguments as the model produced it (may be malformed; the caller validates). */
  argumentsJson: string;
}

export type ChatMessage =
  | {
      role: 'user';
      content: string;
      /**
       * "Cache up to here": the first `cacheUpTo` characters of `content` (with the system prompt before them) are
       * a prefix other calls repeat byte for byte. Adapters with explicit prompt caching (Anthropic) mark it;
       * OpenAI-compatible servers cache a repeated prefix on their own, so they ignore it.
       */
      cacheUpTo?: number;
    }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; isError?: boolean };

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft-07 subset) of the arguments object. */
  parameters: Record<string, unknown>;
}

/** How much a reasoning model may think before it answers (OpenAI's `reasoning_effort`). */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ChatRequest {
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Ask for structured output validated by this schema (JSON schema sent where the provider supports it). */
  responseFormat?: { name: string; schema: z.ZodType };
  temperature?: number;
  maxTokens?: number;
  /** Ask for per-token log-probabilities with this many alternatives, where the provider returns them. */
  logprobs?: { topAlternatives: number };
  /**
   * Asked of reasoning models; providers without the option ignore it; absent = the provider's default. An
   * OpenAI-format model that rejects it is asked again without it (and not sent it again).
   */
  reasoningEffort?: ReasoningEffort;
  signal?: AbortSignal;
  /** Streamed text deltas as they arrive; when absent the adapter may use a non-streaming call. */
  onText?: (delta: string) => void;
}

/**
 * Provider-reported token usage. Nothing here is estimated: when the provider reported no usage at all (an
 * OpenAI-compatible server that ignores `stream_options.include_usage`, a reply without `usage`), the counts are 0
 * and `unreported` is set, so the call is priced as unknown rather than as $0 (see `costOf`).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (included in inputTokens for OpenAI, not for Anthropic). */
  cachedInputTokens: number;
  /** Input tokens written to the prompt cache (Anthropic; newer OpenAI models, where they are part of inputTokens). */
  cacheWriteInputTokens: number;
  /** Reasoning tokens (included in outputTokens). */
  reasoningTokens: number;
  /**
   * Set when the provider did not report usage for (part of) the call: the counts are then a lower bound (0 for a
   * single unreported reply) and the call's cost is unknown unless the model is free. Absent means reported.
   */
  unreported?: true;
  /**
   * Set when the counts were computed on our side with the model's own tokenizer (VS Code's `countTokens`) because
   * the API reports no usage at all: a count, not the provider's bill. Absent means provider-reported.
   */
  counted?: true;
  /**
   * Billed requests behind this usage, for request-priced models (one per `sendRequest` that the model answered);
   * absent means one request if anything was billed (see `billedRequests`).
   */
  requests?: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  /** The top alternatives at this position, the sampled token usually among them. */
  top: { token: string; logprob: number }[];
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface ChatResponse {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Everything the provider billed for this call, including attempts that failed and were retried. */
  usage: Usage;
  /** Present only when the provider returned log-probabilities (a model that rejects them is asked without). */
  logprobs?: TokenLogprob[];
  /** Parsed structured output when `responseFormat` was given and the reply validated. */
  parsed?: unknown;
  /** From the start of the call to the end of the reply, retries and their waits included. */
  latencyMs: number;
  /** The model name the provider says answered. */
  model: string;
}

export interface EmbeddingResponse {
  vectors: number[][];
  usage: Usage;
  latencyMs: number;
}

/** What a model really does, learned by a probe (never assumed). */
export interface ModelCapabilities {
  streaming: boolean;
  tools: boolean;
  structuredOutput: boolean;
  logprobs: boolean;
  embeddings: boolean;
  /** When the probe ran (ISO time). */
  probedAt: string;
}

export interface ModelClient {
  readonly spec: ModelSpec;
  /**
   * One model call. Fails only with the typed errors of `./errors` (a ProviderError subclass, or CallCancelledError
   * on abort), each carrying the usage billed before the failure; `toCallRecord` turns either outcome into a ledger record.
   */
  chat(request: ChatRequest): Promise<ChatResponse>;
  /** Present only for models that have an embeddings endpoint. */
  embed?(texts: string[], signal?: AbortSignal): Promise<EmbeddingResponse>;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  reasoningTokens: 0,
});

/** The usage of a reply that carried no usage at all: zero counts, marked unreported (never a reported zero). */
export const unreportedUsage = (): Usage => ({ ...emptyUsage(), unreported: true });

/**
 * The sum of two usages (a retried call's attempts, an agent's steps). A sum with an unreported part is only a
 * lower bound, so it is unreported too.
 */
export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
  if (a.unreported || b.unreported) sum.unreported = true;
  if (a.counted || b.counted) sum.counted = true;
  if (a.requests !== undefined || b.requests !== undefined) sum.requests = billedRequests(a) + billedRequests(b);
  return sum;
}

/**
 * Requests billed behind a usage: its own count when the adapter gave one, else one when the usage shows anything
 * billed (a call that reached the model), else none (refused before it reached the model).
 */
export function billedRequests(u: Usage): number {
  if (u.requests !== undefined) return u.requests;
  const anything = u.unreported === true || u.inputTokens + u.outputTokens + u.cachedInputTokens + u.cacheWriteInputTokens + u.reasoningTokens > 0;
  return anything ? 1 : 0;
}

/**
 * What the provider billed for a call that then failed (a stream cut after tokens were sent, retried attempts),
 * as the adapters' typed errors carry it; empty usage when the error says nothing.
 */
export function billedUsage(error: unknown): Usage {
  const u = (error as { usage?: Partial<Usage> } | null | undefined)?.usage;
  if (!u || typeof u.inputTokens !== 'number' || typeof u.outputTokens !== 'number') return emptyUsage();
  return { ...emptyUsage(), ...u };
}
