import { CallCancelledError, ProviderError, RateLimitError, ServerError, TimeoutError, type ModelCallError } from './errors';
import { addUsage, emptyUsage, type Usage } from './types';

/**
 * How the adapters retry. The SDKs' own retries are off (`maxRetries: 0`): `openai` obeys any `retry-after`
 * without an upper bound and an AbortSignal does not cut that wait short, so the extension keeps its own bounded
 * policy with an overall deadline.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** A `retry-after` longer than this gives up at once (the error carries the wait) instead of waiting. */
  maxRetryAfterMs: number;
  /** Backoff when the provider gave no `retry-after`: base * 2^attempt, with jitter. */
  baseDelayMs: number;
  /** No attempt starts, and no wait runs, past this many ms after the first attempt started. */
  deadlineMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, maxRetryAfterMs: 30_000, baseDelayMs: 500, deadlineMs: 180_000 };

/** Time and waiting, as a port so retries are tested without real sleeps. */
export interface RetryClock {
  now(): number;
  /** Resolves after `ms`; rejects when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
}

/** One attempt; `attempt` counts from 0. The attempt reports whether it already streamed text to the caller. */
export type Attempt<T> = (attempt: number, state: AttemptState) => Promise<T>;

export interface AttemptState {
  /** Milliseconds left before the overall deadline: the attempt's own timeout must not exceed it. */
  remainingMs: number;
  /** Set by the attempt once any text reached the caller's `onText`: retrying would show it twice. */
  streamedText: boolean;
}

/** The result of a retried call: the value of the last attempt and the usage billed by the failed attempts before it. */
export interface Retried<T> {
  value: T;
  earlierUsage: Usage;
  attempts: number;
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, retries are used up, the deadline is reached, or
 * the signal aborts. A thrown error carries the usage of every billed attempt (the ledger charges all of them).
 */
export async function withRetry<T>(
  attempt: Attempt<T>,
  policy: RetryPolicy,
  clock: RetryClock,
  signal?: AbortSignal,
): Promise<Retried<T>> {
  const started = clock.now();
  let earlier = emptyUsage();
  for (let n = 0; ; n++) {
    const state: AttemptState = { streamedText: false, remainingMs: Math.max(1, policy.deadlineMs - (clock.now() - started)) };
    try {
      const value = await attempt(n, state);
      return { value, earlierUsage: earlier, attempts: n + 1 };
    } catch (e) {
      if (!(e instanceof ProviderError) && !(e instanceof CallCancelledError)) throw e;
      const err: ModelCallError = e;
      const total = addUsage(earlier, err.usage);
      const wait = n < policy.maxRetries && !state.streamedText && !signal?.aborted ? retryDelay(err, n, policy, clock) : undefined;
      if (wait === undefined || clock.now() - started + wait > policy.deadlineMs) {
        err.usage = isZero(total) ? err.usage : total;
        throw err;
      }
      earlier = total;
      try {
        await clock.sleep(wait, signal);
      } catch {
        throw new CallCancelledError({ modelId: err.modelId, provider: err.provider, usage: isZero(total) ? undefined : total, latencyMs: clock.now() - started });
      }
    }
  }
}

/** How long to wait before the next attempt, or undefined when this error must not be retried. */
export function retryDelay(err: ModelCallError, attempt: number, policy: RetryPolicy, clock: Pick<RetryClock, 'random'>): number | undefined {
  if (!(err instanceof ProviderError) || !err.retryable) return undefined;
  const asked = err instanceof RateLimitError || err instanceof ServerError ? err.retryAfterMs : undefined;
  if (asked !== undefined) return asked > policy.maxRetryAfterMs ? undefined : asked;
  if (err instanceof TimeoutError && attempt > 0) return undefined; // one timeout retry: a second rarely helps
  const backoff = policy.baseDelayMs * 2 ** attempt;
  return Math.round(backoff * (0.75 + 0.5 * clock.random()));
}

/** True when the usage shows nothing billed: every count 0 and reported (an unreported usage may hide a bill). */
export function isZero(u: Usage): boolean {
  return !u.unreported && u.inputTokens + u.outputTokens + u.cachedInputTokens + u.cacheWriteInputTokens + u.reasoningTokens === 0;
}
