// `reasoning_effort` on the wire: the real OpenAI SDK against the loopback server, as OpenAI's API answers it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RequestRejectedError } from '../../../../src/common/providers/errors';
import type { ChatRequest } from '../../../../src/common/providers/types';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import type { ErrorReply } from '../../../fixtures/loopback/types';
import { collectingLogger, KEY, keyFor, localSpec, openaiSpec, quickRetry, recordingClock } from './support';

/** OpenAI's reply, byte for byte in its fields, when a model (gpt-4.1, gpt-4o) is sent `reasoning_effort`. */
const UNSUPPORTED_EFFORT: ErrorReply = {
  kind: 'error',
  status: 400,
  when: { params: { reasoning_effort: true } },
  body: {
    error: {
      message: "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
      type: 'invalid_request_error',
      param: 'reasoning_effort',
      code: 'unsupported_parameter',
    },
  },
};

const ask = (over: Partial<ChatRequest> = {}): ChatRequest => ({ system: 'bid', messages: [{ role: 'user', content: 'plan it' }], reasoningEffort: 'low', ...over });
const streamed = { onText: () => undefined };
/** Info lines that tell the user the model does not take the option (each failed attempt is also logged, at debug). */
const told = (lines: readonly string[]) => lines.filter((l) => l.startsWith('info ') && l.includes('reasoning_effort')).length;

describe('reasoning_effort over the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const clientFor = (model: string, logger = collectingLogger()) =>
    createModelClient(openaiSpec(server.openaiBaseUrl, { id: `openai/${model}`, model }), keyFor(KEY), { logger, clock: recordingClock(), retry: quickRetry });

  for (const streaming of [false, true]) {
    it(`sends reasoning_effort in the JSON body, and nothing when the request has none (${streaming ? 'SSE' : 'JSON'})`, async () => {
      server.setDefault({ kind: 'chat', text: 'a plan', usage: { input: 40, output: 30, reasoning: 12 } });
      const c = clientFor('gpt-5-mini');
      const r = await c.chat(ask(streaming ? streamed : {}));
      await c.chat(ask({ reasoningEffort: undefined, ...(streaming ? streamed : {}) }));
      assert.equal(r.text, 'a plan');
      assert.equal(r.usage.reasoningTokens, 12);
      const [sent, plain] = server.requests;
      assert.equal(sent?.body?.stream, streaming ? true : undefined);
      assert.equal(sent?.body?.reasoning_effort, 'low');
      assert.equal(plain?.body !== undefined && 'reasoning_effort' in plain.body, false, 'absent: the provider default');
    });
  }

  it('sends it to an OpenAI-compatible server too (they take it, ignore it or reject it)', async () => {
    server.setDefault({ kind: 'chat', text: 'ok' });
    const c = createModelClient(localSpec(server.openaiBaseUrl), keyFor(undefined));
    await c.chat(ask({ reasoningEffort: 'minimal' }));
    assert.equal(server.requests[0]?.body?.reasoning_effort, 'minimal');
  });

  for (const streaming of [false, true]) {
    it(`asks again without it when the model rejects it, and leaves it out of the next calls (${streaming ? 'SSE' : 'JSON'} first)`, async () => {
      server.setDefault([UNSUPPORTED_EFFORT, { kind: 'chat', text: 'planned without effort' }]);
      const logger = collectingLogger();
      const c = clientFor('gpt-4.1', logger);
      const first = await c.chat(ask(streaming ? streamed : {}));
      assert.equal(first.text, 'planned without effort');
      assert.deepEqual(server.requests.map((q) => q.body?.reasoning_effort), ['low', undefined]);
      // The next calls, streaming and not, go out without it: one request each, no 400 first.
      await c.chat(ask(streaming ? {} : streamed));
      await c.chat(ask());
      assert.equal(server.requests.length, 4);
      assert.ok(server.requests.slice(1).every((q) => q.body !== undefined && !('reasoning_effort' in q.body)));
      assert.equal(told(logger.lines), 1);
    });
  }

  // Ollama turns reasoning_effort into `think` and refuses it for models that cannot think, in its OpenAI error shape.
  for (const message of ['think value "low" is not supported for this model', '"qwen2.5-coder:7b" does not support thinking']) {
    it(`asks again without it when Ollama refuses it: ${message}`, async () => {
      server.setDefault([
        { kind: 'error', status: 400, when: { params: { reasoning_effort: true } }, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } },
        { kind: 'chat', text: 'planned' },
      ]);
      const c = createModelClient(localSpec(server.openaiBaseUrl), keyFor(undefined));
      assert.equal((await c.chat(ask())).text, 'planned');
      await c.chat(ask());
      assert.deepEqual(server.requests.map((q) => q.body?.reasoning_effort), ['low', undefined, undefined]);
    });
  }

  it('learns nothing when the call without it fails too: the next call still sends it', async () => {
    const other: ErrorReply = { kind: 'error', status: 400, body: { error: { message: "Invalid value for 'messages[0].role'.", type: 'invalid_request_error', param: null, code: null } } };
    server.script('gpt-5-mini', UNSUPPORTED_EFFORT, other).setDefault({ kind: 'chat', text: 'ok' });
    const c = clientFor('gpt-5-mini');
    await assert.rejects(c.chat(ask()), RequestRejectedError);
    assert.equal((await c.chat(ask())).text, 'ok');
    assert.deepEqual(server.requests.map((q) => q.body?.reasoning_effort), ['low', undefined, 'low']);
  });

  it('logs once when parallel calls are all rejected before the first one learns it', async () => {
    server.setDefault([UNSUPPORTED_EFFORT, { kind: 'chat', text: 'ok' }]);
    const logger = collectingLogger();
    const c = clientFor('gpt-4o', logger);
    const replies = await Promise.all([c.chat(ask()), c.chat(ask(streamed)), c.chat(ask())]);
    assert.deepEqual(replies.map((r) => r.text), ['ok', 'ok', 'ok']);
    assert.equal(told(logger.lines), 1);
  });

  it('fails as before on a 400 that is not about reasoning_effort, even for a model whose id says "reasoning"', async () => {
    server.setDefault({
      kind: 'error',
      status: 400,
      body: { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } },
    });
    const c = clientFor('o3-reasoning');
    await assert.rejects(c.chat(ask()), RequestRejectedError);
    await assert.rejects(c.chat(ask()), RequestRejectedError);
    // Not retried without the effort, and still sent on the next call: nothing was learnt from an unrelated 400.
    assert.deepEqual(server.requests.map((q) => q.body?.reasoning_effort), ['low', 'low']);
  });
});
