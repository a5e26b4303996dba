import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { costOf } from '../../../../src/common/providers/pricing';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { anthropicSpec, claudePrice, KEY, keyFor } from './support';

describe('AnthropicClient over the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const client = () => createModelClient(anthropicSpec(server.url), keyFor(KEY));
  const usage = { input: 800, output: 20, cachedInput: 1000, cacheWrite: 200 };

  it('sends the messages body with the version header and returns text, usage normalised with cache tokens, and cost', async () => {
    server.script('claude-sonnet-4-5', { kind: 'chat', text: 'Score: 4', usage });
    const r = await client().chat({ system: 'You are a juror.', messages: [{ role: 'user', content: 'judge' }], maxTokens: 64, logprobs: { topAlternatives: 3 } });
    const req = server.requests[0];
    assert.equal(req?.path, '/v1/messages');
    assert.ok(req?.headers['anthropic-version']);
    assert.equal(req?.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(req?.body, { model: 'claude-sonnet-4-5', max_tokens: 64, system: 'You are a juror.', messages: [{ role: 'user', content: [{ type: 'text', text: 'judge' }] }] });
    assert.equal(r.text, 'Score: 4');
    assert.equal(r.finishReason, 'stop');
    assert.equal(r.logprobs, undefined);
    // Port convention: inputTokens includes cache reads and writes (Anthropic reports them beside input_tokens).
    assert.deepEqual(r.usage, { inputTokens: 2000, outputTokens: 20, cachedInputTokens: 1000, cacheWriteInputTokens: 200, reasoningTokens: 0 });
    assert.equal(costOf(r.usage, claudePrice), (800 * 3 + 1000 * 0.3 + 200 * 3.75 + 20 * 15) / 1e6);
  });

  it('streams text deltas and reads usage from message_start and message_delta', async () => {
    server.script('claude-sonnet-4-5', { kind: 'chat', text: 'first second third', usage });
    const deltas: string[] = [];
    const r = await client().chat({ messages: [{ role: 'user', content: 'go' }], onText: (d) => deltas.push(d) });
    assert.equal(server.requests[0]?.body?.stream, true);
    assert.deepEqual(deltas, ['first', ' second', ' third']);
    assert.equal(r.text, 'first second third');
    assert.deepEqual(r.usage, { inputTokens: 2000, outputTokens: 20, cachedInputTokens: 1000, cacheWriteInputTokens: 200, reasoningTokens: 0 });
  });

  for (const streaming of [false, true]) {
    it(`sends tools and returns tool_use blocks as tool calls (${streaming ? 'SSE with input_json_delta' : 'JSON'})`, async () => {
      server.script('claude-sonnet-4-5', {
        kind: 'chat',
        text: 'Let me look.',
        toolCalls: [
          { id: 'toolu_1', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
          { id: 'toolu_2', name: 'search', arguments: '{"query":"x"}' },
        ],
      });
      const tools = [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];
      const r = await client().chat({ messages: [{ role: 'user', content: 'look' }], tools, ...(streaming ? { onText: () => undefined } : {}) });
      assert.deepEqual(server.requests[0]?.body?.tools, [{ name: 'read_file', description: 'Read a file', input_schema: tools[0]?.parameters }]);
      assert.equal(r.text, 'Let me look.');
      assert.equal(r.finishReason, 'tool_calls');
      assert.deepEqual(r.toolCalls, [
        { id: 'toolu_1', name: 'read_file', argumentsJson: '{"path":"src/a.ts"}' },
        { id: 'toolu_2', name: 'search', argumentsJson: '{"query":"x"}' },
      ]);
    });
  }

  it('keeps every streamed tool call even when one has malformed input JSON', async () => {
    server.script('claude-sonnet-4-5', {
      kind: 'chat',
      toolCalls: [
        { id: 'toolu_1', name: 'read_file', arguments: '{"path": "a' },
        { id: 'toolu_2', name: 'search', arguments: '{"query":"x"}' },
      ],
    });
    const r = await client().chat({ messages: [{ role: 'user', content: 'look' }], onText: () => undefined });
    assert.deepEqual(
      r.toolCalls.map((t) => [t.name, t.argumentsJson]),
      [
        ['read_file', '{"path": "a'],
        ['search', '{"query":"x"}'],
      ],
    );
  });

  it('merges tool results into one user turn after the assistant tool_use turn', async () => {
    server.script('claude-sonnet-4-5', { kind: 'chat', text: 'ok' });
    await client().chat({
      messages: [
        { role: 'user', content: 'read both' },
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'read_file', argumentsJson: '{"path":"a"}' }, { id: 't2', name: 'read_file', argumentsJson: '{"path":"b"}' }] },
        { role: 'tool', toolCallId: 't1', toolName: 'read_file', content: 'A' },
        { role: 'tool', toolCallId: 't2', toolName: 'read_file', content: 'B', isError: true },
      ],
    });
    const messages = server.requests[0]?.body?.messages as { role: string; content: unknown[] }[];
    assert.equal(messages.length, 3);
    assert.deepEqual(messages[1]?.content, [
      { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } },
      { type: 'tool_use', id: 't2', name: 'read_file', input: { path: 'b' } },
    ]);
    assert.deepEqual(messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', content: 'A' },
        { type: 'tool_result', tool_use_id: 't2', content: 'B', is_error: true },
      ],
    });
  });

  for (const streaming of [false, true]) {
    it(`gets structured output through a forced tool and validates it (${streaming ? 'SSE' : 'JSON'})`, async () => {
      const schema = z.object({ score: z.int().min(0).max(5), why: z.string() });
      server.script('claude-sonnet-4-5', { kind: 'chat', toolCalls: [{ id: 'toolu_j', name: 'judgement', arguments: '{"score":4,"why":"clear plan"}' }] });
      const r = await client().chat({ messages: [{ role: 'user', content: 'judge' }], responseFormat: { name: 'judgement', schema }, ...(streaming ? { onText: () => undefined } : {}) });
      const body = server.requests[0]?.body;
      assert.deepEqual(body?.tool_choice, { type: 'tool', name: 'judgement' });
      const tool = (body?.tools as { name: string; input_schema: { properties: Record<string, unknown> } }[])[0];
      assert.equal(tool?.name, 'judgement');
      assert.deepEqual(Object.keys(tool?.input_schema.properties ?? {}), ['score', 'why']);
      assert.deepEqual(r.parsed, { score: 4, why: 'clear plan' });
      assert.deepEqual(r.toolCalls, []);
      assert.equal(r.finishReason, 'stop');
    });
  }

  it('offers no embeddings', () => {
    assert.equal('embed' in client(), false);
  });
});
