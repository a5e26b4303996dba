import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runAuction } from '../../../../src/common/auction/engine';
import { rankBids, type ScoringInput } from '../../../../src/common/auction/scoring';
import type { AuctionRequest, SuccessPrediction } from '../../../../src/common/auction/types';
import { DEFAULT_WEIGHTS, type AuctionWeights } from '../../../../src/common/auction/weights';
import { observationsOfAuction } from '../../../../src/common/learning/observations';
import { learnedRecordFrom, type LearnedRecord, type ModelTrack, type TrackRecordPort, type TrackRecordQuery } from '../../../../src/common/learning/successPredictor';
import { recordFor } from '../../../../src/common/auction/auctionState';
import type { Logger } from '../../../../src/common/log';
import type { AuctionLine, OutcomeLine } from '../../../../src/common/memory/records';
import { depsFor, judgeJson, ScriptedClient, spec, type Script } from './scriptedClient';

/** A past auction in which `modelId`'s bid won and ran, and the user accepted or rejected its work. */
function pastRun(n: number, modelId: string, accepted: boolean): { auction: AuctionLine; outcomes: OutcomeLine[] } {
  const id = `past_${modelId}_${n}`;
  const bidId = `${modelId}#original`;
  const time = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  return {
    auction: {
      v: 2,
      kind: 'auction',
      id,
      time,
      task: `Fix the date parser, case ${n}`,
      contextFiles: [],
      pool: [modelId],
      bids: [{ bidId, modelId, plan: 'a plan', jury: {}, value: 0, refined: false, memoryItemsUsed: [], won: true }],
      winnerBidId: bidId,
    },
    outcomes: [{ v: 2, kind: 'outcome', id: `${id}/review`, auctionId: id, bidId, time, fact: { type: 'review', files: [{ path: 'src/a.ts', decision: accepted ? 'accepted' : 'rejected' }] } }],
  };
}

/** A track-record port over recorded past auctions, learned by the real core; it records what it was asked. */
function portOver(past: readonly ReturnType<typeof pastRun>[], asked: TrackRecordQuery[] = []): TrackRecordPort {
  return {
    load: (query) => {
      asked.push(query);
      const observations = past.flatMap((p) => observationsOfAuction(p.auction, p.outcomes));
      return Promise.resolve(learnedRecordFrom(observations, new Map(), query));
    },
  };
}

const observationsOf = (past: readonly ReturnType<typeof pastRun>[]) => past.flatMap((p) => observationsOfAuction(p.auction, p.outcomes));
const runs = (modelId: string, accepted: boolean, count: number, from = 0) => Array.from({ length: count }, (_, i) => pastRun(from + i, modelId, accepted));

/** The jury prefers the dear model's plan (5 against 4): on the score, the dear model wins. */
const rate: Script['judge'] = (author) => ({ text: judgeJson(author === 'dear' ? 5 : 4) });
const clients = (): ScriptedClient[] => [new ScriptedClient(spec('cheap', 2, { inputPerMTok: 0.25 }), { judge: rate }), new ScriptedClient(spec('dear', 25, { inputPerMTok: 5 }), { judge: rate })];
const request = (weights: Partial<AuctionWeights> = {}): AuctionRequest => ({ auctionId: 'a1', task: 'Fix the date parser', pool: ['cheap', 'dear'], refinement: { enabled: false }, weights });

function collectingLogger(lines: string[]): Logger {
  const logger: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => void lines.push(m),
    error: (m: string | Error) => void lines.push(String(m)),
    topic: () => logger,
  };
  return logger;
}

describe('runAuction with a track record', () => {
  it('asks the port once with the task, bidders and jurors, and every breakdown carries a prediction that follows the outcomes', async () => {
    const asked: TrackRecordQuery[] = [];
    const port = portOver([...runs('dear', true, 8), ...runs('cheap', false, 8, 8)], asked);
    const result = await runAuction(request(), { ...depsFor(clients()), trackRecord: port });
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.task, 'Fix the date parser');
    assert.deepEqual([...(asked[0]?.modelIds ?? [])].sort(), ['cheap', 'dear']);
    assert.deepEqual([...(asked[0]?.jurorIds ?? [])].sort(), ['cheap', 'dear']);
    assert.ok(result.ranking.every((b) => b.prediction !== undefined), 'every bid has a prediction');
    const p = (id: string): SuccessPrediction => result.ranking.find((b) => b.modelId === id)!.prediction!;
    assert.ok(p('dear').p > p('cheap').p, `accepted work predicts better than rejected work: ${p('dear').p} vs ${p('cheap').p}`);
    for (const id of ['dear', 'cheap']) assert.ok(p(id).low <= p(id).p && p(id).p <= p(id).high, 'p within its interval');
    assert.equal(result.decision?.predictions, true);
    assert.equal(result.decision?.rule, 'score');
    // The score rule still decides by default: the jury's favourite wins, predictions only shown.
    assert.equal(result.winner?.modelId, 'dear');
    assert.match(result.why ?? '', /predicted chance of success is \d+%/);
  });

  it('a failing port leaves the auction without predictions, logged, and it completes', async () => {
    const lines: string[] = [];
    const port: TrackRecordPort = { load: () => Promise.reject(new Error('memory unreadable')) };
    const result = await runAuction(request({ rule: 'expected-utility' }), { ...depsFor(clients()), trackRecord: port, logger: collectingLogger(lines) });
    assert.equal(result.status, 'completed');
    assert.ok(result.ranking.every((b) => b.prediction === undefined && b.utility === undefined));
    assert.ok(lines.some((l) => /track record unavailable.*memory unreadable/.test(l)), lines.join('\n'));
    // Asked for expected utility, but without predictions the score decides, and "why" says so.
    assert.equal(result.winner?.modelId, 'dear');
    assert.match(result.decision?.fellBack ?? '', /no success prediction/);
    assert.match(result.why ?? '', /expected-utility rule was asked for, but no success prediction could be made/);
  });

  it('a port that never answers does not hold a cancelled auction', async () => {
    const abort = new AbortController();
    const port: TrackRecordPort = {
      load: () => {
        setTimeout(() => abort.abort(), 5);
        return new Promise(() => undefined);
      },
    };
    const result = await runAuction(request(), { ...depsFor(clients()), trackRecord: port }, abort.signal);
    assert.equal(result.status, 'cancelled');
    assert.equal(result.winner, undefined);
  });

  it('the expected-utility rule passes over the jury favourite whose work this workspace keeps rejecting, and says why', async () => {
    const port = portOver([...runs('dear', false, 8), ...runs('cheap', true, 8, 8)]);
    // Without the record in its value (w_r = 0) the score follows the jury alone.
    const byScore = await runAuction(request({ record: 0 }), { ...depsFor(clients()), trackRecord: port });
    assert.equal(byScore.winner?.modelId, 'dear', 'the score follows the jury');
    const byUtility = await runAuction(request({ rule: 'expected-utility' }), { ...depsFor(clients()), trackRecord: port });
    assert.equal(byUtility.winner?.modelId, 'cheap');
    assert.ok(byUtility.ranking.every((b) => b.utility !== undefined));
    assert.equal(byUtility.decision?.fellBack, undefined);
    assert.match(byUtility.why ?? '', /^cheap won with the lowest expected cost per success/);
    assert.match(byUtility.why ?? '', /The jury preferred dear \(5\.0\/5 against 4\.0\/5\), but dear costs \$[\d.]+ per success/);
  });

  it('the default score counts each bidder\'s track record: the same outcomes pass over the jury favourite, and the breakdown says so', async () => {
    const seen: { record?: LearnedRecord } = {};
    const inner = portOver([...runs('dear', false, 8), ...runs('cheap', true, 8, 8)]);
    const port: TrackRecordPort = { load: async (q, signal) => (seen.record = await inner.load(q, signal)) };
    const result = await runAuction(request(), { ...depsFor(clients()), trackRecord: port });
    assert.equal(result.decision?.rule, 'score');
    assert.equal(result.winner?.modelId, 'cheap', 'its record here (8 of 8 accepted) outweighs half a jury point');
    const loaded = seen.record;
    assert.ok(loaded);
    for (const b of result.ranking) {
      const track: ModelTrack = loaded.models[b.modelId]!;
      assert.deepEqual(b.value.record, { rate: track.p, weight: 2, outcomes: 8, source: track.prior.source });
      assert.equal(b.signals.record, true);
      // W = w_h + w_jury + w_r = 1 + 4 + 2; no logprobs, so present = 4 + 2.
      assert.equal(b.value.fullWeight, 7);
      assert.equal(b.value.presentWeight, 6);
      const jury = b.value.jury.reduce((s, j) => s + j.weight * (j.score / 5), 0);
      assert.ok(Math.abs(b.value.term - (7 * (jury + 2 * track.p)) / 6) < 1e-12);
    }
    assert.match(result.why ?? '', /its record here \(an estimated \d+% from 8 runs here and its prior\)/);
  });

  it('recordFor: the model\'s rate, the unknown model\'s for an id the query did not name, nothing for a rate that is not a probability', () => {
    const record = learnedRecordFrom(observationsOf([...runs('dear', true, 3)]), new Map(), { task: 't', modelIds: ['dear'], jurorIds: [] });
    assert.deepEqual(recordFor(record, 'dear'), { rate: record.models.dear!.p, outcomes: 3, source: record.models.dear!.prior.source });
    assert.deepEqual(recordFor(record, 'other'), { rate: record.unknownModel.p, outcomes: 0, source: record.unknownModel.prior.source });
    assert.equal(recordFor(undefined, 'dear'), undefined);
    const warned: string[] = [];
    const broken = { ...record, models: { dear: { ...record.models.dear!, p: Number.NaN } } };
    assert.equal(recordFor(broken, 'dear', (m) => warned.push(m)), undefined);
    assert.match(warned[0] ?? '', /track record of dear ignored in the score/);
  });

  it('the quality preference moves the decision: 0 takes the cheaper success, 1 the likelier one', async () => {
    // The dear model succeeds more often here, but not 15× more often than the cheap one: per success it costs more.
    const port = portOver([...runs('dear', true, 6), ...runs('dear', false, 2, 6), ...runs('cheap', true, 4, 8), ...runs('cheap', false, 4, 12)]);
    const cheapest = await runAuction(request({ rule: 'expected-utility', qualityPreference: 0 }), { ...depsFor(clients()), trackRecord: port });
    const likeliest = await runAuction(request({ rule: 'expected-utility', qualityPreference: 1 }), { ...depsFor(clients()), trackRecord: port });
    const dear = likeliest.ranking.find((b) => b.modelId === 'dear')!;
    const cheap = likeliest.ranking.find((b) => b.modelId === 'cheap')!;
    assert.ok(dear.prediction!.p > cheap.prediction!.p);
    assert.ok(dear.expectedExecutionUsd! / dear.prediction!.p > cheap.expectedExecutionUsd! / cheap.prediction!.p, 'dear costs more per success');
    assert.equal(cheapest.winner?.modelId, 'cheap');
    assert.equal(likeliest.winner?.modelId, 'dear');
  });
});

const prediction = (p: number): SuccessPrediction => ({ p, low: Math.max(0, p - 0.1), high: Math.min(1, p + 0.1), outcomes: 5, basis: 'test' });
const utilityWeights: AuctionWeights = { ...DEFAULT_WEIGHTS, rule: 'expected-utility', qualityPreference: 0 };
function bidInput(i: number, usd: number | undefined, p: number | undefined, jury: number, ineligible = false): ScoringInput {
  return {
    bidId: `m${i}#original`,
    modelId: `m${i}`,
    kind: 'original',
    bidTokens: 300,
    outputPricePerMTok: usd === undefined ? undefined : 1,
    entropy: undefined,
    judgements: [{ jurorId: 'j', score: jury }],
    ...(usd === undefined ? {} : { expectedExecutionUsd: usd }),
    ...(p === undefined ? {} : { prediction: prediction(p) }),
    ineligibleReasons: ineligible ? ['over the cap'] : [],
  };
}
const order = (ranking: readonly { bidId: string }[]): string[] => ranking.map((b) => b.bidId);

describe('rankBids under the expected-utility rule', () => {
  it('q = 0 ranks by expected cost per success, unknown costs after priced bids, ineligible last', () => {
    const ranking = rankBids([bidInput(1, 1, 0.5, 5), bidInput(2, 0.3, 0.2, 2), bidInput(3, 0.2, 0.9, 3, true), bidInput(4, undefined, 0.99, 5)], utilityWeights, ['j']);
    // m2: $1.50 per success, m1: $2.00; m4's cost is unknown; m3 is ineligible however good.
    assert.deepEqual(order(ranking), ['m2#original', 'm1#original', 'm4#original', 'm3#original']);
    assert.ok(ranking[0]!.utility! < ranking[1]!.utility!);
  });

  it('falls back to the score when only some eligible priced bids have a prediction', () => {
    const inputs = [bidInput(1, 1, 0.9, 2), bidInput(2, 1, undefined, 5)];
    assert.deepEqual(order(rankBids(inputs, utilityWeights, ['j'])), order(rankBids(inputs, DEFAULT_WEIGHTS, ['j'])));
    assert.ok(rankBids(inputs, utilityWeights, ['j']).every((b) => b.utility === undefined));
  });

  const bids = fc.array(fc.record({ usd: fc.double({ min: 1e-4, max: 100, noNaN: true }), p: fc.double({ min: 0.01, max: 0.99, noNaN: true }), jury: fc.integer({ min: 0, max: 5 }), eligible: fc.boolean() }), { minLength: 1, maxLength: 6 });
  const inputsOf = (xs: { usd: number; p: number; jury: number; eligible: boolean }[], k = 1): ScoringInput[] => xs.map((x, i) => bidInput(i, x.usd * k, x.p, x.jury, !x.eligible));

  it('property: the same bids in any order give the same ranking', () => {
    fc.assert(
      fc.property(bids, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (xs, q, seed) => {
        const inputs = inputsOf(xs);
        const shuffled = [...inputs].sort((a, b) => ((a.bidId.charCodeAt(1) * 31 + seed) % 7) - ((b.bidId.charCodeAt(1) * 31 + seed) % 7) || (a.bidId < b.bidId ? 1 : -1));
        const weights = { ...utilityWeights, qualityPreference: q };
        assert.deepEqual(order(rankBids(shuffled, weights, ['j'])), order(rankBids(inputs, weights, ['j'])));
      }),
    );
  });

  it('property: scaling every expected cost by k changes no ranking', () => {
    fc.assert(
      fc.property(bids, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1e-3, 0.1, 3, 1000), (xs, q, k) => {
        const weights = { ...utilityWeights, qualityPreference: q };
        assert.deepEqual(order(rankBids(inputsOf(xs, k), weights, ['j'])), order(rankBids(inputsOf(xs), weights, ['j'])));
      }),
    );
  });
});
