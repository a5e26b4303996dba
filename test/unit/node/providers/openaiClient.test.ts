import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { costOf } from '../../../../src/common/providers/pricing';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LOCAL_PLACEHOLDER_KEY } from '../../../../src/common/providers/providerKey';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { collectingLogger, KEY, keyFor, localSpec, openaiSpec, quickRetry, recordingClock } from './support';

describe('OpenAIClient over the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const client = (over = {}) => createModelClient(openaiSpec(server.openaiBaseUrl, over), keyFor(KEY), { logger: collectingLogger(), clock: recordingClock(), retry: quickRetry });

  it('sends logprobs flags and returns text, logprobs with alternatives, usage and cost (JSON)', async () => {
    server.script('gpt-4.1-mini', {
      kind: 'chat',
      tokens: [
        { token: 'Plan', logprob: -0.1, top: [{ token: 'Plan', logprob: -0.1 }, { token: 'Step', logprob: -2.5 }, { token: 'First', logprob: -3 }] },
        { token: ': read', logprob: -0.7, top: [{ token: ': read', logprob: -0.7 }, { token: ': edit', logprob: -0.9 }] },
      ],
      usage: { input: 1000, output: 2, cachedInput: 400 },
    });
    const r = await client().chat({ system: 'be brief', messages: [{ role: 'user', content: 'bid' }], logprobs: { topAlternatives: 2 }, maxTokens: 50, temperature: 0.2 });
    const req = server.requests[0];
    assert.equal(req?.path, '/v1/chat/completions');
    assert.equal(req?.body?.model, 'gpt-4.1-mini');
    assert.equal(req?.body?.logprobs, true);
    assert.equal(req?.body?.top_logprobs, 2);
    assert.equal(req?.body?.max_completion_tokens, 50);
    assert.equal(req?.body?.temperature, 0.2);
    assert.equal(req?.body?.stream, undefined);
    assert.deepEqual(req?.body?.messages, [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'bid' },
    ]);
    assert.equal(req?.headers.authorization, `Bearer ${KEY}`);
    assert.equal(r.text, 'Plan: read');
    assert.equal(r.finishReason, 'stop');
    assert.deepEqual(r.logprobs, [
      { token: 'Plan', logprob: -0.1, top: [{ token: 'Plan', logprob: -0.1 }, { token: 'Step', logprob: -2.5 }] },
      { token: ': read', logprob: -0.7, top: [{ token: ': read', logprob: -0.7 }, { token: ': edit', logprob: -0.9 }] },
    ]);
    assert.deepEqual(r.usage, { inputTokens: 1000, outputTokens: 2, cachedInputTokens: 400, cacheWriteInputTokens: 0, reasoningTokens: 0 });
    assert.equal(r.model, 'gpt-4.1-mini');
    assert.equal(costOf(r.usage, client().spec.price), (600 * 2 + 400 * 0.5 + 2 * 8) / 1e6);
  });

  it('streams with stream_options.include_usage and reads the final usage chunk', async () => {
    server.script('gpt-4.1-mini', { kind: 'chat', text: 'one two three', usage: { input: 12, output: 3, reasoning: 1 } });
    const deltas: string[] = [];
    const r = await client().chat({ messages: [{ role: 'user', content: 'go' }], logprobs: { topAlternatives: 1 }, onText: (d) => deltas.push(d) });
    const body = server.requests[0]?.body;
    assert.equal(body?.stream, true);
    assert.deepEqual(body?.stream_options, { include_usage: true });
    assert.deepEqual(deltas, ['one', ' two', ' three']);
    assert.equal(r.text, 'one two three');
    assert.equal(r.logprobs?.length, 3);
    assert.equal(r.logprobs?.[1]?.token, ' two');
    assert.equal(r.logprobs?.[1]?.top.length, 1);
    assert.deepEqual(r.usage, { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 1 });
    assert.equal(r.finishReason, 'stop');
  });

  it('returns no logprobs from a server that ignores the request (LM Studio), streaming or not', async () => {
    server.script('gpt-4.1-mini', { kind: 'chat', text: 'a b', noLogprobs: true }, { kind: 'chat', text: 'a b', noLogprobs: true });
    const json = await client().chat({ messages: [{ role: 'user', content: 'x' }], logprobs: { topAlternatives: 2 } });
    const streamed = await client().chat({ messages: [{ role: 'user', content: 'x' }], logprobs: { topAlternatives: 2 }, onText: () => undefined });
    assert.equal(json.logprobs, undefined);
    assert.equal(streamed.logprobs, undefined);
  });

  for (const streaming of [false, true]) {
    it(`sends tools and assembles tool calls (${streaming ? 'SSE' : 'JSON'})`, async () => {
      server.script('gpt-4.1-mini', {
        kind: 'chat',
        toolCalls: [
          { id: 'call_a', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
          { id: 'call_b', name: 'search', arguments: '{"query":"TODO"}' },
        ],
      });
      const tools = [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
      const r = await client().chat({ messages: [{ role: 'user', content: 'look' }], tools, ...(streaming ? { onText: () => undefined } : {}) });
      assert.deepEqual(server.requests[0]?.body?.tools, [{ type: 'function', function: tools[0] }]);
      assert.equal(r.finishReason, 'tool_calls');
      assert.deepEqual(r.toolCalls, [
        { id: 'call_a', name: 'read_file', argumentsJson: '{"path":"src/a.ts"}' },
        { id: 'call_b', name: 'search', argumentsJson: '{"query":"TODO"}' },
      ]);
    });
  }

  it('sends a tool conversation back in the OpenAI shape', async () => {
    server.script('gpt-4.1-mini', { kind: 'chat', text: 'done' });
    await client().chat({
      messages: [
        { role: 'user', content: 'read it' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', argumentsJson: '{"path":"a"}' }] },
        { role: 'tool', toolCallId: 'c1', toolName: 'read_file', content: 'file text' },
      ],
    });
    const messages = server.requests[0]?.body?.messages as unknown[];
    assert.deepEqual(messages[1], { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] });
    assert.deepEqual(messages[2], { role: 'tool', tool_call_id: 'c1', content: 'file text' });
  });

  it('asks for json_schema structured output from a zod schema and validates the reply', async () => {
    const schema = z.object({ plan: z.string(), files: z.array(z.string()) });
    server.script('gpt-4.1-mini', { kind: 'chat', text: '{"plan":"edit a","files":["a.ts"]}' }, { kind: 'chat', text: '{"plan":3}' });
    const ok = await client().chat({ messages: [{ role: 'user', content: 'bid' }], responseFormat: { name: 'bid', schema } });
    const format = server.requests[0]?.body?.response_format as { type: string; json_schema: { name: string; schema: { properties: Record<string, unknown>; required: string[] } } };
    assert.equal(format.type, 'json_schema');
    assert.equal(format.json_schema.name, 'bid');
    assert.deepEqual(Object.keys(format.json_schema.schema.properties), ['plan', 'files']);
    assert.deepEqual(format.json_schema.schema.required, ['plan', 'files']);
    assert.deepEqual(ok.parsed, { plan: 'edit a', files: ['a.ts'] });
    const bad = await client().chat({ messages: [{ role: 'user', content: 'bid' }], responseFormat: { name: 'bid', schema } });
    assert.equal(bad.parsed, undefined);
    assert.equal(bad.text, '{"plan":3}');
  });

  it('embeds through the SDK (base64 on the wire, decoded to numbers)', async () => {
    server.script('text-embedding-3-small', { kind: 'embedding', vectors: [[0.5, -0.25, 1], [0, 0.125, -1]], usage: { input: 7 } });
    const c = createModelClient(openaiSpec(server.openaiBaseUrl, { model: 'text-embedding-3-small' }), keyFor(KEY));
    const r = await c.embed?.(['a', 'b']);
    assert.ok(r, 'an OpenAI client embeds');
    assert.equal(server.requests[0]?.path, '/v1/embeddings');
    assert.equal(server.requests[0]?.body?.encoding_format, 'base64');
    assert.deepEqual(server.requests[0]?.body?.input, ['a', 'b']);
    assert.deepEqual(r.vectors, [[0.5, -0.25, 1], [0, 0.125, -1]]);
    assert.equal(r.usage.inputTokens, 7);
  });

  it('uses a placeholder key for a local server and max_tokens instead of max_completion_tokens', async () => {
    server.script('qwen3:8b', { kind: 'chat', text: 'hi' });
    const c = createModelClient(localSpec(server.openaiBaseUrl), keyFor(undefined));
    const r = await c.chat({ messages: [{ role: 'user', content: 'x' }], maxTokens: 9 });
    assert.equal(r.text, 'hi');
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${LOCAL_PLACEHOLDER_KEY}`);
    assert.equal(server.requests[0]?.body?.max_tokens, 9);
    assert.equal(server.requests[0]?.body?.max_completion_tokens, undefined);
  });

  it('asks again without logprobs when the model rejects them (OpenAI reasoning models)', async () => {
    server.script(
      'o4-mini',
      { kind: 'error', status: 400, when: { logprobs: true }, message: 'logprobs are not supported with reasoning models', code: 'invalid_request_error' },
      { kind: 'chat', when: { logprobs: false }, text: 'planned' },
    );
    const r = await createModelClient(openaiSpec(server.openaiBaseUrl, { model: 'o4-mini' }), keyFor(KEY)).chat({ messages: [{ role: 'user', content: 'x' }], logprobs: { topAlternatives: 2 } });
    assert.equal(r.text, 'planned');
    assert.equal(r.logprobs, undefined);
    assert.deepEqual(server.requests.map((q) => q.body?.logprobs), [true, undefined]);
  });

  it('plays several models at once from per-model queues and a default', async () => {
    server.script('m-a', { kind: 'chat', text: 'from a' }).script('m-b', { kind: 'chat', text: 'from b' }).setDefault({ kind: 'chat', text: 'default' });
    const [a, b, c] = await Promise.all(
      ['m-a', 'm-b', 'm-c'].map((model) => createModelClient(openaiSpec(server.openaiBaseUrl, { id: model, model }), keyFor(KEY)).chat({ messages: [{ role: 'user', content: 'x' }] })),
    );
    assert.deepEqual([a?.text, b?.text, c?.text], ['from a', 'from b', 'default']);
    assert.equal(server.requestsFor('m-b').length, 1);
  });
});
