import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedUtilityScores, rankByUtility } from '../../../../src/common/learning/expectedUtility';

const bids = [
  { bidId: 'A', expectedUsd: 1, p: 0.8 },
  { bidId: 'B', expectedUsd: 0.1, p: 0.4 },
  { bidId: 'C', expectedUsd: 0.5, p: 0.9 },
];
const order = (q: number, bs = bids): string[] => rankByUtility(bs, q).map((s) => s.bidId);

describe('expected-utility rule', () => {
  it('at q = 0 ranks by expected cost per success', () => {
    // E/p: A 1.25, B 0.25, C 0.556.
    assert.deepEqual(order(0), ['B', 'C', 'A']);
    const [a] = expectedUtilityScores(bids, 0);
    assert.ok(Math.abs(a!.score! - Math.log(1.25)) < 1e-12);
    assert.ok(Math.abs(a!.costPerSuccessUsd! - 1.25) < 1e-12);
  });

  it('weighs success more as q rises, and only success at q = 1', () => {
    // q = 0.5: U = 0.5 ln E − ln p: A 0.2231, B −0.2350, C −0.2412.
    assert.deepEqual(order(0.5), ['C', 'B', 'A']);
    const c = expectedUtilityScores(bids, 0.5)[2]!;
    assert.ok(Math.abs(c.score! - (0.5 * Math.log(0.5) - Math.log(0.9))) < 1e-12);
    assert.deepEqual(order(1), ['C', 'A', 'B']);
    // Equal chances at q = 1: the cheaper wins.
    assert.deepEqual(order(1, [{ bidId: 'X', expectedUsd: 2, p: 0.7 }, { bidId: 'Y', expectedUsd: 1, p: 0.7 }]), ['Y', 'X']);
  });

  it('is invariant to the scale of prices', () => {
    const scaled = bids.map((b) => ({ ...b, expectedUsd: b.expectedUsd * 1000 }));
    for (const q of [0, 0.3, 0.5, 0.8, 1]) assert.deepEqual(order(q, scaled), order(q));
  });

  it('floors a free model’s cost and ranks bids without cost or prediction last', () => {
    const scores = expectedUtilityScores(
      [
        { bidId: 'free', expectedUsd: 0, p: 0.3 },
        { bidId: 'dear', expectedUsd: 2, p: 0.9 },
        { bidId: 'unpriced', p: 0.99 },
        { bidId: 'unpredicted', expectedUsd: 0.01 },
      ],
      0,
    );
    assert.equal(scores[0]!.usd, 0.002);
    assert.equal(scores[2]!.missing, 'cost');
    assert.equal(scores[3]!.missing, 'prediction');
    assert.deepEqual(
      rankByUtility([{ bidId: 'unpriced', p: 0.99 }, { bidId: 'free', expectedUsd: 0, p: 0.3 }, { bidId: 'dear', expectedUsd: 2, p: 0.9 }], 0).map((s) => s.bidId),
      ['free', 'dear', 'unpriced'],
    );
  });
});
