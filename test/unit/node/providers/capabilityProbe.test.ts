import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthenticationError } from '../../../../src/common/providers/errors';
import { probeCapabilities } from '../../../../src/common/providers/probe';
import { recordingClient } from '../../../../src/common/providers/recordingClient';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import type { LoopbackScript, Reply } from '../../../fixtures/loopback/types';
import { anthropicSpec, KEY, keyFor, localSpec, noRetry } from './support';

/** A server that really does tools and structured output; logprobs as `logprobs` says. */
function capableServer(logprobs: boolean): Reply[] {
  return [
    { kind: 'chat', when: { tools: true }, toolCalls: [{ name: 'report_status', arguments: '{"ok":true}' }] },
    { kind: 'chat', when: { structured: true }, text: '{"ok":true}' },
    { kind: 'chat', text: 'ready', noLogprobs: !logprobs },
  ];
}

describe('capability probe over the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('learns logprobs, streaming, tools and structured output from an OpenAI-compatible server', async () => {
    server.setDefault(capableServer(true));
    const r = await probeCapabilities(createModelClient(localSpec(server.openaiBaseUrl), keyFor(undefined), { retry: noRetry }));
    assert.deepEqual({ ...r.capabilities, probedAt: 'x' }, { streaming: true, logprobs: true, tools: true, structuredOutput: true, embeddings: false, probedAt: 'x' });
    assert.equal(r.responses.length, 3);
    const plain = server.requests.find((q) => q.body?.logprobs === true);
    assert.equal(plain?.body?.top_logprobs, 2);
    assert.ok(server.requests.every((q) => q.body !== undefined && !('reasoning_effort' in q.body)), 'the probe asks at the provider\'s default reasoning');
  });

  it('says no logprobs for a server that ignores them (LM Studio) and no tools when tool calls never come back', async () => {
    server.setDefault({ kind: 'chat', text: 'ready', noLogprobs: true });
    const r = await probeCapabilities(createModelClient(localSpec(server.openaiBaseUrl), keyFor(undefined), { retry: noRetry }));
    assert.equal(r.capabilities.logprobs, false);
    assert.equal(r.capabilities.tools, false);
    assert.equal(r.capabilities.structuredOutput, false);
  });

  it('treats a 400 for tools as "no tools", not as a failed probe', async () => {
    server.setDefault([{ kind: 'error', status: 400, message: 'tools are not supported', when: { tools: true } }, ...capableServer(true)]);
    const r = await probeCapabilities(createModelClient(localSpec(server.openaiBaseUrl), keyFor(undefined), { retry: noRetry }));
    assert.equal(r.capabilities.tools, false);
    assert.equal(r.capabilities.logprobs, true);
  });

  it('finds no logprobs on Anthropic, but tools and structured output (through the forced tool)', async () => {
    server.setDefault([{ kind: 'chat', when: { structured: true }, toolCalls: [{ name: 'status', arguments: '{"ok":true}' }] }, ...capableServer(true)]);
    const r = await probeCapabilities(createModelClient(anthropicSpec(server.url), keyFor(KEY), { retry: noRetry }));
    assert.equal(r.capabilities.logprobs, false);
    assert.equal(r.capabilities.tools, true);
    assert.equal(r.capabilities.structuredOutput, true);
    assert.equal(r.capabilities.streaming, true);
  });

  it('probes a member whose only role is embedder with one embedding call, no chat', async () => {
    server.setDefault({ kind: 'embedding', vectors: [[0.1, 0.2, 0.3]] });
    const r = await probeCapabilities(createModelClient({ ...localSpec(server.openaiBaseUrl), roles: ['embedder'] }, keyFor(undefined), { retry: noRetry }));
    assert.deepEqual({ ...r.capabilities, probedAt: 'x' }, { streaming: false, logprobs: false, tools: false, structuredOutput: false, embeddings: true, probedAt: 'x' });
    assert.deepEqual(server.requests.map((q) => q.api), ['openai-embeddings']);
  });

  it('throws the typed error when the model itself fails', async () => {
    server.setDefault({ kind: 'error', status: 401, message: 'bad key' });
    await assert.rejects(probeCapabilities(createModelClient(anthropicSpec(server.url), keyFor(KEY), { retry: noRetry })), AuthenticationError);
  });

  it('charges every probe call to the ledger under "probe", the answered ones with their priced usage and the failed ones too', async () => {
    server.setDefault([
      { kind: 'error', status: 400, message: 'tools are not supported', when: { tools: true } },
      { kind: 'chat', when: { structured: true }, text: '{"ok":true}', usage: { input: 20, output: 5 } },
      { kind: 'chat', text: 'ready', usage: { input: 12, output: 1 } },
    ]);
    const records: ModelCallRecord[] = [];
    const spec = localSpec(server.openaiBaseUrl, { price: { inputPerMTok: 2, outputPerMTok: 8, source: 'settings' } });
    const client = recordingClient(createModelClient(spec, keyFor(undefined), { retry: noRetry }), { record: (r) => records.push(r) }, () => ({ phase: 'probe' }));
    const r = await probeCapabilities(client);
    assert.equal(r.capabilities.tools, false);
    assert.equal(records.length, 3, 'plain, tool and structured calls, the refused one included');
    assert.ok(records.every((c) => c.phase === 'probe' && c.modelId === spec.id));
    const failed = records.filter((c) => !c.ok);
    assert.equal(failed.length, 1);
    const paid = records.filter((c) => c.ok).reduce((s, c) => s + (c.dollars ?? Number.NaN), 0);
    assert.ok(Math.abs(paid - ((20 + 12) * 2 + (5 + 1) * 8) / 1e6) < 1e-15, `probe dollars ${paid}`);
  });
});

describe('the Test Model Connections loopback script', () => {
  it('shows an OpenAI-compatible model with logprobs and an Anthropic-format one without', async () => {
    const fs = await import('node:fs');
    const script = JSON.parse(fs.readFileSync(`${import.meta.dirname}/../../../fixtures/loopback/scripts/testConnections.json`, 'utf8')) as LoopbackScript;
    const server = await LoopbackServer.start(script);
    try {
      const openai = await probeCapabilities(createModelClient(localSpec(server.openaiBaseUrl, { model: 'loopback-openai' }), keyFor(undefined), { retry: noRetry }));
      const anthropic = await probeCapabilities(createModelClient(anthropicSpec(server.url, { model: 'loopback-anthropic' }), keyFor(KEY), { retry: noRetry }));
      assert.equal(openai.capabilities.logprobs, true);
      assert.equal(anthropic.capabilities.logprobs, false);
      assert.equal(openai.capabilities.tools && anthropic.capabilities.tools, true);
    } finally {
      await server.close();
    }
  });
});
