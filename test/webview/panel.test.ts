import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAuction, type AuctionEvent } from '../../src/common/auction';
import { applyAuctionEvent, emptyAuctionView } from '../../src/common/panel/auctionView';
import type { PoolMemberView } from '../../src/common/protocol/auctionView';
import type { PanelState } from '../../src/common/protocol/panel';
import { ScriptedClient, bidJson, caps, depsFor, judgeJson, logprobsWith, spec } from '../unit/common/auction/scriptedClient';
import { WebviewHarness } from '../harness/webviewPage';
import type { Page } from 'playwright-core';
import { usd as usdText } from '../../src/webview/panel/format';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
const XSS_PLAN = JSON.stringify({
  summary: 'PLAN[small] <script>window.__pwned = "script"</script>',
  steps: ['Read src/config.js <img src=x onerror="window.__pwned = \'img\'">', 'Add a guard for lines without "="', 'Write a test'],
  files: ['src/config.js', 'test/config.test.js'],
  risks: ['<b>bold</b> claims'],
  verification: ['npm test'],
});

const pool: PoolMemberView[] = [
  { id: 'small', model: 'qwen3:4b', provider: 'openai-compatible', local: true, priceInPerMTok: 0.05, priceOutPerMTok: 0.05, roles: ['bidder', 'juror'], logprobs: true, practice: false, perRequest: null, vendor: null, status: 'ready' },
  { id: 'medium', model: 'gpt-mini', provider: 'openai', local: false, priceInPerMTok: 0.4, priceOutPerMTok: 1.6, roles: ['bidder', 'juror'], logprobs: true, practice: false, perRequest: null, vendor: null, status: 'ready' },
  { id: 'large', model: 'claude-big', provider: 'anthropic', local: false, priceInPerMTok: 3, priceOutPerMTok: 15, roles: ['bidder', 'juror'], logprobs: false, practice: false, perRequest: null, vendor: null, status: 'ready' },
];

/** Runs the real engine over scripted models and returns the panel state after every event, as the host sends it. */
async function recordedStates(): Promise<PanelState[]> {
  const score: Record<string, number> = { small: 4, medium: 3, large: 5 };
  const clients = [
    new ScriptedClient(spec('small', 0.05), { bid: { text: XSS_PLAN, logprobs: logprobsWith(0.9), outputTokens: 180 }, judge: (a) => ({ text: judgeJson(score[a] ?? 3) }) }),
    new ScriptedClient(spec('medium', 1.6), { bid: { text: bidJson('medium', { steps: 6 }), logprobs: logprobsWith(0.6), outputTokens: 260 }, judge: (a) => ({ text: judgeJson(score[a] ?? 3) }) }),
    new ScriptedClient(spec('large', 15), { bid: { text: bidJson('large', { steps: 8 }), outputTokens: 420 }, judge: (a) => ({ text: judgeJson(score[a] ?? 3) }) }),
  ];
  const events: AuctionEvent[] = [];
  const deps = depsFor(clients, { capabilities: (id) => caps({ logprobs: id !== 'large' }), onEvent: (e) => events.push(e) });
  await runAuction({ auctionId: 'auction_demo', task: 'Add input validation to parseConfig and a test for it', pool: ['small', 'medium', 'large'], refinement: { enabled: false } }, deps);
  const poolMap = new Map(pool.map((m) => [m.id, m]));
  let view = emptyAuctionView('auction_demo', 'Add input validation to parseConfig and a test for it', '2026-11-26T10:00:00.000Z');
  const task = { id: 'task_1', text: 'Add input validation to parseConfig and a test for it', source: 'palette' as const, receivedAt: '2026-11-26T10:00:00.000Z' };
  return events.map((e) => {
    view = applyAuctionEvent(view, e, poolMap);
    return { task, pool, auction: view, notice: null, execution: null, budget: { perTask: 0.5, perDay: 5, perWorkspace: null, spentToday: 0.0334 }, contextFiles: ['src/config.js', 'test/config.test.js'] };
  });
}

/** Opens every bid's row into its full card (rows start collapsed). */
async function expandAll(page: Page): Promise<void> {
  const n = await page.locator('.row-toggle').count();
  for (let i = 0; i < n; i++) {
    const toggle = page.locator('.row-toggle').nth(i);
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  }
  await page.waitForFunction((count) => document.querySelectorAll('.bid-card').length === count, n);
}

describe('side panel webview', () => {
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

  it('shows bids arriving live, re-ranked, then the winner and why, with every number', async () => {
    const first = states[0];
    assert.ok(first);
    const view = await harness.open({ view: 'panel', theme: 'dark', hostMessages: [{ type: 'state', state: first }] });
    try {
      await view.page.waitForSelector('#auction-status');
      const mid = states.find((s) => s.auction?.cards.some((c) => c.status === 'received') && !s.auction.winner);
      assert.ok(mid, 'some state has a received bid before the winner');
      await view.postToView({ type: 'state', state: mid });
      await view.page.waitForSelector('.bid-row:not([data-state="bidding"])');
      assert.equal(await view.page.locator('#winner').count(), 0, 'no winner shown mid-auction');
      for (const s of states.slice(states.indexOf(mid) + 1)) await view.postToView({ type: 'state', state: s });
      await view.page.waitForSelector('#winner');
      await expandAll(view.page);
      const final = states.at(-1)?.auction;
      assert.ok(final?.winner);
      assert.equal(await view.page.locator('#winner-model').innerText(), final.winner.modelId);
      assert.equal((await view.page.locator('#why').innerText()).trim(), final.why);
      const order = await view.page.$$eval('.bid-card', (cards) => cards.map((c) => c.getAttribute('data-model-id')));
      assert.deepEqual(order, final.cards.map((c) => c.modelId), 'cards in rank order');
      const winnerCard = view.page.locator(`.bid-card[data-model-id="${final.winner.modelId}"]`);
      const card = final.cards.find((c) => c.bidId === final.winner?.bidId);
      assert.ok(card?.score !== null && card?.score !== undefined);
      assert.equal(await winnerCard.locator('.score').innerText(), card.score.toFixed(4));
      assert.match(await winnerCard.innerText(), /winner/);
      // The cost term's basis: the expected work, its tokens and what it rests on (no history here: the prior).
      assert.ok(card.work, 'the winner has an expected work cost');
      assert.equal((await winnerCard.locator('.work-basis').innerText()).trim(), `expected work ${usdText(card.work.usd)}: ${Math.round(card.work.inputTokens).toLocaleString('en-US')} input + ${Math.round(card.work.outputTokens).toLocaleString('en-US')} output tokens, plan-length prior (no past runs of this model)`);
      assert.equal(await view.page.locator('.bid-card .juror').count(), final.cards.reduce((n, c) => n + c.judgements.length, 0), 'every judgement is shown');
      assert.equal(final.cards.reduce((n, c) => n + c.judgements.length, 0), 9, 'three jurors scored three bids');
      assert.match(await view.page.locator('.bid-card[data-model-id="large"]').innerText(), /entropy\s+n\/a/);
      assert.match(await view.page.locator('.bid-card[data-model-id="small"]').innerText(), /local/);
      assert.match(await view.page.locator('#auction-cost').innerText(), /\$\d.*\d+ calls/);
      assert.equal((await view.page.locator('#budget').innerText()).trim(), 'Spent today: $0.0334 · budget $0.50 per task, $5.00 per day');
      await view.page.screenshot({ path: path.join(RESULTS, 'panel-dark.png'), fullPage: true });
      assert.deepEqual(await view.cspViolations(), []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('renders a plan with <script> and <img onerror> as inert text', async () => {
    const final = states.at(-1);
    const view = await harness.open({ view: 'panel', theme: 'light', hostMessages: [{ type: 'state', state: final }] });
    try {
      await view.page.locator('.bid-row[data-model-id="small"] .row-toggle').click();
      const small = view.page.locator('.bid-card[data-model-id="small"]');
      await small.waitFor();
      await small.getByRole('button', { name: 'Show the whole plan' }).click();
      assert.match(await small.locator('.plan-text').innerText(), /<img src=x onerror=/);
      assert.match(await small.locator('.plan-text').innerText(), /<script>window.__pwned/);
      assert.equal(await view.page.locator('.plan-text img, .plan-text script, .plan-text b').count(), 0);
      await view.page.waitForTimeout(200);
      assert.equal(await view.page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
      await view.page.screenshot({ path: path.join(RESULTS, 'panel-light.png'), fullPage: true });
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('is usable from the keyboard: open a bid, expand its plan and run the winner', async () => {
    const final = states.at(-1);
    assert.ok(final?.auction?.winner);
    const view = await harness.open({ view: 'panel', theme: 'high-contrast', hostMessages: [{ type: 'state', state: final }] });
    try {
      await view.page.locator('.row-toggle').first().focus();
      await view.page.keyboard.press('Enter');
      const toggle = view.page.locator('.bid-card button.link').first();
      await toggle.focus();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await view.page.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      await view.page.locator('#winner button.primary').focus();
      await view.page.keyboard.press('Enter');
      const run = await view.waitForRequest('runBid');
      assert.deepEqual(run.params, { bidId: final.auction.winner.bidId, auctionId: final.auction.auctionId });
      // The host cannot run it (the model left the pool): the panel shows the host's words instead of doing nothing.
      await view.reply(run.id, { error: 'large is no longer in the model pool; add it back in the "sale.models" setting or run another bid.' });
      await view.page.locator('#action-failure', { hasText: 'no longer in the model pool' }).waitFor();
    } finally {
      await view.close();
    }
  });

  it('lists the chosen context files; adding and removing one asks the host', async () => {
    const final = states.at(-1);
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: final }] });
    try {
      await view.page.waitForSelector('#context-files');
      assert.deepEqual(await view.page.$$eval('#context-files .chip', (els) => els.map((e) => e.textContent?.trim())), ['src/config.js', 'test/config.test.js']);
      await view.page.getByRole('button', { name: 'Remove test/config.test.js from the context' }).click();
      assert.deepEqual(await view.waitForPosted((m) => (m as { type?: string }).type === 'removeContextFile'), { type: 'removeContextFile', path: 'test/config.test.js' });
      await view.page.locator('#add-context-files').focus();
      await view.page.keyboard.press('Enter');
      assert.deepEqual(await view.waitForPosted((m) => (m as { type?: string }).type === 'addContextFiles'), { type: 'addContextFiles' });
    } finally {
      await view.close();
    }
  });

  it('shows unknown, never 0 tokens or $0, for a bid whose provider reported no usage', async () => {
    const clients = [
      new ScriptedClient(spec('medium', 1.6), { bid: { text: bidJson('medium'), outputTokens: 260 }, judge: () => ({ text: judgeJson(3) }) }),
      new ScriptedClient(spec('large', 15), { bid: { text: bidJson('large'), unreported: true }, judge: () => ({ text: judgeJson(3) }) }),
    ];
    const events: AuctionEvent[] = [];
    await runAuction(
      { auctionId: 'auction_silent', task: 'Rename a helper', pool: ['medium', 'large'], refinement: { enabled: false } },
      depsFor(clients, { onEvent: (e) => events.push(e) }),
    );
    const poolMap = new Map(pool.map((m) => [m.id, m]));
    let auction = emptyAuctionView('auction_silent', 'Rename a helper', '2026-11-26T10:00:00.000Z');
    for (const e of events) auction = applyAuctionEvent(auction, e, poolMap);
    const state: PanelState = { ...(states.at(-1) as PanelState), auction };
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state }] });
    try {
      await view.page.waitForSelector('.row-toggle');
      await expandAll(view.page);
      const silent = view.page.locator('.bid-card[data-model-id="large"]');
      await silent.waitFor();
      const text = await silent.innerText();
      assert.match(text, /bid tokens\s+unknown/);
      assert.match(text, /bid cost\s+unknown/);
      assert.match(text, /cost C\s+—/);
      assert.match(text, /\$15\/Mtok out/, 'the price itself is known');
      assert.doesNotMatch(text, /\$0(?![.\d])/);
      assert.match(await view.page.locator('.bid-card[data-model-id="medium"]').innerText(), /bid tokens\s+260/);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('shows a request-priced model\'s price per request × multiplier on its card and in the pool, never $0/Mtok', async () => {
    // The real engine with a Copilot-style model: per-token prices 0, $0.04 a premium request, 3 premium requests a call.
    const copilot = { ...spec('medium', 0), price: { inputPerMTok: 0, outputPerMTok: 0, perRequest: 0.04, multiplier: 3, source: 'settings' as const } };
    const clients = [
      new ScriptedClient(spec('small', 0.05), { bid: { text: bidJson('small'), outputTokens: 180 }, judge: () => ({ text: judgeJson(3) }) }),
      new ScriptedClient(copilot, { bid: { text: bidJson('medium'), outputTokens: 260 }, judge: () => ({ text: judgeJson(4) }) }),
    ];
    const events: AuctionEvent[] = [];
    await runAuction({ auctionId: 'auction_requests', task: 'Rename a helper', pool: ['small', 'medium'], refinement: { enabled: false } }, depsFor(clients, { onEvent: (e) => events.push(e) }));
    const requestPool = pool.slice(0, 2).map((m) => (m.id === 'medium' ? { ...m, provider: 'vscode-lm' as const, priceInPerMTok: 0, priceOutPerMTok: 0, perRequest: { usd: 0.04, multiplier: 3, asOf: null }, vendor: 'copilot' } : m));
    let auction = emptyAuctionView('auction_requests', 'Rename a helper', '2026-11-26T10:00:00.000Z');
    for (const e of events) auction = applyAuctionEvent(auction, e, new Map(requestPool.map((m) => [m.id, m])));
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: { ...(states.at(-1) as PanelState), pool: requestPool, auction } }] });
    try {
      await view.page.waitForSelector('.row-toggle');
      await expandAll(view.page);
      const card = view.page.locator('.bid-card[data-model-id="medium"]');
      assert.equal((await card.locator('.price').innerText()).trim(), '$0.04 × 3 per request');
      assert.match(await card.innerText(), /bid cost\s+\$0\.12\b/, 'one call: one request × 3 × $0.04');
      assert.equal((await view.page.locator('.bid-card[data-model-id="small"] .price').innerText()).trim(), '$0.05/Mtok out');
      const member = await view.page.locator('.pool li', { hasText: 'medium' }).textContent();
      assert.match(member ?? '', /VS Code: copilot.*\$0\.04 × 3 per request/);
      assert.doesNotMatch(`${await card.innerText()} ${member ?? ''}`, /\$0\/Mtok|\$0 in/);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('labels practice models as practice, in the pool summary and on each member, and real ones not', async () => {
    const final = states.at(-1) as PanelState;
    const mixed = final.pool.map((m) => ({ ...m, practice: m.id !== 'large' }));
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: { ...final, pool: mixed } }] });
    try {
      await view.page.waitForSelector('.pool');
      assert.equal(await view.page.locator('.pool[open]').count(), 1, 'a pool with practice models is shown open');
      assert.match(await view.page.locator('.pool summary').innerText(), /2 practice: scripted replies from a local test server, not real models/);
      const items = view.page.locator('.pool li');
      assert.equal(await items.count(), 3);
      for (const id of ['small', 'medium']) assert.equal(await view.page.locator('.pool li', { hasText: id }).locator('.badge.practice').count(), 1, `${id} is labelled practice`);
      assert.equal(await view.page.locator('.pool li', { hasText: 'large' }).locator('.badge.practice').count(), 0, 'a real model is not labelled practice');
      await view.postToView({ type: 'state', state: final });
      await view.page.waitForFunction(() => !document.querySelector('.pool .badge.practice'));
      assert.doesNotMatch(await view.page.locator('.pool summary').innerText(), /practice/);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('says when a juror ignored its output cap and the auction passed its cap, and says nothing when all kept', async () => {
    // The real engine under a $1 cap, with a juror whose server answers 400,000 tokens whatever it is asked.
    const clients = [
      new ScriptedClient(spec('small', 0.05), { bid: { text: bidJson('small'), outputTokens: 180 }, judge: () => ({ text: judgeJson(4) }) }),
      new ScriptedClient(spec('medium', 1.6, { roles: ['juror'] }), { judge: () => ({ text: judgeJson(3), outputTokens: 400_000 }) }),
    ];
    const events: AuctionEvent[] = [];
    await runAuction(
      { auctionId: 'auction_greedy', task: 'Rename a helper', pool: ['small', 'medium'], refinement: { enabled: false }, jury: { mode: 'all', style: 'per-bid' }, budget: { auctionCapUsd: 0.05 } },
      depsFor(clients, { onEvent: (e) => events.push(e) }),
    );
    const poolMap = new Map(pool.map((m) => [m.id, m]));
    let auction = emptyAuctionView('auction_greedy', 'Rename a helper', '2026-11-26T10:00:00.000Z');
    for (const e of events) auction = applyAuctionEvent(auction, e, poolMap);
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: { ...(states.at(-1) as PanelState), auction } }] });
    try {
      const notice = view.page.locator('#auction-overshoot');
      await notice.waitFor();
      const text = await notice.innerText();
      assert.match(text, /This auction spent \$0\.\d+, over its cap of \$0\.05/);
      assert.match(text, /medium \(jury\) wrote 400,000 output tokens against a limit of [\d,]+; the call cost \$0\.64\d* \(at most \$[\d.]+ was reserved for it\)/);
      assert.match(text, /Its server did not keep to the output limit/);
      assert.equal(await notice.getAttribute('role'), 'alert');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
    const calm = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: states.at(-1) }] });
    try {
      await calm.page.waitForSelector('#winner');
      assert.equal(await calm.page.locator('#auction-overshoot').count(), 0);
    } finally {
      await calm.close();
    }
  });

  it('says what the auction left out to save cost: the overhead cap\'s jurors and refinement, each with its reason', async () => {
    // The real engine under a tiny overhead cap: the dearer jurors and refinement go, the cheapest juror stays.
    const clients = ['small', 'medium', 'large'].map((id, i) => new ScriptedClient(spec(id, [0.05, 1.6, 15][i]), { bid: { text: bidJson(id), outputTokens: 200 }, judge: () => ({ text: judgeJson(4) }) }));
    const events: AuctionEvent[] = [];
    const memory = { contrastivePairs: () => Promise.resolve({ method: 'lexical' as const, pairs: [] }) };
    await runAuction({ auctionId: 'auction_capped', task: 'Rename a helper', pool: ['small', 'medium', 'large'], jury: { mode: 'all' }, overhead: { maxShare: 1e-6 } }, depsFor(clients, { memory, onEvent: (e) => events.push(e) }));
    const poolMap = new Map(pool.map((m) => [m.id, m]));
    let auction = emptyAuctionView('auction_capped', 'Rename a helper', '2026-11-26T10:00:00.000Z');
    for (const e of events) auction = applyAuctionEvent(auction, e, poolMap);
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: { ...(states.at(-1) as PanelState), auction } }] });
    try {
      const notes = view.page.locator('#adaptive-notes');
      await notes.waitFor();
      const text = await notes.innerText();
      assert.match(text, /What the auction left out to save cost/);
      assert.match(text, /Overhead cap: overhead cap \$[\d.e-]+ .*dropped the refinement round and jurors medium, large .* kept the cheapest juror small/);
      assert.equal(await notes.getAttribute('aria-label'), 'What the auction left out to save cost');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
    // An auction that left nothing out shows no such list.
    const calm = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: states.at(-1) }] });
    try {
      await calm.page.waitForSelector('#winner');
      assert.equal(await calm.page.locator('#adaptive-notes').count(), 0);
    } finally {
      await calm.close();
    }
  });

  it('submits a task as a request: the box empties, and a refused task comes back with the host\'s reason', async () => {
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: { task: null } }] });
    try {
      assert.deepEqual((await view.posted())[0], { type: 'ready', protocolVersion: 2 });
      const box = view.page.locator('#task-input');
      await box.fill('  Add a --dry-run flag  ');
      await view.page.keyboard.press('Control+Enter');
      const first = await view.waitForRequest('submitTask');
      assert.deepEqual(first.params, { text: 'Add a --dry-run flag' });
      assert.equal(await box.inputValue(), '');
      await view.reply(first.id, { error: 'The task is too long (20000 characters at most).' });
      await view.page.locator('#action-failure', { hasText: 'too long' }).waitFor();
      assert.equal(await box.inputValue(), 'Add a --dry-run flag', 'the refused text is back in the box');
      await view.page.getByRole('button', { name: 'Auction this task', exact: true }).click();
      const second = await view.waitForRequest('submitTask', 1);
      // A new request clears the old failure.
      await view.page.locator('#action-failure').waitFor({ state: 'detached' });
      await view.reply(second.id, { value: { taskId: 'task_2' } });
      await view.page.waitForTimeout(100);
      assert.equal(await box.inputValue(), '');
      assert.equal(await view.page.locator('#action-failure').count(), 0);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('a host of another protocol version: the view says to reopen it instead of showing nothing', async () => {
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'protocolMismatch', protocolVersion: 1 }] });
    try {
      await view.page.locator('#protocol-mismatch', { hasText: 'Close it and open it again' }).waitFor();
      assert.equal(await view.page.locator('#root').isHidden(), true);
    } finally {
      await view.close();
    }
  });

  it('drops an invalid host message and keeps what it shows', async () => {
    const final = states.at(-1);
    const view = await harness.open({ view: 'panel', hostMessages: [{ type: 'state', state: final }] });
    try {
      await view.page.waitForSelector('#winner');
      await view.postToView({ type: 'state', state: { task: 42 } });
      await view.postToView({ type: 'nonsense' });
      await view.page.waitForTimeout(100);
      assert.equal(await view.page.locator('#winner').count(), 1);
    } finally {
      await view.close();
    }
  });
});
