import * as lockfile from 'proper-lockfile';
import { SaleError } from '../../common/errors';
import type { Logger } from '../../common/log';

/** The cross-process lock of a store file could not be taken in time (another window holds it). */
export class StoreLockTimeoutError extends SaleError {
  readonly code = 'store-lock-timeout';
  constructor(path: string, waitedMs: number) {
    super(`could not lock ${path} within ${waitedMs} ms`, { nextStep: { kind: 'retry' } });
  }
}

export interface LockOptions {
  /** A lock not refreshed for this long is considered abandoned (crashed window); proper-lockfile's minimum is 2000. */
  staleMs: number;
  /** Give up after waiting this long. */
  timeoutMs: number;
  log: Logger;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding the cross-process lock of `path` (proper-lockfile: an atomic `mkdir path.lock`, refreshed
 * while held, taken over when stale). We poll with a capped backoff ourselves rather than using the library's
 * retry count, so the wait is bounded by time and outlasts a stale lock left by a killed window.
 */
export async function withFileLock<R>(path: string, options: LockOptions, fn: () => Promise<R>): Promise<R> {
  const started = Date.now();
  let delay = 1;
  let release: (() => Promise<void>) | undefined;
  for (;;) {
    try {
      release = await lockfile.lock(path, {
        realpath: false,
        stale: options.staleMs,
        retries: 0,
        // Losing the lock (event loop stalled past `stale`) must not crash the extension host, which is what the
        // library's default handler (throw) would do. Each append is one write() of whole lines with O_APPEND, so
        // a compromised lock cannot interleave bytes within a line; we only log it.
        onCompromised: (e) => options.log.warn(`lock on ${path} was compromised: ${e.message}`),
      });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ELOCKED') throw e;
      const waited = Date.now() - started;
      if (waited >= options.timeoutMs) throw new StoreLockTimeoutError(path, waited);
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 25);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      await release();
    } catch (e) {
      // Already released because it was compromised: the work is done, nothing to undo.
      options.log.warn(`releasing lock on ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Serialises work on one file within this process (several stores may share a path): each task starts after
 * the previous one settled, whatever its result.
 */
export function serialized<R>(key: string, fn: () => Promise<R>): Promise<R> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
