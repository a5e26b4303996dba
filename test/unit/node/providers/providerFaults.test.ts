import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { toCallRecord } from '../../../../src/common/providers/callRecord';
import {
  AuthenticationError,
  CallCancelledError,
  ConnectionLostError,
  ConnectionRefusedError,
  ContextLengthError,
  MalformedReplyError,
  MissingApiKeyError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../../../src/common/providers/errors';
import { isCancellation } from '../../../../src/common/errors';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import type { ModelSpec } from '../../../../src/common/providers/types';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { anthropicSpec, collectingLogger, KEY, keyFor, localSpec, noRetry, openaiSpec, quickRetry, recordingClock, until } from './support';

const formats = [
  { name: 'OpenAI', spec: (s: LoopbackServer) => openaiSpec(s.openaiBaseUrl), model: 'gpt-4.1-mini' },
  { name: 'Anthropic', spec: (s: LoopbackServer) => anthropicSpec(s.url), model: 'claude-sonnet-4-5' },
];
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };
const streamed = { ...ask, onText: () => undefined };

describe('provider faults, mapped to typed errors', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  for (const f of formats) {
    const make = (opts: { retry?: typeof quickRetry; clock?: ReturnType<typeof recordingClock>; timeout?: number; key?: string; spec?: ModelSpec } = {}) =>
      createModelClient(opts.spec ?? f.spec(server), keyFor(opts.key ?? KEY), {
        logger: collectingLogger(),
        retry: opts.retry ?? quickRetry,
        clock: opts.clock ?? recordingClock(),
        requestTimeoutMs: opts.timeout,
      });

    describe(f.name, () => {
      it('honours retry-after on 429, then succeeds', async () => {
        const clock = recordingClock();
        server.script(f.model, { kind: 'error', status: 429, headers: { 'retry-after': '2' } }, { kind: 'chat', text: 'ok', usage: { input: 5, output: 1 } });
        const r = await make({ clock }).chat(ask);
        assert.equal(r.text, 'ok');
        assert.deepEqual(clock.waits, [2000]);
        assert.equal(server.requestsFor(f.model).length, 2);
      });

      it('gives up at once with the wait time when retry-after exceeds the cap', async () => {
        const clock = recordingClock();
        server.script(f.model, { kind: 'error', status: 429, headers: { 'retry-after': '3600' } });
        const e = await make({ clock }).chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof RateLimitError);
        assert.equal(e.retryAfterMs, 3_600_000);
        assert.deepEqual(e.nextStep, { kind: 'retry', afterMs: 3_600_000 });
        assert.deepEqual(clock.waits, []);
        assert.equal(server.requestsFor(f.model).length, 1);
      });

      it('retries a 500 a bounded number of times, then reports a ServerError', async () => {
        const clock = recordingClock();
        server.setDefault({ kind: 'error', status: 500, message: 'boom' });
        const e = await make({ clock }).chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof ServerError, String(e));
        assert.equal(e.status, 500);
        assert.equal(server.requestsFor(f.model).length, 3);
        assert.equal(clock.waits.length, 2);
      });

      it('does not retry a rejected key and offers "Set API key"', async () => {
        server.setDefault({ kind: 'error', status: 401, message: 'invalid x-api-key' });
        const e = await make().chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof AuthenticationError);
        assert.equal(e.nextStep?.kind, 'setApiKey');
        assert.equal(server.requests.length, 1);
      });

      it('fails with MissingApiKeyError before any request when no key is stored', async () => {
        const c = createModelClient(f.spec(server), keyFor(undefined));
        const e = await c.chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof MissingApiKeyError);
        assert.equal(e.nextStep?.kind, 'setApiKey');
        assert.equal(server.requests.length, 0);
      });

      it('maps a context-length 400 to ContextLengthError, not retried', async () => {
        const message = f.name === 'OpenAI' ? "This model's maximum context length is 128000 tokens." : 'prompt is too long: 250000 tokens > 200000 maximum';
        server.setDefault({ kind: 'error', status: 400, message, code: f.name === 'OpenAI' ? 'context_length_exceeded' : undefined });
        const e = await make().chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof ContextLengthError, String(e));
        assert.equal(server.requests.length, 1);
      });

      for (const mode of ['JSON', 'SSE'] as const) {
        const req = mode === 'SSE' ? streamed : ask;
        it(`maps malformed JSON to MalformedReplyError (${mode}) without writing to the console`, async () => {
          const logger = collectingLogger();
          server.setDefault({ kind: 'malformed-json' });
          const c = createModelClient(f.spec(server), keyFor(KEY), { logger, retry: noRetry });
          const e = await withConsoleWatched(() => c.chat(req).catch((x: unknown) => x));
          assert.ok(e.value instanceof MalformedReplyError, String(e.value));
          assert.deepEqual(e.consoleCalls, []);
        });

        it(`maps a connection cut in the middle to ConnectionLostError (${mode})`, async () => {
          server.setDefault({ kind: 'cut', reply: { kind: 'chat', text: 'a b c d e f', usage: { input: 40, output: 6 } }, afterEvents: 3 });
          const e = await make({ retry: noRetry }).chat(req).catch((x: unknown) => x);
          assert.ok(e instanceof ConnectionLostError, String(e));
        });
      }

      it('maps a 200 with an HTML body to MalformedReplyError', async () => {
        server.setDefault({ kind: 'non-json' });
        const e = await make({ retry: noRetry }).chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof MalformedReplyError, String(e));
      });

      it('maps an error event inside the stream to ServerError', async () => {
        server.setDefault({ kind: 'stream-error', reply: { kind: 'chat', text: 'a b c' }, afterEvents: 2, message: 'Overloaded' });
        const e = await make({ retry: noRetry }).chat(streamed).catch((x: unknown) => x);
        assert.ok(e instanceof ServerError, String(e));
      });

      it('does not retry once text has been streamed to the caller', async () => {
        server.setDefault({ kind: 'cut', reply: { kind: 'chat', text: 'a b c d e f' }, afterEvents: 4 });
        const seen: string[] = [];
        const e = await make().chat({ ...ask, onText: (d) => seen.push(d) }).catch((x: unknown) => x);
        assert.ok(e instanceof ConnectionLostError);
        assert.ok(seen.length > 0);
        assert.equal(server.requests.length, 1);
      });

      it('times out a slow reply with TimeoutError', async () => {
        server.setDefault({ kind: 'slow', delayMs: 30_000, reply: { kind: 'chat', text: 'late' } });
        const e = await make({ retry: noRetry, timeout: 150 }).chat(ask).catch((x: unknown) => x);
        assert.ok(e instanceof TimeoutError, String(e));
      });

      for (const mode of ['JSON', 'SSE'] as const) {
        it(`times out a reply that stalls after it started (${mode})`, async () => {
          server.setDefault({ kind: 'stall', reply: { kind: 'chat', text: 'a b c d' }, afterEvents: 3 });
          const e = await make({ retry: noRetry, timeout: 150 })
            .chat(mode === 'SSE' ? streamed : ask)
            .catch((x: unknown) => x);
          assert.ok(e instanceof TimeoutError, String(e));
        });
      }

      it('does not pass off a stream that ended early as a complete reply', async () => {
        server.setDefault({ kind: 'truncated', reply: { kind: 'chat', text: 'a b c d' }, afterEvents: 3 });
        const e = await make({ retry: noRetry }).chat(streamed).catch((x: unknown) => x);
        assert.ok(e instanceof ConnectionLostError, String(e));
      });

      it('cancels a stream mid-way when the signal aborts, rather than returning the partial text', async () => {
        // Five events reach the first text delta in both formats (Anthropic opens with message_start, a block start and a ping).
        server.setDefault({ kind: 'stall', reply: { kind: 'chat', text: 'a b c d' }, afterEvents: 5 });
        const ac = new AbortController();
        const e = await make({ timeout: 10_000 })
          .chat({ ...ask, signal: ac.signal, onText: () => ac.abort() })
          .catch((x: unknown) => x);
        assert.ok(e instanceof CallCancelledError, String(e));
      });

      it('cancels a call in flight when the signal aborts', async () => {
        server.setDefault({ kind: 'slow', delayMs: 30_000, reply: { kind: 'chat', text: 'late' } });
        const ac = new AbortController();
        const p = make().chat({ ...ask, signal: ac.signal }).catch((x: unknown) => x);
        await until(() => server.requests.length === 1);
        ac.abort();
        const e = await p;
        assert.ok(e instanceof CallCancelledError, String(e));
        assert.ok(isCancellation(e));
        assert.equal(server.requests.length, 1);
      });
    });
  }

  it('maps Anthropic 529 overloaded to ServerError and retries it', async () => {
    const clock = recordingClock();
    server.script('claude-sonnet-4-5', { kind: 'error', status: 529, message: 'Overloaded' }, { kind: 'chat', text: 'fine' });
    const c = createModelClient(anthropicSpec(server.url), keyFor(KEY), { clock, retry: quickRetry });
    assert.equal((await c.chat(ask)).text, 'fine');
    assert.equal(clock.waits.length, 1);
    server.setDefault({ kind: 'error', status: 529, message: 'Overloaded' });
    const e = await createModelClient(anthropicSpec(server.url), keyFor(KEY), { clock, retry: noRetry }).chat(ask).catch((x: unknown) => x);
    assert.ok(e instanceof ServerError);
    assert.match(e.message, /overloaded/);
  });

  it('reports the usage Anthropic billed before a stream was cut, and the ledger record keeps it', async () => {
    server.setDefault({ kind: 'cut', reply: { kind: 'chat', text: 'a b c', usage: { input: 900, output: 3, cachedInput: 100 } }, afterEvents: 3 });
    const spec = anthropicSpec(server.url);
    const e = await createModelClient(spec, keyFor(KEY), { retry: noRetry }).chat(streamed).catch((x: unknown) => x);
    assert.ok(e instanceof ConnectionLostError);
    assert.deepEqual(e.usage, { inputTokens: 1000, outputTokens: 1, cachedInputTokens: 100, cacheWriteInputTokens: 0, reasoningTokens: 0 });
    const rec = toCallRecord(spec, { phase: 'bidding', auctionId: 'a1' }, { error: e });
    assert.equal(rec.ok, false);
    assert.equal(rec.errorCode, 'connection-lost');
    assert.equal(rec.dollars, (900 * 3 + 100 * 0.3 + 1 * 15) / 1e6);
  });

  it('adds the usage of a billed failed attempt to the retried call', async () => {
    server.script(
      'claude-sonnet-4-5',
      { kind: 'cut', reply: { kind: 'chat', text: 'x y', usage: { input: 50, output: 2 } }, afterEvents: 1 },
      { kind: 'chat', text: 'ok', usage: { input: 50, output: 1 } },
    );
    const r = await createModelClient(anthropicSpec(server.url), keyFor(KEY), { retry: quickRetry, clock: recordingClock() }).chat(streamed);
    assert.equal(r.text, 'ok');
    assert.equal(r.usage.inputTokens, 100);
  });

  it('says "is Ollama running?" in effect when a local server refuses the connection', async () => {
    const closedPort = await freePort();
    const spec = localSpec(`http://127.0.0.1:${closedPort}/v1`);
    const e = await createModelClient(spec, keyFor(undefined), { retry: quickRetry, clock: recordingClock() }).chat(ask).catch((x: unknown) => x);
    assert.ok(e instanceof ConnectionRefusedError, String(e));
    assert.deepEqual(e.nextStep, { kind: 'startLocalServer', server: 'the local model server', baseUrl: spec.baseUrl });
    assert.match(e.message, /Is the local model server running\?/);
  });
});

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Runs `fn` with console output captured: the SDKs must log through our Logger only. */
async function withConsoleWatched<T>(fn: () => Promise<T>): Promise<{ value: T; consoleCalls: string[] }> {
  const calls: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info, debug: console.debug };
  for (const k of Object.keys(saved) as (keyof typeof saved)[]) console[k] = (...a: unknown[]) => void calls.push(`${k}: ${a.map(String).join(' ')}`);
  try {
    return { value: await fn(), consoleCalls: calls };
  } finally {
    Object.assign(console, saved);
  }
}
