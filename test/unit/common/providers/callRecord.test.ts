import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCallRecord } from '../../../../src/common/providers/callRecord';
import { RateLimitError } from '../../../../src/common/providers/errors';
import { makeRedactor } from '../../../../src/common/providers/redact';
import { emptyUsage, type ModelSpec } from '../../../../src/common/providers/types';

const priced: ModelSpec = { id: 'm', provider: 'openai', model: 'gpt-4o', price: { inputPerMTok: 2, outputPerMTok: 8, source: 'settings' }, roles: ['bidder'], enabled: true, local: false };
const unpriced: ModelSpec = { ...priced, id: 'r', provider: 'openai-compatible', price: undefined };

describe('toCallRecord', () => {
  it('records a success with its dollars', () => {
    const usage = { ...emptyUsage(), inputTokens: 1000, outputTokens: 100 };
    const rec = toCallRecord(priced, { phase: 'jury', auctionId: 'a', time: '2026-01-01T00:00:00.000Z' }, { response: { text: '', toolCalls: [], finishReason: 'stop', usage, latencyMs: 42, model: 'gpt-4o' } });
    assert.deepEqual(rec, { time: '2026-01-01T00:00:00.000Z', auctionId: 'a', phase: 'jury', modelId: 'm', model: 'gpt-4o', local: false, usage, price: priced.price, dollars: (1000 * 2 + 100 * 8) / 1e6, latencyMs: 42, ok: true });
  });

  it('records a failure with its code, and leaves dollars out when the price is unknown', () => {
    const e = new RateLimitError('slow down', { modelId: 'r', provider: 'openai-compatible', latencyMs: 7 }, 1000);
    const rec = toCallRecord(unpriced, { phase: 'bidding' }, { error: e });
    assert.equal(rec.ok, false);
    assert.equal(rec.errorCode, 'rate-limit');
    assert.equal(rec.latencyMs, 7);
    assert.equal('dollars' in rec, false);
    assert.equal(toCallRecord(unpriced, { phase: 'bidding' }, { error: new Error('?') }).errorCode, 'unexpected');
  });
});

describe('makeRedactor', () => {
  it('removes the exact keys and key-shaped strings', () => {
    const r = makeRedactor(['my-secret-value', undefined]);
    assert.equal(r('a my-secret-value b'), 'a [redacted] b');
    assert.equal(r('Incorrect API key provided: sk-proj-abcdefghijklmnop'), 'Incorrect API key provided: [redacted]');
    assert.equal(r('Authorization: Bearer abcdefghijkl'), 'Authorization: [redacted]');
    assert.equal(r('nothing here'), 'nothing here');
  });
});
