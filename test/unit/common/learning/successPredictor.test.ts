import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../../../src/common/learning/observations';
import { DEFAULT_PRIORS, NEUTRAL_PRIORS, familyPrior, PUBLIC_BENCHMARK_TABLE } from '../../../../src/common/learning/priors';
import { learnedRecordFrom, predictSuccess } from '../../../../src/common/learning/successPredictor';

const near = (actual: number, expected: number, tolerance = 1e-3): void => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => Math.log(p / (1 - p));
const Z90 = 1.6448536269514722;

let seq = 0;
function obs(modelId: string, success: boolean, jury: Record<string, number> = {}, extra: Partial<Observation> = {}): Observation {
  seq++;
  return { auctionId: `a${seq}`, bidId: `b${seq}`, modelId, task: `task ${seq}`, time: '2026-01-01T00:00:00.000Z', label: success ? 'accepted' : 'rejected', success, jury, ...extra };
}

describe('success predictor', () => {
  it('from the first auction: the public benchmark prior per model family, a neutral one for unknown models', () => {
    const query = { task: 'fix the parser', modelIds: ['claude-opus-4-5-20251101', 'gpt-5-nano', 'my-local-llama'], jurorIds: ['gpt-5-mini'] };
    const record = learnedRecordFrom([], new Map(), query);
    const opus = predictSuccess(record, { modelId: 'claude-opus-4-5-20251101', jury: [{ jurorId: 'gpt-5-mini', score: 5 }] });
    near(opus.p, 0.744);
    assert.equal(opus.outcomes, 0);
    assert.match(opus.basis, /public benchmark prior/);
    assert.match(opus.basis, /no outcomes here yet/);
    assert.ok(opus.low < opus.p && opus.p < opus.high);
    // Prior strength 4: a = 2.976, b = 1.024, log-odds variance 1/a + 1/b.
    near(opus.low, sigmoid(logit(0.744) - Z90 * Math.sqrt(1 / 2.976 + 1 / 1.024)));
    const nano = predictSuccess(record, { modelId: 'gpt-5-nano', jury: [] });
    near(nano.p, 0.348);
    const local = predictSuccess(record, { modelId: 'my-local-llama', jury: [] });
    near(local.p, 0.5);
    assert.match(local.basis, /neutral prior/);
    assert.ok(local.high - local.low > opus.high - opus.low, 'a model nobody measured is less certain');
    // A model outside the query gets the unknown-model prior rather than an error.
    near(predictSuccess(record, { modelId: 'unasked', jury: [] }).p, 0.5);
  });

  it('matches the public prior on the wire model name, not on the pool id the user chose', () => {
    const query = { task: 'fix the parser', modelIds: ['sonnet', 'opus'], jurorIds: [], modelNames: { sonnet: 'claude-sonnet-4-5', opus: 'claude-opus-4-5-20251101' } };
    const record = learnedRecordFrom([], new Map(), query);
    near(predictSuccess(record, { modelId: 'opus', jury: [] }).p, 0.744);
    assert.match(predictSuccess(record, { modelId: 'sonnet', jury: [] }).basis, /public benchmark prior/);
    // Without the names the ids alone are matched: "opus" names no family of the table.
    near(predictSuccess(learnedRecordFrom([], new Map(), { ...query, modelNames: undefined }), { modelId: 'opus', jury: [] }).p, 0.5);
  });

  it('matches model families by the longest name at dash boundaries', () => {
    assert.equal(familyPrior('gpt-5-mini-2025-08-07', PUBLIC_BENCHMARK_TABLE)?.family, 'gpt-5-mini');
    assert.equal(familyPrior('openai/gpt-5.1', PUBLIC_BENCHMARK_TABLE)?.family, 'gpt-5-1');
    assert.equal(familyPrior('GPT-5', PUBLIC_BENCHMARK_TABLE)?.family, 'gpt-5');
    assert.equal(familyPrior('gpt-50', PUBLIC_BENCHMARK_TABLE), undefined);
  });

  it('does not give a smaller tier the rate of the family it extends', () => {
    assert.equal(familyPrior('gpt-5.1-codex-mini', PUBLIC_BENCHMARK_TABLE), undefined);
    assert.equal(familyPrior('gpt-5-nano-2025-08-07', PUBLIC_BENCHMARK_TABLE)?.family, 'gpt-5-nano');
    assert.equal(familyPrior('gemini-3-flash', PUBLIC_BENCHMARK_TABLE), undefined);
    assert.equal(familyPrior('gemini-3-pro-preview', PUBLIC_BENCHMARK_TABLE)?.family, 'gemini-3-pro');
    assert.equal(familyPrior('claude-sonnet-4-5-20250929', PUBLIC_BENCHMARK_TABLE)?.family, 'claude-sonnet-4-5');
  });

  it('updates a model on a known sequence of outcomes, similar tasks counting again', () => {
    const history = [obs('m', true), obs('m', true), obs('m', true), obs('m', false)];
    const query = { task: 'q', modelIds: ['m'], jurorIds: [] };
    // Neutral prior Beta(1, 1) (4 outcomes: below the 5 needed for the workspace's own rate): 3 of 4 → Beta(4, 2);
    // no similar task: the rate 2/3 at strength 6 → p = 2/3, log-odds variance 1/4 + 1/2.
    const plain = predictSuccess(learnedRecordFrom(history, new Map(), query, NEUTRAL_PRIORS), { modelId: 'm', jury: [] });
    near(plain.p, 2 / 3);
    near(plain.low, sigmoid(logit(2 / 3) - Z90 * Math.sqrt(0.75)));
    near(plain.high, sigmoid(logit(2 / 3) + Z90 * Math.sqrt(0.75)));
    assert.equal(plain.outcomes, 4);
    // Two of the successes were on fully similar tasks: Beta(6 × 2/3 + 2, 6 × 1/3) = Beta(6, 2) → 0.75.
    const similar = new Map([
      [history[0]!.auctionId, 1],
      [history[1]!.auctionId, 1],
    ]);
    const withSimilar = predictSuccess(learnedRecordFrom(history, similar, query, NEUTRAL_PRIORS), { modelId: 'm', jury: [] });
    near(withSimilar.p, 0.75);
    assert.match(withSimilar.basis, /4 outcomes here, 2 on similar tasks/);
    // The failure on the similar task instead: Beta(4, 3) → 4/7.
    const failedSimilar = predictSuccess(learnedRecordFrom(history, new Map([[history[3]!.auctionId, 1]]), query, NEUTRAL_PRIORS), { modelId: 'm', jury: [] });
    near(failedSimilar.p, 4 / 7);
  });

  it('a juror whose scores never predicted anything counts for nothing; one whose scores did, counts', () => {
    const history: Observation[] = [];
    for (let i = 0; i < 40; i++) {
      const success = i % 2 === 0;
      // `noise` gives 1 and 5 equally often to successes and failures; `sharp` gives 5 to most successes, 1 to most failures.
      const noise = i % 4 < 2 ? 5 : 1;
      const sharp = success === (i % 10 !== 0) ? 5 : 1;
      history.push(obs(i % 3 === 0 ? 'a' : 'b', success, { noise, sharp }));
    }
    const query = { task: 'q', modelIds: ['a', 'b'], jurorIds: ['noise', 'sharp'] };
    const record = learnedRecordFrom(history, new Map(), query, NEUTRAL_PRIORS);
    const weight = (id: string): number => record.signals.find((s) => s.id === id)!.weight;
    assert.ok(Math.abs(weight('noise')) < 0.05, `noise weight ${weight('noise')}`);
    assert.ok(weight('sharp') > 0.3, `sharp weight ${weight('sharp')}`);
    const base = predictSuccess(record, { modelId: 'a', jury: [] });
    const high = predictSuccess(record, { modelId: 'a', jury: [{ jurorId: 'sharp', score: 5 }] });
    const low = predictSuccess(record, { modelId: 'a', jury: [{ jurorId: 'sharp', score: 1 }] });
    assert.ok(high.p > base.p + 0.2 && low.p < base.p - 0.2, `${low.p} < ${base.p} < ${high.p}`);
    assert.match(high.basis, /jury \+\d\.\d\d log-odds \(calibrated on 40 outcomes\)/);
    const noisy = predictSuccess(record, { modelId: 'a', jury: [{ jurorId: 'noise', score: 5 }] });
    near(noisy.p, base.p, 0.02);
    // JSON-serialisable: a record that went through JSON predicts the same.
    assert.deepEqual(predictSuccess(JSON.parse(JSON.stringify(record)) as typeof record, { modelId: 'a', jury: [{ jurorId: 'sharp', score: 5 }] }), high);
  });

  it('a juror seen on few outcomes is pulled towards weight 0', () => {
    const few = [obs('m', true, { j: 5 }), obs('m', false, { j: 1 })];
    const many = Array.from({ length: 10 }, () => few.map((o) => obs(o.modelId, o.success, o.jury))).flat();
    const query = { task: 'q', modelIds: ['m'], jurorIds: ['j'] };
    const w = (os: Observation[]): number => learnedRecordFrom(os, new Map(), query, NEUTRAL_PRIORS).signals[0]!.weight;
    assert.ok(w(few) > 0 && w(few) < w(many), `${w(few)} < ${w(many)}`);
    assert.ok(w(few) < DEFAULT_PRIORS.jurorWeightSd, 'two outcomes move the weight less than one prior sd');
  });
});
