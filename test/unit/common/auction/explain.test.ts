import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainWin } from '../../../../src/common/auction/explain';
import { rankBids, type ScoringInput } from '../../../../src/common/auction/scoring';
import type { Bid } from '../../../../src/common/auction/types';
import { DEFAULT_WEIGHTS } from '../../../../src/common/auction/weights';
import { emptyUsage } from '../../../../src/common/providers/types';

const jurors = ['j1', 'j2', 'j3'];
const input = (id: string, price: number | undefined, scores: number[], confidence?: number, ineligible: string[] = []): ScoringInput => ({
  bidId: `${id}#original`,
  modelId: id,
  kind: 'original',
  bidTokens: 300,
  outputPricePerMTok: price,
  // Expected work proportional to the price, so `work` mode (the default) ranks as the per-token prices do.
  ...(price === undefined ? {} : { expectedExecutionUsd: price / 100 }),
  entropy: confidence === undefined ? undefined : { meanNats: 0.1, normalised: 1 - confidence, confidence, positions: 5 },
  judgements: scores.map((score, i) => ({ jurorId: jurors[i]!, score })),
  ineligibleReasons: ineligible,
});
const bid = (id: string, over: Partial<Bid> = {}): Bid => ({
  id: `${id}#original`,
  modelId: id,
  kind: 'original',
  content: { summary: '', steps: ['s'], files: [], risks: [], verification: [] },
  planText: '',
  parsedVia: 'json',
  usage: emptyUsage(),
  ...over,
});

describe('explainWin', () => {
  it('names the cheapest plan, its jury rating, and how the most expensive rival compares', () => {
    const ranking = rankBids([input('small', 0.6, [4, 4, 5]), input('large', 4.2, [5, 5, 5])], { ...DEFAULT_WEIGHTS, cost: 1e-3, costMode: 'paper' as const }, jurors);
    const why = explainWin(ranking, [bid('small'), bid('large')]);
    assert.match(why, /^small won with the cheapest plan, which the jury rated 4\.3\/5 \(3 jurors\)/);
    assert.match(why, /The most expensive bidder, large, scored 0\.7 higher on the jury but costs 7× more per token/);
    assert.match(why, /Signals used: jury \(3\) \(no logprobs from this model: value renormalised over the jury\)\./);
  });

  it('mentions the runner-up when it is not the most expensive rival', () => {
    const ranking = rankBids([input('a', 1, [4, 4, 4]), input('b', 2, [4, 4, 4]), input('c', 30, [2, 2, 2])], DEFAULT_WEIGHTS, jurors);
    const why = explainWin(ranking, [bid('a'), bid('b'), bid('c')]);
    // Work mode (the default) compares the expected cost of the run, not the price per token.
    assert.match(why, /The most expensive bidder, c, scored 2\.0 lower on the jury and costs 30× more to run/);
    assert.match(why, /The runner-up, b, got the same jury rating and costs 2× more to run/);
  });

  it('says when the winner was the only eligible plan, and uses entropy without a jury', () => {
    const ranking = rankBids([input('a', 1, [], 0.87), input('b', 1, [], 0.9, ['over the cap'])], DEFAULT_WEIGHTS, []);
    const why = explainWin(ranking, [bid('a'), bid('b')]);
    assert.match(why, /^a won as the only eligible plan; with a confidence of 0\.87 from its own token probabilities\./);
    assert.match(why, /Signals used: its own token entropy\./);
  });

  it('says a refined bid learned from past auctions', () => {
    const ranking = rankBids([{ ...input('a', 1, [5, 5, 5]), bidId: 'a#refined', kind: 'refined' }], DEFAULT_WEIGHTS, jurors);
    assert.match(explainWin(ranking, [bid('a', { id: 'a#refined', kind: 'refined', usedAuctions: ['x'] })]), /refined bid that learned from 1 past auction\./);
  });

  it('says when the track record decided, and names a cheaper runner-up with the worse record', () => {
    const record = (rate: number, outcomes: number) => ({ record: { rate, outcomes, source: 'public benchmark prior (SWE-bench Verified)' } });
    // Same jury rating; the winner's work costs 1.5× more, its record is far better.
    const ranking = rankBids([{ ...input('dear', 1.5, [4, 4, 4]), ...record(0.744, 0) }, { ...input('cheap', 1, [4, 4, 4]), ...record(0.5, 0) }], DEFAULT_WEIGHTS, jurors);
    assert.equal(ranking[0]!.modelId, 'dear');
    const why = explainWin(ranking, [bid('dear'), bid('cheap')]);
    assert.match(why, /^dear won with the best-rated plan/);
    assert.match(why, /The runner-up, cheap, got the same jury rating and has a worse track record \(50% against 74%\) and costs 1\.5× less to run/);
  });

  it('names the track record among the signals when it counted, with its rate and runs', () => {
    const record = (rate: number, outcomes: number) => ({ record: { rate, outcomes, source: 'public benchmark prior (SWE-bench Verified)' } });
    const ranking = rankBids([{ ...input('a', 1, [4, 4, 4]), ...record(0.62, 12) }, { ...input('b', 1, [4, 4, 4]), ...record(0.4, 1) }], DEFAULT_WEIGHTS, jurors);
    const why = explainWin(ranking, [bid('a'), bid('b')]);
    assert.match(why, /^a won/);
    assert.match(why, /Signals used: jury \(3\) and its record here \(an estimated 62% from 12 runs here and its prior\) \(no logprobs from this model: value renormalised over the jury and its record\)\./);
    // A model that has not run here yet: the prior alone, said so; with entropy too, three signals in one list.
    const fresh = rankBids([{ ...input('c', 1, [4, 4, 4], 0.8), ...record(0.7, 0) }], DEFAULT_WEIGHTS, jurors);
    assert.match(explainWin(fresh, []), /Signals used: jury \(3\), its own token entropy and its record here \(70% from its public benchmark prior \(SWE-bench Verified\), no runs here yet\)\./);
    // With w_r = 0 the record did not count, and is not named.
    const off = rankBids([{ ...input('a', 1, [4, 4, 4]), ...record(0.62, 12) }], { ...DEFAULT_WEIGHTS, record: 0 }, jurors);
    assert.match(explainWin(off, []), /Signals used: jury \(3\) \(no logprobs from this model: value renormalised over the jury\)\./);
  });

  it('explains an unpriced winner as ranked on value alone', () => {
    const ranking = rankBids([input('u', undefined, [5, 5, 5]), input('p', 1, [1, 1, 1], 0, ['over the cap'])], DEFAULT_WEIGHTS, jurors);
    assert.match(explainWin(ranking, []), /^u won as the only eligible plan/);
    const two = rankBids([input('u', undefined, [5, 5, 5]), input('v', undefined, [4, 4, 4])], DEFAULT_WEIGHTS, jurors);
    assert.match(explainWin(two, []), /^u won on value alone \(its price is unknown, and no priced plan was eligible\)/);
  });
});
