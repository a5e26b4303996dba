import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costOf } from '../../../../src/common/providers/pricing';
import { emptyUsage, type Price } from '../../../../src/common/providers/types';

const price: Price = { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5, source: 'settings' };

describe('costOf', () => {
  it('charges input and output per million tokens', () => {
    assert.equal(costOf({ ...emptyUsage(), inputTokens: 1_000_000, outputTokens: 500_000 }, price), 2 + 4);
  });
  it('charges cached input at the cached price', () => {
    assert.equal(costOf({ ...emptyUsage(), inputTokens: 1_000_000, cachedInputTokens: 600_000 }, price), 0.4 * 2 + 0.6 * 0.5);
  });
  it('falls back to the input price for cache writes and unpriced cache reads', () => {
    const p: Price = { inputPerMTok: 3, outputPerMTok: 15, source: 'default-table' };
    assert.equal(costOf({ ...emptyUsage(), inputTokens: 2_000_000, cachedInputTokens: 1_000_000, cacheWriteInputTokens: 1_000_000 }, p), 6);
  });
  it('returns undefined, not zero, for an unknown price', () => {
    assert.equal(costOf({ ...emptyUsage(), inputTokens: 10 }, undefined), undefined);
  });
});
