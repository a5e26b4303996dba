import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAuction, type AuctionEvent } from '../../src/common/auction';
import { observationsOfAuction } from '../../src/common/learning/observations';
import { learnedRecordFrom, type TrackRecordPort } from '../../src/common/learning/successPredictor';
import type { AuctionLine, OutcomeLine } from '../../src/common/memory/records';
import { applyAuctionEvent, emptyAuctionView } from '../../src/common/panel/auctionView';
import type { AuctionView, PoolMemberView } from '../../src/common/protocol/auctionView';
import type { PanelState } from '../../src/common/protocol/panel';
import { ScriptedClient, bidJson, depsFor, judgeJson, spec } from '../unit/common/auction/scriptedClient';
import { WebviewHarness } from '../harness/webviewPage';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

const pool: PoolMemberView[] = ['cheap', 'dear'].map((id) => ({
  id,
  model: `${id}-model`,
  provider: 'openai-compatible' as const,
  local: false,
  priceInPerMTok: id === 'cheap' ? 0.25 : 5,
  priceOutPerMTok: id === 'cheap' ? 2 : 25,
  roles: ['bidder', 'juror'],
  logprobs: false,
  practice: false,
  perRequest: null,
  vendor: null,
  status: 'ready' as const,
}));

/** A past auction `modelId` won and ran; the user accepted or rejected the work. */
function pastRun(n: number, modelId: string, accepted: boolean): { auction: AuctionLine; outcomes: OutcomeLine[] } {
  const id = `past_${n}`;
  const bidId = `${modelId}#original`;
  const time = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  return {
    auction: { v: 2, kind: 'auction', id, time, task: `Fix the parser, case ${n}`, contextFiles: [], pool: [modelId], bids: [{ bidId, modelId, plan: 'p', jury: {}, value: 0, refined: false, memoryItemsUsed: [], won: true }], winnerBidId: bidId },
    outcomes: [{ v: 2, kind: 'outcome', id: `${id}/r`, auctionId: id, bidId, time, fact: { type: 'review', files: [{ path: 'a.ts', decision: accepted ? 'accepted' : 'rejected' }] } }],
  };
}

/**
 * The real engine under the expected-utility rule, with a track record learned by the real core from outcomes in
 * which the jury's favourite (dear) kept failing: the cheap model wins, and the panel must say why.
 */
async function decidedByUtility(): Promise<AuctionView> {
  const past = Array.from({ length: 12 }, (_, i) => pastRun(i, i % 2 ? 'dear' : 'cheap', i % 2 === 0));
  const port: TrackRecordPort = { load: (q) => Promise.resolve(learnedRecordFrom(past.flatMap((p) => observationsOfAuction(p.auction, p.outcomes)), new Map(), q)) };
  const judge = (author: string) => ({ text: judgeJson(author === 'dear' ? 5 : 4) });
  const clients = [
    new ScriptedClient(spec('cheap', 2, { inputPerMTok: 0.25 }), { bid: { text: bidJson('cheap'), outputTokens: 200 }, judge }),
    new ScriptedClient(spec('dear', 25, { inputPerMTok: 5 }), { bid: { text: bidJson('dear'), outputTokens: 300 }, judge }),
  ];
  const events: AuctionEvent[] = [];
  await runAuction(
    { auctionId: 'auction_eu', task: 'Fix the parser', pool: ['cheap', 'dear'], refinement: { enabled: false }, weights: { rule: 'expected-utility', qualityPreference: 0 } },
    { ...depsFor(clients, { onEvent: (e) => events.push(e) }), trackRecord: port },
  );
  const poolMap = new Map(pool.map((m) => [m.id, m]));
  let view = emptyAuctionView('auction_eu', 'Fix the parser', '2026-11-26T10:00:00.000Z');
  for (const e of events) view = applyAuctionEvent(view, e, poolMap);
  return view;
}

describe('side panel webview: predicted success and the track record', () => {
  let harness: WebviewHarness;
  let state: PanelState;
  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    harness = await WebviewHarness.launch();
    const auction = await decidedByUtility();
    const task = { id: 'task_eu', text: 'Fix the parser', source: 'palette' as const, receivedAt: '2026-11-26T10:00:00.000Z' };
    state = { task, pool, auction, notice: null, execution: null, budget: { perTask: null, perDay: null, perWorkspace: null, spentToday: 0 }, contextFiles: [] };
  });
  after(async () => {
    await harness?.close();
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`shows each bid's predicted success in words and as a bar, and why the winner won in cost per success (${theme})`, async () => {
      const auction = state.auction;
      assert.ok(auction?.winner);
      assert.equal(auction.winner.modelId, 'cheap', 'the jury favourite lost on the recorded outcomes');
      const view = await harness.open({ view: 'panel', theme, hostMessages: [{ type: 'state', state }] });
      try {
        await view.page.waitForSelector('#winner');
        assert.match(await view.page.locator('#decision').innerText(), /Decided by expected utility: cheapest per success/);
        const why = await view.page.locator('#why').innerText();
        assert.match(why, /^cheap won with the lowest expected cost per success/);
        assert.match(why, /The jury preferred dear \(5\.0\/5 against 4\.0\/5\)/);
        // The outcomes say the same as the utility: cheap's record here is the better one.
        const rate = (id: string) => auction.cards.find((c) => c.modelId === id)?.record?.rate ?? NaN;
        assert.ok(rate('cheap') > rate('dear'), `cheap ${rate('cheap')} against dear ${rate('dear')}`);
        for (const card of auction.cards) {
          const p = card.prediction;
          assert.ok(p, `${card.modelId} has a prediction`);
          // The ranking row shows the prediction; its card (opened from the row) shows it in words and as a bar.
          const row = view.page.locator(`.bid-row[data-model-id="${card.modelId}"]`);
          const toggle = row.locator('.row-toggle');
          if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
          const el = view.page.locator(`.bid-card[data-model-id="${card.modelId}"]`);
          const pct = (x: number) => `${Math.round(x * 100)}%`;
          assert.equal((await el.locator('.prediction-p').innerText()).trim(), pct(p.p));
          assert.equal((await el.locator('.prediction-interval').innerText()).trim(), `(90% interval ${pct(p.low)}–${pct(p.high)})`);
          assert.equal(await el.locator('.prediction-bar').getAttribute('aria-label'), `Predicted chance of success ${pct(p.p)}, 90% interval ${pct(p.low)} to ${pct(p.high)}`);
          assert.equal((await el.locator('.prediction-basis').innerText()).trim().startsWith(p.basis), true);
          assert.match(await el.locator('.cost-per-success').innerText(), /^\$[\d.]+$/);
          // The track record its value counted: rate and runs, and what it is in the tooltip.
          const r = card.record;
          assert.ok(r, `${card.modelId} has a record`);
          assert.equal(r.outcomes, 6, 'six of the twelve past runs were this model\'s');
          const record = el.locator('dd.record');
          assert.equal((await record.innerText()).trim(), `${pct(r.rate)} · 6 runs`);
          assert.equal(await record.getAttribute('title'), `This model's success rate in this workspace (prior: ${r.source}), updated by 6 outcomes here; counts in the value V with weight 2`);
          assert.match(await el.locator('.signals').innerText(), /signals: jury \(2\) \+ record \+ cost/);
          // The bar is drawn from the figures (styles set by script, allowed under the CSP): the point sits at p.
          const left = await el.locator('.prediction-point').evaluate((n) => (n as HTMLElement).style.left);
          assert.equal(left, `${Math.min(100, Math.max(0, p.p * 100))}%`);
        }
        await view.page.screenshot({ path: path.join(RESULTS, `panel-prediction-${theme}.png`), fullPage: true });
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }
});
