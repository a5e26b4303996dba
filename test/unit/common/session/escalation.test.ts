import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuctionResult, Bid, ScoreBreakdown } from '../../../../src/common/auction/types';
import type { PanelTask } from '../../../../src/common/protocol/panel';
import { AuctionSession } from '../../../../src/common/session/auctionSession';
import { attemptDiff, chooseNextBid, runFailure } from '../../../../src/common/session/escalation';

const task: PanelTask = { id: 't', text: 'fix it', source: 'palette', receivedAt: '2026-12-01T10:00:00.000Z' };

function bid(id: string, modelId: string): Bid {
  return { id, modelId, kind: 'original', content: { summary: id, steps: [], files: [], risks: [], verification: [] }, planText: `plan ${id}`, parsedVia: 'json', usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 } } as unknown as Bid;
}

function breakdown(b: Bid, rank: number, eligible = true, expectedExecutionUsd?: number): ScoreBreakdown {
  return {
    bidId: b.id,
    modelId: b.modelId,
    kind: 'original',
    cost: { mode: 'work', known: true },
    value: { jury: [], fullWeight: 1, presentWeight: 1, imputed: false, term: 1 },
    signals: { entropy: false, jurors: [] },
    eligible,
    ineligibleReasons: eligible ? [] : ['over budget'],
    rank,
    ...(expectedExecutionUsd !== undefined ? { expectedExecutionUsd } : {}),
  };
}

/** A finished session whose ranking is the given order (best first). */
function session(ranked: { bid: Bid; eligible?: boolean }[]): AuctionSession {
  const s = new AuctionSession('A', task, { files: [] });
  const result = {
    auctionId: 'A',
    task: 'fix it',
    status: 'completed',
    bids: ranked.map((r) => r.bid),
    ranking: ranked.map((r, i) => breakdown(r.bid, i + 1, r.eligible ?? true)),
    winner: { bidId: ranked[0]?.bid.id, modelId: ranked[0]?.bid.modelId, kind: 'original' },
  } as unknown as AuctionResult;
  s.finish(result);
  return s;
}

const small1 = bid('b1', 'small');
const small2 = bid('b2', 'small');
const big = bid('b3', 'big');
const mid = bid('b4', 'mid');

describe('escalation: the next bid', () => {
  it('offers nothing while the last run has not failed', () => {
    const s = session([{ bid: small1 }, { bid: big }]);
    assert.equal((chooseNextBid(s) as { refused: string }).refused, 'not-failed');
    const run = s.startRun('r1', small1);
    run.status = 'finished';
    run.review = 'accepted';
    assert.equal((chooseNextBid(s) as { refused: string }).refused, 'not-failed');
  });

  it('after a rejection, skips tried bids and prefers a model not tried yet over a better-ranked bid of a tried model', () => {
    const s = session([{ bid: small1 }, { bid: small2 }, { bid: big }]);
    const run = s.startRun('r1', small1);
    run.status = 'finished';
    run.review = 'rejected';
    const next = chooseNextBid(s);
    assert.ok(!('refused' in next));
    assert.equal(next.bid.id, 'b3');
    assert.equal(next.because, 'new-model');
    assert.equal(next.attempt, 2);
    assert.equal(next.escalatedFrom, 'b1');
  });

  it('skips ineligible bids and models no longer in the pool; falls back to a tried model\'s other bid', () => {
    const s = session([{ bid: small1 }, { bid: big, eligible: false }, { bid: mid }, { bid: small2 }]);
    const run = s.startRun('r1', small1);
    run.status = 'finished';
    run.tests = 'failed';
    const next = chooseNextBid(s, { available: (m) => m !== 'mid' });
    assert.ok(!('refused' in next));
    assert.equal(next.bid.id, 'b2');
    assert.equal(next.because, 'tried-model');
  });

  it('exhausts cleanly with a message naming what is left', () => {
    const s = session([{ bid: small1 }, { bid: big, eligible: false }, { bid: mid }]);
    s.startRun('r1', small1).status = 'failed';
    const second = chooseNextBid(s);
    assert.ok(!('refused' in second));
    const run = s.startRun('r2', second.bid, second.escalatedFrom);
    assert.equal(run.attempt, 2);
    assert.equal(run.escalatedFrom, 'b1');
    run.status = 'finished';
    run.review = 'rejected';
    const done = chooseNextBid(s);
    assert.ok('refused' in done);
    assert.equal(done.refused, 'exhausted');
    assert.match(done.message, /Every eligible bid of this auction has been tried \(2 of 3 bids; the rest: 1 ineligible\)/);
  });

  it('stops at the attempt cap', () => {
    const s = session([{ bid: small1 }, { bid: big }, { bid: mid }]);
    s.startRun('r1', small1).status = 'failed';
    const r2 = s.startRun('r2', big, 'b1');
    r2.status = 'finished';
    r2.undone = true;
    const capped = chooseNextBid(s, { maxAttempts: 2 });
    assert.ok('refused' in capped);
    assert.equal(capped.refused, 'max-attempts');
    assert.ok(!('refused' in chooseNextBid(s, { maxAttempts: 3 })));
  });

  it('a re-run of a bid keeps its attempt number; failures are named', () => {
    const s = session([{ bid: small1 }, { bid: big }]);
    s.startRun('r1', small1);
    assert.equal(s.startRun('r2', small1).attempt, 1);
    assert.equal(s.startRun('r3', big).attempt, 2);
    const r = s.runs[0];
    assert.ok(r);
    r.status = 'cancelled';
    assert.equal(runFailure(r), undefined, 'a cancel is not a failure');
    r.status = 'limit';
    r.review = 'partially-accepted';
    assert.equal(runFailure(r), undefined);
    r.tests = 'failed';
    assert.equal(runFailure(r), 'tests-failed');
  });

  it('refuses an auction that did not finish', () => {
    const s = new AuctionSession('B', task, { files: [] });
    assert.equal((chooseNextBid(s) as { refused: string }).refused, 'no-auction');
  });
});

describe('escalation: the failed attempt as a diff', () => {
  it('writes file headers and hunks', () => {
    const diff = attemptDiff([
      { path: 'a.ts', kind: 'modify', decision: 'rejected', editedByUser: false, added: 1, removed: 1, hunks: [{ index: 0, header: '@@ -1,1 +1,1 @@', added: 1, removed: 1, text: '-old\n+new\n', decision: 'rejected' }], conflict: null, applied: false },
      { path: 'b.ts', kind: 'create', decision: 'rejected', editedByUser: false, added: 1, removed: 0, hunks: [{ index: 0, header: '@@ -0,0 +1,1 @@', added: 1, removed: 0, text: '+x', decision: 'rejected' }], conflict: null, applied: false },
    ]);
    assert.equal(diff, '--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,1 @@\n-old\n+new\n--- /dev/null\n+++ b/b.ts\n@@ -0,0 +1,1 @@\n+x');
  });
});
