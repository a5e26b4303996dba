import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestPossibleScore, choosePanel, couldOvertake, fitRefiners, shrinkToCap, valueBounds, winnerSettled } from '../../../../src/common/auction/adaptive';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionRequest, ScoreBreakdown } from '../../../../src/common/auction/types';
import { rankBids, type ScoringInput } from '../../../../src/common/auction/scoring';
import type { AuctionWeights } from '../../../../src/common/auction/weights';
import { learnedRecordFrom, type TrackRecordPort } from '../../../../src/common/learning/successPredictor';
import fc from 'fast-check';
import { depsFor, judgeJson, ScriptedClient, spec, winnerModel } from './scriptedClient';

/** A breakdown with cost term `c` and jury value from `scores` (0–5) out of a jury of total weight `full`. */
function b(id: string, c: number | undefined, scores: number[], full = 4, perJuror = 1): ScoreBreakdown {
  const present = scores.length * perJuror;
  const term = present ? (full * scores.reduce((s, x) => s + (x / 5) * perJuror, 0)) / present : 0;
  return {
    bidId: id,
    modelId: id,
    kind: 'original',
    cost: { mode: 'work', known: c !== undefined, ...(c === undefined ? {} : { term: c }) },
    value: { jury: [], fullWeight: full, presentWeight: present, imputed: present === 0, term },
    signals: { entropy: false, jurors: [] },
    ...(c === undefined ? {} : { score: c - term }),
    eligible: true,
    ineligibleReasons: [],
    rank: 0,
  };
}

describe('winnerSettled', () => {
  it('value bounds: remaining jurors can pull the mean to 0 or to the full weight', () => {
    const x = b('x', 0, [5, 5]); // V = 4 with 2 of 4 jurors
    assert.deepEqual(valueBounds(x, 2), { min: 2, max: 4 });
    assert.deepEqual(valueBounds(b('y', 0, [0, 0]), 2), { min: 0, max: 2 });
    assert.deepEqual(valueBounds(b('z', 0, []), 2), { min: 0, max: 4 });
  });
  it('settled exactly when the leader\'s worst beats every other bid\'s best', () => {
    // 2 of 4 jurors in: leader V=4 (worst 2), other V=0 (best 2). Cost terms decide the margin.
    const lead = (c: number) => b('lead', c, [5, 5]);
    const other = (c: number) => b('other', c, [0, 0]);
    const rem = () => 2;
    // leader worst = c − 2; other best = c' − 2. Settled iff c < c'.
    assert.equal(winnerSettled([lead(0), other(0.5)], rem), true);
    assert.equal(winnerSettled([lead(0.5), other(0.5)], rem), false, 'a tie can still go either way');
    assert.equal(winnerSettled([lead(0.5), other(0.4)], rem), false);
    // With no juror out the current order stands.
    assert.equal(winnerSettled([lead(0.5), other(0.4)], () => 0), true);
    // An unpriced bid can never overtake a priced leader; an unpriced leader is never settled.
    assert.equal(winnerSettled([lead(0), b('u', undefined, [])], rem), true);
    assert.equal(winnerSettled([b('u', undefined, [5]), lead(0)], rem), false);
  });
});

describe('couldOvertake (refinement skip)', () => {
  it('a candidate is asked only if cost term − full value weight beats the leader', () => {
    assert.equal(couldOvertake(b('c', 3, [1]), -0.5), true); // best −1 < −0.5
    assert.equal(couldOvertake(b('c', 3, [1]), -1), false); // a tie cannot overtake
    assert.equal(couldOvertake(b('c', 3, [1]), -2), false);
  });
});

describe('early stop and refinement skip with a track record', () => {
  // Paper mode: each bid's cost term is its own, so completing the jury moves only the values.
  const W: AuctionWeights = { cost: 1, costMode: 'paper', entropy: 1, jury: 3, record: 2 };
  const jurors = ['j1', 'j2', 'j3'];
  const bidOf = (i: number, price: number, rate: number, scores: (number | undefined)[], confidence?: number): ScoringInput => ({
    bidId: `m${i}#original`,
    modelId: `m${i}`,
    kind: 'original',
    bidTokens: 1,
    outputPricePerMTok: price,
    entropy: confidence === undefined ? undefined : { meanNats: 0, normalised: 1 - confidence, confidence, positions: 5 },
    judgements: scores.flatMap((score, j) => (score === undefined ? [] : [{ jurorId: jurors[j]!, score }])),
    record: { rate, outcomes: 4, source: 'neutral prior' },
    ineligibleReasons: [],
  });
  const score = fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined, freq: 5 });
  // Whole prices 0–12 (cost terms 0–12 against a value range of 6): about half the cases settle early, half do not.
  const bid = fc.record({ price: fc.integer({ min: 0, max: 12 }), rate: fc.double({ min: 0, max: 1, noNaN: true }), confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), scores: fc.array(score, { minLength: 3, maxLength: 3 }) });

  it('property: when the jury is stopped early, no answer of the jurors still out could have changed the winner', () => {
    let settled = 0;
    fc.assert(
      fc.property(fc.array(bid, { minLength: 2, maxLength: 3 }), fc.integer({ min: 0, max: 2 }), (bids, answered) => {
        // Jurors j1..j_answered have answered (or failed); the others are still out for every bid of the round.
        const partial = bids.map((b, i) => bidOf(i, b.price, b.rate, b.scores.map((x, j) => (j < answered ? x : undefined)), b.confidence));
        const ranking = rankBids(partial, W, jurors);
        const remaining = (3 - answered) * (W.jury / 3);
        if (!winnerSettled(ranking, () => remaining)) return;
        settled++;
        const final = rankBids(bids.map((b, i) => bidOf(i, b.price, b.rate, b.scores, b.confidence)), W, jurors);
        assert.equal(final[0]!.bidId, ranking[0]!.bidId);
      }),
      { numRuns: 400, seed: 7 },
    );
    assert.ok(settled >= 100, `only ${settled} of 400 cases stopped early: the property says little`);
  });

  it('property: a refined bid of a model never scores better than its original\'s best possible score (the record cannot change)', () => {
    fc.assert(
      fc.property(bid, bid, fc.array(score, { minLength: 3, maxLength: 3 }), fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), (own, other, refinedScores, refinedConfidence) => {
        const original = bidOf(1, own.price, own.rate, own.scores, own.confidence);
        const rival = bidOf(2, other.price, other.rate, other.scores, other.confidence);
        const best = bestPossibleScore(rankBids([original, rival], W, jurors).find((b) => b.bidId === original.bidId)!)!;
        const refined = { ...bidOf(1, own.price, own.rate, refinedScores, refinedConfidence), bidId: 'm1#refined', kind: 'refined' as const };
        const scored = rankBids([original, rival, refined], W, jurors).find((b) => b.bidId === 'm1#refined')!;
        assert.ok(scored.score! >= best - 1e-9, `refined ${scored.score} below its bound ${best}`);
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('a refiner whose record caps its value is not asked, where a perfect record would have been', () => {
    const withRecord = (rate: number): ScoreBreakdown => ({ ...b('c', 3, [1], 7), value: { ...b('c', 3, [1], 7).value, record: { rate, weight: 2, outcomes: 5, source: 'neutral prior' } } });
    // Best: 3 − (7 − 2 × (1 − 0.2)) = −2.4, not below a leader at −2.5; with a perfect record 3 − 7 = −4 is.
    assert.equal(bestPossibleScore(withRecord(0.2)), 3 - (7 - 2 * 0.8));
    assert.equal(couldOvertake(withRecord(0.2), -2.5), false);
    assert.equal(couldOvertake(withRecord(1), -2.5), true);
    assert.equal(couldOvertake(b('c', 3, [1], 7), -2.5), true, 'without a record: the full weight, as before');
  });

  it('value bounds: the record is present from the start, so only the jurors still out move V', () => {
    // W = 7 (w_h 1, jury 4, w_r 2); no logprobs; record 0.5 and no juror yet: present 2, V = 7 × 0.5.
    const x: ScoreBreakdown = { ...b('x', 0, [], 7), value: { jury: [], record: { rate: 0.5, weight: 2, outcomes: 0, source: 'neutral prior' }, fullWeight: 7, presentWeight: 2, imputed: false, term: 3.5 } };
    // Four jurors' weight out: all 0 gives 7 × 1 / 6, all 5 gives 7 × 5 / 6.
    const bounds = valueBounds(x, 4);
    assert.ok(Math.abs(bounds.min - 7 / 6) < 1e-12 && Math.abs(bounds.max - 35 / 6) < 1e-12, JSON.stringify(bounds));
  });
});

describe('panel and overhead cap', () => {
  it('panel: the cheapest priced jurors by a typical jury call, ties by id, unknown price last', () => {
    const clients = [spec('dear', 20), spec('cheap-b', 1), spec('cheap-a', 1), spec('unpriced', undefined), spec('mid', 4)].map((s) => new ScriptedClient(s, {}));
    assert.deepEqual(choosePanel(clients, 3).map((c) => c.spec.id), ['cheap-a', 'cheap-b', 'mid']);
    assert.deepEqual(choosePanel(clients, 5).map((c) => c.spec.id), ['cheap-a', 'cheap-b', 'mid', 'dear', 'unpriced']);
  });
  it('shrinks refinement first, then the dearest jurors; nothing without need', () => {
    const jurors = [{ id: 'a', boundUsd: 0.01 }, { id: 'b', boundUsd: 0.02 }, { id: 'c', boundUsd: 0.05 }];
    assert.equal(shrinkToCap({ capUsd: 1, spentUsd: 0.1, jurors, refinementBoundUsd: 0.1 }).reason, '');
    const noRef = shrinkToCap({ capUsd: 0.2, spentUsd: 0.1, jurors, refinementBoundUsd: 0.05 });
    assert.deepEqual([noRef.dropRefinement, noRef.keepJurors, noRef.dropJurors], [true, ['a', 'b', 'c'], []]);
    const fewer = shrinkToCap({ capUsd: 0.14, spentUsd: 0.1, jurors, refinementBoundUsd: undefined });
    assert.deepEqual([fewer.dropRefinement, fewer.keepJurors, fewer.dropJurors], [false, ['a', 'b'], ['c']]);
    assert.match(fewer.reason, /dropped juror c/);
    const unpriced = shrinkToCap({ capUsd: 10, spentUsd: 0, jurors: [{ id: 'x', boundUsd: undefined }, ...jurors], refinementBoundUsd: undefined });
    assert.deepEqual(unpriced.dropJurors, ['x']);
    // An unpriced juror is dropped whatever happens: it must not make an affordable refinement look unaffordable.
    const withRef = shrinkToCap({ capUsd: 10, spentUsd: 0, jurors: [{ id: 'x', boundUsd: undefined }, ...jurors], refinementBoundUsd: 0.1 });
    assert.equal(withRef.dropRefinement, false);
    // A cap too small for any juror keeps the cheapest priced one (never an empty jury), and says it is exceeded.
    const floor = shrinkToCap({ capUsd: 0.105, spentUsd: 0.1, jurors: [{ id: 'x', boundUsd: undefined }, ...jurors], refinementBoundUsd: 0.05 });
    assert.deepEqual([floor.dropRefinement, floor.keepJurors, floor.dropJurors], [true, ['a'], ['b', 'c', 'x']]);
    assert.match(floor.reason, /kept the cheapest juror a .* exceeds the cap/);
    assert.deepEqual(shrinkToCap({ capUsd: 0, spentUsd: 0, jurors: [{ id: 'x', boundUsd: undefined }], refinementBoundUsd: undefined }).keepJurors, []);
  });
  it('refiners fitted at the leader\'s work: cheapest first, each adding its call and a plan to the second jury round', () => {
    const refiners = [{ id: 'mid', boundUsd: 0.02 }, { id: 'small', boundUsd: 0.01 }, { id: 'unpriced', boundUsd: undefined }];
    const jury = (k: number) => 0.005 * k;
    assert.deepEqual(fitRefiners(refiners, jury, 1), { keep: ['small', 'mid'], drop: ['unpriced'] });
    // small: 0.01 + jury(1) 0.005 = 0.015 fits in 0.04; mid would make 0.03 + jury(2) 0.01 = 0.04 > 0.039.
    assert.deepEqual(fitRefiners(refiners, jury, 0.039), { keep: ['small'], drop: ['mid', 'unpriced'] });
    assert.deepEqual(fitRefiners(refiners, jury, 0.014), { keep: [], drop: ['small', 'mid', 'unpriced'] });
    // An unpriced second jury round cannot be bounded: nobody refines.
    assert.deepEqual(fitRefiners(refiners, () => undefined, 1).keep, []);
    // The bids alone already passed the cap: a free refiner judged by free jurors still adds nothing.
    assert.deepEqual(fitRefiners([{ id: 'local', boundUsd: 0 }, ...refiners], () => 0, -0.5), { keep: ['local'], drop: ['small', 'mid', 'unpriced'] });
  });
});

const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({ auctionId: 'ad-1', task: 'Fix the parser', pool: ['small', 'large'], refinement: { enabled: false }, jury: { mode: 'all' }, ...over });

describe('adaptive engine', () => {
  it('stops the jury once the winner cannot change, and not otherwise', async () => {
    // small is far cheaper: after the first juror, large cannot catch up (paper mode, w_c = 1: the price gap dwarfs the jury's range), so the slow juror is stopped.
    const clients = [new ScriptedClient(spec('small', 1), {}), new ScriptedClient(spec('large', 100), { judge: () => ({ text: judgeJson(5), delayMs: 200 }) })];
    const deps = depsFor(clients);
    const result = await runAuction(request({ weights: { cost: 1, costMode: 'paper' } }), deps);
    assert.equal(winnerModel(result), 'small');
    const skip = result.adaptive?.find((s) => s.kind === 'jury-stopped-early');
    assert.deepEqual(skip?.dropped, ['large']);
    assert.ok(deps.events.some((e) => e.type === 'adaptive-skip'));
    // Same prices, close ratings: the second juror can still change the winner, so both are heard.
    const close = [new ScriptedClient(spec('small', 1), {}), new ScriptedClient(spec('large', 1), { judge: () => ({ text: judgeJson(5), delayMs: 50 }) })];
    const r2 = await runAuction(request(), depsFor(close));
    assert.equal(r2.adaptive, undefined);
    assert.equal(r2.judgements.length, 4);
  });

  it('with a track record: still stops once the winner cannot change, still hears every juror when it can', async () => {
    // Prior-only records (no outcomes yet): both models at the neutral ½, known before the first juror answers.
    const trackRecord: TrackRecordPort = { load: (q) => Promise.resolve(learnedRecordFrom([], new Map(), q)) };
    const far = [new ScriptedClient(spec('small', 1), {}), new ScriptedClient(spec('large', 100), { judge: () => ({ text: judgeJson(5), delayMs: 200 }) })];
    const stopped = await runAuction(request({ weights: { cost: 1, costMode: 'paper' } }), { ...depsFor(far), trackRecord });
    assert.equal(winnerModel(stopped), 'small');
    assert.deepEqual(stopped.adaptive?.find((s) => s.kind === 'jury-stopped-early')?.dropped, ['large']);
    assert.ok(stopped.ranking.every((r) => r.value.record?.rate === 0.5 && r.value.fullWeight === 7));
    const close = [new ScriptedClient(spec('small', 1), {}), new ScriptedClient(spec('large', 1), { judge: () => ({ text: judgeJson(5), delayMs: 50 }) })];
    const heard = await runAuction(request(), { ...depsFor(close), trackRecord });
    assert.equal(heard.adaptive, undefined);
    assert.equal(heard.judgements.length, 4);
  });

  it('overhead cap: drops the dearest juror and refinement, says so; without the host\'s estimate it uses the bids\' expected work', async () => {
    const mk = () => [new ScriptedClient(spec('small', 1), {}), new ScriptedClient(spec('mid', 2), {}), new ScriptedClient(spec('large', 400), {})];
    const memory = { contrastivePairs: () => Promise.resolve({ method: 'lexical' as const, pairs: [] }) };
    const deps = depsFor(mk(), { memory });
    const result = await runAuction(request({ pool: ['small', 'mid', 'large'], refinement: { enabled: true }, overhead: { maxShare: 0.1, expectedExecutionUsd: 0.2 } }), deps);
    const skip = result.adaptive?.find((s) => s.kind === 'overhead-cap');
    assert.ok(skip, JSON.stringify(result.adaptive));
    assert.ok(skip.dropped.includes('large') && skip.dropped.includes('refinement'));
    assert.ok(!result.jurors.includes('large'));
    assert.equal(deps.records.filter((r) => r.phase === 'jury' && r.modelId === 'large').length, 0);
    assert.ok(result.refinement.skipped.some((s) => /overhead cap/.test(s.reason)));
    // No cap asked for: nothing shrinks.
    const plain = await runAuction(request({ pool: ['small', 'mid', 'large'] }), depsFor(mk()));
    assert.equal(plain.adaptive, undefined);
    assert.deepEqual(plain.jurors, ['large', 'mid', 'small']);
    // A cap without the host's estimate: the engine estimates from the bids' expected work (the median), so a
    // generous share shrinks nothing and a tiny one shrinks to the cheapest juror.
    const generous = await runAuction(request({ pool: ['small', 'mid', 'large'], overhead: { maxShare: 1_000 } }), depsFor(mk()));
    assert.equal(generous.adaptive, undefined);
    const tiny = await runAuction(request({ pool: ['small', 'mid', 'large'], overhead: { maxShare: 1e-6 } }), depsFor(mk()));
    assert.deepEqual(tiny.jurors, ['small']);
    assert.match(tiny.adaptive?.find((a) => a.kind === 'overhead-cap')?.reason ?? '', /kept the cheapest juror small/);
  });

  it('overhead cap: refinement dropped on the median bid\'s work is fitted again at the dear leader\'s, cheapest refiner first, within the cap', async () => {
    const pair = { auctionId: 'past', pastTask: 'Fix the lexer', similarity: 0.9, losing: { modelId: 'small', plan: 'LOSING' }, winning: { modelId: 'large', plan: 'WINNING' } };
    const memory = { contrastivePairs: () => Promise.resolve({ method: 'lexical' as const, pairs: [pair] }) };
    const run = async (maxShare: number) => {
      const judge = (author: string) => ({ text: judgeJson(author === 'large' ? 5 : 2) });
      const deps = depsFor(['small', 'mid', 'large'].map((id, i) => new ScriptedClient(spec(id, [1, 2, 400][i]), { judge })), { memory });
      const result = await runAuction(request({ pool: ['small', 'mid', 'large'], refinement: { enabled: true }, weights: { cost: 0.01 }, overhead: { maxShare } }), deps);
      return { result, deps };
    };
    // Up front the cap rests on mid's work (the median) and drops refinement; large leads, and at its work small fits, mid does not.
    const { result, deps } = await run(0.06);
    const [upFront, refit] = (result.adaptive ?? []).filter((a) => a.kind === 'overhead-cap');
    assert.ok(upFront?.dropped.includes('refinement'), JSON.stringify(result.adaptive));
    assert.match(refit?.reason ?? '', /at large's expected work .* refinement by small fits, mid left out/);
    assert.deepEqual(result.refinement.candidates, ['small']);
    assert.deepEqual(deps.records.filter((r) => r.phase === 'refinement').map((r) => r.modelId), ['small']);
    assert.ok(result.refinement.skipped.some((s) => s.modelId === 'mid' && /overhead cap/.test(s.reason)));
    // What refinement and its jury round spent stays within the cap at large's work, less what was spent before.
    const leaderWork = result.ranking.find((b) => b.modelId === 'large')!.expectedExecutionUsd!;
    const first = deps.records.findIndex((r) => r.phase === 'refinement');
    const usd = (rs: typeof deps.records) => rs.reduce((s, r) => s + (r.dollars ?? 0), 0);
    assert.ok(usd(deps.records.slice(first)) <= 0.06 * leaderWork - usd(deps.records.slice(0, first)));
    // A smaller share: no refiner fits, and the skip says so.
    const none = (await run(0.03)).result;
    assert.equal(none.refinement.ran, false);
    assert.match(none.adaptive?.at(-1)?.reason ?? '', /no refiner fits/);
  });
});
