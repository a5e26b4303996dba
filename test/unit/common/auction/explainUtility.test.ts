import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainExpectedUtility } from '../../../../src/common/auction/explainUtility';
import type { ScoreBreakdown } from '../../../../src/common/auction/types';

/** A ranked, eligible bid with a prediction and a utility, as the expected-utility rule leaves it. */
function bid(modelId: string, usd: number, p: number, juryMean: number, rank: number): ScoreBreakdown {
  return {
    bidId: `${modelId}#original`,
    modelId,
    kind: 'original',
    cost: { known: true, mode: 'work' },
    value: { jury: [], fullWeight: 5, presentWeight: 5, imputed: false, term: 0 },
    signals: { entropy: false, jurors: [] },
    juryMean,
    expectedExecutionUsd: usd,
    prediction: { p, low: p / 2, high: Math.min(1, p * 1.5), outcomes: 5, basis: 'test' },
    utility: rank,
    eligible: true,
    ineligibleReasons: [],
    rank,
  };
}

describe('why an expected-utility winner won', () => {
  it('a free winner against a likelier paid favourite: dollars per success, never an infinite ratio', () => {
    const why = explainExpectedUtility([bid('local', 0, 0.4, 3, 1), bid('dear', 0.9, 0.6, 5, 2)], 0, []);
    assert.match(why, /its better chance does not pay for \$1\.50 per success against a free model/);
    assert.doesNotMatch(why, /Infinity|NaN/);
  });
  it('a paid winner against a likelier dearer favourite: the ratio of costs per success', () => {
    const why = explainExpectedUtility([bid('cheap', 0.1, 0.5, 3, 1), bid('dear', 0.9, 0.6, 5, 2)], 0, []);
    assert.match(why, /its better chance does not pay for 7\.5× the cost per success/);
  });
});
