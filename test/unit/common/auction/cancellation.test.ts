import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionRequest } from '../../../../src/common/auction/types';
import { depsFor, judgeJson, ScriptedClient, spec, type Script } from './scriptedClient';

const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: 'c1',
  task: 'Fix the flaky test',
  pool: ['small', 'mid', 'large'],
  refinement: { enabled: false },
  ...over,
});
const rate: Script['judge'] = (author) => ({ text: judgeJson({ small: 3, mid: 4, large: 5 }[author] ?? 0), delayMs: 5 });

describe('cancellation', () => {
  it('stops every call in flight mid-jury and keeps the partial results', async () => {
    // large's judgements never settle and ignore the signal: the engine must stop waiting for them anyway.
    const clients = [
      new ScriptedClient(spec('small', 0.5), { judge: rate }),
      new ScriptedClient(spec('mid', 2), { judge: rate }),
      new ScriptedClient(spec('large', 10), { judge: () => ({ hang: true }) }),
    ];
    const controller = new AbortController();
    const deps = depsFor(clients, {
      onEvent: (e) => {
        if (e.type === 'judgement-received') controller.abort();
      },
    });
    const result = await runAuction(request(), deps, controller.signal);

    assert.equal(result.status, 'cancelled');
    assert.equal(result.winner, undefined);
    assert.equal(result.why, undefined);
    assert.equal(result.bids.length, 3, 'every bid that arrived is kept');
    assert.ok(result.judgements.length >= 1 && result.judgements.length < 9, `${result.judgements.length} judgements`);
    assert.ok(result.failures.judgements.some((f) => f.code === 'cancelled' && f.jurorId === 'large'));
    assert.equal(result.judgements.length + result.failures.judgements.length, 9, 'every judgement is accounted for');
    assert.equal(result.ranking.length, 3);
    assert.ok(deps.records.some((r) => r.phase === 'jury' && !r.ok && r.errorCode === 'cancelled'));
    assert.equal(deps.events.at(-1)!.type, 'cancelled');
    assert.ok(!deps.events.some((e) => e.type === 'final-winner' || e.type === 'done'));
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });

  it('returns a cancelled result when cancelled while bids are in flight', async () => {
    const clients = [
      new ScriptedClient(spec('small', 0.5), { judge: rate }),
      new ScriptedClient(spec('mid', 2), { judge: rate, bid: { hang: true } }),
      new ScriptedClient(spec('large', 10), { judge: rate, bid: { text: '{"steps":["x"]}', delayMs: 10_000 } }),
    ];
    const controller = new AbortController();
    const deps = depsFor(clients, {
      onEvent: (e) => {
        if (e.type === 'bid-received') controller.abort();
      },
    });
    const result = await runAuction(request(), deps, controller.signal);
    assert.equal(result.status, 'cancelled');
    assert.deepEqual(result.bids.map((b) => b.modelId), ['small']);
    assert.deepEqual(result.failures.bids.map((f) => [f.modelId, f.code]).sort(), [['large', 'cancelled'], ['mid', 'cancelled']]);
    assert.equal(result.provisionalWinner?.modelId, 'small');
  });

  it('makes no call when the signal is already aborted', async () => {
    const clients = [new ScriptedClient(spec('small', 0.5), {}), new ScriptedClient(spec('mid', 2), {})];
    const controller = new AbortController();
    controller.abort();
    const result = await runAuction(request({ pool: ['small', 'mid'] }), depsFor(clients), controller.signal);
    assert.equal(result.status, 'cancelled');
    assert.equal(clients[0]!.requests.length + clients[1]!.requests.length, 0);
  });
});
