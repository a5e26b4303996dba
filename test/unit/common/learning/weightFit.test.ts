import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_WEIGHTS, resolveWeights } from '../../../../src/common/auction/weights';
import { fitAuctionOf, type FitAuction } from '../../../../src/common/learning/weightFeatures';
import { fitWeights, WeightFitError } from '../../../../src/common/learning/weightFit';
import { accepted, ran, recorded, rejected, type BidSpec } from './fitBuilders';

const defaults = resolveWeights(undefined);
const read = (id: string, specs: BidSpec[]): FitAuction => {
  const { line, outcomes } = recorded(id, specs);
  return fitAuctionOf(line, outcomes, [defaults]);
};

/*
 * A small instance with a known optimum. One juror J, no log-probabilities, so with the default weights
 * (w_h = 1, jury 4: W = 5) every bid's value is W·γ/5 = γ (the confidence slot is filled with the jury's score,
 * see weightFit.ts) and its score is s = w_c·c − γ, c = log10 of its expected cost relative to the cheapest bid.
 * Margin m = 0.2.
 *   A (keep-good): g (c 1, γ 4) accepted; k (c 0, γ 3) never ran.   s_k − s_g = 1 − w_c  →  L_A = max(0, w_c − 0.8)
 *   B (keep-good): g (c 0, γ 3) accepted; k (c 1, γ 4.5) rejected.  s_k − s_g = w_c − 1.5 →  L_B = max(0, 1.7 − w_c)
 *   C (avoid-bad): b (c 0, γ 4) rejected; k1 (c 1, γ 4), k2 (c 2, γ 5) never ran.
 *       via k1: s_b − s_k1 = −w_c      → 0.2 + w_c;   via k2: s_b − s_k2 = 1 − 2·w_c → max(0, 2·w_c − 0.8)
 *       L_C = min(0.2 + w_c, max(0, 2·w_c − 0.8))  (= 2·w_c − 0.8 for 0.4 ≤ w_c ≤ 1: the disjunction picks k2)
 * max(L_A, L_B, L_C) falls with w_c until 1.7 − w_c = 2·w_c − 0.8, i.e. w_c = 2.5/3 = 5/6, where it is 13/15;
 * there L_A = 1/30 < 13/15. So w_c* = 0.8333…, worst loss 0.8666…, B and C bind. The value weights have no say
 * (both signals carry the same feature), and the tie-break keeps them where they were: w_h = 1, w_J = 4.
 * With the weights in force (w_c = 0.4): L_A = 0, L_B = 1.3, L_C = 0: worst 1.3.
 */
function instance(): FitAuction[] {
  return [
    read('A', [
      { id: 'A-g', usd: 10, jury: { J: 4 }, outcomes: [ran(1), accepted] },
      { id: 'A-k', usd: 1, jury: { J: 3 } },
    ]),
    read('B', [
      { id: 'B-g', usd: 1, jury: { J: 3 }, outcomes: [ran(0.1), accepted] },
      { id: 'B-k', usd: 10, jury: { J: 4.5 }, outcomes: [ran(1), rejected] },
    ]),
    read('C', [
      { id: 'C-b', usd: 1, jury: { J: 4 }, outcomes: [ran(0.1), rejected] },
      { id: 'C-k1', usd: 10, jury: { J: 4 } },
      { id: 'C-k2', usd: 100, jury: { J: 5 } },
    ]),
  ];
}

describe('fitWeights (min-max over real outcomes, yalps)', () => {
  it('finds the hand-worked optimum of a small instance, with the auctions that bind', () => {
    const fit = fitWeights(instance(), defaults, { margin: 0.2, minAuctions: 3 });
    assert.deepEqual([fit.status, fit.method], ['optimal', 'milp']);
    assert.ok(Math.abs(fit.weights.cost - 5 / 6) < 1e-5, `w_c = ${fit.weights.cost}`);
    assert.ok(Math.abs(fit.worstLoss - 13 / 15) < 1e-6, `worst loss ${fit.worstLoss}`);
    assert.ok(Math.abs(fit.currentWorstLoss - 1.3) < 1e-9, `current worst loss ${fit.currentWorstLoss}`);
    assert.deepEqual(fit.auctions.filter((a) => a.binding).map((a) => a.auctionId).sort(), ['B', 'C']);
    assert.deepEqual(Object.fromEntries(fit.auctions.map((a) => [a.auctionId, a.kind])), { A: 'keep-good', B: 'keep-good', C: 'avoid-bad' });
    assert.ok(Math.abs(fit.auctions.find((a) => a.auctionId === 'A')!.loss - 1 / 30) < 1e-6);
    assert.equal(fit.weights.entropy, 1);
    assert.deepEqual(fit.weights.jurors, { J: 4 });
    assert.equal(fit.weights.costMode, 'work');
  });

  it('the disjunction matters: without the bid that can lead the failure, the optimum moves', () => {
    // Drop C-k2: C's only way out is k1, L_C = 0.2 + w_c, so the worst loss is max(1.7 − w_c, 0.2 + w_c): w_c = 0.75, 0.95.
    const [a, b, c] = instance();
    const c1 = { ...c!, bids: c!.bids.filter((x) => x.bidId !== 'C-k2') };
    const fit = fitWeights([a!, b!, c1], defaults, { margin: 0.2, minAuctions: 3 });
    assert.ok(Math.abs(fit.weights.cost - 0.75) < 1e-5, `w_c = ${fit.weights.cost}`);
    assert.ok(Math.abs(fit.worstLoss - 0.95) < 1e-6);
  });

  it('when the weights in force already separate every auction, they are kept', () => {
    // A alone needs w_c ≤ 0.8; the default 0.4 has loss 0 and is the closest such weight to itself.
    const [a] = instance();
    const fit = fitWeights([a!], defaults, { minAuctions: 1 });
    assert.equal(fit.worstLoss, 0);
    assert.equal(fit.weights.cost, DEFAULT_WEIGHTS.cost);
    assert.deepEqual(fit.auctions.map((x) => x.binding), [false]);
  });

  it('fits one weight per juror from their scores', () => {
    // Juror P's scores follow the outcomes, juror Q's go against them. w_c fixed at 0 by its bound.
    const specs = (id: string, goodFirst: boolean): BidSpec[] => [
      { id: `${id}-1`, usd: 1, jury: goodFirst ? { P: 5, Q: 1 } : { P: 1, Q: 5 }, outcomes: [ran(0.1), goodFirst ? accepted : rejected] },
      { id: `${id}-2`, usd: 1, jury: goodFirst ? { P: 1, Q: 5 } : { P: 5, Q: 1 } },
    ];
    const auctions = [read('1', specs('1', true)), read('2', specs('2', false)), read('3', specs('3', true))];
    const fit = fitWeights(auctions, defaults, { minAuctions: 3, costMax: 0 });
    assert.equal(fit.worstLoss, 0);
    assert.ok(fit.weights.jurors!.P! > fit.weights.jurors!.Q!, JSON.stringify(fit.weights));
    // The value weights keep their total W = 5.
    assert.ok(Math.abs(fit.weights.entropy + fit.weights.jurors!.P! + fit.weights.jurors!.Q! - 5) < 1e-6);
  });

  it('too few usable auctions: a typed error that says how many there are and how many are needed', () => {
    const noVerdict = read('N', [
      { id: 'N-1', usd: 1, jury: { J: 3 }, outcomes: [ran(0.1)] },
      { id: 'N-2', usd: 2, jury: { J: 4 } },
    ]);
    const [a, b] = instance();
    assert.throws(
      () => fitWeights([a!, b!, noVerdict], defaults),
      (e: unknown) => e instanceof WeightFitError && e.code === 'too-few-auctions' && e.usable === 2 && e.needed === 8 && /2 of 3 remembered auctions/.test(e.message),
    );
  });

  it('says why auctions were left out', () => {
    const alone = read('S', [{ id: 'S-1', usd: 1, jury: { J: 3 }, outcomes: [ran(0.1), accepted] }]);
    const unpricedGood = read('U', [
      { id: 'U-1', usd: undefined, jury: { J: 3 }, outcomes: [accepted] },
      { id: 'U-2', usd: 1, jury: { J: 3 } },
    ]);
    const fit = fitWeights([...instance(), alone, unpricedGood], defaults, { minAuctions: 3 });
    assert.deepEqual(
      fit.skipped.map((s) => s.auctionId).sort(),
      ['S', 'U'],
    );
    assert.match(fit.skipped.find((s) => s.auctionId === 'U')!.reason, /no known cost/);
  });

  it('bounds no weights can meet: infeasible, with the bounds in the message', () => {
    // Two value signals (confidence, juror J) each at least 60% of W: 120% of W.
    assert.throws(
      () => fitWeights(instance(), defaults, { minAuctions: 3, minShare: 0.6 }),
      (e: unknown) => e instanceof WeightFitError && e.code === 'infeasible' && /0\.6 of 5/.test(e.message),
    );
  });

  it('the shared-jury fit writes one jury weight and no per-juror ones', () => {
    const fit = fitWeights(instance(), defaults, { margin: 0.2, minAuctions: 3, jury: 'shared' });
    assert.ok(Math.abs(fit.weights.cost - 5 / 6) < 1e-5);
    assert.equal(fit.weights.jurors, undefined);
    assert.equal(fit.weights.entropy + fit.weights.jury, 5);
  });
});

/*
 * The track record is not fitted: w_r stays the weight in force and each bid's record term w_r·r a constant of its
 * score. Bids of R1 and R3 have the same confidence (0.8) and jury (4), so only w_c and the records separate them:
 *   R1 (keep-good): g (c 1, r 0.9) accepted; k (c 0, r 0.4) never ran.  s_k − s_g = 1 − w_c       → L = max(0, w_c − 0.8)
 *   R3 (avoid-bad): b (c 0, r 0.9) rejected; k (c 1, r 0.2) never ran.  s_b − s_k = −w_c − 1.4    → L = 1.6 + w_c
 * With B of the instance above (no record: L_B = max(0, 1.7 − w_c)): R1 + B meet at w_c = 1.25 (0.45); adding R3,
 * the worst loss is max(1.7 − w_c, 1.6 + w_c), least at w_c = 0.05 (1.65). With w_r = 0 in force R1 would be
 * 0.2 + w_c, and R1 + B would meet at w_c = 0.75 (0.95).
 */
describe('fitWeights with a track record', () => {
  const withRecord = (): FitAuction[] => {
    const bid = (id: string, usd: number, record: number, outcomes?: BidSpec['outcomes']): BidSpec => ({ id, usd, jury: { J: 4 }, confidence: 0.8, record, ...(outcomes ? { outcomes } : {}) });
    return [read('R1', [bid('R1-g', 10, 0.9, [ran(1), accepted]), bid('R1-k', 1, 0.4)]), read('R3', [bid('R3-b', 1, 0.9, [ran(0.1), rejected]), bid('R3-k', 10, 0.2)])];
  };

  it('counts each bid\'s record as a constant of its score and carries w_r through unfitted', () => {
    const [r1] = withRecord();
    assert.equal(r1!.problem, undefined);
    assert.deepEqual(r1!.bids.map((b) => [b.record, Math.round(b.confidence! * 1e9) / 1e9]), [[0.9, 0.8], [0.4, 0.8]]);
    const b = instance()[1]!;
    const fit = fitWeights([r1!, b], defaults, { margin: 0.2, minAuctions: 2 });
    assert.ok(Math.abs(fit.weights.cost - 1.25) < 1e-5, `w_c = ${fit.weights.cost}`);
    assert.ok(Math.abs(fit.worstLoss - 0.45) < 1e-6, `worst loss ${fit.worstLoss}`);
    assert.equal(fit.weights.record, 2);
    // With w_r = 0 in force the records weigh nothing and the optimum is the one without them.
    const off = fitWeights([r1!, b], { ...defaults, record: 0 }, { margin: 0.2, minAuctions: 2 });
    assert.ok(Math.abs(off.weights.cost - 0.75) < 1e-5 && Math.abs(off.worstLoss - 0.95) < 1e-6, JSON.stringify([off.weights.cost, off.worstLoss]));
    assert.equal(off.weights.record, 0);
  });

  it('the exact program moves the record term of a failure\'s alternatives to the row\'s right-hand side too', () => {
    const [r1, r3] = withRecord();
    const fit = fitWeights([r1!, instance()[1]!, r3!], defaults, { margin: 0.2, minAuctions: 3 });
    assert.deepEqual([fit.status, fit.method], ['optimal', 'milp']);
    assert.ok(Math.abs(fit.weights.cost - 0.05) < 1e-5, `w_c = ${fit.weights.cost}`);
    assert.ok(Math.abs(fit.worstLoss - 1.65) < 1e-6, `worst loss ${fit.worstLoss}`);
    assert.deepEqual(fit.auctions.filter((a) => a.binding).map((a) => a.auctionId).sort(), ['B', 'R3']);
  });
});

describe('fitWeights without the exact program', () => {
  it('the LP local search reaches the same optimum on the small instance, and says it is not proven', () => {
    // From w_c = 0.4, C's best alternative is k2 (loss 0 against k1's 0.6); the LP with k2 fixed gives w_c = 5/6,
    // where k2 is still C's best (0.867 against 1.033): the search stops there.
    const fit = fitWeights(instance(), defaults, { margin: 0.2, minAuctions: 3, maxBinaries: 0 });
    assert.deepEqual([fit.status, fit.method], ['not-proven', 'local-search']);
    assert.ok(Math.abs(fit.weights.cost - 5 / 6) < 1e-5);
    assert.ok(Math.abs(fit.worstLoss - 13 / 15) < 1e-6);
  });
});

describe('fitWeights on many auctions', () => {
  it('uses the most recent usable auctions up to maxAuctions, whatever unusable ones lie between', () => {
    const [a, b, c] = instance();
    const unjudged = (id: string, time: string): FitAuction => ({ ...read(id, [{ id: `${id}-1`, usd: 1, jury: { J: 3 } }, { id: `${id}-2`, usd: 2, jury: { J: 4 } }]), time });
    const dated = [
      { ...a!, time: '2026-01-01T00:00:00Z' },
      { ...b!, time: '2026-01-02T00:00:00Z' },
      { ...c!, time: '2026-01-03T00:00:00Z' },
      unjudged('N1', '2026-01-04T00:00:00Z'),
      unjudged('N2', '2026-01-05T00:00:00Z'),
    ];
    const fit = fitWeights(dated, defaults, { minAuctions: 2, maxAuctions: 2 });
    assert.deepEqual(fit.auctions.map((x) => x.auctionId), ['C', 'B']);
    assert.match(fit.skipped.find((s) => s.auctionId === 'A')!.reason, /older than the 2 most recent usable auctions/);
  });
});
