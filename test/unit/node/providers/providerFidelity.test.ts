import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthenticationError, ProviderError, RateLimitError } from '../../../../src/common/providers/errors';
import { costOf } from '../../../../src/common/providers/pricing';
import type { ModelSpec } from '../../../../src/common/providers/types';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import type { RawReply } from '../../../fixtures/loopback/types';
import { ANTHROPIC_401, ANTHROPIC_429, ANTHROPIC_STREAM, OPENAI_401, OPENAI_429_QUOTA, OPENAI_CACHE_WRITE, OPENAI_STREAM, OPENAI_SYSTEM_ROLE_400 } from '../../../fixtures/providerReplies';
import { anthropicSpec, collectingLogger, KEY, keyFor, noRetry, openaiSpec, recordingClock } from './support';

// Provider replies in their exact wire form, replayed byte for byte through the real SDKs: what the adapters
// keep of usage, request ids and the provider's own explanations, and how they cope with a model that refuses the
// `system` role.
const raw = (r: { status?: number; headers: Record<string, string>; body: string }, splitAt?: number[]): RawReply => ({
  kind: 'raw',
  ...(r.status ? { status: r.status } : {}),
  headers: r.headers,
  body: r.body,
  ...(splitAt ? { splitAt } : {}),
});

describe('provider replies replayed byte for byte', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());
  const client = (spec: ModelSpec, logger = collectingLogger()) => createModelClient(spec, keyFor(KEY), { logger, retry: noRetry, clock: recordingClock() });
  const ask = { system: 'You are terse.', messages: [{ role: 'user' as const, content: 'hello' }] };

  it("keeps OpenAI's prompt-cache write in usage and prices it as a cache write", async () => {
    const spec = openaiSpec(server.openaiBaseUrl, { price: { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125, cacheWriteInputPerMTok: 1.5, source: 'settings' } });
    server.script(spec.model, raw(OPENAI_CACHE_WRITE));
    const res = await client(spec).chat(ask);
    assert.equal(res.usage.inputTokens, 1220);
    assert.equal(res.usage.cacheWriteInputTokens, 1217);
    assert.equal(res.usage.cachedInputTokens, 0);
    assert.equal(res.usage.reasoningTokens, 64);
    const expected = (3 * 1.25 + 1217 * 1.5 + 100 * 10) / 1e6;
    assert.ok(Math.abs((costOf(res.usage, spec.price) ?? NaN) - expected) < 1e-15);
  });

  it('a failed non-streamed reply that reports usage keeps that usage on its typed error (OpenAI and Anthropic)', async () => {
    const cases = [
      {
        spec: openaiSpec(server.openaiBaseUrl),
        body: JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion', model: 'gpt-4.1-mini', choices: [], usage: { prompt_tokens: 1200, completion_tokens: 340, total_tokens: 1540 } }),
      },
      {
        spec: anthropicSpec(server.url),
        body: JSON.stringify({ id: 'msg_x', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: null, stop_reason: 'end_turn', usage: { input_tokens: 1200, output_tokens: 340 } }),
      },
    ];
    for (const c of cases) {
      server.reset();
      server.script(c.spec.model, raw({ headers: { 'content-type': 'application/json' }, body: c.body }));
      const err = await client(c.spec).chat(ask).then(
        () => assert.fail('expected a failure'),
        (x: unknown) => x,
      );
      assert.ok(err instanceof ProviderError, String(err));
      assert.deepEqual([err.usage?.inputTokens, err.usage?.outputTokens], [1200, 340], `${c.spec.provider}: the billed usage is kept, not 0`);
    }
  });

  const errors = [
    { name: 'OpenAI 401', spec: (s: LoopbackServer) => openaiSpec(s.openaiBaseUrl), reply: OPENAI_401, type: AuthenticationError, explains: /Incorrect API key provided/, id: 'req_c45bfc7515dca54ef87c667f82100000' },
    { name: 'OpenAI 429 (quota)', spec: (s: LoopbackServer) => openaiSpec(s.openaiBaseUrl), reply: OPENAI_429_QUOTA, type: RateLimitError, explains: /exceeded your current quota/, id: 'req_0a1b2c3d4e5f60718293a4b5c6d70000' },
    { name: 'Anthropic 401', spec: (s: LoopbackServer) => anthropicSpec(s.url), reply: ANTHROPIC_401, type: AuthenticationError, explains: /invalid x-api-key/, id: 'req_011CSHoEeqs5C35K2UUq0000' },
    { name: 'Anthropic 429', spec: (s: LoopbackServer) => anthropicSpec(s.url), reply: ANTHROPIC_429, type: RateLimitError, explains: /30,000 input tokens per minute/, id: 'req_011CT0000RateLimited00000' },
  ];
  for (const e of errors) {
    it(`${e.name}: the typed error keeps the provider's explanation and its request id`, async () => {
      const spec = e.spec(server);
      server.script(spec.model, raw(e.reply));
      const logger = collectingLogger();
      const err = await client(spec, logger).chat(ask).then(
        () => assert.fail('expected a failure'),
        (x: unknown) => x,
      );
      assert.ok(err instanceof e.type, `${String(err)}`);
      assert.match(err.message, e.explains);
      assert.equal(err.requestId, e.id);
      assert.ok(err.message.includes(e.id), 'the message names the request id, so a user can quote it');
      assert.ok(!err.message.includes(KEY) && !logger.lines.join('\n').includes(KEY), 'the key appears nowhere');
    });
  }

  it('a model that rejects the system role is asked again with the instructions as the first user message, and remembered', async () => {
    const spec = openaiSpec(server.openaiBaseUrl, { model: 'o1-mini' });
    server.script(spec.model, raw(OPENAI_SYSTEM_ROLE_400), { kind: 'chat', text: 'first', usage: { input: 9, output: 1 } }, { kind: 'chat', text: 'second', usage: { input: 9, output: 1 } });
    const c = client(spec);
    assert.equal((await c.chat(ask)).text, 'first');
    assert.equal((await c.chat(ask)).text, 'second');
    const bodies = server.requests.filter((r) => r.api === 'openai-chat').map((r) => r.body as { messages: { role: string; content: string }[] });
    assert.equal(bodies.length, 3, 'one rejected call, then one call per request: the refusal is remembered');
    assert.equal(bodies[0]?.messages[0]?.role, 'system');
    for (const b of bodies.slice(1)) {
      assert.ok(b.messages.every((m) => m.role !== 'system'));
      assert.equal(b.messages[0]?.role, 'user');
      assert.equal(b.messages[0]?.content, 'You are terse.\n\nhello');
    }
  });

  const streams = [
    { name: 'OpenAI', spec: (s: LoopbackServer) => openaiSpec(s.openaiBaseUrl), reply: OPENAI_STREAM, usage: { input: 1220, output: 12, cached: 1024, write: 0 } },
    { name: 'Anthropic', spec: (s: LoopbackServer) => anthropicSpec(s.url), reply: ANTHROPIC_STREAM, usage: { input: 25 + 1800, output: 9, cached: 0, write: 1800 } },
  ];
  for (const s of streams) {
    it(`${s.name} stream: the same text and usage however the bytes are split (every boundary)`, async () => {
      const spec = s.spec(server);
      const c = client(spec);
      const size = Buffer.byteLength(s.reply.body);
      for (let cut = 0; cut < size; cut++) {
        server.script(spec.model, raw(s.reply, cut ? [cut] : undefined));
        let streamed = '';
        const res = await c.chat({ ...ask, onText: (d) => (streamed += d) });
        const where = `split at byte ${cut} of ${size}`;
        assert.equal(res.text, s.reply.text, where);
        assert.equal(streamed, s.reply.text, where);
        assert.deepEqual(
          { input: res.usage.inputTokens, output: res.usage.outputTokens, cached: res.usage.cachedInputTokens, write: res.usage.cacheWriteInputTokens },
          s.usage,
          where,
        );
        assert.equal(res.usage.unreported, undefined, where);
      }
    });
  }
});
