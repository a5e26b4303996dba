import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionContext, AuctionResult } from '../../../../src/common/auction/types';
import type { PanelTask } from '../../../../src/common/protocol/panel';
import { AuctionSessions } from '../../../../src/common/session/auctionSession';
import { bidJson, depsFor, judgeJson, ScriptedClient, spec } from '../auction/scriptedClient';

const task = (id: string, text: string): PanelTask => ({ id, text, source: 'palette', receivedAt: '2026-12-01T10:00:00.000Z' });

async function finished(auctionId: string, text: string): Promise<AuctionResult> {
  const clients = ['small', 'big'].map((m, i) => new ScriptedClient(spec(m, [1, 5][i]), { judge: (author) => ({ text: judgeJson(author === 'big' ? 5 : 2) }), bid: { text: bidJson(`${m}-${auctionId}`) } }));
  return runAuction({ auctionId, task: text, pool: ['small', 'big'], weights: { cost: 1e-3 }, refinement: { enabled: false } }, depsFor(clients));
}

describe('auction sessions', () => {
  it('finish A, start B and cancel it: "Run the winner" runs A\'s plan with A\'s context', async () => {
    const sessions = new AuctionSessions();
    const contextA: AuctionContext = { files: [{ path: 'src/a.ts', content: 'A' }] };
    const contextB: AuctionContext = { files: [{ path: 'src/b.ts', content: 'B' }] };
    const a = sessions.start('A', task('ta', 'task A'), contextA);
    const resultA = await finished('A', 'task A');
    a.finish(resultA);
    const b = sessions.start('B', task('tb', 'task B'), contextB);
    b.cancel();
    // A cancelled engine still hands back what it had: that must not become what "Run the winner" runs.
    b.finish({ ...(await finished('B', 'task B')), status: 'cancelled' });

    const resolved = sessions.resolveRun({});
    assert.ok(!('refused' in resolved));
    assert.equal(resolved.session.id, 'A');
    assert.equal(resolved.bid.id, resultA.winner?.bidId);
    assert.equal(resolved.session.result?.task, 'task A');
    assert.equal(resolved.session.context, contextA);
    assert.equal(b.status, 'cancelled');
  });

  it('a run command names its auction: a losing bid of an older auction runs with that auction\'s context', async () => {
    const sessions = new AuctionSessions();
    const contextA: AuctionContext = { files: [{ path: 'src/a.ts', content: 'A' }] };
    const a = sessions.start('A', task('ta', 'task A'), contextA);
    const resultA = await finished('A', 'task A');
    a.finish(resultA);
    // A newer auction finished after A: without the auction id, a bid id would be looked up there.
    sessions.start('C', task('tc', 'task C'), {}).finish(await finished('C', 'task C'));
    const loser = resultA.bids.find((x) => x.id !== resultA.winner?.bidId);
    assert.ok(loser);
    const resolved = sessions.resolveRun({ auctionId: 'A', bidId: loser.id });
    assert.ok(!('refused' in resolved));
    assert.deepEqual([resolved.session.id, resolved.bid.id, resolved.session.context], ['A', loser.id, contextA]);
    // Bid ids are unique only within an auction: the same id in C is C's bid, with C's plan and context.
    const inC = sessions.resolveRun({ auctionId: 'C', bidId: loser.id });
    assert.ok(!('refused' in inC));
    assert.equal(inC.session.id, 'C');
    assert.notEqual(inC.bid.planText, loser.planText);
    assert.deepEqual(inC.session.context, {});
    assert.deepEqual(sessions.resolveRun({ auctionId: 'A', bidId: 'no-such-bid' }), { refused: 'no-bid' });
    assert.deepEqual(sessions.resolveRun({ auctionId: 'gone' }), { refused: 'no-auction' });
  });

  it('nothing finished yet: there is nothing to run', () => {
    const sessions = new AuctionSessions();
    sessions.start('A', task('ta', 'task A'), {}).fail();
    assert.deepEqual(sessions.resolveRun({}), { refused: 'no-auction' });
  });
});
