// A user with only the models VS Code already has (GitHub Copilot's, here a test extension in its place), end to end
// in code-server with the packaged .vsix, driven through Debian chromium by the UI alone: Add Model → "Models in
// VS Code" → two models added without a paid request → a price per request typed into settings.json, opened from the
// Settings editor → "Auction this task" → VS Code's own consent dialog, answered Allow → bids through the API, cards
// showing the price per request → the winner's run, its tool calls through the API → review and apply → the cost
// report in premium requests and dollars, checked against the requests the loopback server answered. Its own
// code-server: no other model is configured, and the test provider extension is installed beside SALE with its
// proposed API enabled (a model that requires authorization is part of the `chatProvider` proposal, and only such a
// model makes VS Code ask).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { BatchJudgementReply, ChatReply, RecordedRequest } from '../fixtures/loopback/types';
import { usd as panelUsd } from '../../src/webview/panel/format';
import { premium, usd } from '../../src/webview/report/format';
import { launchBrowser } from '../harness/browser';
import { CodeServer } from '../harness/codeServer';
import { packFolder } from '../harness/extensionHost';
import { repoRoot, vsixPath } from '../harness/host';
import { makeSampleWorkspace } from '../harness/workspace';
import { answerInputBox, choose, rowsOnceShown, runCommand, saveScreenshot, waitForWorkbench, webviewFrame } from '../harness/workbench';
import { e2eEnv } from './env';

const env = e2eEnv();
const PROVIDER_EXTENSION = 'sale-dev.sale-lm-test-provider';
/** Dollars per premium request the user types in (GitHub's price of an extra premium request). */
const PER_REQUEST = 0.04;
const stamp = Date.now();
/** The two models the test provider offers: a 1× model (the winner) and a 3× one. */
const SWIFT = { model: 'loop-swift', wire: `swift-wire-${stamp}`, multiplier: 1, id: 'sale-test-loop-swift' };
const GRAND = { model: 'loop-grand', wire: `grand-wire-${stamp}`, multiplier: 3, id: 'sale-test-loop-grand' };
const MODELS = [SWIFT, GRAND];
const TASK = `Say in parseConfig's comment that it returns a plain object (${stamp})`;
const CONFIG_PATH = 'src/config.js';
const BEFORE_LINE = ' * Parses a `key = value` config file into an object.\n';
const AFTER_LINE = ' * Parses a `key = value` config file into a plain object.\n';
const CONSENT = 'wants to access the language models provided by';

const usage = { input: 120, output: 40 };
const plan = (who: string) => ({
  summary: `Document parseConfig's result (plan-by-${who})`,
  steps: ['Read src/config.js', 'Say that the result is a plain object', 'Finish'],
  files: [CONFIG_PATH],
  risks: ['none'],
  verification: ['npm test'],
});
// Through the Language Model API a structured answer is a forced tool: the bid is a call of `strategy_bid`.
const bid = (who: string): ChatReply => ({ kind: 'chat', when: { contains: 'You are bidding' }, toolCalls: [{ name: 'strategy_bid', arguments: JSON.stringify(plan(who)) }], usage });
// A juror's one call scores both plans (the overhead cap may keep only the cheapest juror: then grand's is left over).
const jury: BatchJudgementReply = { kind: 'batch-judgement', scores: [{ contains: 'plan-by-swift', score: 5 }, { contains: 'plan-by-grand', score: 2 }], usage };
// Only the executor's requests offer `propose_edit` (a bid offers its one answer tool, a probe `report_status`).
const step = (name: string, args: unknown, id: string): ChatReply => ({ kind: 'chat', when: { tools: true, contains: 'propose_edit' }, toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage });

/** Which phase of SALE's a request to the loopback server belongs to, from what it asks. */
function phaseOf(r: RecordedRequest): 'bidding' | 'jury' | 'execution' | 'probe' {
  if (r.rawBody.includes('You are bidding')) return 'bidding';
  if (r.rawBody.includes('### Plan A')) return 'jury';
  if (r.rawBody.includes('propose_edit')) return 'execution';
  return 'probe';
}

describe('only the models VS Code has (Language Model API): an auction and a winner end to end, in a real VS Code', () => {
  const runDir = fs.mkdtempSync(path.join(env.runDir, 'lm-'));
  let server: CodeServer;
  let loopback: LoopbackServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let panel: FrameLocator;
  let workspace: string;
  const userSettings = () => fs.readFileSync(path.join(CodeServer.dirs(runDir).userData, 'User/settings.json'), 'utf8');

  before(async () => {
    loopback = await LoopbackServer.start({
      models: {
        [SWIFT.wire]: [
          bid('swift'),
          jury,
          step('read_file', { path: CONFIG_PATH }, 'c1'),
          step('propose_edit', { path: CONFIG_PATH, edits: [{ search: BEFORE_LINE, replace: AFTER_LINE }] }, 'c2'),
          step('finish', { summary: 'Documented what parseConfig returns' }, 'c3'),
        ],
        [GRAND.wire]: [bid('grand'), jury],
      },
      // Anything unscripted (SALE does not probe these models; nothing should reach these).
      default: [
        { kind: 'chat', when: { contains: 'Answer with JSON' }, toolCalls: [{ name: 'status', arguments: '{"ok":true}' }], usage },
        { kind: 'chat', when: { tools: true }, toolCalls: [{ name: 'report_status', arguments: '{"ok":true}' }], usage },
        { kind: 'chat', text: 'ready', usage },
      ],
    });
    CodeServer.installExtension(runDir, vsixPath());
    CodeServer.installExtension(runDir, packFolder(path.join(repoRoot, 'test/fixtures/lm-provider-extension'), runDir));
    workspace = makeSampleWorkspace(runDir);
    const providerConfig = {
      baseUrl: loopback.openaiBaseUrl,
      models: MODELS.map((m) => ({ id: m.model, wire: m.wire, toolCalling: true, requiresAuthorization: true })),
    };
    server = await CodeServer.start({
      runDir,
      // No sale.models at all. Local-server detection off: a server another program runs on a default port (Ollama's
      // 11434, vLLM's 8000…) must not join this pool.
      settings: { 'workbench.panel.defaultLocation': 'bottom', 'sale.localServers.detect': false },
      env: { SALE_LM_TEST_PROVIDER: JSON.stringify(providerConfig) },
      args: ['--enable-proposed-api', PROVIDER_EXTENSION],
    });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.folderUrl(workspace), { timeout: 120_000 });
    await waitForWorkbench(page);
  });

  // The screen after each step, for a failure's report.
  afterEach(async (t) => {
    if (page) await saveScreenshot(page, `e2e-lm-after-${t.name.slice(0, 1)}`).catch(() => undefined);
  });

  after(async () => {
    if (page) await saveScreenshot(page, 'e2e-lm-last').catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await loopback?.close();
  });

  it('1. Add Model → Models in VS Code lists the provider\'s models and adds the one picked, without calling it', async () => {
    await runCommand(page, 'SALE: Add Model');
    await choose(page, 'Models in VS Code');
    const listed = await rowsOnceShown(page, `Loopback ${SWIFT.model}`);
    assert.deepEqual(listed.map((l) => l.trim()).sort(), MODELS.map((m) => `Loopback ${m.model}`).sort(), 'the models VS Code offers, and nothing else');
    // Not a Copilot model, so no price from the table: the row says where to give one.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'price unknown: add price.perRequest in settings' }).first().waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'e2e-lm-1-models-in-vscode');
    await choose(page, `Loopback ${SWIFT.model}`);
    await choose(page, 'User settings');
    // VS Code declares what the model does; SALE spends no paid request to test it, and says so.
    const added = page.locator('.notifications-toasts .notification-toast', { hasText: `${SWIFT.id} is in the pool` });
    await added.waitFor({ timeout: 60_000 });
    assert.match(await added.innerText(), /Not called yet \(each call is a request you pay for\); VS Code says: tools ✓, logprobs ✗/);
    assert.doesNotMatch(await added.innerText(), /answered in/);
    assert.equal(loopback.requests.length, 0, 'no request reached the model');
    assert.match(userSettings(), new RegExp(`"id": "${SWIFT.id}",\\s*"provider": "vscode-lm",\\s*"model": "${SWIFT.model}"`));
    await saveScreenshot(page, 'e2e-lm-1-added');
  });

  it('2. a second model through "Add Another Model"; the pool lists both as VS Code models without a price', async () => {
    await page.locator('.notifications-toasts .notification-toast', { hasText: `${SWIFT.id} is in the pool` }).getByRole('button', { name: 'Add Another Model' }).click();
    await choose(page, 'Models in VS Code');
    await choose(page, `Loopback ${GRAND.model}`);
    await choose(page, 'User settings');
    await page.locator('.notifications-toasts .notification-toast', { hasText: `${GRAND.id} is in the pool` }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'SALE: Focus on Auction View');
    panel = await webviewFrame(page, '.pool');
    for (const m of MODELS) {
      const member = panel.locator('.pool li', { hasText: m.id });
      await member.waitFor({ state: 'attached', timeout: 30_000 });
      assert.match((await member.textContent()) ?? '', /VS Code: sale-test.*price unknown/, `${m.id} is a VS Code model without a price yet`);
    }
  });

  it('3. the price per request, typed into settings.json opened from the Settings editor; the pool shows it', async () => {
    await runCommand(page, 'Preferences: Open Settings (UI)');
    await page.locator('.settings-editor').waitFor({ timeout: 30_000 });
    await page.keyboard.type('sale.models');
    const item = page.locator('.settings-editor .setting-item', { hasText: 'Edit in settings.json' }).filter({ hasText: 'Models' }).first();
    await item.waitFor({ timeout: 30_000 });
    // The setting's description tells a user with only VS Code's models what to write.
    assert.match(await item.innerText(), /vscode-lm.*perRequest.*multiplier/s);
    await saveScreenshot(page, 'e2e-lm-3-settings-ui');
    await item.locator('.edit-in-settings-button').click();
    const editor = page.locator('.monaco-editor[data-uri$="settings.json"]').first();
    await editor.waitFor({ timeout: 30_000 });
    await editor.locator('.view-lines').click();
    for (const m of MODELS) {
      // Find the model's line, select the match (Alt+Enter: the editor takes the focus back), type the price after it.
      await page.keyboard.press('Control+f');
      await editor.locator('.find-widget.visible').waitFor({ timeout: 10_000 });
      await page.keyboard.type(`"model": "${m.model}"`);
      await editor.locator('.find-widget .matchesCount', { hasText: /of 1$/ }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Alt+Enter');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.insertText(`, "price": { "perRequest": ${PER_REQUEST}, "multiplier": ${m.multiplier} }`);
    }
    await page.keyboard.press('Control+s');
    for (let i = 0; i < 100 && (userSettings().match(/"perRequest": 0\.04/g) ?? []).length < MODELS.length; i++) await page.waitForTimeout(100);
    const saved = JSON.parse(userSettings()) as { 'sale.models': { id: string; price?: unknown }[] };
    assert.deepEqual(
      saved['sale.models'].map((e) => [e.id, e.price]),
      MODELS.map((m) => [m.id, { perRequest: PER_REQUEST, multiplier: m.multiplier }]),
    );
    await saveScreenshot(page, 'e2e-lm-3-settings-json');
    // Settings open over the workbench (VS Code's modal editors): Escape closes them, as a user would.
    for (let i = 0; i < 10 && (await page.locator('.modal-editor-part').isVisible()); i++) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
    }
    assert.equal(await page.locator('.modal-editor-part').isVisible(), false, 'the settings are closed');

    await runCommand(page, 'SALE: Focus on Auction View');
    panel = await webviewFrame(page, '.pool');
    for (const m of MODELS) {
      const member = panel.locator('.pool li', { hasText: m.id }).filter({ hasText: `$${PER_REQUEST} × ${m.multiplier} per request` });
      await member.waitFor({ state: 'attached', timeout: 30_000 });
    }
    assert.equal(loopback.requests.length, 0, 'still no request: nothing has asked a model anything yet');
  });

  it('4. "Auction this task": VS Code asks for consent and the user allows; both models bid through the API; the ranked cards show the price per request; the 1× model wins', async (t) => {
    await runCommand(page, 'SALE: Auction this task');
    await answerInputBox(page, TASK, 'Every model in the pool will bid');
    // The first request SALE makes to these models: VS Code's own dialog, naming SALE and the provider, with SALE's reason.
    const dialog = page.locator('.monaco-dialog-box', { hasText: CONSENT });
    await dialog.waitFor({ timeout: 60_000 });
    const text = await dialog.innerText();
    assert.match(text, /The extension 'SALE: Strategy Auctions' wants to access the language models provided by SALE test language models/);
    assert.match(text, /SALE asks the models in your pool to bid on, judge and carry out the coding tasks you give it/);
    assert.equal(loopback.requests.length, 0, 'nothing reached a model before the user allowed it');
    await saveScreenshot(page, 'e2e-lm-4-consent');
    let allowed = 0;
    panel = await webviewFrame(page, '#task-text');
    // The two bids ask at once, and each may ask: allow every dialog until the auction has a winner.
    while ((await panel.locator('#winner').count()) === 0) {
      if (await dialog.isVisible()) {
        await dialog.getByRole('button', { name: 'Allow' }).click();
        allowed++;
      }
      await page.waitForTimeout(200);
    }
    assert.ok(allowed >= 1, 'the user allowed SALE once at least');
    t.diagnostic(`consent dialogs answered: ${allowed}`);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no dialog left open');
    await panel.locator('#task-text', { hasText: TASK }).waitFor({ timeout: 30_000 });
    assert.equal((await panel.locator('#winner-model').innerText()).trim(), SWIFT.id);
    const rows = panel.locator('.bid-row');
    assert.equal(await rows.count(), MODELS.length);
    assert.equal(await rows.first().getAttribute('data-model-id'), SWIFT.id, 'ranked first');
    for (let i = 0; i < MODELS.length; i++) {
      assert.match((await rows.nth(i).locator('.fig-score .fig-value').innerText()).trim(), /^-?\d+\.\d{3}$/, `row ${i + 1} has a score`);
      await rows.nth(i).locator('.row-toggle').click();
    }
    for (const m of MODELS) {
      const card = panel.locator(`.bid-card[data-model-id="${m.id}"]`);
      assert.equal((await card.locator('.price').innerText()).trim(), `$${PER_REQUEST} × ${m.multiplier} per request`, `${m.id}'s card shows its price per request`);
      const shown = await card.innerText();
      // One bid is one request: its cost is the price × the multiplier. No logprobs come through this API.
      assert.match(shown, new RegExp(`bid cost\\s+${panelUsd(PER_REQUEST * m.multiplier).replace('$', '\\$')}\\b`), `${m.id}: ${shown}`);
      assert.match(shown, /entropy\s+n\/a/);
      assert.doesNotMatch(shown, /\/Mtok/);
      assert.equal(loopback.requestsFor(m.wire).filter((r) => phaseOf(r) === 'bidding').length, 1, `${m.id} bid once`);
    }
    await saveScreenshot(page, 'e2e-lm-4-winner');
  });

  it('5. runs the winner: its tool calls go through the API; the run costs its requests; the user accepts the edit', async () => {
    await panel.locator('#winner button.primary').click();
    await panel.locator(`.review-file[data-path="${CONFIG_PATH}"]`).waitFor({ timeout: 90_000 });
    const steps = loopback.requestsFor(SWIFT.wire).filter((r) => phaseOf(r) === 'execution');
    assert.equal(steps.length, 3, 'read_file, propose_edit, finish: one request each');
    // The second step carried the first tool's result back as a tool message, through the API and the provider.
    assert.ok(steps[1]?.rawBody.includes('"role":"tool"') && steps[1].rawBody.includes('"tool_call_id":"c1"'));
    await panel.locator('#execution-status[data-status="finished"]').waitFor({ timeout: 30_000 });
    assert.match(await panel.locator('#execution-cost').innerText(), new RegExp(`${panelUsd(3 * PER_REQUEST * SWIFT.multiplier).replace('$', '\\$')}$`));
    await saveScreenshot(page, 'e2e-lm-5-review');
    await panel.getByRole('button', { name: `Accept all of ${CONFIG_PATH}`, exact: true }).click();
    await panel.locator('#apply-accepted:not([disabled])').click();
    await panel.locator('#review-outcome').waitFor({ timeout: 30_000 });
    const file = path.join(workspace, CONFIG_PATH);
    for (let i = 0; i < 50 && !fs.readFileSync(file, 'utf8').includes(AFTER_LINE); i++) await page.waitForTimeout(100);
    assert.ok(fs.readFileSync(file, 'utf8').includes(AFTER_LINE), 'the accepted edit is on disk');
  });

  it('6. the cost report shows every call in premium requests and dollars: requests served × multiplier × price', async () => {
    // What the loopback server answered, per model and by phase: every request is one premium request × the multiplier.
    const served = MODELS.map((m) => ({ m, requests: loopback.requestsFor(m.wire) }));
    const calls = served.reduce((n, s) => n + s.requests.length, 0);
    const premiumOf = (s: (typeof served)[number], phase?: string) => s.requests.filter((r) => !phase || phaseOf(r) === phase).length * s.m.multiplier;
    const premiumTotal = served.reduce((n, s) => n + premiumOf(s), 0);
    assert.equal(loopback.requests.length, calls, 'every request was for one of the two models');
    assert.deepEqual(served.flatMap((s) => s.requests.map(phaseOf)).filter((p) => p === 'probe'), [], 'every request was a bid, a juror\'s or a step of the run');

    await runCommand(page, 'SALE: Show Cost Report');
    const report = await webviewFrame(page, '#total-spend');
    const total = report.locator('#total-spend');
    // The report refreshes as ledger lines land; wait for the figure to settle before comparing.
    for (let i = 0; i < 100 && (await total.locator('.figure').innerText()).trim() !== usd(premiumTotal * PER_REQUEST); i++) await page.waitForTimeout(200);
    assert.equal((await total.locator('.figure').innerText()).trim(), usd(premiumTotal * PER_REQUEST), 'total: the requests × multiplier × price');
    assert.match(await total.innerText(), new RegExp(`${calls} model calls · ${premium(premiumTotal)}`));
    assert.equal(await report.locator('#unknown-prices').count(), 0, 'no call without a price');

    for (const s of served) {
      const row = report.locator('#by-model tbody tr', { hasText: s.m.id });
      assert.match(await row.locator('.model-detail').innerText(), new RegExp(`${s.m.model} · price: settings · ${premium(premiumOf(s))}`), `${s.m.id} in premium requests`);
      assert.equal((await row.locator('td').first().innerText()).trim(), usd(premiumOf(s) * PER_REQUEST), `${s.m.id} in dollars`);
    }
    for (const phase of ['bidding', 'jury', 'execution'] as const) {
      const requests = served.reduce((n, s) => n + s.requests.filter((r) => phaseOf(r) === phase).length, 0);
      if (phase !== 'jury') assert.ok(requests > 0, `${phase} made requests`);
      if (!requests) continue;
      const premiumRequests = served.reduce((n, s) => n + premiumOf(s, phase), 0);
      const cells = report.locator(`#by-phase tr[data-phase="${phase}"] td`);
      assert.equal((await cells.first().innerText()).trim(), usd(premiumRequests * PER_REQUEST), `${phase} spend`);
      assert.equal((await cells.last().innerText()).replace(/\s+/g, ' ').trim(), `${requests} · ${premium(premiumRequests)}`, `${phase} calls and premium requests`);
    }
    await saveScreenshot(page, 'e2e-lm-6-cost-report');
  });
});
