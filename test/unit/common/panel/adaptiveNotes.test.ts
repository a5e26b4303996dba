import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuctionEvent, AuctionEventBody } from '../../../../src/common/auction/events';
import type { AuctionResult } from '../../../../src/common/auction/types';
import { applyAuctionEvent, emptyAuctionView } from '../../../../src/common/panel/auctionView';
import { AuctionView } from '../../../../src/common/protocol/auctionView';

let seq = 0;
const event = (body: AuctionEventBody): AuctionEvent => ({ auctionId: 'a1', at: '2026-02-01T00:00:00.000Z', seq: seq++, ...body });

describe('the panel\'s account of what the auction left out', () => {
  it('folds adaptive skips as they happen, then takes the result\'s list as the final word', () => {
    let view = emptyAuctionView('a1', 'task', '2026-02-01T00:00:00.000Z');
    assert.deepEqual(view.adaptive, []);
    view = applyAuctionEvent(view, event({ type: 'adaptive-skip', skip: { kind: 'overhead-cap', reason: 'cap $0.01: dropped juror big', dropped: ['big'] } }), new Map());
    view = applyAuctionEvent(view, event({ type: 'adaptive-skip', skip: { kind: 'jury-stopped-early', reason: 'settled', dropped: ['mid'] } }), new Map());
    assert.deepEqual(view.adaptive.map((a) => a.kind), ['overhead-cap', 'jury-stopped-early']);
    const adaptive = [{ kind: 'overhead-cap' as const, reason: 'cap $0.01: dropped juror big', dropped: ['big'] }];
    const result = { finishedAt: '2026-02-01T00:00:01.000Z', cost: view.cost, bids: [], ranking: [], refinement: { enabled: true, ran: false, candidates: [], skipped: [] }, weights: { cost: 0.4, entropy: 1, jury: 4 }, adaptive } as unknown as AuctionResult;
    view = applyAuctionEvent(view, event({ type: 'done', result }), new Map());
    assert.deepEqual(view.adaptive, adaptive);
  });

  it('a view from an older host without the list still parses, with none', () => {
    const { adaptive: _gone, ...old } = emptyAuctionView('a1', 'task', '2026-02-01T00:00:00.000Z');
    assert.deepEqual(AuctionView.parse(old).adaptive, []);
  });
});
