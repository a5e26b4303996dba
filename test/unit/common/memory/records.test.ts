import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLineCodec, upgradeMemoryLine } from '../../../../src/common/memory/legacy';
import { AuctionLine, MemoryLine, outcomeBidId } from '../../../../src/common/memory/records';
import { auction, outcome } from './builders';

describe('memory records (schema v2)', () => {
  it('accepts an auction line and an outcome line, each carrying its version', () => {
    const a = auction('a1', 'add retry to fetch', 'big', ['small']);
    assert.equal(MemoryLine.parse(a).v, 2);
    const o = outcome('a1', { type: 'tests', passed: true, command: 'npm test' });
    assert.deepEqual(MemoryLine.parse(o), o);
  });

  it('rejects a line without a version, from a future version, or of an unknown kind', () => {
    const a = auction('a1', 't', 'big', []);
    const { v: _v, ...noVersion } = a;
    assert.equal(MemoryLine.safeParse(noVersion).success, false);
    assert.equal(MemoryLine.safeParse({ ...a, v: 3 }).success, false);
    assert.equal(MemoryLine.safeParse({ ...a, v: 1 }).success, false, 'a version-1 line is read through the upgrader');
    assert.equal(MemoryLine.safeParse({ ...a, kind: 'gossip' }).success, false);
  });

  it('keeps jury scores by juror and refuses a score outside 0..5', () => {
    const a = auction('a1', 't', 'big', ['small']);
    const bids = a.bids.map((b) => ({ ...b, jury: { big: 4, small: 5 } }));
    assert.deepEqual(AuctionLine.parse({ ...a, bids }).bids[0]?.jury, { big: 4, small: 5 });
    const bad = a.bids.map((b) => ({ ...b, jury: { big: 6 } }));
    assert.equal(AuctionLine.safeParse({ ...a, bids: bad }).success, false);
  });

  it('the codec reports a bad line as an error instead of throwing', () => {
    const r = memoryLineCodec.decode({ v: 1, kind: 'auction', id: 'x' });
    assert.equal(r.ok, false);
    assert.equal(memoryLineCodec.decode(42).ok, false);
    assert.equal(memoryLineCodec.decode({ type: 'auction', id: 'old', ts: 'yesterday' }).ok, false);
  });

  it('upgrades version-1 lines to version 2; an outcome without a bid id stays without one (it is about the winner)', () => {
    const a1 = { ...auction('a1', 't', 'big', ['small']), v: 1 };
    const o1 = { ...outcome('a1', { type: 'review', files: [{ path: 'x.ts', decision: 'rejected' }] }), v: 1 };
    const a = memoryLineCodec.decode(a1);
    const o = memoryLineCodec.decode(o1);
    assert.ok(a.ok && o.ok);
    assert.deepEqual([a.value.v, a.upgraded, o.value.v, o.upgraded], [2, true, 2, true]);
    assert.equal(o.value.kind === 'outcome' && o.value.bidId, undefined);
    assert.equal(outcomeBidId(o.value.kind === 'outcome' ? o.value : {}, 'a1:big'), 'a1:big');
    assert.equal(outcomeBidId({ bidId: 'a1:small' }, 'a1:big'), 'a1:small');
  });

  it('passes current and unknown lines through the upgrader untouched', () => {
    const a = auction('a1', 't', 'big', []);
    assert.deepEqual(upgradeMemoryLine(a), { raw: a, upgraded: false });
    assert.deepEqual(upgradeMemoryLine({ type: 'other' }), { raw: { type: 'other' }, upgraded: false });
  });
});

describe('upgrade of version-0 lines', () => {
  const v0Auction = {
    type: 'auction',
    id: 'old1',
    ts: Date.UTC(2025, 5, 1),
    task: 'rename the config loader',
    models: ['qwen-4b', 'qwen-32b'],
    bids: [
      { model: 'qwen-4b', strategy: 'grep and rename', len: 80, cost: 0.01, value: 3, score: -2.99, won: true },
      { model: 'qwen-32b', strategy: 'use the language server rename', len: 140, cost: 0.05, value: 2, score: -1.95, won: false },
    ],
  };

  it('reads an old auction line as a current auction with the same bids and winner', () => {
    const r = memoryLineCodec.decode(v0Auction);
    assert.ok(r.ok);
    assert.equal(r.upgraded, true);
    const line = r.value;
    assert.equal(line.kind, 'auction');
    if (line.kind !== 'auction') return;
    assert.equal(line.v, 2);
    assert.equal(line.time, '2025-06-01T00:00:00.000Z');
    assert.deepEqual(line.pool, ['qwen-4b', 'qwen-32b']);
    assert.deepEqual(
      line.bids.map((b) => [b.modelId, b.plan, b.tokens, b.won, b.refined]),
      [
        ['qwen-4b', 'grep and rename', 80, true, false],
        ['qwen-32b', 'use the language server rename', 140, false, false],
      ],
    );
    assert.equal(line.winnerBidId, line.bids[0]?.bidId);
  });

  it('reads an old feedback line as a review outcome with a stable id', () => {
    const old = { type: 'feedback', auctionId: 'old1', ts: Date.UTC(2025, 5, 2), accepted: false };
    const a = memoryLineCodec.decode(old);
    const b = memoryLineCodec.decode(old);
    assert.ok(a.ok && b.ok);
    assert.equal(a.value.kind, 'outcome');
    if (a.value.kind !== 'outcome') return;
    assert.deepEqual(a.value.fact, { type: 'review', files: [], overall: 'rejected' });
    assert.equal(a.value.id, b.value.id);
  });
});
