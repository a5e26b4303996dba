import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choosePanel, couldOvertake, fitRefiners, shrinkToCap, valueBounds, winnerSettled } from '../../../../src/common/auction/adaptive';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionRequest, ScoreBreakdown } from '../../../../src/common/auction/types';
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
