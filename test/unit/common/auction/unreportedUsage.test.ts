import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpendTracker, expectedExecutionUsd } from '../../../../src/common/auction/budget';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionRequest, AuctionResult } from '../../../../src/common/auction/types';
import { DEFAULT_EXECUTION_ESTIMATE } from '../../../../src/common/auction/weights';
import { auctionLineFromResult } from '../../../../src/common/memory/fromAuction';
import { applyAuctionEvent, emptyAuctionView } from '../../../../src/common/panel/auctionView';
import type { AuctionEvent } from '../../../../src/common/auction/events';
import { ServerError } from '../../../../src/common/providers/errors';
import { unreportedUsage } from '../../../../src/common/providers/types';
import { bidJson, caps, depsFor, judgeJson, logprobsWith, ScriptedClient, spec, winnerModel, type Script } from './scriptedClient';

/**
 * A bidder whose server reports no token usage. Counted as 0 tokens it would have a zero cost term and win on
 * cost; it must instead be ranked like a bid whose model has no price, unless logprobs give its exact length.
 */

const RATING: Record<string, number> = { small: 3, mid: 4, large: 5 };
const judge: Script['judge'] = (author) => ({ text: judgeJson(RATING[author] ?? 0) });

// C = w_c × price × tokens with w_c = 1e-3 and 200 reported tokens: small 0.1, mid 0.4, large 2; V = the rating.
// Scores: mid 0.4 − 4 = −3.6 beats large 2 − 5 = −3 and small 0.1 − 3 = −2.9. With a zero cost term large would
// score 0 − 5 = −5 and win.
function pool(large: Script) {
  return [
    new ScriptedClient(spec('small', 0.5), { judge }),
    new ScriptedClient(spec('mid', 2), { judge }),
    new ScriptedClient(spec('large', 10), { judge, ...large }),
  ];
}

const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: 'u1',
  task: 'Add input validation to the config loader',
  pool: ['small', 'mid', 'large'],
  weights: { cost: 1e-3, costMode: 'paper' },
  refinement: { enabled: false },
  ...over,
});

function fold(result: AuctionResult, events: readonly AuctionEvent[]) {
  let view = emptyAuctionView(result.auctionId, result.task, result.startedAt);
  for (const e of events) view = applyAuctionEvent(view, e, new Map());
  return view;
}

describe('auction with a bidder that reports no usage', () => {
  it('does not let it win on a zero cost term: it is ranked as unpriced, after every priced bid', async () => {
    const deps = depsFor(pool({ bid: { text: bidJson('large'), unreported: true } }));
    const result = await runAuction(request(), deps);
    assert.equal(winnerModel(result), 'mid');
    assert.deepEqual(result.ranking.map((r) => r.modelId), ['mid', 'small', 'large']);
    const large = result.ranking.find((r) => r.modelId === 'large')!;
    assert.equal(large.cost.known, false);
    assert.equal(large.cost.term, undefined);
    assert.equal(large.cost.bidTokens, undefined);
    assert.equal(large.cost.outputPricePerMTok, 10, 'the price is known; the bid length is not');
    assert.equal(large.score, undefined);
    assert.equal(large.eligible, true);
    // The memory record leaves the length out rather than writing 0.
    const memoryBid = auctionLineFromResult(result, []).bids.find((b) => b.modelId === 'large');
    assert.ok(memoryBid);
    assert.equal('tokens' in memoryBid, false);

    const bidRecord = deps.records.find((r) => r.modelId === 'large' && r.phase === 'bidding')!;
    assert.equal(bidRecord.dollars, undefined, 'the ledger gets an unknown cost, not $0');
    assert.equal(bidRecord.usage.unreported, true);
    assert.equal(result.bids.find((b) => b.modelId === 'large')!.dollars, undefined);
    assert.equal(result.cost.bidding.unpricedCalls, 1);
    assert.equal(result.cost.total.unpricedCalls, 1);

    // The panel's bid card shows unknown tokens and dollars (null), never 0 tokens or $0.
    const card = fold(result, deps.events).cards.find((c) => c.modelId === 'large')!;
    assert.deepEqual([card.bidTokens, card.dollars, card.costTerm, card.score], [null, null, null, null]);
    assert.equal(card.priceOutPerMTok, null, 'no pool map given: the price column comes from the pool, not from here');
  });

  it('keeps a free model without usage priced at C = 0, as before', async () => {
    const clients = [...pool({}), new ScriptedClient(spec('free', 0), { judge, bid: { text: bidJson('free'), unreported: true } })];
    const deps = depsFor(clients);
    const result = await runAuction(request({ pool: ['small', 'mid', 'large', 'free'] }), deps);
    const free = result.ranking.find((r) => r.modelId === 'free')!;
    assert.deepEqual([free.cost.known, free.cost.term, free.cost.bidTokens], [true, 0, undefined]);
    assert.equal(free.score, 0, 'rated 0 by the jury: V = 0, C = 0');
    assert.equal(result.cost.total.unpricedCalls, 0);
    const card = fold(result, deps.events).cards.find((c) => c.modelId === 'free')!;
    assert.deepEqual([card.bidTokens, card.dollars, card.costTerm], [null, 0, 0]);
  });

  it('charges a failed call with unreported usage as an unknown cost, not as nothing billed', async () => {
    const error = (modelId: string) => new ServerError('the stream broke', { modelId, provider: 'openai-compatible', usage: unreportedUsage() });
    const clients = [...pool({ bid: { error: error('large') } }), new ScriptedClient(spec('free', 0), { judge, bid: { error: error('free') } })];
    const deps = depsFor(clients);
    const result = await runAuction(request({ pool: ['small', 'mid', 'large', 'free'] }), deps);
    const record = deps.records.find((r) => r.modelId === 'large' && r.phase === 'bidding')!;
    assert.deepEqual([record.ok, record.dollars, record.usage.unreported], [false, undefined, true]);
    const free = deps.records.find((r) => r.modelId === 'free' && r.phase === 'bidding')!;
    assert.deepEqual([free.ok, free.dollars], [false, 0], 'a free model costs $0 whether or not usage was reported');
    assert.deepEqual([result.cost.bidding.failedCalls, result.cost.bidding.unpricedCalls], [2, 1]);
  });

  it('wins on value alone only when no priced bid is eligible, and says why', async () => {
    // mid's bid fails; the other bid left is from a model without a price, rated lower.
    const clients = [
      new ScriptedClient(spec('mid', 2), { judge, bid: { error: new Error('down') } }),
      new ScriptedClient(spec('mystery', undefined), { judge }),
      new ScriptedClient(spec('large', 10), { judge, bid: { text: bidJson('large'), unreported: true } }),
    ];
    const result = await runAuction(request({ pool: ['mid', 'mystery', 'large'] }), depsFor(clients));
    assert.equal(winnerModel(result), 'large');
    assert.match(result.why!, /^large won on value alone \(its provider reported no token usage, so its cost is unknown/);
  });

  it('uses the number of logprob entries as the exact bid length when usage is not reported', async () => {
    // 50 logprob entries: C = 1e-3 × 10 × 50 = 0.5, priced like any reported bid.
    const clients = pool({ bid: { text: bidJson('large'), unreported: true, logprobs: logprobsWith(0.95, 50) } });
    const deps = depsFor(clients, { capabilities: (id) => caps({ logprobs: id === 'large' }) });
    const result = await runAuction(request(), deps);
    const large = result.ranking.find((r) => r.modelId === 'large')!;
    assert.equal(large.cost.known, true);
    assert.equal(large.cost.bidTokens, 50);
    assert.ok(Math.abs(large.cost.term! - 0.5) < 1e-12, `term ${large.cost.term}`);
    assert.ok(large.score !== undefined);
    assert.equal(result.bids.find((b) => b.modelId === 'large')!.logprobTokens, 50);
    const card = fold(result, deps.events).cards.find((c) => c.modelId === 'large')!;
    assert.equal(card.bidTokens, 50);
    assert.equal(card.dollars, null, 'the bid call\'s dollars stay unknown: its input tokens were not reported');
    // The memory keeps the counted length.
    assert.equal(auctionLineFromResult(result, []).bids.find((b) => b.modelId === 'large')?.tokens, 50);

    // A long plan is priced by its real length: 1000 entries make C = 10, and large ranks last among priced bids.
    const long = pool({ bid: { text: bidJson('large'), unreported: true, logprobs: logprobsWith(0.95, 1000) } });
    const r2 = await runAuction(request(), depsFor(long, { capabilities: (id) => caps({ logprobs: id === 'large' }) }));
    assert.deepEqual(r2.ranking.map((r) => r.modelId), ['mid', 'small', 'large']);
    assert.ok(Math.abs(r2.ranking[2]!.cost.term! - 10) < 1e-9);
  });

  it('keeps the unknown execution cost out of the execution cap, with the reason', async () => {
    const clients = pool({ bid: { text: bidJson('large'), unreported: true, logprobs: logprobsWith(0.95, 50) } });
    const result = await runAuction(request({ budget: { executionCapUsd: 100 } }), depsFor(clients, { capabilities: (id) => caps({ logprobs: id === 'large' }) }));
    const large = result.ranking.find((r) => r.modelId === 'large')!;
    assert.equal(large.eligible, false);
    assert.match(large.ineligibleReasons.join(), /usage not reported by the provider: its execution cost cannot be checked/);
    assert.equal(expectedExecutionUsd(unreportedUsage(), { inputPerMTok: 1, outputPerMTok: 1, source: 'settings' }, DEFAULT_EXECUTION_ESTIMATE), undefined);
    assert.equal(expectedExecutionUsd(unreportedUsage(), { inputPerMTok: 0, outputPerMTok: 0, source: 'local' }, DEFAULT_EXECUTION_ESTIMATE), 0);
  });

  it('keeps an unreported call\'s worst case against the auction cap instead of counting it as $0', async () => {
    // Input is free and output costs $1 per token, so a call's worst case is exactly its maxTokens in dollars:
    // the bid reserves $100 and the self-judgement $100. Under a $150 cap the judgement fits only if the bid's
    // unknown cost were taken as $0.
    const silent = new ScriptedClient(spec('silent', 1e6, { inputPerMTok: 0 }), { bid: { text: bidJson('silent'), unreported: true }, judge });
    const result = await runAuction(
      request({ pool: ['silent'], budget: { auctionCapUsd: 150 }, limits: { bidMaxTokens: 100, judgementMaxTokens: 100 } }),
      depsFor([silent]),
    );
    assert.deepEqual(silent.requests.map((r) => r.kind), ['bid']);
    assert.deepEqual(result.failures.skipped.map((s) => [s.phase, s.modelId]), [['jury', 'silent']]);
    assert.match(result.failures.skipped[0]!.reason, /auction cap \$150\.00: \$100\.00 spent or committed/);
  });
});

describe('SpendTracker with unknown costs', () => {
  const price = { inputPerMTok: 1, outputPerMTok: 1, source: 'settings' as const };
  it('holds a reservation for good, and counts an unreported call as unpriced, failed or not', () => {
    const t = new SpendTracker(0.001);
    const a = t.reserve(price, 300, 400); // $0.0005
    assert.ok(a.ok);
    a.hold();
    a.release();
    const b = t.reserve(price, 300, 400);
    assert.ok(b.ok, 'exactly at the cap is allowed');
    b.release();
    const c = t.reserve(price, 303, 400);
    assert.ok(!c.ok, 'the held worst case still counts');
    t.add('jury', unreportedUsage(), undefined);
    t.addFailed('bidding', { usage: unreportedUsage(), dollars: undefined });
    const s = t.snapshot();
    assert.deepEqual([s.jury.unpricedCalls, s.bidding.unpricedCalls, s.bidding.failedCalls, s.total.usd], [1, 1, 1, 0]);
  });
});
