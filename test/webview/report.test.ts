import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLedgerJsonl, toCallEntry } from '../../src/common/ledger/entry';
import { buildCostReport } from '../../src/common/ledger/report';
import type { CostReport } from '../../src/common/protocol/report';
import { WebviewHarness, paintedPixels, textOf as text } from '../harness/webviewPage';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESULTS = path.join(ROOT, 'test-results');

/** The recorded ledger: 3 auctions over 4 days, a failed-but-billed execution, 2 calls of an unpriced model. */
function recordedLedger() {
  return parseLedgerJsonl(fs.readFileSync(path.join(ROOT, 'test/fixtures/ledger/recorded-ledger.jsonl'), 'utf8'));
}

function fixtureReport(): CostReport {
  const { lines, skipped } = recordedLedger();
  assert.equal(skipped.length, 0);
  return buildCostReport(lines, { scope: 'demo-workspace', now: new Date('2026-11-24T08:00:00.000Z') });
}

describe('cost report webview', () => {
  let harness: WebviewHarness;
  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    harness = await WebviewHarness.launch();
  });
  after(async () => {
    await harness?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`renders the recorded ledger's totals, phases, savings and warnings (${theme})`, async () => {
      const view = await harness.open({ view: 'report', theme, hostMessages: [{ type: 'report', report: fixtureReport() }] });
      try {
        await view.page.waitForSelector('#total-spend');
        assert.deepEqual((await view.posted())[0], { type: 'ready', protocolVersion: 2 });
        assert.match(await text(view, '#total-spend'), /at least \$1\.13/);
        assert.match(await text(view, '#total-spend'), /19 model calls · 1 failed but billed \(\$0\.02\)/);
        const savings = await text(view, '#savings');
        // a1 and a3 were accepted (estimated at claude-big's recorded prices); a2 was rejected: spend with no saving.
        assert.match(savings, /^Savings \$4\.16 Savings are counted only for accepted work, against the dearest model in each auction's pool at the time/i);
        assert.match(savings, /Measured: \$0\.00 on 0 auctions Estimated: \$4\.16 on 2 auctions Spend with no saving \(work not accepted\): \$0\.8121 on 1 auction/);
        assert.match(await text(view, '#auctions tr[data-auction="a1"]'), /claude-big Accepted \$1\.97 estimated \$0\.00$/);
        assert.match(await text(view, '#overhead'), /16%.*\$0\.176/);
        assert.match(await text(view, '#largest-share'), /33%.*claude-big ran 1 of 3 executions/);
        const phases = await view.page.$$eval('#by-phase tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-phase'), r.querySelectorAll('td')[0]?.textContent?.trim()]));
        assert.deepEqual(phases, [
          ['bidding', 'at least $0.066 ?'],
          ['jury', '$0.105'],
          ['refinement', '$0.005'],
          ['embedding', '$0.0001'],
          ['execution', '$0.95'],
          ['probe', 'at least $0.00 ?'],
        ]);
        assert.match(await text(view, '#unknown-prices'), /2 calls have no known price \(mystery: 2\)\. They are not counted as \$0/);
        const auctions = await view.page.$$eval('#auctions tbody tr', (rows) => rows.map((r) => r.getAttribute('data-auction')));
        assert.deepEqual(auctions, ['a3', 'a2', 'a1']);
        assert.match(await text(view, '#auctions tr[data-auction="a2"]'), /=HYPERLINK.*claude-big Rejected at least \$0\.8121 \? \$0\.062/);
        assert.match(await text(view, '#by-model'), /ollama-qwen qwen3:8b · local/);
        assert.ok((await paintedPixels(view, '.chart canvas')) > 500, 'the chart canvas is painted');
        assert.deepEqual(await view.cspViolations(), []);
        assert.deepEqual(view.errors, []);
        await view.page.screenshot({ path: path.join(RESULTS, `report-${theme}.png`), fullPage: true });
      } finally {
        await view.close();
      }
    });
  }

  it('follows the theme: dark background in the dark theme, light in the light theme', async () => {
    const bg = async (theme: 'light' | 'dark') => {
      const view = await harness.open({ view: 'report', theme, hostMessages: [{ type: 'report', report: fixtureReport() }] });
      try {
        await view.page.waitForSelector('#total-spend');
        return await view.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      } finally {
        await view.close();
      }
    };
    assert.equal(await bg('dark'), 'rgb(31, 31, 31)');
    assert.equal(await bg('light'), 'rgb(255, 255, 255)');
  });

  it('renders in high contrast without errors', async () => {
    const view = await harness.open({ view: 'report', theme: 'high-contrast', hostMessages: [{ type: 'report', report: fixtureReport() }] });
    try {
      await view.page.waitForSelector('#total-spend');
      assert.ok((await paintedPixels(view, '.chart canvas')) > 500);
      assert.deepEqual(view.errors, []);
      await view.page.screenshot({ path: path.join(RESULTS, 'report-high-contrast.png'), fullPage: true });
    } finally {
      await view.close();
    }
  });

  it('fits a narrow editor column: the page never scrolls sideways, wide tables scroll inside their region', async () => {
    const view = await harness.open({ view: 'report', theme: 'dark', viewport: { width: 560, height: 900 }, hostMessages: [{ type: 'report', report: fixtureReport() }] });
    try {
      await view.page.waitForSelector('#auctions');
      const [scrollWidth, clientWidth] = await view.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scrollWidth <= clientWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px view`);
      assert.ok((await paintedPixels(view, '.chart canvas')) > 500);
      await view.page.screenshot({ path: path.join(RESULTS, 'report-narrow-dark.png'), fullPage: true });
    } finally {
      await view.close();
    }
  });

  it('exports and refreshes from the keyboard', async () => {
    const view = await harness.open({ view: 'report', hostMessages: [{ type: 'report', report: fixtureReport() }] });
    try {
      await view.page.waitForSelector('#total-spend');
      await view.page.keyboard.press('Tab');
      assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Refresh the report');
      await view.page.keyboard.press('Enter');
      await view.page.keyboard.press('Tab');
      await view.page.keyboard.press('Enter');
      await view.page.keyboard.press('Tab');
      await view.page.keyboard.press('Space');
      const json = await view.waitForRequest('export', 1);
      const csv = await view.waitForRequest('export', 0);
      assert.deepEqual((await view.posted()).slice(1), [
        { type: 'refresh' },
        { type: 'request', id: csv.id, method: 'export', params: { format: 'csv' } },
        { type: 'request', id: json.id, method: 'export', params: { format: 'json' } },
      ]);
      await view.reply(csv.id, { value: { saved: 'sale-cost-report-2026-12-02.csv' } });
      await view.page.waitForSelector('#status:has-text("Saved sale-cost-report-2026-12-02.csv")');
      await view.reply(json.id, { error: 'Export failed. See the SALE log for details.' });
      await view.page.waitForSelector('#status:has-text("Export failed. See the SALE log for details.")');
    } finally {
      await view.close();
    }
  });

  it('renders hostile model names and tasks as inert text', async () => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const { lines } = recordedLedger();
    const hostile = toCallEntry({
      time: '2026-11-23T11:00:00.000Z',
      auctionId: 'a3',
      phase: 'jury',
      modelId: payload,
      model: `${payload}<script>window.__xss=2</script>`,
      local: false,
      usage: { inputTokens: 10, outputTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 },
      latencyMs: 1,
      ok: true,
    });
    const report = buildCostReport([...lines, hostile], { scope: `${payload} workspace` });
    const view = await harness.open({ view: 'report', hostMessages: [{ type: 'report', report }] });
    try {
      await view.page.waitForSelector('#by-model');
      assert.ok((await text(view, '#by-model')).includes(payload), 'the name is shown as text');
      assert.ok((await text(view, '#unknown-prices')).includes(payload));
      assert.equal(await view.page.locator('img').count(), 0);
      assert.equal(await view.page.locator('#root script').count(), 0);
      assert.equal(await view.page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined);
      assert.deepEqual(await view.cspViolations(), []);
    } finally {
      await view.close();
    }
  });

  it('shows a priced call without reported usage as an unknown cost and the savings as a bound, never $0', async () => {
    const { lines } = recordedLedger();
    const silent = toCallEntry({
      time: '2026-11-23T11:00:00.000Z',
      auctionId: 'a3',
      phase: 'execution',
      modelId: 'gpt-small',
      model: 'gpt-5-mini',
      local: false,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, unreported: true },
      price: { inputPerMTok: 0.5, outputPerMTok: 2, source: 'default-table', asOf: '2026-11-01' },
      latencyMs: 1,
      ok: true,
    });
    const report = buildCostReport([...lines, silent], { scope: 'demo-workspace', now: new Date('2026-11-24T08:00:00.000Z') });
    const view = await harness.open({ view: 'report', hostMessages: [{ type: 'report', report }] });
    try {
      await view.page.waitForSelector('#total-spend');
      assert.match(await text(view, '#total-spend'), /at least \$1\.13/);
      const savings = await text(view, '#savings');
      // a3's spend now has a call of unknown cost: its saving, and so the sum, is at most the figure.
      assert.match(savings, /^Savings at most \$4\.16 /i);
      const warning = await text(view, '#unknown-prices');
      assert.match(warning, /3 calls have an unknown cost \(mystery: 2, gpt-small: 1\)\. They are not counted as \$0/);
      assert.match(warning, /1 of them was priced, but the provider reported no token usage\. Set a price for the unpriced models/);
      const execution = await view.page.$$eval('#by-phase tbody tr[data-phase="execution"] td', (cells) => cells[0]?.textContent?.trim());
      assert.equal(execution, 'at least $0.95 ?');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('shows a request-priced model\'s calls in premium requests and dollars: in total, by model and by phase', async () => {
    // A Copilot-like model: $0.04 a premium request, 3 premium requests a call; a bid, a jury call, a two-request run.
    const copilot = (phase: 'bidding' | 'jury' | 'execution', requests: number) =>
      toCallEntry({
        time: '2026-11-23T11:00:00.000Z',
        auctionId: 'a9',
        phase,
        modelId: 'copilot',
        model: 'gpt-4.1',
        local: false,
        usage: { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, counted: true, requests },
        price: { inputPerMTok: 0, outputPerMTok: 0, perRequest: 0.04, multiplier: 3, source: 'settings' },
        latencyMs: 1,
        ok: true,
      });
    const report = buildCostReport([copilot('bidding', 1), copilot('jury', 1), copilot('execution', 2)], { scope: 'demo-workspace', now: new Date('2026-11-24T08:00:00.000Z') });
    const view = await harness.open({ view: 'report', hostMessages: [{ type: 'report', report }] });
    try {
      await view.page.waitForSelector('#total-spend');
      assert.match(await text(view, '#total-spend'), /\$0\.48 3 model calls · 12 premium requests/);
      assert.match(await text(view, '#by-model tbody tr'), /copilot gpt-4\.1 · price: settings · 12 premium requests \$0\.48 3/);
      const phases = await view.page.$$eval('#by-phase tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-phase'), ...[...r.querySelectorAll('td')].map((c) => c.textContent?.trim()).filter((_, i) => i !== 1)]));
      assert.deepEqual(
        phases.filter(([, usd]) => usd !== '$0.00'),
        [
          ['bidding', '$0.12', '1 · 3 premium requests'],
          ['jury', '$0.12', '1 · 3 premium requests'],
          ['execution', '$0.24', '1 · 6 premium requests'],
        ],
      );
      assert.ok(phases.filter(([, usd]) => usd === '$0.00').every(([, , calls]) => calls === '0'), 'a phase without calls shows no premium requests');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('drops an invalid host message and restores the last report from saved state', async () => {
    const report = fixtureReport();
    const first = await harness.open({ view: 'report', hostMessages: [{ type: 'report', report: { ...report, totals: 'bogus' } }] });
    try {
      await first.waitForPosted((m) => (m as { type?: string }).type === 'ready');
      await first.postToView({ type: 'status', level: 'info', text: 'still alive' });
      await first.page.waitForSelector('#status:has-text("still alive")');
      assert.equal(await first.page.locator('#total-spend').count(), 0);
      assert.ok(await first.page.locator('#loading').isVisible());
    } finally {
      await first.close();
    }
    const restored = await harness.open({ view: 'report', initialState: { report } });
    try {
      await restored.page.waitForSelector('#total-spend');
      assert.match(await text(restored, '#total-spend'), /at least \$1\.13/);
    } finally {
      await restored.close();
    }
  });
});
