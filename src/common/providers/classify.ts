import type { NextStep } from '../errors';
import {
  AuthenticationError,
  CallCancelledError,
  ConnectionLostError,
  ConnectionRefusedError,
  ContextLengthError,
  MalformedReplyError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  TimeoutError,
  UnexpectedProviderError,
  type ModelCallError,
  type ProviderErrorContext,
} from './errors';
import { localServerForUrl } from './localServers';

/**
 * The facts of a failure, taken from whatever was thrown (an SDK error class, a bare SyntaxError, a
 * `TypeError: terminated`, an AbortError). Kept free of SDK types so classification is a pure, tested function.
 */
export interface FailureFacts {
  /** HTTP status when the server answered with one. */
  status?: number;
  /** Response headers, names lower-cased. */
  headers?: Record<string, string>;
  /** The parsed error body (OpenAI `{ error: { code, message } }`, Anthropic `{ type: 'error', error: { type, message } }`). */
  body?: unknown;
  /** The thrown value's class name (`RateLimitError`, `SyntaxError`, `TypeError`, `AbortError`, …). */
  name?: string;
  message?: string;
  /** The first system error code found in the cause chain (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, …). */
  causeCode?: string;
  /** The caller's signal was aborted. */
  aborted?: boolean;
}

export interface ClassifyContext extends ProviderErrorContext {
  /** The SecretStorage key of the endpoint, for the "Set API Key" next step. */
  providerKey: string;
  baseUrl?: string;
  local: boolean;
  /** Removes secrets from any text that ends up in an error message. */
  redact: (text: string) => string;
  /** Current time in ms, to read an HTTP-date `retry-after`; defaults to Date.now. */
  now?: () => number;
}

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|prompt is too long|too many (input )?tokens|exceeds? the (model'?s? )?(maximum|context)/i;
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Maps the facts of one failure to the typed error the rest of the extension handles. Pure. */
export function classifyFailure(f: FailureFacts, ctx: ClassifyContext): ModelCallError {
  const requestId = requestIdOf(f.headers);
  const c: ProviderErrorContext = { modelId: ctx.modelId, provider: ctx.provider, usage: ctx.usage, latencyMs: ctx.latencyMs, status: f.status, ...(requestId ? { requestId } : {}) };
  const detail = ctx.redact(bodyMessage(f.body) ?? f.message ?? f.name ?? 'unknown failure');
  const who = ctx.modelId;

  if (f.aborted || f.name === 'APIUserAbortError' || f.name === 'AbortError') return new CallCancelledError(c);
  if (f.name === 'APIConnectionTimeoutError' || f.name === 'TimeoutError' || f.status === 408) {
    return new TimeoutError(`${who}: the request timed out`, c);
  }
  if (f.causeCode && REFUSED_CODES.has(f.causeCode)) return refused(f.causeCode, c, ctx);
  if (f.status !== undefined) return byStatus(f, c, ctx, requestId ? `${detail}; request id ${requestId}` : detail);
  if (f.name === 'SyntaxError') return new MalformedReplyError(`${who}: the reply is not valid JSON (${detail})`, c);
  if ((f.causeCode && LOST_CODES.has(f.causeCode)) || (f.name === 'TypeError' && /terminated|other side closed|socket/i.test(f.message ?? ''))) {
    return new ConnectionLostError(`${who}: the connection dropped before the reply was complete`, c);
  }
  if (f.name === 'APIConnectionError') return new ConnectionLostError(`${who}: could not complete the connection (${detail})`, c);
  if (f.name === 'APIError') {
    // An `error` event inside an SSE stream: the SDK throws a status-less APIError carrying the event's body.
    if (CONTEXT_LENGTH.test(detail)) return new ContextLengthError(`${who}: the prompt is longer than the model's context window`, c);
    return new ServerError(`${who}: the server reported an error mid-reply (${detail})`, c);
  }
  return new UnexpectedProviderError(`${who}: ${detail}`, c);
}

function byStatus(f: FailureFacts, c: ProviderErrorContext, ctx: ClassifyContext, detail: string): ModelCallError {
  const status = f.status ?? 0;
  const who = ctx.modelId;
  // The provider's own explanation is kept (redacted): "Incorrect API key provided", "Rate limit reached for
  // requests per min", "You exceeded your current quota" each tell the user something different to do.
  if (status === 401 || status === 403) {
    return new AuthenticationError(`${who}: the provider rejected the API key (HTTP ${status}: ${detail})`, c, ctx.providerKey);
  }
  if (status === 429) {
    const wait = retryAfterMs(f.headers, ctx.now ?? Date.now);
    return new RateLimitError(`${who}: rate limited${wait === undefined ? '' : `, retry after ${Math.ceil(wait / 1000)} s`} (HTTP 429: ${detail})`, c, wait);
  }
  if (status >= 500) {
    const overloaded = status === 529 || bodyType(f.body) === 'overloaded_error';
    return new ServerError(`${who}: ${overloaded ? 'the provider is overloaded' : 'server error'} (HTTP ${status}: ${detail})`, c, retryAfterMs(f.headers, ctx.now ?? Date.now));
  }
  if (CONTEXT_LENGTH.test(detail) || bodyCode(f.body) === 'context_length_exceeded') {
    return new ContextLengthError(`${who}: the prompt is longer than the model's context window (${detail})`, c);
  }
  if (status >= 200 && status < 300) return new MalformedReplyError(`${who}: the reply could not be read (${detail})`, c);
  return new RequestRejectedError(`${who}: the provider rejected the request (HTTP ${status}: ${detail})`, c);
}

function refused(code: string, c: ProviderErrorContext, ctx: ClassifyContext): ConnectionRefusedError {
  const server = localServerForUrl(ctx.baseUrl);
  let step: NextStep;
  let message: string;
  if (ctx.local && ctx.baseUrl) {
    const name = server?.name ?? 'the local model server';
    step = { kind: 'startLocalServer', server: name, baseUrl: ctx.baseUrl };
    message = `${ctx.modelId}: nothing answers at ${ctx.baseUrl}. Is ${name} running?`;
  } else {
    step = { kind: 'openSettings', setting: 'sale.models' };
    message = `${ctx.modelId}: could not connect to ${ctx.baseUrl ?? 'the provider'} (${code})`;
  }
  return new ConnectionRefusedError(message, c, step);
}

/** OpenAI sends `x-request-id`, Anthropic `request-id`; support asks for it. */
function requestIdOf(headers: Record<string, string> | undefined): string | undefined {
  const id = headers?.['x-request-id'] ?? headers?.['request-id'];
  // Only an id's own characters: nothing a hostile server could use to forge text in a message.
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : undefined;
}

/** `retry-after-ms`, `retry-after` in seconds or as an HTTP date. Undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string> | undefined, now: () => number = Date.now): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(raw)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

function errorObject(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const inner = (body as { error?: unknown }).error;
  if (inner && typeof inner === 'object') return inner as Record<string, unknown>;
  return body as Record<string, unknown>;
}

function bodyMessage(body: unknown): string | undefined {
  const m = errorObject(body)?.message;
  return typeof m === 'string' && m ? m : undefined;
}

function bodyType(body: unknown): string | undefined {
  const t = errorObject(body)?.type;
  return typeof t === 'string' ? t : undefined;
}

function bodyCode(body: unknown): string | undefined {
  const code = errorObject(body)?.code;
  return typeof code === 'string' ? code : undefined;
}
