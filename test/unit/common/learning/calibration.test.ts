import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auroc, brier, expectedCalibrationError, logLoss, reliability, wilson } from '../../../../src/common/learning/calibration';

const near = (actual: number | undefined, expected: number, tolerance = 1e-4): void => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`);
};

describe('calibration statistics (hand-computed values)', () => {
  it('Wilson 90% interval of 8 of 10', () => {
    // z = 1.64485, z² = 2.70554; centre = (0.8 + z²/20) / (1 + z²/10) = 0.73612;
    // half = z / (1 + z²/10) × √(0.8·0.2/10 + z²/400) = 1.29459 × 0.150877 = 0.19532.
    const r = wilson(8, 10);
    near(r.rate, 0.8);
    near(r.low, 0.5408, 2e-4);
    near(r.high, 0.9314, 2e-4);
    assert.deepEqual(wilson(0, 0), { successes: 0, n: 0, low: 0, high: 1 });
    // 0 of 5 stays inside [0, 1] and excludes nothing below its upper bound z²/(n + z²) = 0.35111.
    near(wilson(0, 5).low, 0);
    near(wilson(0, 5).high, 2.70554 / (5 + 2.70554), 2e-4);
  });

  it('Brier score and log loss', () => {
    const data = [
      { p: 0.9, success: true },
      { p: 0.2, success: false },
      { p: 0.6, success: false },
    ];
    near(brier(data), (0.01 + 0.04 + 0.36) / 3);
    near(logLoss(data), -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3);
    assert.equal(brier([]), undefined);
  });

  it('AUROC with ties and the Hanley–McNeil standard error', () => {
    const data = [
      { p: 0.9, success: true },
      { p: 0.8, success: true },
      { p: 0.4, success: true },
      { p: 0.7, success: false },
      { p: 0.4, success: false },
      { p: 0.1, success: false },
    ];
    // Pairs won: 3 + 3 + (0 + ½ + 1) = 7.5 of 9.
    const a = auroc(data)!;
    near(a.auc, 7.5 / 9);
    assert.equal(a.positives, 3);
    assert.equal(a.negatives, 3);
    // A = 5/6, Q1 = 5/7, Q2 = 300/396: se² = (A(1−A) + 2(Q1 − A²) + 2(Q2 − A²)) / 9 = 0.0338706.
    near(a.se, Math.sqrt(0.0338706), 1e-5);
    assert.equal(auroc(data.filter((d) => d.success)), undefined);
    // A useless score: every pair tied.
    near(auroc(data.map((d) => ({ ...d, p: 0.5 })))!.auc, 0.5);
  });

  it('reliability curve: bins, mean predicted, observed rate with its interval', () => {
    const data = [
      { p: 0.1, success: false },
      { p: 0.3, success: true },
      { p: 0.7, success: true },
      { p: 0.9, success: true },
      { p: 1.0, success: false },
    ];
    const curve = reliability(data, 2);
    assert.equal(curve.length, 2);
    assert.equal(curve[0]!.count, 2);
    near(curve[0]!.meanPredicted, 0.2);
    near(curve[0]!.observed.rate, 0.5);
    assert.equal(curve[1]!.count, 3);
    near(curve[1]!.meanPredicted, 2.6 / 3);
    near(curve[1]!.observed.rate, 2 / 3);
    assert.ok(curve[1]!.observed.low < 2 / 3 && curve[1]!.observed.high > 2 / 3);
    // ECE = 2/5 × |0.2 − 0.5| + 3/5 × |0.8667 − 0.6667| = 0.12 + 0.12.
    near(expectedCalibrationError(curve), 0.24);
    assert.deepEqual(reliability([], 10), []);
  });
});
