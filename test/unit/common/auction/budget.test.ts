import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpendTracker, expectedExecutionUsd } from '../../../../src/common/auction/budget';
import { runAuction } from '../../../../src/common/auction/engine';
import { NoBidsError } from '../../../../src/common/auction/errors';
import type { AuctionRequest } from '../../../../src/common/auction/types';
import { DEFAULT_EXECUTION_ESTIMATE } from '../../../../src/common/auction/weights';
import { emptyUsage } from '../../../../src/common/providers/types';
import { depsFor, judgeJson, ScriptedClient, spec, winnerModel, type Script } from './scriptedClient';

const judge: Script['judge'] = (author) => ({ text: judgeJson({ small: 3, mid: 4, large: 5, pricey: 5, unpriced: 5 }[author] ?? 0) });
const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: 'b1',
  task: 'Rename the helper and update callers',
  pool: ['small', 'mid', 'large'],
  refinement: { enabled: false },
  ...over,
});

describe('SpendTracker', () => {
  it('reserves the worst case and refuses a call that could break the cap', () => {
    const t = new SpendTracker(0.001);
    const price = { inputPerMTok: 1, outputPerMTok: 1, source: 'settings' as const };
    const a = t.reserve(price, 300, 400); // 100 + 400 tokens at $1/Mtok = $0.0005
    assert.ok(a.ok);
    const b = t.reserve(price, 300, 400);
    assert.ok(b.ok);
    const c = t.reserve(price, 3, 1);
    assert.ok(!c.ok && /auction cap/.test(c.reason));
    a.release();
    t.add('bidding', { ...emptyUsage(), inputTokens: 100, outputTokens: 100 }, 0.0002);
    assert.ok(t.reserve(price, 3, 1).ok);
    assert.equal(t.snapshot().bidding.usd, 0.0002);
  });
  it('never calls a model with an unknown price under a cap, but does without one', () => {
    assert.ok(!new SpendTracker(1).reserve(undefined, 10, 10).ok);
    assert.ok(new SpendTracker(undefined).reserve(undefined, 10, 10).ok);
  });
  it('estimates execution from plan length and prompt size at the model\'s prices', () => {
    const usd = expectedExecutionUsd({ ...emptyUsage(), inputTokens: 1000, outputTokens: 200 }, { inputPerMTok: 2, outputPerMTok: 8, source: 'settings' }, DEFAULT_EXECUTION_ESTIMATE);
    assert.equal(usd, (200 * 20 * 8 + 1000 * 15 * 2) / 1e6);
    assert.equal(expectedExecutionUsd(emptyUsage(), undefined, DEFAULT_EXECUTION_ESTIMATE), undefined);
  });
});

describe('calls that go past their limits', () => {
  it('notes a call that wrote past its maxTokens or cost more than its reservation, and nothing otherwise', () => {
    const t = new SpendTracker(0.05);
    assert.equal(t.noteCall({ phase: 'jury', modelId: 'fine', maxTokens: 800, outputTokens: 800 }, 0.001, 0.002), false);
    assert.equal(t.noteCall({ phase: 'jury', modelId: 'greedy', maxTokens: 800, outputTokens: 2_600_000 }, 10.49, 0.0125), true);
    // Within its output cap but over its reservation (a tokenizer denser than the bound): also noted.
    assert.equal(t.noteCall({ phase: 'bidding', modelId: 'dense', maxTokens: 800, outputTokens: 700 }, 0.03, 0.02), true);
    assert.deepEqual(t.snapshot().overshoots, [
      { phase: 'jury', modelId: 'greedy', maxTokens: 800, outputTokens: 2_600_000, usd: 10.49, reservedUsd: 0.0125 },
      { phase: 'bidding', modelId: 'dense', maxTokens: 800, outputTokens: 700, usd: 0.03, reservedUsd: 0.02 },
    ]);
    assert.equal(t.snapshot().capUsd, 0.05);
    const none = new SpendTracker(undefined).snapshot();
    assert.deepEqual([none.capUsd, none.overshoots], [undefined, undefined]);
  });

  it('an auction whose juror ignores the output cap reports the overshoot and the cap it passed', async () => {
    // `greedy` answers every call with 400,000 output tokens whatever maxTokens it was sent.
    const greedy = new ScriptedClient(spec('greedy', 10, { roles: ['juror'] }), { judge: (author) => ({ text: judgeJson(author === 'small' ? 4 : 3), outputTokens: 400_000 }) });
    const clients = [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge }), greedy];
    const result = await runAuction(request({ pool: ['small', 'mid', 'greedy'], jury: { mode: 'all', style: 'per-bid' }, budget: { auctionCapUsd: 1 } }), depsFor(clients));
    // (The scripted clients report 1,000 input tokens for short prompts, denser than the 3-characters bound, so
    // their calls may be noted as over their reservation too; only `greedy` writes past its output cap.)
    const over = result.cost.overshoots ?? [];
    const greedyCalls = over.filter((o) => o.modelId === 'greedy');
    assert.ok(greedyCalls.length > 0, 'the greedy juror is reported');
    for (const o of greedyCalls) assert.ok(o.outputTokens > o.maxTokens && (o.usd ?? 0) > (o.reservedUsd ?? Infinity));
    assert.ok(over.every((o) => o.modelId === 'greedy' || o.outputTokens <= o.maxTokens));
    assert.equal(result.cost.capUsd, 1);
    assert.ok(result.cost.total.usd > 1, 'the cap was passed by the overshoot, and the result says by how much');
  });
});

describe('auction budgets', () => {
  it('stops launching calls that could exceed the auction cap, marks them skipped, and stays under it', async () => {
    // pricey's 800-token bid alone could cost $800: it is never called, nor asked to judge.
    const clients = [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge }), new ScriptedClient(spec('pricey', 1e6), { judge })];
    const deps = depsFor(clients);
    const result = await runAuction(request({ pool: ['small', 'mid', 'pricey'], budget: { auctionCapUsd: 1 } }), deps);
    assert.equal(clients[2]!.requests.length, 0);
    assert.ok(result.cost.total.usd <= 1);
    assert.deepEqual(result.failures.bids.map((f) => [f.modelId, f.code]), [['pricey', 'skipped-budget']]);
    const skipped = result.failures.skipped;
    assert.deepEqual(skipped.filter((s) => s.phase === 'bidding').map((s) => s.modelId), ['pricey']);
    assert.deepEqual(skipped.filter((s) => s.phase === 'jury').map((s) => [s.modelId, s.bidId]), [['pricey', 'mid#original'], ['pricey', 'small#original']]);
    assert.match(skipped[0]!.reason, /auction cap \$1\.00/);
    assert.equal(winnerModel(result), 'mid');
    assert.ok(deps.events.some((e) => e.type === 'call-skipped'));
  });

  it('with a cap of zero skips everything and fails with each bidder\'s reason', async () => {
    const clients = [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge })];
    const err = await runAuction(request({ pool: ['small', 'mid'], budget: { auctionCapUsd: 0 } }), depsFor(clients)).catch((e: unknown) => e);
    assert.ok(err instanceof NoBidsError);
    assert.ok(err.reasons.every((r) => r.reason.startsWith('skipped-budget')));
    assert.equal(clients[0]!.requests.length + clients[1]!.requests.length, 0);
  });

  it('makes a bid over the execution cap ineligible, with the reason, and picks the next', async () => {
    // Expected execution: large (200×20×10 + 1000×15×2.5)/1e6 = $0.0775, mid $0.0155, small $0.003875.
    const clients = [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge }), new ScriptedClient(spec('large', 10), { judge })];
    const free = await runAuction(request(), depsFor(clients));
    assert.equal(winnerModel(free), 'large');
    const capped = await runAuction(request({ budget: { executionCapUsd: 0.05 } }), depsFor(clients));
    assert.equal(winnerModel(capped), 'mid');
    const large = capped.ranking.find((r) => r.modelId === 'large')!;
    assert.equal(large.eligible, false);
    assert.ok(Math.abs(large.expectedExecutionUsd! - 0.0775) < 1e-12);
    assert.match(large.ineligibleReasons[0]!, /expected execution cost \$0\.07\d+ exceeds the cap of \$0\.05$/);
    assert.equal(capped.ranking.at(-1)!.modelId, 'large');
  });

  it('fails with NoBidsError when every bid breaks the execution cap, giving the reasons', async () => {
    const clients = [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge })];
    const err = await runAuction(request({ pool: ['small', 'mid'], budget: { executionCapUsd: 0.001 } }), depsFor(clients)).catch((e: unknown) => e);
    assert.ok(err instanceof NoBidsError);
    assert.ok(err.reasons.every((r) => /exceeds the cap/.test(r.reason)));
    assert.equal(err.result.ranking.length, 2);
  });

  it('shows an unknown price as unknown: ranked after priced bids, never as $0', async () => {
    const clients = [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('unpriced', undefined), { judge })];
    const deps = depsFor(clients);
    // Per-bid, so every juror judges both bids (a batched jury would stop early: only one bid is priced).
    const result = await runAuction(request({ pool: ['small', 'unpriced'], jury: { mode: 'all', style: 'per-bid' } }), deps);
    assert.equal(winnerModel(result), 'small');
    const u = result.ranking.find((r) => r.modelId === 'unpriced')!;
    assert.equal(u.cost.known, false);
    assert.equal(u.score, undefined);
    assert.ok(deps.records.filter((r) => r.modelId === 'unpriced').every((r) => r.dollars === undefined));
    assert.equal(result.cost.total.unpricedCalls, 3);
  });
});
