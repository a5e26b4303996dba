import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runAuction } from '../../../../src/common/auction/engine';
import type { ExecutionHistoryPort, ExecutionTokens } from '../../../../src/common/auction/executionHistory';
import { rankBids, type ScoringInput } from '../../../../src/common/auction/scoring';
import type { AuctionRequest } from '../../../../src/common/auction/types';
import { DEFAULT_EXECUTION_ESTIMATE, DEFAULT_WEIGHTS, PAPER_COST_WEIGHT, type AuctionWeights } from '../../../../src/common/auction/weights';
import { expectedWork, FREE_WORK_FLOOR_SHARE, workCostTerms } from '../../../../src/common/auction/workCost';
import type { Price } from '../../../../src/common/providers/types';
import { emptyUsage } from '../../../../src/common/providers/types';
import { depsFor, judgeJson, ScriptedClient, spec, type Script } from './scriptedClient';

const jurors = ['j1', 'j2', 'j3', 'j4'];
const price = (inputPerMTok: number, outputPerMTok: number): Price => ({ inputPerMTok, outputPerMTok, source: 'settings' });
/** A bid's own call: 2,000 prompt tokens, a 400-token plan (the prior scales these). */
const bidUsage = { ...emptyUsage(), inputTokens: 2000, outputTokens: 400 };
const history = (inputTokens: number, outputTokens: number, runs = 5): ExecutionTokens => ({ inputTokens, outputTokens, requests: 12, runs, basis: 'similar-tasks' });

function input(id: string, p: Price | undefined, scores: number[], h?: ExecutionTokens): ScoringInput {
  const work = expectedWork(bidUsage, p, h, DEFAULT_EXECUTION_ESTIMATE);
  return {
    bidId: `${id}#original`,
    modelId: id,
    kind: 'original',
    bidTokens: bidUsage.outputTokens,
    outputPricePerMTok: p?.outputPerMTok,
    entropy: undefined,
    judgements: scores.map((score, i) => ({ jurorId: jurors[i]!, score })),
    ...(work ? { work } : {}),
    ineligibleReasons: [],
  };
}
const W: AuctionWeights = { ...DEFAULT_WEIGHTS };
const order = (inputs: ScoringInput[], w: AuctionWeights = W): string[] => rankBids(inputs, w, jurors).map((b) => b.modelId);

describe('expectedWork', () => {
  it('prices the plan-length prior at the input and output prices (the budget multipliers)', () => {
    const w = expectedWork(bidUsage, price(5, 25), undefined, DEFAULT_EXECUTION_ESTIMATE)!;
    // 400 × 20 output tokens at $25/Mtok + 2,000 × 15 input tokens at $5/Mtok.
    assert.equal(w.basis, 'prior');
    assert.deepEqual([w.outputTokens, w.inputTokens], [8000, 30000]);
    assert.ok(Math.abs(w.usd - (8000 * 25 + 30000 * 5) / 1e6) < 1e-15);
  });

  it('uses the mean tokens of past executions over the prior, and says what it rests on', () => {
    const w = expectedWork(bidUsage, price(5, 25), history(400_000, 10_000, 7), DEFAULT_EXECUTION_ESTIMATE)!;
    assert.equal(w.basis, 'history');
    assert.equal(w.runs, 7);
    assert.equal(w.similar, true);
    assert.ok(Math.abs(w.usd - (400_000 * 5 + 10_000 * 25) / 1e6) < 1e-12);
    // History makes a bid with unreported usage priceable: its tokens do not matter any more.
    const unreported = { ...emptyUsage(), unreported: true as const };
    assert.equal(expectedWork(unreported, price(5, 25), undefined, DEFAULT_EXECUTION_ESTIMATE), undefined);
    assert.ok(expectedWork(unreported, price(5, 25), history(1000, 100), DEFAULT_EXECUTION_ESTIMATE)!.usd > 0);
  });

  it('charges request-priced models per expected request, and knows nothing without a price', () => {
    const copilot: Price = { inputPerMTok: 0, outputPerMTok: 0, perRequest: 0.04, multiplier: 2, source: 'settings' };
    assert.ok(Math.abs(expectedWork(bidUsage, copilot, history(1000, 100), DEFAULT_EXECUTION_ESTIMATE)!.usd - 12 * 0.08) < 1e-12);
    assert.ok(Math.abs(expectedWork(bidUsage, copilot, undefined, DEFAULT_EXECUTION_ESTIMATE)!.usd - DEFAULT_EXECUTION_ESTIMATE.requestsPerExecution * 0.08) < 1e-12);
    assert.equal(expectedWork(bidUsage, undefined, history(1000, 100), DEFAULT_EXECUTION_ESTIMATE), undefined);
  });
});

describe('the work cost term', () => {
  it('ranks by expected execution cost, not by the plan: a model with cheaper output but long runs loses', () => {
    // `reader` has the cheaper output price but its runs read 2M tokens; `brief` costs more per token, runs short.
    const reader = input('reader', price(1, 4), [4, 4, 4, 4], history(2_000_000, 20_000));
    const brief = input('brief', price(3, 15), [4, 4, 4, 4], history(100_000, 5_000));
    assert.deepEqual(order([reader, brief]), ['brief', 'reader']);
    assert.deepEqual(order([reader, brief], { ...W, cost: PAPER_COST_WEIGHT, costMode: 'paper' }), ['reader', 'brief']);
    const [first, second] = rankBids([reader, brief], W, jurors);
    assert.equal(first!.cost.term, 0);
    assert.ok(Math.abs(second!.cost.term! - W.cost * Math.log10(second!.cost.work!.usd / first!.cost.work!.usd)) < 1e-12);
    assert.equal(second!.cost.referenceUsd, first!.cost.work!.usd);
    assert.equal(second!.cost.mode, 'work');
  });

  it('reads in plain words: 10× the work costs exactly w_c score points', () => {
    const terms = workCostTerms([0.1, 1, 10], 0.7);
    assert.deepEqual(terms.map((t) => Number(t.term!.toFixed(12))), [0, 0.7, 1.4]);
  });

  it('a cheap model wins when the jury rates it close to the dear one, and loses on a clear gap (defaults)', () => {
    // GPT-5 mini ($0.25/$2 per Mtok) against Claude Opus 4.5 ($5/$25), the same plan size: the prior says the
    // dear model's work costs about 15× more.
    const mini = price(0.25, 2);
    const opus = price(5, 25);
    const close = order([input('mini', mini, [4, 4, 4, 5]), input('opus', opus, [5, 4, 5, 4])]);
    assert.deepEqual(close, ['mini', 'opus'], 'a quarter of a jury point is not worth 15× the dollars');
    const clear = order([input('mini', mini, [3, 3, 3, 3]), input('opus', opus, [5, 5, 5, 5])]);
    assert.deepEqual(clear, ['opus', 'mini'], 'two jury points are');
    // The same with history that says the dear model runs shorter: the ratio shrinks, the verdict on a clear gap holds.
    assert.deepEqual(order([input('mini', mini, [3, 3, 3, 3], history(600_000, 12_000)), input('opus', opus, [5, 5, 5, 5], history(300_000, 8_000))]), ['opus', 'mini']);
  });

  it('floors a free model at a share of the dearest estimate, and gives an all-free pool C = 0', () => {
    const free = price(0, 0);
    const [local, paid] = rankBids([input('local', free, [4, 4, 4, 4]), input('paid', price(3, 15), [4, 4, 4, 4])], W, jurors);
    assert.equal(local!.modelId, 'local');
    assert.equal(local!.cost.term, 0);
    assert.ok(Math.abs(paid!.cost.term! - W.cost * Math.log10(1 / FREE_WORK_FLOOR_SHARE)) < 1e-12);
    const allFree = rankBids([input('a', free, [3, 3, 3, 3]), input('b', free, [4, 4, 4, 4])], W, jurors);
    assert.deepEqual(allFree.map((b) => [b.modelId, b.cost.term]), [['b', 0], ['a', 0]]);
  });

  it('keeps an unknown price unknown: ranked after every priced eligible bid, never free', () => {
    const ranking = rankBids([input('unpriced', undefined, [5, 5, 5, 5]), input('priced', price(5, 25), [1, 1, 1, 1])], W, jurors);
    assert.deepEqual(ranking.map((b) => b.modelId), ['priced', 'unpriced']);
    assert.equal(ranking[1]!.cost.known, false);
    assert.equal(ranking[1]!.cost.term, undefined);
    assert.equal(ranking[1]!.score, undefined);
  });

  const bidArb = fc.record({
    // Free (exactly 0) or a real price: a subnormal price such as 1e-323 underflows to 0 when scaled by 1e-3, which
    // would turn a paid model into a free one (a property of floating point, not of the cost term).
    input: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 20, noNaN: true })),
    output: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 80, noNaN: true })),
    history: fc.option(fc.record({ inTok: fc.integer({ min: 1, max: 3_000_000 }), outTok: fc.integer({ min: 1, max: 100_000 }) }), { nil: undefined }),
    scores: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }),
  });

  it('property: scaling every price by k (several k) changes no cost term and no ranking', () => {
    fc.assert(
      fc.property(fc.array(bidArb, { minLength: 1, maxLength: 6 }), fc.constantFrom(1e-3, 0.1, 3, 1000), (bids, k) => {
        const make = (scale: number): ScoringInput[] => bids.map((b, i) => input(`m${i}`, price(b.input * scale, b.output * scale), b.scores, b.history && history(b.history.inTok, b.history.outTok)));
        const before = rankBids(make(1), W, jurors);
        const after = rankBids(make(k), W, jurors);
        assert.deepEqual(after.map((b) => b.bidId), before.map((b) => b.bidId));
        for (const [i, b] of before.entries()) assert.ok(Math.abs(b.cost.term! - after[i]!.cost.term!) < 1e-9);
      }),
    );
  });
});

describe('paper mode', () => {
  it('reproduces the literal w_c × output price × plan tokens', () => {
    const ranking = rankBids([input('opus', price(5, 25), [4, 4, 4, 4])], { ...W, cost: PAPER_COST_WEIGHT, costMode: 'paper' }, jurors);
    // 1e-4 × $25/Mtok × 400 tokens = 1.0 score point, as before the work mode existed.
    assert.ok(Math.abs(ranking[0]!.cost.term! - 1) < 1e-12);
    assert.equal(ranking[0]!.cost.mode, 'paper');
    assert.equal(ranking[0]!.cost.referenceUsd, undefined);
  });
});

describe('runAuction with an execution history', () => {
  const rate: Script['judge'] = (author) => ({ text: judgeJson(author === 'dear' ? 5 : 4) });
  const clients = (): ScriptedClient[] => [new ScriptedClient(spec('cheap', 2, { inputPerMTok: 0.25 }), { judge: rate }), new ScriptedClient(spec('dear', 25, { inputPerMTok: 5 }), { judge: rate })];
  const request: AuctionRequest = { auctionId: 'h1', task: 'Fix the date parser', pool: ['cheap', 'dear'], refinement: { enabled: false } };

  it('asks the port once with the task and the bidders, and reports the basis on each breakdown', async () => {
    const asked: string[][] = [];
    const port: ExecutionHistoryPort = {
      executionTokens: (q) => {
        asked.push([q.task, ...q.modelIds]);
        return Promise.resolve({ dear: history(200_000, 6_000, 4) });
      },
    };
    const result = await runAuction(request, { ...depsFor(clients()), executionHistory: port });
    assert.deepEqual(asked, [['Fix the date parser', 'cheap', 'dear']]);
    const dear = result.ranking.find((b) => b.modelId === 'dear')!;
    const cheap = result.ranking.find((b) => b.modelId === 'cheap')!;
    assert.equal(dear.cost.work?.basis, 'history');
    assert.equal(dear.cost.work?.runs, 4);
    assert.ok(Math.abs(dear.expectedExecutionUsd! - (200_000 * 5 + 6_000 * 25) / 1e6) < 1e-12);
    assert.equal(cheap.cost.work?.basis, 'prior');
  });

  it('falls back on the prior when the port fails', async () => {
    const port: ExecutionHistoryPort = { executionTokens: () => Promise.reject(new Error('ledger unreadable')) };
    const result = await runAuction(request, { ...depsFor(clients()), executionHistory: port });
    assert.equal(result.status, 'completed');
    assert.ok(result.ranking.every((b) => b.cost.work?.basis === 'prior'));
  });
});
