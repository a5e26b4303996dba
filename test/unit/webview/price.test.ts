import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAuctionEvent, emptyAuctionView } from '../../../src/common/panel/auctionView';
import { AuctionView, type PoolMemberView } from '../../../src/common/protocol/auctionView';
import { poolPrice, price, recordText } from '../../../src/webview/panel/format';

/** A request-priced pool member as the host sends it: Copilot-style, per-token prices 0 (resolvePrice fills them). */
const copilot: PoolMemberView = {
  id: 'copilot-loop',
  model: 'loop-lm',
  provider: 'vscode-lm',
  local: false,
  priceInPerMTok: 0,
  priceOutPerMTok: 0,
  perRequest: { usd: 0.04, multiplier: 3, asOf: null },
  vendor: 'sale-test',
  status: 'ready',
  roles: ['bidder'],
  logprobs: false,
  practice: false,
};

describe('prices in the panel', () => {
  it('a request-priced bid card shows its price per request × multiplier, not $0/Mtok', () => {
    let view = emptyAuctionView('a1', 'task', '2026-12-03T10:00:00.000Z');
    view = applyAuctionEvent(view, { auctionId: 'a1', at: '2026-12-03T10:00:01.000Z', seq: 1, type: 'bid-started', bidId: 'b1', modelId: 'copilot-loop', kind: 'original' }, new Map([[copilot.id, copilot]]));
    const card = AuctionView.parse(view).cards[0];
    assert.ok(card);
    assert.deepEqual(card.perRequest, { usd: 0.04, multiplier: 3, asOf: null }, 'the card carries the member\'s request price');
    assert.equal(price(card), '$0.04 × 3 per request');
    // An older host's card without the field parses with null and keeps the per-token text.
    const { perRequest: _omitted, ...older } = card;
    assert.equal(price(AuctionView.parse({ ...view, cards: [older] }).cards[0] ?? card), '$0/Mtok out');
  });

  it('per-token and unknown prices read as before; unknown is never $0', () => {
    assert.equal(price({ priceOutPerMTok: 1.6, perRequest: null }), '$1.6/Mtok out');
    assert.equal(price({ priceOutPerMTok: null, perRequest: null }), 'price unknown');
    assert.equal(poolPrice({ priceInPerMTok: 0.4, priceOutPerMTok: 1.6, perRequest: null }), '$0.4 in / $1.6 out per Mtok');
    assert.equal(poolPrice({ priceInPerMTok: null, priceOutPerMTok: null, perRequest: null }), 'price unknown');
  });

  it('the pool strip dates a price taken from the table', () => {
    assert.equal(poolPrice(copilot), '$0.04 × 3 per request');
    assert.equal(poolPrice({ ...copilot, perRequest: { usd: 0.04, multiplier: 0.33, asOf: '2025-06-18' } }), '$0.04 × 0.33 per request (table of 2025-06-18)');
  });
});

describe('the track record on a bid card', () => {
  it('says "prior" before the model has run here, and counts runs after', () => {
    assert.equal(recordText({ rate: 0.744, outcomes: 0 }), '74% · prior');
    assert.equal(recordText({ rate: 0.62, outcomes: 1 }), '62% · 1 run');
    assert.equal(recordText({ rate: 0.62, outcomes: 12 }), '62% · 12 runs');
  });
});
