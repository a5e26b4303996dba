import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { toCallRecord } from '../../../../src/common/providers/callRecord';
import { costOf } from '../../../../src/common/providers/pricing';
import { toCallEntry } from '../../../../src/common/ledger/entry';
import type { ChatRequest, ModelSpec } from '../../../../src/common/providers/types';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { anthropicSpec, collectingLogger, KEY, keyFor, localSpec, openaiSpec, quickRetry, recordingClock } from './support';

/**
 * A server that reports no token usage must not be costed as 0 tokens: through the real SDK adapters, a reply
 * without usage comes back `unreported`, a priced model's cost is then unknown (undefined, a null in the ledger)
 * and a free model's stays 0.
 */
describe('usage the provider did not report', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const opts = () => ({ logger: collectingLogger(), clock: recordingClock(), retry: quickRetry });
  const ask = (streaming: boolean): ChatRequest => ({ messages: [{ role: 'user', content: 'bid' }], ...(streaming ? { onText: () => undefined } : {}) });
  const zero = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };

  for (const streaming of [false, true]) {
    const wire = streaming ? 'SSE' : 'JSON';

    it(`OpenAI: a reply without usage is unreported and a priced model's cost is unknown (${wire})`, async () => {
      const spec = openaiSpec(server.openaiBaseUrl);
      server.script(spec.model, { kind: 'chat', text: 'one two three', noUsage: true });
      const r = await createModelClient(spec, keyFor(KEY), opts()).chat(ask(streaming));
      if (streaming) assert.deepEqual(server.requests[0]?.body?.stream_options, { include_usage: true }, 'usage was asked for and still not sent');
      assert.equal(r.text, 'one two three');
      assert.deepEqual(r.usage, { ...zero, unreported: true });
      assert.equal(costOf(r.usage, spec.price), undefined);
      const entry = toCallEntry(toCallRecord(spec, { phase: 'bidding', time: '2026-01-01T00:00:00.000Z' }, { response: r }));
      assert.equal(entry.dollars, null, 'the ledger records an unknown cost, not $0');
      assert.equal(entry.call.usage.unreported, true);
    });

    it(`OpenAI: a free local model without usage still costs 0 (${wire})`, async () => {
      const spec = localSpec(server.openaiBaseUrl);
      server.script(spec.model, { kind: 'chat', text: 'ok', noUsage: true });
      const r = await createModelClient(spec, keyFor(undefined), opts()).chat(ask(streaming));
      assert.equal(r.usage.unreported, true);
      assert.equal(costOf(r.usage, spec.price), 0);
      assert.equal(toCallEntry(toCallRecord(spec, { phase: 'execution' }, { response: r })).dollars, 0);
    });

    it(`OpenAI: a reply with usage is reported, not flagged (${wire})`, async () => {
      const spec = openaiSpec(server.openaiBaseUrl);
      server.script(spec.model, { kind: 'chat', text: 'ok', usage: { input: 10, output: 1 } });
      const r = await createModelClient(spec, keyFor(KEY), opts()).chat(ask(streaming));
      assert.deepEqual(r.usage, { ...zero, inputTokens: 10, outputTokens: 1 });
      assert.equal(costOf(r.usage, spec.price), (10 * 2 + 8) / 1e6);
    });

    it(`Anthropic: a message without usage is unreported and its cost unknown (${wire})`, async () => {
      const spec = anthropicSpec(server.url);
      server.script(spec.model, { kind: 'chat', text: 'Score: 4', noUsage: true });
      const r = await createModelClient(spec, keyFor(KEY), opts()).chat(ask(streaming));
      assert.equal(r.text, 'Score: 4');
      assert.deepEqual(r.usage, { ...zero, unreported: true });
      assert.equal(costOf(r.usage, spec.price), undefined);
      const free: ModelSpec = { ...spec, price: { inputPerMTok: 0, outputPerMTok: 0, source: 'settings' } };
      assert.equal(costOf(r.usage, free.price), 0);
    });
  }

  it('OpenAI: a server that ignores only include_usage (noStreamUsage) is unreported too', async () => {
    const spec = openaiSpec(server.openaiBaseUrl);
    server.script(spec.model, { kind: 'chat', text: 'a b', noStreamUsage: true });
    const r = await createModelClient(spec, keyFor(KEY), opts()).chat(ask(true));
    assert.equal(r.usage.unreported, true);
    assert.equal(costOf(r.usage, spec.price), undefined);
  });

  it('OpenAI: embeddings without usage are unreported', async () => {
    const spec = openaiSpec(server.openaiBaseUrl, { model: 'text-embedding-3-small' });
    server.script(spec.model, { kind: 'embedding', vectors: [[1, 0]], noUsage: true });
    const r = await createModelClient(spec, keyFor(KEY), opts()).embed!(['x']);
    assert.deepEqual(r.vectors, [[1, 0]]);
    assert.equal(r.usage.unreported, true);
    assert.equal(costOf(r.usage, spec.price), undefined);
  });
});
