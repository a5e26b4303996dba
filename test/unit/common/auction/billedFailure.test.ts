import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction';
import { emptyUsage } from '../../../../src/common/providers/types';
import { ScriptedClient, depsFor, spec } from './scriptedClient';

/** An error as the adapters throw it for a stream cut after the provider billed tokens. */
function billedError(): Error {
  return Object.assign(new Error('connection lost mid-reply'), { code: 'connection-lost', usage: { ...emptyUsage(), inputTokens: 1_000_000, outputTokens: 500_000 } });
}

describe('a call that fails after the provider billed it', () => {
  it('is charged to the auction and recorded in the ledger with its usage and dollars', async () => {
    const clients = [new ScriptedClient(spec('a', 2, { inputPerMTok: 1 }), {}), new ScriptedClient(spec('b', 4, { inputPerMTok: 2 }), { bid: { error: billedError() } })];
    const deps = depsFor(clients);
    const result = await runAuction({ auctionId: 'billed', task: 't', pool: ['a', 'b'], jury: { mode: 'none' }, refinement: { enabled: false } }, deps);
    const failed = deps.records.find((r) => r.modelId === 'b' && r.phase === 'bidding');
    assert.ok(failed);
    assert.equal(failed.ok, false);
    assert.equal(failed.usage.outputTokens, 500_000);
    assert.equal(failed.dollars, 1 * 2 + 0.5 * 4);
    assert.equal(result.cost.bidding.failedCalls, 1);
    assert.equal(result.cost.bidding.calls, 2);
    const okCall = deps.records.find((r) => r.modelId === 'a' && r.phase === 'bidding');
    assert.ok(Math.abs(result.cost.bidding.usd - ((okCall?.dollars ?? NaN) + 4)) < 1e-12, 'the billed failure is in the auction cost');
  });

  it('without billed usage it counts as a failed call costing nothing', async () => {
    const clients = [new ScriptedClient(spec('a', 2), {}), new ScriptedClient(spec('b', 4), { bid: { error: new Error('refused') } })];
    const deps = depsFor(clients);
    const result = await runAuction({ auctionId: 'unbilled', task: 't', pool: ['a', 'b'], jury: { mode: 'none' }, refinement: { enabled: false } }, deps);
    const failed = deps.records.find((r) => r.modelId === 'b');
    // Nothing billed by a priced model: a known $0 (every record is priced by buildCallRecord, as the ledger did).
    assert.equal(failed?.dollars, 0);
    assert.equal(failed?.usage.outputTokens, 0);
    assert.equal(result.cost.bidding.failedCalls, 1);
  });
});
