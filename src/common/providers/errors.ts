import { CancelledError, SaleError, type NextStep } from '../errors';
import type { ProviderKind, Usage } from './types';

/**
 * Typed failures of a model call. Every one names the model it concerns and carries the usage the provider billed
 * before it failed (undefined when nothing was billed), so the ledger can record money spent on failed calls.
 * Messages are scrubbed of secrets before they get here: no error ever holds an API key, nor the raw SDK error
 * (which could echo one back), only the facts that were classified.
 */
export interface ProviderErrorContext {
  modelId: string;
  provider: ProviderKind;
  /** The usage the provider billed before the failure, when any. */
  usage?: Usage;
  /** Milliseconds from the start of the call to the failure. */
  latencyMs?: number;
  /** HTTP status, when the provider answered with one. */
  status?: number;
  /** The provider's id of the failed request (`x-request-id`, `request-id`), for the user to quote to its support. */
  requestId?: string;
}

export abstract class ProviderError extends SaleError {
  readonly modelId: string;
  readonly provider: ProviderKind;
  /** Mutable so a retrying caller can add the usage billed by earlier attempts. */
  usage: Usage | undefined;
  readonly status: number | undefined;
  /** The provider's request id, when it sent one; the message names it too. */
  readonly requestId: string | undefined;
  latencyMs: number | undefined;
  /** True when trying the same call again later may succeed. */
  abstract readonly retryable: boolean;

  constructor(message: string, ctx: ProviderErrorContext, nextStep?: NextStep) {
    super(message, nextStep ? { nextStep } : undefined);
    this.modelId = ctx.modelId;
    this.provider = ctx.provider;
    this.usage = ctx.usage;
    this.status = ctx.status;
    this.requestId = ctx.requestId;
    this.latencyMs = ctx.latencyMs;
  }
}

/** No key is stored for this endpoint. */
export class MissingApiKeyError extends ProviderError {
  readonly code = 'missing-api-key';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext, providerKey: string) {
    super(message, ctx, { kind: 'setApiKey', providerKey });
  }
}

/** The provider rejected the key (401/403). */
export class AuthenticationError extends ProviderError {
  readonly code = 'auth';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext, providerKey: string) {
    super(message, ctx, { kind: 'setApiKey', providerKey });
  }
}

/** 429. `retryAfterMs` is the wait the provider asked for, when it said. */
export class RateLimitError extends ProviderError {
  readonly code = 'rate-limit';
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, ctx: ProviderErrorContext, retryAfterMs: number | undefined) {
    super(message, ctx, { kind: 'retry', afterMs: retryAfterMs });
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx, Anthropic's 529 "overloaded", or an error event inside a stream. */
export class ServerError extends ProviderError {
  readonly code = 'server';
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, ctx: ProviderErrorContext, retryAfterMs?: number) {
    super(message, ctx, { kind: 'retry', afterMs: retryAfterMs });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The request or the overall deadline timed out. */
export class TimeoutError extends ProviderError {
  readonly code = 'timeout';
  readonly retryable = true;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'retry' });
  }
}

/** Nothing listens at the base URL. For a local server the next step is to start it ("is Ollama running?"). */
export class ConnectionRefusedError extends ProviderError {
  readonly code = 'connection-refused';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext, nextStep: NextStep) {
    super(message, ctx, nextStep);
  }
}

/** The connection dropped mid-reply (a stream cut in the middle, a reset socket). */
export class ConnectionLostError extends ProviderError {
  readonly code = 'connection-lost';
  readonly retryable = true;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'retry' });
  }
}

/** The prompt does not fit the model's context window; retrying the same call cannot help. */
export class ContextLengthError extends ProviderError {
  readonly code = 'context-length';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'showLogs' });
  }
}

/** The provider answered with something that is not its wire format (bad JSON, HTML, a broken stream line). */
export class MalformedReplyError extends ProviderError {
  readonly code = 'malformed-reply';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'showLogs' });
  }
}

/** The provider refused the request for another reason (400, 404 unknown model, 422). */
export class RequestRejectedError extends ProviderError {
  readonly code = 'request-rejected';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'showLogs' });
  }
}

/**
 * VS Code's Language Model API refused SALE the model (`LanguageModelError.NoPermissions`): the user declined the
 * consent dialog, or has not granted access. Not retried: the pool keeps the model in this state until the user
 * asks again, so an auction never loops on a refusal.
 */
export class ModelConsentRefusedError extends ProviderError {
  readonly code = 'consent-refused';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'askModelConsent', modelId: ctx.modelId });
  }
}

/** The provider blocked the request (`LanguageModelError.Blocked`: a content or policy filter, or an abuse limit). */
export class ModelBlockedError extends ProviderError {
  readonly code = 'blocked';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'showLogs' });
  }
}

/** The model is no longer offered (`LanguageModelError.NotFound`, or no longer among `vscode.lm.selectChatModels()`). */
export class ModelUnavailableError extends ProviderError {
  readonly code = 'model-gone';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'openSettings', setting: 'sale.models' });
  }
}

/** The subscription's quota for this model is used up (for example Copilot's monthly premium requests). */
export class QuotaExhaustedError extends ProviderError {
  readonly code = 'quota-exhausted';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'showLogs' });
  }
}

/** A failure nothing above describes; the log has the details. */
export class UnexpectedProviderError extends ProviderError {
  readonly code = 'unexpected';
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super(message, ctx, { kind: 'showLogs' });
  }
}

/** The caller aborted the call. A CancelledError, so `isCancellation` sees it, with the usage billed so far. */
export class CallCancelledError extends CancelledError {
  readonly modelId: string;
  readonly provider: ProviderKind;
  usage: Usage | undefined;
  latencyMs: number | undefined;
  constructor(ctx: ProviderErrorContext) {
    super(`Call to ${ctx.modelId} cancelled`);
    this.modelId = ctx.modelId;
    this.provider = ctx.provider;
    this.usage = ctx.usage;
    this.latencyMs = ctx.latencyMs;
  }
}

/** Any typed failure a ModelClient call can end with. */
export type ModelCallError = ProviderError | CallCancelledError;

export function isModelCallError(e: unknown): e is ModelCallError {
  return e instanceof ProviderError || e instanceof CallCancelledError;
}
