// Shared pieces of the provider wire tests: a clock whose waits are recorded instead of slept, a Logger that
// keeps its lines, and pool specs pointing at the loopback server.
import type { Logger } from '../../../../src/common/log';
import type { RetryClock, RetryPolicy } from '../../../../src/common/providers/retry';
import type { ModelSpec, Price } from '../../../../src/common/providers/types';

/** Sleeps nothing; records every wait the retry policy asked for. */
export function recordingClock(): RetryClock & { waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    random: () => 0.5,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(new Error('aborted'));
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

export const quickRetry: RetryPolicy = { maxRetries: 2, maxRetryAfterMs: 10_000, baseDelayMs: 100, deadlineMs: 60_000 };
export const noRetry: RetryPolicy = { maxRetries: 0, maxRetryAfterMs: 10_000, baseDelayMs: 100, deadlineMs: 60_000 };

/** A Logger that keeps every line (with its arguments rendered) for assertions. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (prefix: string): Logger => {
    const push = (level: string) => (m: string | Error, ...a: unknown[]) => {
      lines.push(`${level} ${prefix}${m instanceof Error ? `${m.name}: ${m.message}` : m} ${a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}`);
    };
    return { trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error'), topic: (n) => make(`${prefix}[${n}] `) };
  };
  return Object.assign(make(''), { lines });
}

export const gptPrice: Price = { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5, source: 'settings' };
export const claudePrice: Price = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWriteInputPerMTok: 3.75, source: 'settings' };

export function openaiSpec(baseUrl: string, over: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'gpt', provider: 'openai', baseUrl, model: 'gpt-4.1-mini', price: gptPrice, roles: ['bidder'], enabled: true, local: false, ...over };
}

export function localSpec(baseUrl: string, over: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'ollama/qwen3', provider: 'openai-compatible', baseUrl, model: 'qwen3:8b', price: { inputPerMTok: 0, outputPerMTok: 0, source: 'local' }, roles: ['bidder'], enabled: true, local: true, ...over };
}

export function anthropicSpec(baseUrl: string, over: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'claude', provider: 'anthropic', baseUrl, model: 'claude-sonnet-4-5', price: claudePrice, roles: ['juror'], enabled: true, local: false, ...over };
}

export const KEY = 'sk-test-key-0123456789';
export const keyFor = (key: string | undefined) => () => Promise.resolve(key);

/** Resolves once `check` holds, polling the event loop (no timing is asserted). */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition never held');
}
