import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LedgerLine, auctionFact, toCallEntry } from '../../../../src/common/ledger/entry';
import { budgetSpendFrom } from '../../../../src/common/ledger/budget';
import { buildCostReport, largestModel } from '../../../../src/common/ledger/report';
import { CostReport } from '../../../../src/common/protocol/report';
import { BIG, LOCAL, SMALL, call } from './fixtures';

const pool = [
  { modelId: 'small', price: SMALL },
  { modelId: 'big', price: BIG },
  { modelId: 'local', price: LOCAL },
  { modelId: 'mystery' },
];
const opts = { scope: 'test', now: new Date('2026-11-25T00:00:00Z'), pool };
const near = (actual: number | null | undefined, expected: number) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

/** Two auctions: a1 (pool recorded) executed by small and accepted, a2 (no pool recorded) executed by big and rejected. */
function ledger(): LedgerLine[] {
  return [
    auctionFact({ auctionId: 'a1', time: '2026-11-20T09:00:00.000Z', task: 'task one', pool }),
    call('small', 'bidding', 0.01, 0.01, { price: SMALL, auctionId: 'a1', time: '2026-11-20T09:00:01.000Z' }), // 0.05
    call('big', 'bidding', 0.01, 0.01, { price: BIG, auctionId: 'a1', time: '2026-11-20T09:00:02.000Z' }), // 0.5
    call('big', 'jury', 0.02, 0, { price: BIG, auctionId: 'a1', time: '2026-11-20T09:00:03.000Z' }), // 0.2
    call('small', 'refinement', 0.05, 0, { price: SMALL, auctionId: 'a1', time: '2026-11-20T09:00:04.000Z' }), // 0.05
    call('small', 'execution', 1, 0.5, { price: SMALL, auctionId: 'a1', time: '2026-11-20T09:01:00.000Z' }), // 3; big: 30
    auctionFact({ auctionId: 'a1', time: '2026-11-20T09:02:00.000Z', executedBy: 'small', winnerModelId: 'small', outcome: 'accepted' }),
    call('big', 'execution', 0.1, 0.1, { price: BIG, auctionId: 'a2', time: '2026-11-22T09:00:00.000Z' }), // 5
    auctionFact({ auctionId: 'a2', time: '2026-11-22T09:05:00.000Z', outcome: 'rejected' }),
    call('local', 'embedding', 1, 0, { price: LOCAL, local: true, auctionId: 'a2', time: '2026-11-22T09:00:01.000Z' }), // 0
  ];
}

describe('cost report', () => {
  it('totals, by phase, by model and local versus remote', () => {
    const r = buildCostReport(ledger(), opts);
    assert.doesNotThrow(() => CostReport.parse(r));
    near(r.totals.knownUsd, 8.8);
    assert.equal(r.totals.calls, 7);
    assert.equal(r.totals.isLowerBound, false);
    const phase = Object.fromEntries(r.byPhase.map((p) => [p.phase, p.knownUsd]));
    assert.deepEqual(Object.keys(phase), ['bidding', 'jury', 'refinement', 'embedding', 'execution']);
    near(phase.bidding, 0.55);
    near(phase.jury, 0.2);
    near(phase.refinement, 0.05);
    near(phase.execution, 8);
    near(r.byPhase.find((p) => p.phase === 'execution')?.share, 8 / 8.8);
    const big = r.byModel.find((m) => m.modelId === 'big');
    near(big?.knownUsd, 5.7);
    assert.equal(r.byModel[0]?.modelId, 'big');
    assert.equal(r.locality.local.calls, 1);
    near(r.locality.remote.knownUsd, 8.8);
  });
  it('spend per day fills the days between with zero', () => {
    const r = buildCostReport(ledger(), opts);
    assert.deepEqual(
      r.perDay.map((d) => d.day),
      ['2026-11-20', '2026-11-21', '2026-11-22'],
    );
    near(r.perDay[0]?.knownUsd, 3.8);
    near(r.perDay[1]?.knownUsd, 0);
    near(r.perDay[2]?.knownUsd, 5);
  });
  it('day boundaries follow the given UTC offset', () => {
    const lines = [call('small', 'execution', 1, 0, { price: SMALL, time: '2026-11-20T23:30:00.000Z' })];
    assert.equal(buildCostReport(lines, { ...opts, utcOffsetMinutes: 60 }).perDay[0]?.day, '2026-11-21');
    assert.equal(buildCostReport(lines, opts).perDay[0]?.day, '2026-11-20');
  });
  it('per auction cost and outcome, merging facts in order', () => {
    const r = buildCostReport(ledger(), opts);
    assert.deepEqual(
      r.auctions.map((a) => [a.auctionId, a.executedBy, a.outcome, a.task]),
      [
        ['a2', 'big', 'rejected', null],
        ['a1', 'small', 'accepted', 'task one'],
      ],
    );
    near(r.auctions[1]?.spend.knownUsd, 3.8);
    near(r.auctions[1]?.byPhase.bidding, 0.55);
  });
  it("savings per auction: the recorded pool's reference, accepted work only, measured and estimated apart", () => {
    const r = buildCostReport(ledger(), opts);
    const cf = r.counterfactual;
    assert.ok(cf);
    // a1: small's 1M in + 0.5M out at big = 10 + 20 = $30 (estimated), against a1's whole spend $3.80.
    const a1 = r.auctions.find((a) => a.auctionId === 'a1');
    assert.deepEqual([a1?.referenceModelId, a1?.verdict, a1?.basis], ['big', 'accepted', 'estimated']);
    near(a1?.counterfactualUsd, 30);
    near(a1?.savingsUsd, 30 - 3.8);
    near(a1?.regretUsd, 0);
    assert.deepEqual(cf.estimated.auctions, 1);
    near(cf.estimated.savingsUsd, 26.2);
    assert.deepEqual(cf.measured, { savingsUsd: 0, auctions: 0 });
    // a2: rejected, and no pool recorded: no saving, its $5 is spend with no saving.
    const a2 = r.auctions.find((a) => a.auctionId === 'a2');
    assert.deepEqual([a2?.referenceModelId, a2?.verdict, a2?.savingsUsd, a2?.basis], [null, 'not-accepted', null, null]);
    near(cf.unsavedSpendUsd, 5);
    assert.equal(cf.unsavedAuctions, 1);
    assert.equal(cf.withoutReference, 1);
    assert.equal(cf.actualIsLowerBound, false);
    near(r.perDay[0]?.counterfactualUsd ?? null, 30);
    near(r.perDay[2]?.counterfactualUsd ?? null, 0);
  });
  it('savings can be negative when the auction cost more than it saved', () => {
    const lines = [
      auctionFact({ auctionId: 'a', pool }),
      call('big', 'jury', 1, 0, { price: BIG, auctionId: 'a' }), // 10
      call('big', 'execution', 0.1, 0, { price: BIG, auctionId: 'a' }), // 1: the reference ran, measured
      auctionFact({ auctionId: 'a', executedBy: 'big', outcome: 'accepted' }),
    ];
    const cf = buildCostReport(lines, opts).counterfactual;
    assert.deepEqual(cf?.measured.auctions, 1);
    near(cf?.measured.savingsUsd, -10);
  });
  it('probe calls are in the total and their own phase, never in an auction', () => {
    const lines = [call('big', 'probe', 1, 0, { price: BIG }), call('small', 'execution', 1, 0, { price: SMALL })];
    const r = buildCostReport(lines, opts);
    near(r.totals.knownUsd, 11);
    near(r.byPhase.find((p) => p.phase === 'probe')?.knownUsd, 10);
    assert.equal(r.auctions.length, 0);
    assert.equal(r.counterfactual, null);
  });
  it('auction overhead is bidding + jury + refinement over total spend', () => {
    const r = buildCostReport(ledger(), opts);
    near(r.overhead.auctionUsd, 0.8);
    near(r.overhead.share, 0.8 / 8.8);
  });
  it("the largest model's share of executions and accept rate by model", () => {
    const r = buildCostReport(ledger(), opts);
    assert.deepEqual(r.largestModel, { modelId: 'big', executions: 2, byLargest: 1, share: 0.5 });
    const rate = Object.fromEntries(r.byModel.map((m) => [m.modelId, [m.executions, m.accepted, m.decided, m.acceptRate]]));
    assert.deepEqual(rate.small, [1, 1, 1, 1]);
    assert.deepEqual(rate.big, [1, 0, 1, 0]);
    assert.deepEqual(rate.local, [0, 0, 0, null]);
  });
  it('a pending outcome is not decided', () => {
    const lines = [call('small', 'execution', 1, 0, { price: SMALL, auctionId: 'p' })];
    const row = buildCostReport(lines, opts).byModel[0];
    assert.deepEqual([row?.executions, row?.decided, row?.acceptRate], [1, 0, null]);
  });
  it('flags unknown prices, never counting them as $0, and marks totals and savings as bounds', () => {
    const lines = [...ledger(), call('mystery', 'bidding', 1, 1, { auctionId: 'a1' }), call('mystery', 'jury', 1, 1, { auctionId: 'a2' })];
    const r = buildCostReport(lines, opts);
    assert.equal(r.totals.unknownPriceCalls, 2);
    assert.equal(r.totals.isLowerBound, true);
    near(r.totals.knownUsd, 8.8);
    assert.deepEqual(r.unknownPrices.models, [{ modelId: 'mystery', calls: 2 }]);
    assert.equal(r.unknownPrices.examples.length, 2);
    assert.equal(r.counterfactual?.actualIsLowerBound, true);
    const mystery = r.byModel.find((m) => m.modelId === 'mystery');
    assert.deepEqual([mystery?.unknownPriceCalls, mystery?.knownUsd, mystery?.priceSources], [2, 0, ['unknown']]);
    assert.equal(r.byPhase.find((p) => p.phase === 'bidding')?.unknownPriceCalls, 1);
  });
  it('shows a priced call whose provider reported no usage as an unknown cost, not $0, and the savings as unknown', () => {
    // small executes once more in a1, on a server that reports no usage: a real cost nobody can count.
    const silent = (() => {
      const base = call('small', 'execution', 0, 0, { price: SMALL, auctionId: 'a1', time: '2026-11-20T09:01:30.000Z' }).call;
      return toCallEntry({ ...base, usage: { ...base.usage, unreported: true } });
    })();
    assert.equal(silent.dollars, null);
    const r = buildCostReport([...ledger(), silent], opts);
    assert.doesNotThrow(() => CostReport.parse(r));
    assert.equal(r.totals.unknownPriceCalls, 1);
    assert.equal(r.totals.isLowerBound, true);
    near(r.totals.knownUsd, 8.8);
    assert.deepEqual([r.unknownPrices.calls, r.unknownPrices.unreportedUsageCalls], [1, 1]);
    assert.deepEqual(r.unknownPrices.models, [{ modelId: 'small', calls: 1 }]);
    const small = r.byModel.find((m) => m.modelId === 'small');
    assert.deepEqual([small?.unknownPriceCalls, small?.priceSources], [1, ['default-table']]);
    assert.equal(r.byPhase.find((p) => p.phase === 'execution')?.unknownPriceCalls, 1);
    assert.equal(r.perDay[0]?.unknownPriceCalls, 1);
    assert.equal(r.auctions.find((a) => a.auctionId === 'a1')?.spend.unknownPriceCalls, 1);
    // Small's run has tokens nobody counted: priced at the reference they are unknown too, so no estimate is claimed.
    const a1 = r.auctions.find((a) => a.auctionId === 'a1');
    assert.deepEqual([a1?.verdict, a1?.savingsUsd, a1?.basis], ['accepted', null, null]);
    assert.equal(r.counterfactual?.estimated.auctions, 0);
    // A budget counts it as an unknown-price call: every figure is "at least".
    assert.equal(budgetSpendFrom([...ledger(), silent], { now: new Date('2026-11-20T12:00:00Z') }).unknownPriceCalls, 1);
  });
  it('a free model without reported usage stays $0 and leaves the report exact', () => {
    const base = call('local', 'execution', 0, 0, { price: LOCAL, local: true, auctionId: 'a2' }).call;
    const r = buildCostReport([...ledger(), toCallEntry({ ...base, usage: { ...base.usage, unreported: true } })], opts);
    assert.deepEqual([r.totals.unknownPriceCalls, r.unknownPrices.unreportedUsageCalls, r.totals.isLowerBound], [0, 0, false]);
  });
  it('counts failed-but-billed calls in spend, in the counterfactual and as failed', () => {
    const lines = [...ledger(), call('small', 'execution', 1, 0, { price: SMALL, auctionId: 'a1', ok: false })];
    const r = buildCostReport(lines, opts);
    near(r.totals.knownUsd, 9.8);
    assert.equal(r.totals.failedCalls, 1);
    near(r.totals.failedKnownUsd, 1);
    // a1's run: 2M in + 0.5M out at big = 20 + 20 = $40, against a1's spend 3.8 + 1.
    const a1 = r.auctions.find((a) => a.auctionId === 'a1');
    near(a1?.counterfactualUsd, 40);
    near(a1?.savingsUsd, 40 - 4.8);
  });
  it('has no counterfactual without an auction, and claims nothing for an auction without a recorded pool', () => {
    const none = buildCostReport([call('mystery', 'execution', 1, 0)], { scope: 't' });
    assert.equal(none.counterfactual, null);
    assert.match(none.counterfactualUnavailable ?? '', /auction/);
    const lines = [call('small', 'execution', 1, 0, { price: SMALL, auctionId: 'x' }), auctionFact({ auctionId: 'x', executedBy: 'small', outcome: 'accepted' })];
    const cf = buildCostReport(lines, { scope: 't', pool }).counterfactual;
    assert.equal(cf?.withoutReference, 1);
    assert.equal(cf.measured.savingsUsd + cf.estimated.savingsUsd, 0, "today's pool is never the past's reference");
  });
  it("the largest model's share falls back to the pools recorded in auction facts, then to priced models seen in the ledger", () => {
    const fact = auctionFact({ auctionId: 'a', time: '2026-11-20T09:00:00.000Z', pool: [{ modelId: 'huge', price: { ...BIG, outputPerMTok: 100 } }] });
    const lines = [fact, call('small', 'execution', 1, 0, { price: SMALL, auctionId: 'a' })];
    assert.equal(buildCostReport(lines, { scope: 't' }).largestModel.modelId, 'huge');
    assert.equal(buildCostReport(lines.slice(1), { scope: 't' }).largestModel.modelId, 'small');
  });
  it('the largest model is the most expensive by output price, then input price', () => {
    const a = { modelId: 'a', price: { ...SMALL, inputPerMTok: 3, outputPerMTok: 10 } };
    const b = { modelId: 'b', price: { ...SMALL, inputPerMTok: 5, outputPerMTok: 10 } };
    const c = { modelId: 'c', price: { ...SMALL, inputPerMTok: 50, outputPerMTok: 9 } };
    assert.equal(largestModel([a, b, c, { modelId: 'unknown' }])?.modelId, 'b');
    assert.equal(largestModel([{ modelId: 'unknown' }]), undefined);
  });
  it('counterfactual applies the reference model cache price to cached input tokens', () => {
    const ref = { ...BIG, cachedInputPerMTok: 1 };
    const lines = [
      auctionFact({ auctionId: 'c', pool: [{ modelId: 'small', price: SMALL }, { modelId: 'big', price: ref }] }),
      call('small', 'execution', 1, 0, { price: SMALL, cachedM: 0.5, auctionId: 'c' }),
      auctionFact({ auctionId: 'c', executedBy: 'small', outcome: 'accepted' }),
    ];
    near(buildCostReport(lines, { scope: 't' }).auctions[0]?.counterfactualUsd, 5 + 0.5);
  });
  it('shares stay within 0..1 despite floating-point rounding, so the report always validates', () => {
    const seq: [number, 'bidding' | 'jury' | 'refinement'][] = [[0.11, 'bidding'], [0.11, 'jury'], [0.019, 'refinement'], [0.3, 'refinement'], [0.17, 'jury']];
    const lines = seq.map(([dollars, phase]) => toCallEntry({ ...call('m', phase, 0, 0).call, dollars }));
    const r = buildCostReport(lines, opts);
    assert.equal(r.overhead.share, 1);
    assert.doesNotThrow(() => CostReport.parse(r));
  });
  it('an empty ledger gives an empty, valid report', () => {
    const r = buildCostReport([], opts);
    assert.doesNotThrow(() => CostReport.parse(r));
    assert.equal(r.range, null);
    assert.equal(r.totals.knownUsd, 0);
    assert.equal(r.overhead.share, null);
    assert.deepEqual(r.perDay, []);
  });
});
