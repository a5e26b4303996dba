import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BidCard } from '../../../src/common/protocol/auctionView';
import { percent } from '../../../src/webview/panel/format';
import { NO_PREDICTION, costFigure, expandedIn, juryFigure, nextRow, pendingText, rowState, scoreFigure, successFigure, toggleBid } from '../../../src/webview/panel/ranking';

/** A scored bid as the host sends it (parsed through the protocol, so the defaults are the real ones). */
function card(over: Partial<BidCard> = {}): BidCard {
  return BidCard.parse({
    bidId: 'bid_1',
    modelId: 'gpt-mini',
    kind: 'original',
    status: 'received',
    local: false,
    priceOutPerMTok: 1.6,
    plan: 'plan',
    summary: null,
    files: [],
    bidTokens: 260,
    entropyNats: 0.4,
    confidence: 0.7,
    judgements: [
      { jurorId: 'a', score: 4, rationale: '', self: false },
      { jurorId: 'b', score: 5, rationale: '', self: true },
    ],
    juryMean: 4.5,
    costTerm: 0.1204,
    costMode: 'work',
    work: { usd: 0.0461, inputTokens: 100_000, outputTokens: 8000, basis: 'mean of 3 past runs of this model' },
    valueTerm: 0.833,
    score: -0.7126,
    rank: 1,
    eligible: true,
    ineligibleReasons: [],
    signals: { entropy: true, jurors: ['a', 'b'] },
    imputed: false,
    dollars: 0.0004,
    failure: null,
    refines: null,
    learnedFrom: [],
    ...over,
  });
}

describe('compact ranking figures', () => {
  it('predicted success: the point as a whole percentage and its 90% interval; a dash with the reason when absent', () => {
    const withP = successFigure(card({ prediction: { p: 0.724, low: 0.581, high: 0.843, outcomes: 6, basis: 'prior + 6 outcomes here' } }));
    assert.equal(withP.text, '72%');
    assert.equal(withP.detail, '58–84%');
    assert.equal(withP.title, 'predicted success 72% (90% interval 58–84%), from 6 outcomes here: prior + 6 outcomes here');
    const none = successFigure(card());
    assert.deepEqual(none, { text: '—', detail: null, title: NO_PREDICTION });
    assert.equal(NO_PREDICTION, 'no outcomes to predict from yet');
    assert.equal(successFigure(card({ prediction: { p: 1, low: 0.9, high: 1, outcomes: 1, basis: 'x' } })).title, 'predicted success 100% (90% interval 90–100%), from 1 outcome here: x');
  });

  it('expected cost in the panel dollars, never $0 when unknown; jury and score with what they rest on', () => {
    assert.equal(costFigure(card()).text, '$0.0461');
    assert.match(costFigure(card()).title, /mean of 3 past runs/);
    assert.equal(costFigure(card({ work: null })).text, '—');
    assert.equal(juryFigure(card()).text, '4.5');
    assert.equal(juryFigure(card()).title, 'jury mean 4.50/5 from 2 jurors');
    assert.equal(juryFigure(card({ juryMean: null, judgements: [] })).title, 'not judged yet');
    assert.equal(scoreFigure(card()).text, '-0.713');
    assert.equal(scoreFigure(card()).title, 'score C − V = 0.1204 − 0.833 = -0.7126 (lowest wins)');
    assert.equal(scoreFigure(card({ score: null })).text, '—');
    assert.equal(percent(1.2), '100%');
    assert.equal(percent(-0.1), '0%');
  });

  it("a row's state follows the bid: bidding, scoring, failed, ranked", () => {
    assert.equal(rowState(card({ status: 'bidding', valueTerm: null, score: null, rank: null })), 'bidding');
    assert.equal(pendingText(card({ status: 'bidding', valueTerm: null })), 'bidding…');
    const unscored = card({ valueTerm: null, score: null, rank: null, judgements: [] });
    assert.equal(rowState(unscored), 'scoring');
    assert.equal(pendingText(unscored), 'waiting for the jury…');
    assert.equal(pendingText(card({ valueTerm: null, score: null })), 'judged by 2, scoring…');
    const failed = card({ status: 'failed', failure: { code: 'timeout', reason: 'no answer in 60 s' }, eligible: false });
    assert.equal(rowState(failed), 'failed');
    assert.equal(pendingText(failed), 'failed: no answer in 60 s');
    // A bid with an unknown cost is ranked (after the priced ones) without a score.
    assert.equal(rowState(card({ score: null, costTerm: null })), 'ranked');
  });
});

describe('compact ranking navigation and expansion', () => {
  it('Up/Down move one row and stop at the ends; Home/End jump; other keys are not navigation', () => {
    assert.equal(nextRow(0, 'ArrowDown', 5), 1);
    assert.equal(nextRow(4, 'ArrowDown', 5), 4);
    assert.equal(nextRow(0, 'ArrowUp', 5), 0);
    assert.equal(nextRow(3, 'ArrowUp', 5), 2);
    assert.equal(nextRow(3, 'Home', 5), 0);
    assert.equal(nextRow(1, 'End', 5), 4);
    assert.equal(nextRow(1, 'Enter', 5), null);
    assert.equal(nextRow(0, 'ArrowDown', 0), null);
  });

  it('toggles rows of one auction and forgets the rows of another', () => {
    let saved = toggleBid(null, 'a1', 'x');
    saved = toggleBid(saved, 'a1', 'y');
    assert.deepEqual([...expandedIn(saved, 'a1')], ['x', 'y']);
    saved = toggleBid(saved, 'a1', 'x');
    assert.deepEqual(saved, { auctionId: 'a1', bidIds: ['y'] });
    assert.equal(expandedIn(saved, 'a2').size, 0, 'another auction starts collapsed');
    assert.deepEqual(toggleBid(saved, 'a2', 'z'), { auctionId: 'a2', bidIds: ['z'] });
  });
});
