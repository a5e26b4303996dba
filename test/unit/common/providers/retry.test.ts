import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallCancelledError, ConnectionLostError, RateLimitError, ServerError } from '../../../../src/common/providers/errors';
import { withRetry, type RetryClock, type RetryPolicy } from '../../../../src/common/providers/retry';
import { emptyUsage, unreportedUsage } from '../../../../src/common/providers/types';

const ctx = { modelId: 'm', provider: 'openai' as const };
const policy: RetryPolicy = { maxRetries: 3, maxRetryAfterMs: 5_000, baseDelayMs: 100, deadlineMs: 20_000 };

function fakeClock(): RetryClock & { waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return { waits, now: () => t, random: () => 0.5, sleep: (ms) => ((t += ms), waits.push(ms), Promise.resolve()) };
}

describe('withRetry', () => {
  it('retries retryable errors with exponential backoff and returns the first success', async () => {
    const clock = fakeClock();
    let n = 0;
    const r = await withRetry(() => (n++ < 2 ? Promise.reject(new ServerError('x', ctx)) : Promise.resolve('ok')), policy, clock);
    assert.equal(r.value, 'ok');
    assert.equal(r.attempts, 3);
    assert.deepEqual(clock.waits, [100, 200]);
  });

  it('waits what retry-after asks, up to the cap, and gives up beyond it', async () => {
    const clock = fakeClock();
    let n = 0;
    await withRetry(() => (n++ === 0 ? Promise.reject(new RateLimitError('x', ctx, 4_000)) : Promise.resolve(1)), policy, clock);
    assert.deepEqual(clock.waits, [4_000]);
    const e = await withRetry(() => Promise.reject(new RateLimitError('x', ctx, 6_000)), policy, clock).catch((x: unknown) => x);
    assert.ok(e instanceof RateLimitError);
    assert.equal(e.retryAfterMs, 6_000);
    assert.deepEqual(clock.waits, [4_000]);
  });

  it('stops after maxRetries', async () => {
    let n = 0;
    await assert.rejects(
      withRetry(() => (n++, Promise.reject(new ServerError('x', ctx))), policy, fakeClock()),
      ServerError,
    );
    assert.equal(n, 4);
  });

  it('never waits past the overall deadline', async () => {
    const clock = fakeClock();
    let n = 0;
    await assert.rejects(withRetry(() => (n++, Promise.reject(new RateLimitError('x', ctx, 5_000))), { ...policy, deadlineMs: 12_000 }, clock), RateLimitError);
    assert.deepEqual(clock.waits, [5_000, 5_000]);
    assert.equal(n, 3);
  });

  it('does not retry once text was streamed to the caller', async () => {
    let n = 0;
    await assert.rejects(
      withRetry((_i, state) => {
        n++;
        state.streamedText = true;
        return Promise.reject(new ConnectionLostError('x', ctx));
      }, policy, fakeClock()),
      ConnectionLostError,
    );
    assert.equal(n, 1);
  });

  it('sums the usage of billed failed attempts into the final error and result', async () => {
    const billed = { ...emptyUsage(), inputTokens: 10, outputTokens: 2 };
    const e = await withRetry(() => Promise.reject(new ConnectionLostError('x', { ...ctx, usage: billed })), { ...policy, maxRetries: 2 }, fakeClock()).catch((x: unknown) => x);
    assert.ok(e instanceof ConnectionLostError);
    assert.equal(e.usage?.inputTokens, 30);
    let n = 0;
    const r = await withRetry(() => (n++ === 0 ? Promise.reject(new ServerError('x', { ...ctx, usage: billed })) : Promise.resolve('ok')), policy, fakeClock());
    assert.equal(r.earlierUsage.inputTokens, 10);
  });

  it('keeps an unreported usage of an earlier attempt on the final error (it may hide a bill)', async () => {
    let n = 0;
    const attempt = () => Promise.reject(n++ === 0 ? new ServerError('x', { ...ctx, usage: unreportedUsage() }) : new ServerError('x', ctx));
    const e = await withRetry(attempt, { ...policy, maxRetries: 1 }, fakeClock()).catch((x: unknown) => x);
    assert.ok(e instanceof ServerError);
    assert.equal(e.usage?.unreported, true);
  });

  it('turns an abort during the wait into a cancellation', async () => {
    const ac = new AbortController();
    const clock: RetryClock = {
      now: () => 0,
      random: () => 0.5,
      sleep: () => {
        ac.abort();
        return Promise.reject(new Error('aborted'));
      },
    };
    await assert.rejects(withRetry(() => Promise.reject(new ServerError('x', ctx)), policy, clock, ac.signal), CallCancelledError);
  });
});
