import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAuction, type AuctionEvent } from '../../src/common/auction';
import type { ScoreBreakdown, SuccessPrediction } from '../../src/common/auction/types';
import { applyAuctionEvent, emptyAuctionView } from '../../src/common/panel/auctionView';
import type { AuctionView, BidCard, PoolMemberView } from '../../src/common/protocol/auctionView';
import type { PanelState } from '../../src/common/protocol/panel';
import { usd } from '../../src/webview/panel/format';
import { ScriptedClient, bidJson, caps, depsFor, judgeJson, logprobsWith, spec } from '../unit/common/auction/scriptedClient';
import { type ThemeName, WebviewHarness } from '../harness/webviewPage';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
const TASK = 'Add input validation to parseConfig and a test for it';

/** Five bidders from a free local model to a dear one; `score` is what every juror gives each one's plan. */
const MODELS = [
  { id: 'qwen3-coder-local', price: 0.05, score: 3, local: true },
  { id: 'gpt-5-mini', price: 2, score: 4, local: false },
  { id: 'claude-haiku-4-5', price: 5, score: 4, local: false },
  { id: 'claude-sonnet-4-5', price: 15, score: 5, local: false },
  { id: 'claude-opus-4-1', price: 75, score: 5, local: false },
];

/** Predictions as the success predictor records them on the breakdown; the local model has no outcomes yet. */
const PREDICTIONS: Readonly<Record<string, SuccessPrediction>> = {
  'gpt-5-mini': { p: 0.62, low: 0.41, high: 0.79, outcomes: 7, basis: 'prior (public benchmark) + 7 outcomes here' },
  'claude-haiku-4-5': { p: 0.55, low: 0.3, high: 0.77, outcomes: 2, basis: 'prior (public benchmark) + 2 outcomes here' },
  'claude-sonnet-4-5': { p: 0.81, low: 0.66, high: 0.91, outcomes: 12, basis: 'prior (public benchmark) + 12 outcomes here, 4 on similar tasks' },
  'claude-opus-4-1': { p: 0.84, low: 0.6, high: 0.95, outcomes: 3, basis: 'prior (public benchmark) + 3 outcomes here' },
};

const pool: PoolMemberView[] = MODELS.map((m) => ({
  id: m.id,
  model: m.id,
  provider: m.local ? 'openai-compatible' : 'openai',
  local: m.local,
  priceInPerMTok: m.price / 4,
  priceOutPerMTok: m.price,
  roles: ['bidder', 'juror'],
  logprobs: true,
  practice: false,
  perRequest: null,
  vendor: null,
  status: 'ready',
}));

const predicted = (b: ScoreBreakdown): ScoreBreakdown => {
  const p = PREDICTIONS[b.modelId];
  return p ? { ...b, prediction: p } : b;
};
const withPredictions = (e: AuctionEvent): AuctionEvent =>
  e.type === 'bid-scored' ? { ...e, breakdown: predicted(e.breakdown) } : e.type === 'done' || e.type === 'cancelled' ? { ...e, result: { ...e.result, ranking: e.result.ranking.map(predicted) } } : e;

/** Runs the real engine over five scripted bidders and returns the events, with predictions on the breakdowns. */
async function recordedEvents(executionCapUsd?: number): Promise<AuctionEvent[]> {
  const clients = MODELS.map(
    (m, i) =>
      new ScriptedClient(spec(m.id, m.price), {
        bid: { text: bidJson(m.id, { steps: 3 + i }), logprobs: logprobsWith(0.6 + i * 0.05), outputTokens: 150 + i * 60 },
        judge: (author) => ({ text: judgeJson(MODELS.find((x) => x.id === author)?.score ?? 3) }),
      }),
  );
  const events: AuctionEvent[] = [];
  await runAuction(
    { auctionId: 'auction_five', task: TASK, pool: MODELS.map((m) => m.id), refinement: { enabled: false }, ...(executionCapUsd === undefined ? {} : { budget: { executionCapUsd } }) },
    depsFor(clients, { capabilities: () => caps({ logprobs: true }), onEvent: (e) => events.push(e) }),
  );
  return events.map(withPredictions);
}

/** The panel state after every event, as the host sends it; the dearest bid is over the execution cap (ineligible). */
async function recordedStates(): Promise<PanelState[]> {
  const fold = (events: AuctionEvent[]) => {
    const poolMap = new Map(pool.map((m) => [m.id, m]));
    let view = emptyAuctionView('auction_five', TASK, '2026-12-02T10:00:00.000Z');
    return events.map((e) => (view = applyAuctionEvent(view, e, poolMap)));
  };
  // First without a cap, to put the cap between the two dearest bids' expected work.
  const free = fold(await recordedEvents()).at(-1);
  const works = (free?.cards ?? []).map((c) => c.work?.usd ?? 0).sort((a, b) => b - a);
  const [dearest = 0, next = 0] = works;
  assert.ok(dearest > next, 'the dearest bid costs more than the next');
  const views = fold(await recordedEvents((dearest + next) / 2));
  const task = { id: 'task_1', text: TASK, source: 'palette' as const, receivedAt: '2026-12-02T10:00:00.000Z' };
  return views.map((auction) => ({ task, pool, auction, notice: null, execution: null, budget: null, contextFiles: [] }));
}

const finalAuction = (states: PanelState[]): AuctionView => {
  const a = states.at(-1)?.auction;
  assert.ok(a?.winner, 'the recorded auction has a winner');
  return a;
};

describe('side panel: the compact ranking', () => {
  let harness: WebviewHarness;
  let states: PanelState[];
  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    harness = await WebviewHarness.launch();
    states = await recordedStates();
  });
  after(async () => {
    await harness?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`shows one row per bid in rank order with the recorded numbers, winner and ineligible marked (${theme})`, async () => {
      const auction = finalAuction(states);
      const view = await harness.open({ view: 'panel', theme, viewport: { width: 300, height: 600 }, hostMessages: [{ type: 'state', state: states.at(-1) }] });
      try {
        await view.page.waitForSelector('.bid-row');
        const rows = view.page.locator('.bid-row');
        assert.equal(await rows.count(), 5);
        assert.deepEqual(await view.page.$$eval('.bid-row', (els) => els.map((e) => e.getAttribute('data-model-id'))), auction.cards.map((c) => c.modelId), 'rows in rank order');
        for (const card of auction.cards) {
          const row = view.page.locator(`.bid-row[data-bid-id="${card.bidId}"]`);
          assert.equal((await row.locator('.rank').innerText()).trim(), `#${card.rank}`);
          assert.equal((await row.locator('.model').innerText()).trim(), card.modelId);
          assert.ok(card.work && card.score !== null && card.juryMean !== null, `${card.modelId} is scored and priced`);
          assert.equal((await row.locator('.fig-cost .fig-value').innerText()).trim(), usd(card.work.usd));
          assert.equal((await row.locator('.fig-jury .fig-value').innerText()).trim(), card.juryMean.toFixed(1));
          assert.equal((await row.locator('.fig-score .fig-value').innerText()).trim(), card.score.toFixed(3));
          const p = PREDICTIONS[card.modelId];
          const success = row.locator('.fig-success');
          if (p) {
            assert.equal((await success.locator('.fig-value').innerText()).trim(), `${Math.round(p.p * 100)}%`);
            assert.equal((await success.locator('.fig-detail').innerText()).trim(), `${Math.round(p.low * 100)}–${Math.round(p.high * 100)}%`);
            assert.match((await success.getAttribute('title')) ?? '', new RegExp(`from ${p.outcomes} outcomes here`));
          } else {
            assert.equal((await success.locator('.fig-value').innerText()).trim(), '—');
            assert.equal(await success.getAttribute('title'), 'no outcomes to predict from yet');
          }
        }
        // The winner: an icon with words, not colour alone; the ineligible bid: its reason on hover and for screen readers.
        const winnerRow = view.page.locator(`.bid-row[data-bid-id="${auction.winner?.bidId}"]`);
        assert.equal(await winnerRow.locator('.winner-mark').getAttribute('title'), 'winner');
        assert.equal((await winnerRow.locator('.winner-mark .visually-hidden').textContent())?.trim(), 'winner');
        assert.equal(await view.page.locator('.winner-mark').count(), 1);
        const ineligible = auction.cards.filter((c) => !c.eligible);
        assert.equal(ineligible.length, 1, 'the dearest bid is over the execution cap');
        const mark = view.page.locator(`.bid-row[data-bid-id="${ineligible[0]?.bidId}"] .ineligible-mark`);
        assert.equal(await mark.getAttribute('title'), `ineligible: ${ineligible[0]?.ineligibleReasons.join('; ')}`);
        assert.match((await mark.getAttribute('title')) ?? '', /execution|cap|exceed/i);
        // Collapsed by default, the winner's row too: no full card until asked.
        assert.equal(await view.page.locator('.bid-card').count(), 0);
        assert.deepEqual(await view.page.$$eval('.row-toggle', (els) => els.map((e) => e.getAttribute('aria-expanded'))), ['false', 'false', 'false', 'false', 'false']);
        await view.page.screenshot({ path: path.join(RESULTS, `panel-ranking-${theme}.png`), fullPage: true });
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }

  it('fits five bids on one side-bar screen (300 × 600): from the auction status to the fifth row', async (t) => {
    const view = await harness.open({ view: 'panel', theme: 'dark', viewport: { width: 300, height: 600 }, hostMessages: [{ type: 'state', state: states.at(-1) }] });
    try {
      await view.page.waitForSelector('.bid-row');
      const box = await view.page.evaluate(() => {
        const rows = [...document.querySelectorAll('.bid-row')].map((r) => r.getBoundingClientRect());
        const section = document.querySelector('section.auction')?.getBoundingClientRect();
        const list = document.querySelector('.ranking')?.getBoundingClientRect();
        return { rows: rows.map((r) => ({ top: r.top, height: r.height, width: r.width })), sectionTop: section?.top ?? NaN, listHeight: list?.height ?? NaN, width: document.documentElement.scrollWidth };
      });
      const rowsTotal = box.rows.reduce((s, r) => s + r.height, 0);
      const last = box.rows.at(-1);
      assert.ok(last);
      const sectionToLastRow = last.top + last.height - box.sectionTop;
      t.diagnostic(`rows ${box.rows.map((r) => r.height.toFixed(0)).join(' + ')} = ${rowsTotal.toFixed(0)} px; list ${box.listHeight.toFixed(0)} px; auction status to fifth row ${sectionToLastRow.toFixed(0)} px`);
      assert.equal(box.rows.length, 5);
      assert.ok(box.listHeight <= 300, `five rows take at most half the screen: ${box.listHeight} px`);
      assert.ok(sectionToLastRow <= 600, `status, costs and five rows fit one 600 px screen: ${sectionToLastRow} px`);
      assert.ok(box.width <= 300, `nothing is wider than the side bar: ${box.width} px`);
      // The same five bids as full cards, the way the panel showed them before: they would not fit.
      await view.page.evaluate(() => document.querySelectorAll<HTMLButtonElement>('.row-toggle').forEach((b) => b.click()));
      await view.page.waitForFunction(() => document.querySelectorAll('.bid-card').length === 5);
      const expanded = await view.page.evaluate(() => document.querySelector('.ranking')?.getBoundingClientRect().height ?? 0);
      t.diagnostic(`all five expanded: ${expanded.toFixed(0)} px`);
      assert.ok(expanded > 600, `five full cards exceed a screen (${expanded} px), which is why rows start collapsed`);
    } finally {
      await view.close();
    }
  });

  it('expands and collapses a row by mouse and by keyboard; Up/Down move between rows; the state survives a reload', async () => {
    const auction = finalAuction(states);
    const view = await harness.open({ view: 'panel', theme: 'high-contrast', viewport: { width: 300, height: 600 }, hostMessages: [{ type: 'state', state: states.at(-1) }] });
    const [first, second, third] = auction.cards as [BidCard, BidCard, BidCard];
    const toggle = (c: BidCard) => view.page.locator(`[id="row-${c.bidId}"]`);
    try {
      await view.page.waitForSelector('.bid-row');
      // Mouse: the row opens into the full card (every number behind the bid), and closes again.
      await toggle(second).click();
      assert.equal(await toggle(second).getAttribute('aria-expanded'), 'true');
      const detail = view.page.locator(`[id="detail-${second.bidId}"]`);
      assert.equal(await detail.getAttribute('role'), 'region');
      assert.equal(await detail.getAttribute('aria-labelledby'), `row-${second.bidId}`);
      assert.equal(await toggle(second).getAttribute('aria-controls'), `detail-${second.bidId}`);
      assert.equal((await detail.locator('.bid-card .score').innerText()).trim(), second.score?.toFixed(4));
      assert.equal(await detail.locator('.bid-card .juror').count(), second.judgements.length);
      await toggle(second).click();
      assert.equal(await toggle(second).getAttribute('aria-expanded'), 'false');
      assert.equal(await detail.count(), 0);
      // Keyboard: one tab stop for the list; Down, Down, Up move; Enter and Space toggle.
      assert.deepEqual(await view.page.$$eval('.row-toggle', (els) => els.map((e) => e.getAttribute('tabindex'))), ['-1', '0', '-1', '-1', '-1'], 'one tab stop: the row used last');
      await toggle(first).focus();
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('ArrowDown');
      assert.equal(await view.page.evaluate(() => document.activeElement?.id), `row-${third.bidId}`);
      await view.page.keyboard.press('ArrowUp');
      assert.equal(await view.page.evaluate(() => document.activeElement?.id), `row-${second.bidId}`);
      assert.equal(await toggle(second).getAttribute('tabindex'), '0', 'the focused row is the tab stop');
      await view.page.keyboard.press('Enter');
      assert.equal(await toggle(second).getAttribute('aria-expanded'), 'true');
      await view.page.keyboard.press('Space');
      assert.equal(await toggle(second).getAttribute('aria-expanded'), 'false');
      await view.page.keyboard.press('End');
      assert.equal(await view.page.evaluate(() => document.activeElement?.id), `row-${auction.cards.at(-1)?.bidId}`);
      await view.page.keyboard.press('Home');
      await view.page.keyboard.press('Space');
      assert.equal(await toggle(first).getAttribute('aria-expanded'), 'true');
      assert.deepEqual(view.errors, []);
      // A reload: VS Code hands the saved webview state back; the same rows are open.
      const saved = await view.savedState();
      assert.deepEqual((saved as { expanded?: unknown }).expanded, { auctionId: auction.auctionId, bidIds: [first.bidId] });
      const reloaded = await harness.open({ view: 'panel', theme: 'high-contrast', initialState: saved, hostMessages: [{ type: 'state', state: states.at(-1) }] });
      try {
        await reloaded.page.waitForSelector(`[id="detail-${first.bidId}"] .bid-card`);
        assert.deepEqual(await reloaded.page.$$eval('.row-toggle', (els) => els.map((e) => e.getAttribute('aria-expanded'))), ['true', 'false', 'false', 'false', 'false']);
      } finally {
        await reloaded.close();
      }
    } finally {
      await view.close();
    }
  });

  it('runs a bid from its row, and from its card', async () => {
    const auction = finalAuction(states);
    const view = await harness.open({ view: 'panel', theme: 'light', viewport: { width: 300, height: 600 }, hostMessages: [{ type: 'state', state: states.at(-1) }] });
    try {
      await view.page.waitForSelector('.bid-row');
      const other = auction.cards.find((c) => c.bidId !== auction.winner?.bidId && c.eligible);
      assert.ok(other);
      await view.page.getByRole('button', { name: `Run this bid instead, ${other.modelId}` }).click();
      assert.deepEqual((await view.waitForRequest('runBid')).params, { bidId: other.bidId, auctionId: auction.auctionId });
      await view.page.locator(`[id="row-${auction.winner?.bidId}"]`).click();
      await view.page.locator(`[id="detail-${auction.winner?.bidId}"]`).getByRole('button', { name: 'Run the winner', exact: true }).click();
      assert.deepEqual((await view.waitForRequest('runBid', 1)).params, { bidId: auction.winner?.bidId, auctionId: auction.auctionId });
      assert.equal(await view.page.getByRole('button', { name: `Run the winner, ${auction.winner?.modelId}` }).count(), 1, 'the winner row has its own run button');
    } finally {
      await view.close();
    }
  });

  it('rows appear as bids come in, each showing its progress while the models think', async () => {
    const view = await harness.open({ view: 'panel', theme: 'dark', viewport: { width: 300, height: 600 }, hostMessages: [{ type: 'state', state: states[0] }] });
    try {
      await view.page.waitForSelector('#auction-status');
      const seen = new Set<string>();
      let arrived: number[] = [];
      for (const s of states) {
        await view.postToView({ type: 'state', state: s });
        const expected = s.auction?.cards.length ?? 0;
        await view.page.waitForFunction((n) => document.querySelectorAll('.bid-row').length === n, expected);
        arrived.push(await view.page.locator('.bid-row:not([data-state="bidding"])').count());
        for (const st of await view.page.$$eval('.bid-row', (els) => els.map((e) => e.getAttribute('data-state') ?? ''))) seen.add(st);
        if (s.auction?.cards.some((c) => c.status === 'bidding')) {
          const bidding = view.page.locator('.bid-row[data-state="bidding"]').first();
          assert.equal((await bidding.locator('.pending-text').innerText()).trim(), 'bidding…');
          assert.equal(await bidding.locator('.codicon-loading').count(), 1);
        }
      }
      arrived = arrived.filter((n, i) => i === 0 || n !== arrived[i - 1]);
      assert.deepEqual(arrived, [0, 1, 2, 3, 4, 5], 'each bid fills its row as it arrives');
      assert.deepEqual([...seen].sort(), ['bidding', 'ranked', 'scoring'], 'every row went from bidding through scoring to ranked');
      assert.deepEqual(await view.page.$$eval('.bid-row', (els) => els.map((e) => e.getAttribute('data-state'))), ['ranked', 'ranked', 'ranked', 'ranked', 'ranked']);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('uses theme colours only', () => {
    const css = fs.readFileSync(path.resolve(import.meta.dirname, '../../src/webview/panel/panel.css'), 'utf8');
    assert.deepEqual(css.match(/#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/gi) ?? [], [], 'no literal colour in the panel stylesheet');
  });
});
