import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFailure, retryAfterMs, type ClassifyContext, type FailureFacts } from '../../../../src/common/providers/classify';
import { makeRedactor } from '../../../../src/common/providers/redact';
import { emptyUsage } from '../../../../src/common/providers/types';

const remote: ClassifyContext = { modelId: 'gpt', provider: 'openai', providerKey: 'openai:https://api.openai.com/v1', local: false, redact: makeRedactor(['sekrit-key']) };
const ollama: ClassifyContext = { modelId: 'ollama/qwen3', provider: 'openai-compatible', providerKey: 'k', baseUrl: 'http://127.0.0.1:11434/v1', local: true, redact: (s) => s };

const cases: { name: string; facts: FailureFacts; ctx?: ClassifyContext; code: string; step?: string }[] = [
  { name: '401', facts: { status: 401, name: 'AuthenticationError' }, code: 'auth', step: 'setApiKey' },
  { name: '403', facts: { status: 403 }, code: 'auth', step: 'setApiKey' },
  { name: '429', facts: { status: 429, headers: { 'retry-after': '7' } }, code: 'rate-limit', step: 'retry' },
  { name: '500', facts: { status: 500 }, code: 'server', step: 'retry' },
  { name: 'Anthropic 529', facts: { status: 529, name: 'OverloadedError', body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }, code: 'server' },
  { name: '408', facts: { status: 408 }, code: 'timeout' },
  { name: 'SDK timeout', facts: { name: 'APIConnectionTimeoutError', message: 'Request timed out.' }, code: 'timeout' },
  { name: 'OpenAI context length', facts: { status: 400, body: { message: 'too long', code: 'context_length_exceeded' } }, code: 'context-length' },
  { name: 'Anthropic context length', facts: { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } } }, code: 'context-length' },
  { name: 'other 400', facts: { status: 400, body: { error: { message: 'unknown parameter' } } }, code: 'request-rejected' },
  { name: '404 unknown model', facts: { status: 404 }, code: 'request-rejected' },
  { name: 'bare SyntaxError (non-JSON 200)', facts: { name: 'SyntaxError', message: 'Unexpected token <' }, code: 'malformed-reply' },
  { name: 'TypeError: terminated (dropped stream)', facts: { name: 'TypeError', message: 'terminated' }, code: 'connection-lost' },
  { name: 'ECONNRESET', facts: { name: 'APIConnectionError', causeCode: 'ECONNRESET' }, code: 'connection-lost' },
  { name: 'status-less APIError (error event in a stream)', facts: { name: 'APIError', body: { type: 'overloaded_error', message: 'Overloaded' } }, code: 'server' },
  { name: 'abort', facts: { name: 'APIUserAbortError', aborted: true }, code: 'cancelled' },
  { name: 'abort seen only on the signal', facts: { name: 'TypeError', message: 'terminated', aborted: true }, code: 'cancelled' },
  { name: 'remote refused', facts: { name: 'APIConnectionError', causeCode: 'ECONNREFUSED' }, code: 'connection-refused', step: 'openSettings' },
  { name: 'local refused', facts: { name: 'APIConnectionError', causeCode: 'ECONNREFUSED' }, ctx: ollama, code: 'connection-refused', step: 'startLocalServer' },
  { name: 'anything else', facts: { name: 'RangeError', message: 'odd' }, code: 'unexpected', step: 'showLogs' },
];

describe('classifyFailure', () => {
  for (const c of cases) {
    it(`maps ${c.name} to ${c.code}`, () => {
      const e = classifyFailure(c.facts, c.ctx ?? remote);
      assert.equal(e.code, c.code);
      if (c.step) assert.equal(e.nextStep?.kind, c.step);
    });
  }

  it('asks "is Ollama running?" for a refused local Ollama port', () => {
    const e = classifyFailure({ causeCode: 'ECONNREFUSED' }, ollama);
    assert.match(e.message, /Is Ollama running\?/);
    assert.deepEqual(e.nextStep, { kind: 'startLocalServer', server: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' });
  });

  it('keeps the billed usage and never the key', () => {
    const usage = { ...emptyUsage(), inputTokens: 10 };
    const e = classifyFailure({ status: 500, body: { error: { message: 'echo sekrit-key' } } }, { ...remote, usage });
    assert.deepEqual(e.usage, usage);
    assert.ok(!e.message.includes('sekrit-key'));
  });

  it('carries the rate limit wait', () => {
    const e = classifyFailure({ status: 429, headers: { 'retry-after-ms': '1500' } }, remote);
    assert.equal('retryAfterMs' in e ? e.retryAfterMs : undefined, 1500);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    assert.equal(retryAfterMs({ 'retry-after': '3' }), 3000);
    assert.equal(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '3' }), 250);
    assert.equal(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, () => Date.parse('2026-01-01T00:00:00Z')), 10_000);
    assert.equal(retryAfterMs({ 'retry-after': 'soon' }), undefined);
    assert.equal(retryAfterMs({}), undefined);
  });
});
