// Escalation in the real UI, after the main flow or alone: the API keys (this browser's secret storage is its own),
// a new auction, the winner's run, every file rejected and the run discarded, then "Try the next bid" in the panel:
// another model's run starts and its review appears.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { agentStep } from '../fixtures/e2eScript';
import { MARKET, marketScript } from '../fixtures/market';
import { answerInputBox, runCommand, saveScreenshot, webviewFrame } from '../harness/workbench';
import { appendScript, e2eEnv, openWorkbench } from './env';

const env = e2eEnv();
const git = (...args: string[]) => execFileSync('git', args, { cwd: env.workspace, encoding: 'utf8' });
const step = (id: string, name: string, args: unknown) => agentStep(id, name, args, { input: 1000, output: 100 });
const noteOf = (id: string) => `notes/by-${id}.md`;
const KEY = 'sk-e2e-escalation-canary';

/** Appends a market auction and, for every model, a run that writes its own note (whichever model runs). */
async function scriptEscalation(): Promise<void> {
  const extra = Object.fromEntries(MARKET.map((m) => [m.model, [step(`${m.id}-1`, 'create_file', { path: noteOf(m.id), content: `A note by ${m.id}\n` }), step(`${m.id}-2`, 'finish', { summary: `${m.id} wrote a note` })]]));
  const script = marketScript({ refinement: true, extra });
  await appendScript(env, script);
}

describe('escalation, end to end in a real VS Code', () => {
  let browser: Awaited<ReturnType<typeof openWorkbench>>['browser'];
  let page: Page;
  let panel: FrameLocator;
  const task = `Write a note about the config format (${Date.now()})`;

  before(async () => {
    await scriptEscalation();
    ({ browser, page } = await openWorkbench(env, KEY));
  });

  after(async () => {
    if (page) await saveScreenshot(page, 'e2e-escalation-last').catch(() => undefined);
    await browser?.close();
  });

  it('reject the winner\'s work, "Try the next bid" in the panel: the second run\'s review appears', async () => {
    const statusBefore = git('status', '--porcelain');
    await runCommand(page, 'Auction this task');
    await answerInputBox(page, task, 'Every model in the pool will bid');
    panel = await webviewFrame(page, '#task-text');
    await panel.locator('#task-text', { hasText: task }).waitFor({ timeout: 30_000 });
    await panel.locator('#winner').waitFor({ timeout: 90_000 });
    const winner = (await panel.locator('#winner-model').innerText()).trim();
    await panel.locator('#winner button.primary').click();
    await panel.locator('.review-file').first().waitFor({ timeout: 60_000 });
    const firstFiles = await panel.locator('.review-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));

    await panel.getByRole('button', { name: 'Reject all', exact: true }).click();
    await panel.locator('#discard-run').click();
    await panel.locator('#review-outcome').waitFor({ timeout: 30_000 });
    const offer = panel.locator('#try-next-bid');
    await offer.waitFor({ timeout: 30_000 });
    assert.match(await panel.locator('#escalation-note').innerText(), /rejected[\s\S]*Next: the bid of \S+, ranked #\d+, a model not tried yet/);
    const next = /\(([^)]+)\)\s*$/.exec((await offer.innerText()).trim())?.[1];
    assert.ok(next && next !== winner, `the next bid is another model's: ${String(next)} after ${winner}`);
    await saveScreenshot(page, 'e2e-escalation-offer');

    await offer.click();
    await panel.locator('#execution-attempt', { hasText: 'Attempt 2' }).waitFor({ timeout: 60_000 });
    await panel.locator(`.review-file[data-path="${noteOf(next)}"]`).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('#execution-attempt').innerText(), /escalated from bid/);
    assert.match(await panel.locator('#execution-status').innerText(), new RegExp(`${next} finished`));
    assert.ok(!firstFiles.includes(noteOf(next)), 'a new review, not the first run\'s');
    await saveScreenshot(page, 'e2e-escalation-second-review');

    // Leave the workspace as it was: reject the second run too.
    await panel.getByRole('button', { name: 'Reject all', exact: true }).click();
    await panel.locator('#discard-run').click();
    await panel.locator('#review-outcome').waitFor({ timeout: 30_000 });
    assert.equal(git('status', '--porcelain'), statusBefore, 'nothing was written');
  });
});
