import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScoreBreakdown } from '../../../../src/common/auction/types';
import { applyAuctionEvent, emptyAuctionView } from '../../../../src/common/panel/auctionView';
import { AuctionView } from '../../../../src/common/protocol/auctionView';

const breakdown = (over: Partial<ScoreBreakdown> = {}): ScoreBreakdown => ({
  bidId: 'b1',
  modelId: 'gpt-mini',
  kind: 'original',
  cost: { known: true, mode: 'work', term: 0.1, outputPricePerMTok: 1.6, bidTokens: 200 },
  value: { jury: [{ jurorId: 'j', score: 4, weight: 0.8 }], fullWeight: 0.8, presentWeight: 0.8, imputed: false, term: 0.64 },
  signals: { entropy: false, jurors: ['j'] },
  juryMean: 4,
  score: -0.54,
  eligible: true,
  ineligibleReasons: [],
  rank: 1,
  ...over,
});

let seq = 0;
const meta = () => ({ auctionId: 'a1', at: '2026-12-02T10:00:01.000Z', seq: ++seq });

describe('the panel fold: predicted success', () => {
  it('carries the prediction of a scored bid to its card, and null when none was made', () => {
    let view = emptyAuctionView('a1', 'task', '2026-12-02T10:00:00.000Z');
    view = applyAuctionEvent(view, { ...meta(), type: 'bid-started', bidId: 'b1', modelId: 'gpt-mini', kind: 'original' }, new Map());
    assert.equal(view.cards[0]?.prediction, null, 'no prediction before scoring');
    view = applyAuctionEvent(view, { ...meta(), type: 'bid-scored', breakdown: breakdown() }, new Map());
    assert.equal(view.cards[0]?.prediction, null, 'a breakdown without a prediction gives null, not a guess');
    const p = { p: 0.7, low: 0.5, high: 0.85, outcomes: 4, basis: 'prior + 4 outcomes here' };
    view = applyAuctionEvent(view, { ...meta(), type: 'bid-scored', breakdown: breakdown({ prediction: p }) }, new Map());
    assert.deepEqual(view.cards[0]?.prediction, p);
    // What the host sends parses on the view's side with the prediction intact; an older host's card without it gets null.
    assert.deepEqual(AuctionView.parse(view).cards[0]?.prediction, p);
    const { prediction: _omitted, ...older } = view.cards[0] ?? {};
    assert.equal(AuctionView.parse({ ...view, cards: [older] }).cards[0]?.prediction, null);
  });
});

describe('the panel fold: the track record', () => {
  it('carries the record the value counted to the card, and an older host\'s card parses without it', () => {
    let view = emptyAuctionView('a1', 'task', '2026-12-02T10:00:00.000Z');
    view = applyAuctionEvent(view, { ...meta(), type: 'bid-started', bidId: 'b1', modelId: 'gpt-mini', kind: 'original' }, new Map());
    assert.equal(view.cards[0]?.record, null, 'no record before scoring');
    assert.equal(view.cards[0]?.signals.record, false);
    const record = { rate: 0.62, weight: 2, outcomes: 12, source: 'public benchmark prior (SWE-bench Verified)' };
    const scored = breakdown({ value: { ...breakdown().value, record }, signals: { entropy: false, jurors: ['j'], record: true } });
    view = applyAuctionEvent(view, { ...meta(), type: 'bid-scored', breakdown: scored }, new Map());
    assert.deepEqual(view.cards[0]?.record, { rate: 0.62, outcomes: 12, weight: 2, source: 'public benchmark prior (SWE-bench Verified)' });
    assert.equal(view.cards[0]?.signals.record, true);
    assert.deepEqual(AuctionView.parse(view).cards[0]?.record, view.cards[0]?.record);
    // A breakdown without a record (no track record loaded) gives null, not a guess.
    view = applyAuctionEvent(view, { ...meta(), type: 'bid-scored', breakdown: breakdown() }, new Map());
    assert.deepEqual([view.cards[0]?.record, view.cards[0]?.signals.record], [null, false]);
    // A card from a host before the record existed: no `record`, no `signals.record`.
    const { record: _omitted, ...older } = view.cards[0]!;
    const parsed = AuctionView.parse({ ...view, cards: [{ ...older, signals: { entropy: false, jurors: ['j'] } }] }).cards[0];
    assert.deepEqual([parsed?.record, parsed?.signals.record], [null, false]);
  });
});
