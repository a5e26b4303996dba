// Learning from outcomes in the real UI, after the other flows or alone: two auctions whose winner's work is
// accepted once and rejected once, then "SALE: Show Routing Insights" shows those verdicts (the figures the journal
// on disk gives), and the next auction's panel shows each bid's predicted success, resting on those outcomes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { buildRoutingInsights } from '../../src/common/learning/routingInsights';
import { resolveWeights } from '../../src/common/auction/weights';
import { readJournal } from '../../src/node/memory/journalRead';
import { MemoryStore } from '../../src/node/memory/memoryStore';
import { agentStep } from '../fixtures/e2eScript';
import { MARKET, WINNER_ID, marketScript } from '../fixtures/market';
import { answerInputBox, runCommand, saveScreenshot, webviewFrame } from '../harness/workbench';
import { appendScript, e2eEnv, openWorkbench, storageDir } from './env';

const env = e2eEnv();
const KEY = 'sk-e2e-insights-canary';
const stamp = Date.now();
const noteOf = (i: number) => `notes/insights-${stamp}-${i}.md`;
const winnerModel = MARKET.find((m) => m.id === WINNER_ID)!.model;

/** Three market auctions; in the first two the winner's run writes one note. */
async function scriptAuctions(): Promise<void> {
  for (const i of [1, 2, 3]) {
    const extra = i < 3 ? { [winnerModel]: [agentStep(`ins${i}-1`, 'create_file', { path: noteOf(i), content: `Note ${i}\n` }, { input: 1000, output: 100 }), agentStep(`ins${i}-2`, 'finish', { summary: `wrote note ${i}` }, { input: 1000, output: 100 })] } : {};
    await appendScript(env, marketScript({ extra }));
  }
}

/** Opens the memory on disk until `done` holds for it (the extension writes outcomes a moment after the click). */
async function waitForMemory(done: (store: MemoryStore) => Promise<boolean>): Promise<void> {
  const store = await MemoryStore.open({ localPath: path.join(storageDir(env.userData), 'memory.jsonl') });
  try {
    for (let i = 0; i < 100 && !(await done(store)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      await store.refresh();
    }
    if (!(await done(store))) {
      const seen = await Promise.all(store.list().map(async (v) => `${v.head.task}: ${(await store.outcomes(v.head.id)).map((o) => o.fact.type).join(', ')}`));
      assert.fail(`the outcome did not reach the memory; it holds:\n${seen.join('\n')}`);
    }
  } finally {
    store.dispose();
  }
}

const hasReview = (task: string) => async (store: MemoryStore) => {
  const v = store.list().find((x) => x.head.task === task);
  return v !== undefined && (await store.outcomes(v.head.id)).some((o) => o.fact.type === 'review');
};

describe('routing insights and predicted success, end to end in a real VS Code', () => {
  let browser: Awaited<ReturnType<typeof openWorkbench>>['browser'];
  let page: Page;
  let panel: FrameLocator;
  const tasks = [1, 2, 3].map((i) => `Write insights note ${i} (${stamp})`);

  before(async () => {
    await scriptAuctions();
    ({ browser, page } = await openWorkbench(env, KEY));
  });

  after(async () => {
    if (page) await saveScreenshot(page, 'e2e-insights-last').catch(() => undefined);
    await browser?.close();
  });

  /**
   * Auctions `task`, runs the winner and gives its work `verdict`. Which files the run proposes depends on what is
   * left in the loopback's queue (alone, the main flow's scripted run comes first), so the review is decided as a whole.
   */
  async function auctionRunAndDecide(task: string, verdict: 'accept' | 'reject'): Promise<void> {
    await runCommand(page, 'Auction this task');
    await answerInputBox(page, task, 'Every model in the pool will bid');
    panel = await webviewFrame(page, '#task-text');
    await panel.locator('#task-text', { hasText: task }).waitFor({ timeout: 30_000 });
    await panel.locator('#winner').waitFor({ timeout: 90_000 });
    assert.equal((await panel.locator('#winner-model').innerText()).trim(), WINNER_ID);
    await panel.locator('#winner button.primary').click();
    // The previous run's review stays on screen until this run replaces it.
    await panel.locator('#review-outcome').waitFor({ state: 'detached', timeout: 30_000 });
    await panel.locator('.review-file').first().waitFor({ timeout: 60_000 });
    if (verdict === 'accept') {
      await panel.getByRole('button', { name: 'Accept all', exact: true }).click();
      await panel.locator('#apply-accepted:not([disabled])').click();
    } else {
      await panel.getByRole('button', { name: 'Reject all', exact: true }).click();
      await panel.locator('#discard-run').click();
    }
    await panel.locator('#review-outcome').waitFor({ timeout: 30_000 });
    await waitForMemory(hasReview(task));
  }

  it('1. an auction whose work is accepted, then one whose work is rejected', async () => {
    await auctionRunAndDecide(tasks[0]!, 'accept');
    await auctionRunAndDecide(tasks[1]!, 'reject');
  });

  it('2. "SALE: Show Routing Insights" shows those verdicts, as the journal on disk counts them', async () => {
    // What the view must say: the insights of the journal as it is on disk now (every flow before this one counts).
    const store = await MemoryStore.open({ localPath: path.join(storageDir(env.userData), 'memory.jsonl') });
    let expected: ReturnType<typeof buildRoutingInsights>['insights'];
    try {
      const journal = await readJournal(store, { max: 500 });
      assert.ok(journal);
      expected = buildRoutingInsights(journal, { scope: '', now: new Date(), weights: { inForce: resolveWeights(undefined), fromWorkspace: false, adoptions: [] } }).insights;
      const mine = journal.auctions.filter((a) => tasks.slice(0, 2).includes(a.task));
      assert.equal(mine.length, 2, 'both auctions are in the journal');
    } finally {
      store.dispose();
    }
    const winner = expected.models.find((m) => m.modelId === WINNER_ID)!;
    assert.ok(winner.success.successes >= 1 && winner.success.n - winner.success.successes >= 1, 'the winner has a success and a failure');

    await runCommand(page, 'SALE: Show Routing Insights');
    const view = await webviewFrame(page, '#summary');
    const summary = view.locator('#summary');
    const want = `${expected.observations} executed bid(s) with a verdict, ${expected.successes} succeeded`;
    for (let i = 0; i < 50 && !(await summary.innerText()).includes(want); i++) await page.waitForTimeout(200);
    assert.ok((await summary.innerText()).includes(want), `${await summary.innerText()} says "${want}"`);
    const row = view.locator(`#models tr[data-model="${WINNER_ID}"]`);
    assert.match(await row.locator('.rate-success').innerText(), new RegExp(`^${winner.success.successes} of ${winner.success.n} · `));
    assert.match(await row.locator('.rate-accept').innerText(), new RegExp(`^${winner.accept.successes} of ${winner.accept.n} · `));
    // Every juror scored the executed bids: each has a row, and the calibration chart is drawn.
    for (const m of MARKET) await view.locator(`#jurors tr[data-juror="${m.id}"]`).waitFor({ timeout: 10_000 });
    await view.locator('#reliability-chart canvas').waitFor({ timeout: 10_000 });
    assert.ok(!(await view.locator('body').innerText()).includes(KEY));
    await saveScreenshot(page, 'e2e-insights-view');
  });

  it('3. the next auction\'s panel shows predicted success, resting on this workspace\'s outcomes', async () => {
    await runCommand(page, 'Auction this task');
    await answerInputBox(page, tasks[2]!, 'Every model in the pool will bid');
    panel = await webviewFrame(page, '#task-text');
    await panel.locator('#task-text', { hasText: tasks[2]! }).waitFor({ timeout: 30_000 });
    await panel.locator('#winner').waitFor({ timeout: 90_000 });
    const row = panel.locator(`.bid-row[data-model-id="${WINNER_ID}"]`);
    assert.match((await row.locator('.fig-success .fig-value').innerText()).trim(), /^\d+%$/);
    const title = (await row.locator('.fig-success').getAttribute('title')) ?? '';
    const outcomes = Number(/from (\d+) outcomes? here/.exec(title)?.[1] ?? 0);
    assert.ok(outcomes >= 2, `the prediction rests on at least the two verdicts above: "${title}"`);
    await row.locator('.row-toggle').click();
    assert.match(await panel.locator(`.bid-card[data-model-id="${WINNER_ID}"] .prediction-basis`).innerText(), /\d+ outcomes? here/);
    await saveScreenshot(page, 'e2e-insights-prediction');
  });
});
