import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import { InvalidAuctionRequestError, NoBidsError } from '../../../../src/common/auction/errors';
import type { AuctionRequest } from '../../../../src/common/auction/types';
import { bidJson, caps, depsFor, judgeJson, logprobsWith, ScriptedClient, spec, Timeline, winnerModel, type Script } from './scriptedClient';

/** Jurors rate each author's plan by this table; small 3, mid 4, large 5 by default. */
const RATING: Record<string, number> = { small: 3, mid: 4, large: 5 };
const rateBy = (table: Record<string, number>): Script['judge'] => (author) => ({ text: judgeJson(table[author] ?? 0) });

function pool(scripts: Record<string, Script> = {}, timeline = new Timeline()) {
  return [
    new ScriptedClient(spec('small', 0.5), { judge: rateBy(RATING), ...scripts.small }, timeline),
    new ScriptedClient(spec('mid', 2), { judge: rateBy(RATING), ...scripts.mid }, timeline),
    new ScriptedClient(spec('large', 10), { judge: rateBy(RATING), ...scripts.large }, timeline),
  ];
}

const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: 'a1',
  task: 'Add input validation to the config loader',
  pool: ['small', 'mid', 'large'],
  weights: { cost: 1e-3, costMode: 'paper' },
  refinement: { enabled: false },
  ...over,
});

describe('runAuction', () => {
  it('ranks known inputs and picks the lowest score (mid: 0.4 − 4 beats large: 2 − 5 and small: 0.1 − 3)', async () => {
    const deps = depsFor(pool());
    const result = await runAuction(request(), deps);
    assert.equal(result.status, 'completed');
    assert.equal(winnerModel(result), 'mid');
    assert.deepEqual(result.ranking.map((r) => r.modelId), ['mid', 'large', 'small']);
    assert.ok(Math.abs(result.ranking[0]!.score! - (0.4 - 4)) < 1e-9);
    assert.equal(result.judgements.length, 9);
    assert.equal(result.judgements.filter((j) => j.self).length, 3);
    assert.match(result.why!, /mid won/);
    assert.match(result.why!, /large, scored 1\.0 higher on the jury but costs 5× more per token/);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(result)));
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });

  for (const style of ['batched', 'per-bid'] as const) {
    const juryCalls = style === 'batched' ? 3 : 9;
    it(`reports every call to the ledger with its phase and dollars, and sums cost by phase (${style}: ${juryCalls} jury calls)`, async () => {
      const deps = depsFor(pool());
      const result = await runAuction(request({ jury: { mode: 'all', style } }), deps);
      assert.equal(deps.records.filter((r) => r.phase === 'bidding').length, 3);
      assert.equal(deps.records.filter((r) => r.phase === 'jury').length, juryCalls);
      assert.equal(result.judgements.length, 9);
    assert.ok(deps.records.every((r) => r.auctionId === 'a1' && r.ok && r.dollars !== undefined));
      const juryUsd = deps.records.filter((r) => r.phase === 'jury').reduce((s, r) => s + r.dollars!, 0);
      assert.ok(Math.abs(result.cost.jury.usd - juryUsd) < 1e-15);
      // A batched call's dollars are shared among its judgements, so they still add up to the ledger's.
      assert.ok(Math.abs(result.judgements.reduce((s, j) => s + j.dollars!, 0) - juryUsd) < 1e-12);
      assert.equal(result.cost.total.calls, 3 + juryCalls);
      assert.equal(result.cost.total.unpricedCalls, 0);
    });
  }

  it('asks for structured output and logprobs only where the model supports them, and uses the entropy', async () => {
    const clients = pool({ large: { bid: { text: '', parsed: JSON.parse(bidJson('large')), logprobs: logprobsWith(0.95) } } });
    const deps = depsFor(clients, { capabilities: (id) => (id === 'large' ? caps({ structuredOutput: true, logprobs: true }) : caps()) });
    const result = await runAuction(request(), deps);
    const largeBid = clients[2]!.requests.find((r) => r.kind === 'bid')!.request;
    assert.equal(largeBid.responseFormat?.name, 'strategy_bid');
    assert.deepEqual(largeBid.logprobs, { topAlternatives: 5 });
    const smallBid = clients[0]!.requests.find((r) => r.kind === 'bid')!.request;
    assert.equal(smallBid.responseFormat, undefined);
    assert.equal(smallBid.logprobs, undefined);
    const large = result.ranking.find((r) => r.modelId === 'large')!;
    assert.equal(large.signals.entropy, true);
    assert.equal(result.bids.find((b) => b.modelId === 'large')!.parsedVia, 'structured');
    assert.equal(result.ranking.find((r) => r.modelId === 'mid')!.signals.entropy, false);
  });

  it('does not punish bidders without logprobs: value is renormalised over the jury', async () => {
    // small returns logprobs at confidence exactly its jury rating (3/5); its value must equal the jury-only value.
    // Find q with confidence(q) = 1 − H(q)/ln 2 = 0.6 by bisection.
    const conf = (q: number) => 1 + (q * Math.log(q) + (1 - q) * Math.log(1 - q)) / Math.log(2);
    let lo = 0.5;
    let hi = 0.9999;
    for (let i = 0; i < 80; i++) {
      const m = (lo + hi) / 2;
      if (conf(m) < 0.6) lo = m;
      else hi = m;
    }
    const clients = pool({ small: { bid: { text: bidJson('small'), logprobs: logprobsWith(lo) } } });
    const deps = depsFor(clients, { capabilities: (id) => caps({ logprobs: id === 'small' }) });
    const result = await runAuction(request(), deps);
    const small = result.ranking.find((r) => r.modelId === 'small')!;
    assert.equal(small.signals.entropy, true);
    assert.ok(Math.abs(small.value.term - 3) < 1e-6, `value ${small.value.term}`);
    const mid = result.ranking.find((r) => r.modelId === 'mid')!;
    assert.equal(mid.value.presentWeight, 4);
    assert.equal(mid.value.fullWeight, 5);
  });

  describe('jury modes', () => {
    it('all: every pool model with the juror role judges every bid, self included', async () => {
      const clients = [new ScriptedClient(spec('a', 1), {}), new ScriptedClient(spec('b', 2), {}), new ScriptedClient(spec('c', 3, { roles: ['bidder'] }), {})];
      const result = await runAuction(request({ pool: ['a', 'b', 'c'], jury: { mode: 'all' } }), depsFor(clients));
      assert.deepEqual(result.jurors, ['a', 'b']);
      assert.equal(result.judgements.length, 6);
      assert.equal(clients[2]!.requests.filter((r) => r.kind === 'judge').length, 0);
    });
    it('subset: only the named jurors judge', async () => {
      const clients = pool();
      const result = await runAuction(request({ jury: { mode: 'subset', jurors: ['large'] } }), depsFor(clients));
      assert.deepEqual(result.jurors, ['large']);
      assert.equal(result.judgements.length, 3);
      assert.ok(result.judgements.every((j) => j.jurorId === 'large'));
      assert.equal(clients[0]!.requests.filter((r) => r.kind === 'judge').length, 0);
    });
    it('none: no judgement calls; ranking by cost (and entropy where present)', async () => {
      const clients = pool();
      const deps = depsFor(clients);
      const result = await runAuction(request({ jury: { mode: 'none' } }), deps);
      assert.equal(deps.records.filter((r) => r.phase === 'jury').length, 0);
      assert.equal(winnerModel(result), 'small');
      assert.ok(result.ranking.every((r) => r.signals.jurors.length === 0));
    });
    it('rejects a subset juror that is not a configured model', async () => {
      await assert.rejects(runAuction(request({ jury: { mode: 'subset', jurors: ['ghost'] } }), depsFor(pool())), InvalidAuctionRequestError);
    });
  });

  it('reports a failing bidder, leaves it out, and still picks a winner', async () => {
    const deps = depsFor(pool({ mid: { bid: { error: new Error('HTTP 500 from provider') } } }));
    const result = await runAuction(request(), deps);
    assert.equal(winnerModel(result), 'large');
    assert.deepEqual(result.failures.bids.map((f) => [f.modelId, f.code, f.reason]), [['mid', 'call-failed', 'HTTP 500 from provider']]);
    assert.ok(deps.records.some((r) => r.modelId === 'mid' && r.phase === 'bidding' && !r.ok));
    assert.ok(deps.events.some((e) => e.type === 'bid-failed' && e.failure.modelId === 'mid'));
  });

  it('reports a failing juror and scores bids on the judgements that exist', async () => {
    const deps = depsFor(pool({ small: { judge: () => ({ error: new Error('juror down') }) } }));
    const result = await runAuction(request(), deps);
    assert.equal(result.failures.judgements.length, 3);
    assert.ok(result.ranking.every((r) => r.signals.jurors.join() === 'large,mid'));
    assert.equal(winnerModel(result), 'mid');
  });

  it('turns a malformed reply into a failed bid with its reason, and charges its spend', async () => {
    const deps = depsFor(pool({ small: { bid: { text: 'Sure! I would love to help with that.' } } }));
    const result = await runAuction(request(), deps);
    const failure = result.failures.bids.find((f) => f.modelId === 'small')!;
    assert.equal(failure.code, 'unparseable');
    assert.match(failure.reason, /no plan steps/);
    assert.ok(failure.dollars! > 0);
    assert.equal(result.cost.bidding.calls, 3);
  });

  it('fails with NoBidsError listing every bidder\'s reason when no bid is usable', async () => {
    const deps = depsFor(pool({ small: { bid: { text: '' } }, mid: { bid: { error: new Error('boom') } }, large: { bid: { text: 'no plan here' } } }));
    const err = await runAuction(request(), deps).then(
      () => assert.fail('expected NoBidsError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof NoBidsError);
    assert.deepEqual(err.reasons.map((r) => r.modelId), ['large', 'mid', 'small']);
    assert.match(err.reasons.find((r) => r.modelId === 'mid')!.reason, /boom/);
    assert.match(err.reasons.find((r) => r.modelId === 'small')!.reason, /empty/);
    assert.equal(err.result.cost.bidding.calls, 3);
    const last = deps.events.at(-1)!;
    assert.equal(last.type, 'failed');
  });

  it('reports a pool id without a client as a failed bid', async () => {
    const result = await runAuction(request({ pool: ['small', 'mid', 'large', 'ghost'] }), depsFor(pool()));
    assert.deepEqual(result.failures.bids.map((f) => [f.modelId, f.code]), [['ghost', 'no-client']]);
  });

  it('emits events in a sensible order, each the moment it exists', async () => {
    const deps = depsFor(pool());
    const result = await runAuction(request(), deps);
    const types = deps.events.map((e) => e.type);
    assert.equal(types[0], 'auction-started');
    assert.equal(types.at(-1), 'done');
    assert.deepEqual(deps.events.map((e) => e.seq), types.map((_, i) => i));
    const idx = (pred: (t: string, i: number) => boolean) => types.findIndex(pred);
    for (const m of ['small', 'mid', 'large']) {
      const started = deps.events.findIndex((e) => e.type === 'bid-started' && e.modelId === m);
      const received = deps.events.findIndex((e) => e.type === 'bid-received' && e.bid.modelId === m);
      const judged = deps.events.findIndex((e) => e.type === 'judgement-received' && e.judgement.bidId === `${m}#original`);
      const scored = deps.events.findIndex((e) => e.type === 'bid-scored' && e.breakdown.modelId === m);
      assert.ok(started < received && received < judged && judged < scored, `${m}: ${started} ${received} ${judged} ${scored}`);
    }
    const provisional = idx((t) => t === 'provisional-winner');
    const final = idx((t) => t === 'final-winner');
    assert.ok(provisional > types.lastIndexOf('bid-scored') && final > provisional);
    assert.ok(types.includes('ranking-changed') && types.includes('cost'));
    const done = deps.events.at(-1)!;
    assert.ok(done.type === 'done' && done.result.winner?.bidId === result.winner?.bidId);
    assert.doesNotThrow(() => JSON.stringify(deps.events));
  });

  it('keeps a throwing event listener from breaking the auction', async () => {
    const deps = depsFor(pool(), {
      onEvent: () => {
        throw new Error('ui gone');
      },
    });
    const result = await runAuction(request(), deps);
    assert.equal(result.status, 'completed');
  });
});
