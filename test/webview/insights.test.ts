import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveWeights } from '../../src/common/auction/weights';
import { buildRoutingInsights, replayInsight } from '../../src/common/learning/routingInsights';
import { fitAuctionOf } from '../../src/common/learning/weightFeatures';
import { replayWeights } from '../../src/common/learning/weightReplay';
import type { RoutingInsights } from '../../src/common/protocol/insights';
import { insightsJournal } from '../fixtures/memory/journal';
import { WebviewHarness, paintedPixels, textOf as text } from '../harness/webviewPage';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESULTS = path.join(ROOT, 'test-results');
/** As src/vscode/learning/insightsPanel.ts loads them: the report's layout first, then the view's own rules. */
const STYLES = ['report.css', 'insights.css'];
const defaults = resolveWeights(undefined);
const proposed = resolveWeights({ jurors: { 'claude-large': 4, 'gpt-small': 0, 'ollama-qwen': 0 } });

/** The recorded journal's insights (test/fixtures/memory), with the replay of a fit that trusts only claude-large. */
function fixtureInsights(scope = 'demo-workspace'): RoutingInsights {
  const journal = insightsJournal();
  const fitAuctions = journal.auctions.map((a) => fitAuctionOf(a, journal.outcomes.get(a.id) ?? [], [defaults]));
  const replay = replayInsight('fit', '2026-11-25T08:00:00.000Z', replayWeights(fitAuctions, defaults, proposed), defaults, proposed);
  return buildRoutingInsights(journal, { scope, now: new Date('2026-11-25T08:00:00.000Z'), weights: { inForce: defaults, fromWorkspace: false, adoptions: [] }, replay }).insights;
}

describe('routing insights webview', () => {
  let harness: WebviewHarness;
  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    harness = await WebviewHarness.launch();
  });
  after(async () => {
    await harness?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`shows jurors, models over time, cost accuracy and the replay from the recorded journal (${theme})`, async () => {
      const view = await harness.open({ view: 'insights', styles: STYLES, theme, hostMessages: [{ type: 'insights', insights: fixtureInsights() }] });
      try {
        await view.page.waitForSelector('#summary');
        assert.deepEqual((await view.posted())[0], { type: 'ready', protocolVersion: 2 });
        assert.match(await text(view, '#summary'), /^8 executed bid\(s\) with a verdict, 4 succeeded \(50%\), over 8 auction\(s\)/);
        assert.match(await text(view, '#range'), /8 auction\(s\) from 2026-11-20 09:12 to 2026-11-24 16:20/);
        assert.match(await text(view, '#jurors tr[data-juror="claude-large"]'), /claude-large 8 1\.00 \(4\+ \/ 4−; too few to bound\) 0\.140 4\.50 2\.50/);
        assert.match(await text(view, '#models tr[data-model="gpt-small"]'), /gpt-small 8 4 of 7 · 57% \(\d+%–\d+%\) 1 of 4 · 25% .* 2 of 4 · 50% .* 1 of 2 · 50%/);
        assert.match(await text(view, '#models tr[data-model="ollama-qwen"] .rate-tests'), /^—$/);
        assert.match(await text(view, '#cost-accuracy tr[data-model="claude-large"]'), /claude-large 3 \$0\.34 \$0\.3667 1\.08×/);
        assert.match(await text(view, '#replay-summary'), /would change 4 of 8 picks: 4 known failure\(s\) avoided, 0 known success\(es\) given up/);
        assert.deepEqual(await view.page.$$eval('#replay-rows tbody tr', (rows) => rows.map((r) => r.getAttribute('data-auction'))), ['a3', 'a4', 'a5', 'a7']);
        // Scores 4 and 5 are bins of their own: claude-large's 4s (two successes) and 5s (two successes) apart.
        const bins = await view.page.$$eval('#reliability tbody tr', (rows) => rows.map((r) => Array.from(r.children, (c) => c.textContent?.trim()).join(' ')));
        assert.ok(bins.some((b) => /^claude-large 80% 2 2 of 2/.test(b ?? '')) && bins.some((b) => /^claude-large 100% 2 2 of 2/.test(b ?? '')), bins.join(' | '));
        for (const chart of ['reliability-chart', 'rates-chart', 'cost-chart']) assert.ok((await paintedPixels(view, `#${chart} canvas`)) > 500, `${chart} is painted`);
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
        await view.page.screenshot({ path: path.join(RESULTS, `insights-${theme}.png`), fullPage: true });
      } finally {
        await view.close();
      }
    });
  }

  it('switches the rate over time from the keyboard and keeps the choice across a reload of the view', async () => {
    const view = await harness.open({ view: 'insights', styles: STYLES, theme: 'dark', hostMessages: [{ type: 'insights', insights: fixtureInsights() }] });
    try {
      await view.page.waitForSelector('#rates-chart');
      const legend = async () => view.page.$$eval('#rates-chart .u-legend .u-series th', (ths) => ths.map((t) => t.textContent?.trim()));
      // Success rate (the default): only models with a verdict.
      assert.deepEqual(await legend(), ['claude-large', 'gpt-small', 'ollama-qwen']);
      await view.page.focus('#rate-metric');
      await view.page.selectOption('#rate-metric', 'testsPassed');
      await view.page.waitForFunction(() => document.querySelectorAll('#rates-chart .u-legend .u-series').length === 2);
      assert.deepEqual(await legend(), ['claude-large', 'gpt-small']);
      const saved = await view.savedState();
      assert.equal((saved as { metric?: string }).metric, 'testsPassed');
      // A hidden-then-shown webview restarts from its saved state, before the host resends anything.
      const restored = await harness.open({ view: 'insights', styles: STYLES, theme: 'dark', initialState: saved });
      try {
        await restored.page.waitForSelector('#rates-chart');
        assert.equal(await restored.page.inputValue('#rate-metric'), 'testsPassed');
        assert.match(await text(restored, '#summary'), /^8 executed bid/);
      } finally {
        await restored.close();
      }
    } finally {
      await view.close();
    }
  });

  it('refreshes, fits and exports from the keyboard', async () => {
    const view = await harness.open({ view: 'insights', styles: STYLES, hostMessages: [{ type: 'insights', insights: fixtureInsights() }] });
    try {
      await view.page.waitForSelector('#summary');
      await view.page.keyboard.press('Tab');
      assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Refresh the insights');
      for (const key of ['Enter', 'Tab', 'Enter', 'Tab', 'Enter', 'Tab', 'Space']) await view.page.keyboard.press(key);
      const fit = await view.waitForRequest('fitWeights');
      const csv = await view.waitForRequest('export', 0);
      const json = await view.waitForRequest('export', 1);
      assert.deepEqual((await view.posted()).slice(1), [
        { type: 'refresh' },
        { type: 'request', id: fit.id, method: 'fitWeights', params: {} },
        { type: 'request', id: csv.id, method: 'export', params: { format: 'csv' } },
        { type: 'request', id: json.id, method: 'export', params: { format: 'json' } },
      ]);
      await view.reply(json.id, { value: null });
      await view.reply(csv.id, { value: { saved: 'sale-routing-insights.csv' } });
      await view.page.waitForSelector('#status:has-text("Saved sale-routing-insights.csv")');
      await view.reply(fit.id, { value: { status: 'too-few', message: 'Too few auctions with a verdict to fit the weights: 3 of 5.' } });
      await view.page.waitForSelector('#status:has-text("Too few auctions with a verdict to fit the weights: 3 of 5.")');
    } finally {
      await view.close();
    }
  });

  it('says what to do when nothing has a verdict yet', async () => {
    const empty = buildRoutingInsights({ auctions: [], outcomes: new Map(), truncated: false }, { scope: 'empty', now: new Date(), weights: { inForce: defaults, fromWorkspace: false, adoptions: [] } }).insights;
    const view = await harness.open({ view: 'insights', styles: STYLES, theme: 'dark', hostMessages: [{ type: 'insights', insights: empty }] });
    try {
      await view.page.waitForSelector('#no-verdicts');
      assert.match(await text(view, '#no-verdicts'), /Nothing to learn from yet.*Run "Auction this task"/);
      assert.match(await text(view, '#no-replay'), /Fit the weights/);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('fits a narrow editor column and renders hostile names as inert text', async () => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const insights = fixtureInsights(`${payload} workspace`);
    insights.models[0] = { ...insights.models[0]!, modelId: payload };
    insights.jurors[0] = { ...insights.jurors[0]!, jurorId: payload };
    const view = await harness.open({ view: 'insights', styles: STYLES, theme: 'dark', viewport: { width: 560, height: 900 }, hostMessages: [{ type: 'insights', insights }] });
    try {
      await view.page.waitForSelector('#models');
      assert.ok((await text(view, '#models')).includes(payload));
      assert.equal(await view.page.locator('img').count(), 0);
      assert.equal(await view.page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
      const [scrollWidth, clientWidth] = await view.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scrollWidth <= clientWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px view`);
      assert.deepEqual(await view.cspViolations(), []);
      await view.page.screenshot({ path: path.join(RESULTS, 'insights-narrow-dark.png'), fullPage: true });
    } finally {
      await view.close();
    }
  });

  it('drops a malformed message from the host and keeps what it shows', async () => {
    const view = await harness.open({ view: 'insights', styles: STYLES, hostMessages: [{ type: 'insights', insights: fixtureInsights() }] });
    try {
      await view.page.waitForSelector('#summary');
      await view.postToView({ type: 'insights', insights: { scope: 'broken' } });
      await view.postToView({ type: 'status', level: 'info', text: 'after' });
      await view.page.waitForSelector('#status:has-text("after")');
      assert.match(await text(view, '#summary'), /^8 executed bid/);
    } finally {
      await view.close();
    }
  });
});
