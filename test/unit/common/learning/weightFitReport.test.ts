import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveWeights } from '../../../../src/common/auction/weights';
import { fitAuctionOf } from '../../../../src/common/learning/weightFeatures';
import { fitWeights } from '../../../../src/common/learning/weightFit';
import { weightFitMarkdown } from '../../../../src/common/learning/weightFitReport';
import { candidatesAt } from '../../../../src/common/learning/weightHistory';
import { replayWeights } from '../../../../src/common/learning/weightReplay';
import { accepted, ran, recorded, rejected } from './fitBuilders';

const defaults = resolveWeights(undefined);

describe('candidatesAt (the weights an auction was recorded with)', () => {
  const a = resolveWeights({ cost: 1 });
  const b = resolveWeights({ cost: 2 });
  const history = [
    { time: '2026-02-01T00:00:00Z', before: defaults, after: a },
    { time: '2026-03-01T00:00:00Z', before: a, after: b },
  ];
  it('before any adoption: what the first adoption replaced; between two: the earlier one\'s; then in force, then defaults', () => {
    assert.deepEqual(candidatesAt('2026-01-15T00:00:00Z', history, b), [defaults, b]);
    assert.deepEqual(candidatesAt('2026-02-15T00:00:00Z', history, b), [a, b, defaults]);
    assert.deepEqual(candidatesAt('2026-03-15T00:00:00Z', history, b), [b, defaults]);
    assert.deepEqual(candidatesAt('2026-03-15T00:00:00Z', [], defaults), [defaults]);
  });
  it('reads weights saved before w_r existed at the setting\'s default, as an auction run with them since had it', () => {
    const { record: _none, ...old } = a;
    const [first] = candidatesAt('2026-02-15T00:00:00Z', [{ time: '2026-02-01T00:00:00Z', before: defaults, after: old }], b);
    assert.deepEqual(first, { ...old, record: 2 });
  });
});

describe('weightFitMarkdown', () => {
  it('shows both weights, the replay totals, the changed picks with their outcomes and dollars, and how to undo', () => {
    const auctions = [];
    for (let i = 0; i < 3; i++) {
      const { line, outcomes } = recorded(`r${i}`, [
        { id: `r${i}-cheap`, model: 'cheap', usd: 1, jury: { J: 4 }, outcomes: [ran(0.25), i === 0 ? accepted : rejected] },
        { id: `r${i}-dear`, model: 'dear', usd: 10, jury: { J: i === 0 ? 3 : 4.3 } },
      ]);
      auctions.push(fitAuctionOf(line, outcomes, [defaults]));
    }
    const fit = fitWeights(auctions, defaults, { minAuctions: 3 });
    const replay = replayWeights(auctions, defaults, fit.weights);
    const md = weightFitMarkdown(fit, replay, defaults);
    assert.match(md, /\| cost \(w_c, work mode\) \| 0\.4 \| /);
    assert.match(md, /\| juror `J` \| share of jury \| \d/);
    assert.match(md, /\| track record \(w_r, not fitted\) \| 2 \| 2 \|/);
    // r1 and r2: the rejected cheap bid is left for the dear one (w_c ≤ 0.1), which never ran; its dollars scale
    // from the cheap bid's real $0.25 by the recorded cost ratio 10.
    assert.match(md, /pick another bid in \*\*2\*\*: they move away from 2 bid\(s\) known to have failed and from 0/);
    assert.match(md, /\| known successes \| 1 \| 1 \|/);
    assert.match(md, /\| known failures \| 2 \| 0 \|/);
    assert.match(md, /\| dollars measured \| \$0\.75 \| \$0\.25 \|/);
    assert.match(md, /\| dollars estimated \| \$0\.00 \| \$5\.00 \|/);
    assert.match(md, /`cheap` — ✘ rejected, \$0\.25 measured \| `dear` — never ran: unknown, ~\$2\.50 estimated/);
    assert.match(md, /Reset Auction Weights/);
    assert.doesNotMatch(md, /Calibration in this workspace/, 'no section without calibration figures');

    // With the calibration of the jurors and models: the evidence behind the fit, with counts and intervals.
    const withCalibration = weightFitMarkdown(fit, replay, defaults, {
      jurors: [{ jurorId: 'J', observations: 4, auroc: { auc: 0.75, se: 0.2, positives: 2, negatives: 2 }, brier: 0.2, reliability: [], meanScoreSuccess: 4, meanScoreFailure: 2.5 }],
      models: [{ modelId: 'cheap', success: { successes: 1, n: 3, rate: 1 / 3, low: 0.06, high: 0.75 }, similarSuccess: { successes: 0, n: 0, low: 0, high: 1 }, accept: { successes: 1, n: 3, rate: 1 / 3, low: 0.06, high: 0.75 }, testsPassed: { successes: 0, n: 0, low: 0, high: 1 } }],
    });
    assert.match(withCalibration, /## Calibration in this workspace/);
    assert.match(withCalibration, /\| `J` \| 4 \| 0\.75 ± 0\.2 \(2\+ \/ 2−\) \| 0\.2 \| 4\.0 \/ 2\.5 \|/);
    assert.match(withCalibration, /\| `cheap` \| 33% \(6–75%, n = 3\) \| 33% \(6–75%, n = 3\) \| — \| — \|/);
  });
});
