import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { entropyOf, entropyOfTop } from '../../../../src/common/auction/entropy';
import { rankBids, type ScoringInput } from '../../../../src/common/auction/scoring';
import { DEFAULT_WEIGHTS, PAPER_COST_WEIGHT, resolveWeights, type AuctionWeights } from '../../../../src/common/auction/weights';
import { logprobsWith } from './scriptedClient';

// The paper's literal cost term: these tests pin its exact numbers (paper mode reproduces them).
const W: AuctionWeights = { ...DEFAULT_WEIGHTS, cost: PAPER_COST_WEIGHT, costMode: 'paper' };
const jurors = ['j1', 'j2'];

function input(id: string, price: number | undefined, tokens: number, scores: number[], confidence?: number): ScoringInput {
  return {
    bidId: `${id}#original`,
    modelId: id,
    kind: 'original',
    bidTokens: tokens,
    outputPricePerMTok: price,
    entropy: confidence === undefined ? undefined : { meanNats: 0, normalised: 1 - confidence, confidence, positions: 10 },
    judgements: scores.map((score, i) => ({ jurorId: jurors[i] ?? `j${i + 1}`, score })),
    ineligibleReasons: [],
  };
}

describe('entropy', () => {
  it('renormalises the top alternatives before taking the entropy', () => {
    // Two alternatives with probabilities 0.3 and 0.3 (0.4 elsewhere) renormalise to a fair coin: ln 2 nats.
    assert.ok(Math.abs(entropyOfTop([Math.log(0.3), Math.log(0.3)]) - Math.log(2)) < 1e-12);
  });
  it('is 0 confidence for a uniform choice and near 1 for a peaked one', () => {
    assert.ok(Math.abs(entropyOf(logprobsWith(0.5))!.confidence) < 1e-12);
    assert.ok(entropyOf(logprobsWith(0.999))!.confidence > 0.98);
  });
  it('normalises each position by ln(k) so different k are comparable', () => {
    const uniform4 = [{ token: 'a', logprob: Math.log(0.25), top: ['a', 'b', 'c', 'd'].map((t) => ({ token: t, logprob: Math.log(0.25) })) }];
    const e = entropyOf(uniform4)!;
    assert.ok(Math.abs(e.meanNats - Math.log(4)) < 1e-12);
    assert.ok(Math.abs(e.normalised - 1) < 1e-12);
  });
  it('adds the sampled token when the provider left it out of the top list', () => {
    const e = entropyOf([{ token: 'x', logprob: Math.log(0.5), top: [{ token: 'y', logprob: Math.log(0.5) }] }])!;
    assert.ok(Math.abs(e.normalised - 1) < 1e-12);
  });
  it('is absent (not zero) without usable positions', () => {
    assert.equal(entropyOf(undefined), undefined);
    assert.equal(entropyOf([]), undefined);
    assert.equal(entropyOf([{ token: 'x', logprob: 0, top: [] }]), undefined);
  });
});

describe('rankBids', () => {
  it('ranks known inputs by C − V, lowest first, with the exact terms', () => {
    const w = { ...W, cost: 1e-3 };
    const ranking = rankBids([input('small', 0.5, 200, [3, 3]), input('mid', 2, 200, [4, 4]), input('large', 10, 200, [5, 5])], w, jurors);
    assert.deepEqual(
      ranking.map((r) => r.modelId),
      ['mid', 'large', 'small'],
    );
    const mid = ranking[0]!;
    assert.ok(Math.abs(mid.cost.term! - 0.4) < 1e-12);
    // Jury only: W = 1 + 4 = 5, present 4, so V = 5 × (4 × 4/5) / 4 = 4.
    assert.ok(Math.abs(mid.value.term - 4) < 1e-12);
    assert.ok(Math.abs(mid.score! - (0.4 - 4)) < 1e-12);
    assert.deepEqual(mid.signals, { entropy: false, jurors: ['j1', 'j2'] });
    assert.equal(mid.juryMean, 4);
    assert.deepEqual(ranking.map((r) => r.rank), [1, 2, 3]);
  });

  it('renormalises over the signals present: a bid without logprobs is not punished', () => {
    // Same jury scores; A has confidence 0.8 = the jury's 4/5, B has no logprobs: equal value.
    const [a, b] = [input('a', 1, 100, [4, 4], 0.8), input('b', 1, 100, [4, 4])];
    const ranking = rankBids([a, b], W, jurors);
    const va = ranking.find((r) => r.modelId === 'a')!.value;
    const vb = ranking.find((r) => r.modelId === 'b')!.value;
    assert.ok(Math.abs(va.term - vb.term) < 1e-12);
    assert.equal(va.presentWeight, 5);
    assert.equal(vb.presentWeight, 4);
    assert.equal(vb.fullWeight, 5);
    // The exact formula: V = W × Σ w_s x_s / Σ w_s over present signals.
    const c = input('c', 1, 100, [2, 4], 0.5);
    const vc = rankBids([c], W, jurors)[0]!.value.term;
    assert.ok(Math.abs(vc - (5 * (1 * 0.5 + 2 * 0.4 + 2 * 0.8)) / 5) < 1e-12);
  });

  it('makes lower entropy (higher confidence) win, all else equal', () => {
    const ranking = rankBids([input('unsure', 1, 100, [], 0.2), input('sure', 1, 100, [], 0.9)], W, []);
    assert.equal(ranking[0]!.modelId, 'sure');
    assert.ok(ranking[0]!.value.term > ranking[1]!.value.term);
  });

  it('gives a bid with no value signal the mean value of the others, flagged as imputed', () => {
    const ranking = rankBids([input('a', 1, 100, [], 0.9), input('b', 1, 100, [], 0.5), input('none', 1, 100, [])], W, []);
    const none = ranking.find((r) => r.modelId === 'none')!;
    assert.equal(none.value.imputed, true);
    assert.ok(Math.abs(none.value.term - (0.9 + 0.5) / 2) < 1e-12);
  });

  it('ranks a bid with an unknown price after every priced eligible bid, never as free', () => {
    const ranking = rankBids([input('unpriced', undefined, 10, [5, 5]), input('priced', 100, 1000, [1, 1])], W, jurors);
    assert.deepEqual(ranking.map((r) => r.modelId), ['priced', 'unpriced']);
    assert.equal(ranking[1]!.cost.known, false);
    assert.equal(ranking[1]!.score, undefined);
  });

  it('puts ineligible bids last, with their reasons', () => {
    const over = { ...input('best', 1, 100, [5, 5]), ineligibleReasons: ['over the cap'] };
    const ranking = rankBids([over, input('ok', 1, 100, [2, 2])], W, jurors);
    assert.equal(ranking[0]!.modelId, 'ok');
    assert.deepEqual(ranking[1]!.ineligibleReasons, ['over the cap']);
    assert.equal(ranking[1]!.eligible, false);
  });

  it('breaks an exact tie in score in favour of the cheaper bid, whatever the input order', () => {
    // dear: C = 1e-3 × 1 × 1000 = 1, V = 5 → −4; cheap: C = 0, V = 4 → −4.
    const w = { ...W, cost: 1e-3 };
    const dear = input('dear', 1, 1000, [5, 5]);
    const cheap = input('cheap', 0, 1000, [4, 4]);
    assert.equal(rankBids([dear, cheap], w, jurors)[0]!.modelId, 'cheap');
    assert.equal(rankBids([cheap, dear], w, jurors)[0]!.modelId, 'cheap');
  });

  it('rejects negative weights', () => {
    assert.throws(() => resolveWeights({ entropy: -1 }), /entropy/);
  });

  const bidArb = (id: string) =>
    fc.record({
      price: fc.double({ min: 0.01, max: 100, noNaN: true }),
      tokens: fc.integer({ min: 1, max: 2000 }),
      scores: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 2 }),
      confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    }).map((b) => input(id, b.price, b.tokens, b.scores, b.confidence));

  it('property: a cheaper bid with equal value never loses to a dearer one', () => {
    fc.assert(
      fc.property(bidArb('dear'), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.array(bidArb('other'), { maxLength: 3 }), (dear, factor, others) => {
        const cheap = { ...dear, bidId: 'cheap#original', modelId: 'cheap', outputPricePerMTok: dear.outputPricePerMTok! * factor };
        const all = [dear, ...others.map((o, i) => ({ ...o, bidId: `o${i}#original`, modelId: `o${i}` })), cheap];
        const ranking = rankBids(all, W, jurors);
        const pos = (id: string) => ranking.findIndex((r) => r.modelId === id);
        return pos('cheap') < pos('dear');
      }),
    );
  });

  it('property: multiplying every price by k and w_c by 1/k keeps the winner', () => {
    fc.assert(
      fc.property(fc.array(bidArb('b'), { minLength: 1, maxLength: 5 }), fc.double({ min: 0.001, max: 1000, noNaN: true }), (bids, k) => {
        const named = bids.map((b, i) => ({ ...b, bidId: `m${i}#original`, modelId: `m${i}` }));
        const before = rankBids(named, W, jurors)[0]!.bidId;
        const scaled = named.map((b) => ({ ...b, outputPricePerMTok: b.outputPricePerMTok! * k }));
        const after = rankBids(scaled, { ...W, cost: W.cost / k }, jurors)[0]!.bidId;
        return before === after;
      }),
    );
  });

  it('property: the order of the inputs never changes the ranking', () => {
    fc.assert(
      fc.property(fc.array(bidArb('b'), { minLength: 1, maxLength: 6 }).chain((bids) => fc.tuple(fc.constant(bids), fc.shuffledSubarray(bids.map((_, i) => i), { minLength: bids.length }))), ([bids, order]) => {
        const named = bids.map((b, i) => ({ ...b, bidId: `m${i}#original`, modelId: `m${i}` }));
        const a = rankBids(named, W, jurors);
        const b = rankBids(order.map((i) => named[i]!), W, jurors);
        assert.deepEqual(b, a);
      }),
    );
  });
});

describe('the track record as a value signal', () => {
  // Paper mode, so each bid's cost term is its own (w_c × price × tokens) and the value alone is compared.
  const WR: AuctionWeights = { cost: 1e-3, costMode: 'paper', entropy: 1, jury: 4, record: 2 };
  const withRecord = (i: ScoringInput, rate: number, outcomes = 12): ScoringInput => ({ ...i, record: { rate, outcomes, source: 'public benchmark prior (SWE-bench Verified)' } });
  const bidArb = (id: string) =>
    fc.record({
      price: fc.double({ min: 0.01, max: 100, noNaN: true }),
      scores: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
      confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    }).map((b) => input(id, b.price, 300, b.scores, b.confidence));

  it('without a track record every term is exactly what it was before the record existed, whatever w_r', () => {
    fc.assert(
      fc.property(fc.array(bidArb('b'), { minLength: 1, maxLength: 5 }), fc.double({ min: 0, max: 10, noNaN: true }), (bids, wr) => {
        const named = bids.map((b, i) => ({ ...b, bidId: `m${i}#original`, modelId: `m${i}` }));
        // The weights as they were before `record` existed: no such key at all.
        const { record: _none, ...before } = W;
        assert.deepEqual(rankBids(named, { ...W, record: wr }, jurors), rankBids(named, before, jurors));
      }),
    );
    // And the exact formula of before: W = w_h + Σ w_j = 5, V = 5 × (1 × 0.5 + 2 × 0.4 + 2 × 0.8) / 5.
    const v = rankBids([input('c', 1, 100, [2, 4], 0.5)], { ...W, record: 2 }, jurors)[0]!.value;
    assert.equal(v.term, (5 * (1 * 0.5 + 2 * 0.4 + 2 * 0.8)) / 5);
    assert.equal(v.fullWeight, 5);
    assert.equal(v.record, undefined);
  });

  it('moves a ranking the jury leaves close: the better record wins, with the exact terms', () => {
    // Same price; the jury prefers a by 0.5 of a point (4.5 against 4), b's record is 40 points better.
    const a = withRecord(input('a', 1, 100, [4, 5]), 0.3);
    const b = withRecord(input('b', 1, 100, [4, 4]), 0.7, 3);
    const [first, second] = rankBids([a, b], WR, jurors);
    assert.equal(first!.modelId, 'b');
    // No logprobs: present = 2 + 2 + 2 = 6 of W = 1 + 4 + 2 = 7.
    assert.equal(first!.value.fullWeight, 7);
    assert.equal(first!.value.presentWeight, 6);
    assert.ok(Math.abs(first!.value.term - (7 * (2 * 0.8 + 2 * 0.8 + 2 * 0.7)) / 6) < 1e-12);
    assert.ok(Math.abs(second!.value.term - (7 * (2 * 0.8 + 2 * 1 + 2 * 0.3)) / 6) < 1e-12);
    assert.deepEqual(first!.value.record, { rate: 0.7, weight: 2, outcomes: 3, source: 'public benchmark prior (SWE-bench Verified)' });
    assert.deepEqual(first!.signals, { entropy: false, jurors: ['j1', 'j2'], record: true });
    // Without the record the jury's favourite wins.
    assert.equal(rankBids([a, b], { ...WR, record: 0 }, jurors)[0]!.modelId, 'a');
  });

  it('renormalises over the signals present when a juror is missing, the record among them', () => {
    const full = withRecord(input('full', 1, 100, [3, 5], 0.6), 0.5);
    const missing = withRecord(input('missing', 1, 100, [3], 0.6), 0.5);
    const ranking = rankBids([full, missing], WR, jurors);
    const v = (id: string) => ranking.find((r) => r.modelId === id)!.value;
    assert.ok(Math.abs(v('full').term - (1 * 0.6 + 2 * 0.6 + 2 * 1 + 2 * 0.5)) < 1e-12, 'every signal: exactly Σ w_s x_s');
    assert.equal(v('missing').presentWeight, 5);
    assert.ok(Math.abs(v('missing').term - (7 * (1 * 0.6 + 2 * 0.6 + 2 * 0.5)) / 5) < 1e-12);
  });

  it('counts the record as a signal: a bid with nothing else is valued on it, not imputed', () => {
    const ranking = rankBids([withRecord(input('judged', 1, 100, [5, 5]), 0.5), withRecord(input('alone', 1, 100, []), 0.25)], WR, jurors);
    const alone = ranking.find((r) => r.modelId === 'alone')!;
    assert.equal(alone.value.imputed, false);
    assert.equal(alone.value.term, 7 * 0.25);
    // With w_r = 0 the record is shown but is no signal: such a bid is imputed as before, and nothing else moves.
    const off = rankBids([withRecord(input('judged', 1, 100, [5, 5]), 0.5), withRecord(input('alone', 1, 100, []), 0.25)], { ...WR, record: 0 }, jurors);
    const offAlone = off.find((r) => r.modelId === 'alone')!;
    assert.equal(offAlone.value.imputed, true);
    assert.deepEqual(offAlone.value.record, { rate: 0.25, weight: 0, outcomes: 12, source: 'public benchmark prior (SWE-bench Verified)' });
    assert.deepEqual(offAlone.signals, { entropy: false, jurors: [] });
    const plain = rankBids([input('judged', 1, 100, [5, 5]), input('alone', 1, 100, [])], { ...WR, record: 0 }, jurors);
    assert.deepEqual(off.map((r) => [r.bidId, r.value.term, r.score]), plain.map((r) => [r.bidId, r.value.term, r.score]));
  });

  it('validates w_r like the other weights, and defaults it to 2', () => {
    assert.equal(resolveWeights(undefined).record, 2);
    assert.equal(DEFAULT_WEIGHTS.record, 2);
    assert.equal(resolveWeights({ record: 0 }).record, 0);
    assert.throws(() => resolveWeights({ record: -0.5 }), /weight record must be a finite number ≥ 0/);
    assert.throws(() => resolveWeights({ record: Number.NaN }), /record/);
    assert.throws(() => resolveWeights({ record: Number.POSITIVE_INFINITY }), /record/);
  });
});
