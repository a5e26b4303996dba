import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costOf, isFree } from '../../../../src/common/providers/pricing';
import { addUsage, emptyUsage, unreportedUsage, type Price } from '../../../../src/common/providers/types';

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
  it('returns undefined, not zero, for unreported usage of a priced model', () => {
    assert.equal(costOf(unreportedUsage(), price), undefined);
    // A lower bound with some reported tokens is still not the cost.
    assert.equal(costOf(addUsage({ ...emptyUsage(), inputTokens: 1_000_000 }, unreportedUsage()), price), undefined);
  });
  it('returns 0 for unreported usage of a free model, and undefined when only one price component is nonzero', () => {
    assert.equal(costOf(unreportedUsage(), { inputPerMTok: 0, outputPerMTok: 0, source: 'local' }), 0);
    assert.equal(costOf(unreportedUsage(), { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0.1, source: 'settings' }), undefined);
    assert.equal(isFree({ inputPerMTok: 0, outputPerMTok: 0, source: 'local' }), true);
    assert.equal(isFree({ inputPerMTok: 0, outputPerMTok: 1, source: 'settings' }), false);
  });
});

describe('usage sums', () => {
  it('keeps empty usage a reported zero', () => {
    assert.equal(emptyUsage().unreported, undefined);
    assert.equal(costOf(emptyUsage(), price), 0);
  });
  it('marks a sum with an unreported part unreported, whichever side it is on', () => {
    const reported = { ...emptyUsage(), inputTokens: 5, outputTokens: 7 };
    assert.deepEqual(addUsage(reported, unreportedUsage()), { ...reported, unreported: true });
    assert.deepEqual(addUsage(unreportedUsage(), reported), { ...reported, unreported: true });
    assert.equal(addUsage(reported, reported).unreported, undefined);
    assert.equal(addUsage(unreportedUsage(), undefined).unreported, true);
  });
});
