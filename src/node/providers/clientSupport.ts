import { classifyFailure } from '../../common/providers/classify';
import { CallCancelledError, MissingApiKeyError, ProviderError, type ModelCallError } from '../../common/providers/errors';
import type { Logger } from '../../common/log';
import { makeRedactor, redactArg, type Redactor } from '../../common/providers/redact';
import { defaultRetryPolicy, withRetry, type RetryClock, type RetryPolicy, type AttemptState } from '../../common/providers/retry';
import { LOCAL_PLACEHOLDER_KEY, providerKeyOf } from '../../common/providers/providerKey';
import { addUsage } from '../../common/providers/types';
import type { ModelSpec, Usage } from '../../common/providers/types';
import { failureFacts } from './errorFacts';

/** Looks up the API key of an endpoint (SecretStorage in the extension). Undefined when none is stored. */
export type GetApiKey = (providerKey: string) => Promise<string | undefined>;

/** What every adapter needs besides its ModelSpec. */
export interface ClientOptions {
  getApiKey: GetApiKey;
  logger: Logger;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** How long an attempt may wait for the reply to start, or for the next chunk of a stream. */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export const systemClock: RetryClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new CallCancelledAbort());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CallCancelledAbort());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

class CallCancelledAbort extends Error {
  override name = 'AbortError';
}

/** The SDK logger: everything goes to our Logger, redacted, and nothing to the console. */
export function sdkLogger(log: Logger, redact: Redactor): { error: SdkLogFn; warn: SdkLogFn; info: SdkLogFn; debug: SdkLogFn } {
  const fmt = (m: string, rest: unknown[]) => [redact(m), ...rest.map((a) => redactArg(a, redact))].join(' ');
  return {
    error: (m, ...r) => log.warn(fmt(m, r)),
    warn: (m, ...r) => log.warn(fmt(m, r)),
    info: (m, ...r) => log.debug(fmt(m, r)),
    debug: (m, ...r) => log.trace(fmt(m, r)),
  };
}
type SdkLogFn = (message: string, ...rest: unknown[]) => void;

/** The key an SDK client is built with: the stored key, a placeholder for a local server, or a typed failure. */
export async function resolveKey(spec: ModelSpec, getApiKey: GetApiKey): Promise<string> {
  const providerKey = providerKeyOf(spec);
  // A secret store that cannot be read is, for the user, a key that is not there: the next step is the same.
  const key = await getApiKey(providerKey).catch(() => undefined);
  if (key) return key;
  if (spec.local) return LOCAL_PLACEHOLDER_KEY;
  throw new MissingApiKeyError(`${spec.id}: no API key is set for ${providerKey}`, { modelId: spec.id, provider: spec.provider }, providerKey);
}

/** Mutable per-attempt bookkeeping an adapter fills while a reply arrives, read when it fails. */
export interface AttemptProgress {
  usage?: Usage;
  /** Aborts when the caller aborts, the overall deadline passes, or the reply stalls; pass it to the SDK. */
  signal: AbortSignal;
  /** Call on every chunk: a stream that goes quiet for the idle timeout is cut as a timeout. */
  touch(): void;
}

/**
 * Ties a stream's own controller to the attempt's signal. Once headers have arrived, `@anthropic-ai/sdk` no longer
 * listens to the request's signal, so an abort (the user's, or a stall timeout) would not end the read otherwise.
 */
export function abortStreamWith(progress: AttemptProgress, stream: { controller: AbortController }): void {
  const abort = () => stream.controller.abort();
  if (progress.signal.aborted) abort();
  else progress.signal.addEventListener('abort', abort, { once: true });
}

/**
 * Called after a stream's last chunk. The SDKs end a stream quietly when its signal aborts, and a server may
 * close a stream cleanly half-way: neither is a complete reply, and returning the partial text would pass it off
 * as one.
 */
export function assertStreamComplete(progress: AttemptProgress, sawEnd: boolean): void {
  if (progress.signal.aborted) throw Object.assign(new Error('The stream was aborted'), { name: 'AbortError' });
  if (!sawEnd) throw Object.assign(new TypeError('terminated: the stream ended before the reply was complete'), { name: 'TypeError' });
}

/**
 * The SDKs' `timeout` covers the wait for response headers only; a stream that stalls afterwards would hang
 * forever. Each attempt therefore gets its own signal, aborted on the caller's abort, at the overall deadline,
 * or after `idleMs` without a chunk. Which of these fired decides between CallCancelledError and TimeoutError.
 */
function attemptWatch(caller: AbortSignal | undefined, idleMs: number, deadlineMs: number) {
  const ctl = new AbortController();
  let timedOut = false;
  const expire = () => {
    timedOut = true;
    ctl.abort();
  };
  const onCallerAbort = () => ctl.abort();
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  const deadline = setTimeout(expire, deadlineMs);
  let idle = setTimeout(expire, idleMs);
  return {
    signal: ctl.signal,
    timedOut: () => timedOut,
    touch: () => {
      clearTimeout(idle);
      idle = setTimeout(expire, idleMs);
    },
    dispose: () => {
      clearTimeout(deadline);
      clearTimeout(idle);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/**
 * Runs one model call with SALE's retry policy and maps every failure to a typed error with the usage billed
 * so far and the latency. `run` gets the key, the attempt state and the progress record to fill.
 */
export async function runCall<T>(
  spec: ModelSpec,
  opts: ClientOptions,
  signal: AbortSignal | undefined,
  run: (key: string, state: AttemptState, progress: AttemptProgress, redact: Redactor) => Promise<T>,
): Promise<{ value: T; earlierUsage: Usage; latencyMs: number }> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const providerKey = providerKeyOf(spec);
  let key: string;
  try {
    key = await resolveKey(spec, opts.getApiKey);
  } catch (e) {
    if (e instanceof ProviderError) e.latencyMs = clock.now() - started;
    throw e;
  }
  const redact = makeRedactor([key === LOCAL_PLACEHOLDER_KEY ? undefined : key]);
  try {
    const r = await withRetry(
      async (_n, state) => {
        if (signal?.aborted) throw new CallCancelledError({ modelId: spec.id, provider: spec.provider });
        const watch = attemptWatch(signal, opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, state.remainingMs);
        const progress: AttemptProgress = { signal: watch.signal, touch: watch.touch };
        try {
          return await run(key, state, progress, redact);
        } catch (e) {
          if (e instanceof ProviderError || e instanceof CallCancelledError) throw e;
          const facts = watch.timedOut() ? { name: 'TimeoutError', message: 'no reply within the time limit' } : failureFacts(e, signal);
          const typed = classifyFailure(facts, {
            modelId: spec.id,
            provider: spec.provider,
            usage: progress.usage,
            providerKey,
            baseUrl: spec.baseUrl,
            local: spec.local,
            redact,
          });
          opts.logger.debug(`${spec.id}: attempt failed: ${typed.code}: ${typed.message}`);
          throw typed;
        } finally {
          watch.dispose();
        }
      },
      opts.retry ?? defaultRetryPolicy,
      clock,
      signal,
    );
    return { value: r.value, earlierUsage: r.earlierUsage, latencyMs: clock.now() - started };
  } catch (e) {
    const err = e as ModelCallError;
    if (err instanceof ProviderError || err instanceof CallCancelledError) err.latencyMs = clock.now() - started;
    throw err;
  }
}

export { addUsage };
