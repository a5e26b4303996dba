// `npm run open -- --check`: drives the practice auction that `npm run open` offers, the way a newcomer would,
// in Debian chromium: palette → task → live bids → winner → run it → review → accept and apply → cost report.
// It proves the README's first command leads somewhere, and fails with the step that did not work.
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../test/harness/browser';
import { answerInputBox, runCommand, saveScreenshot, waitForWorkbench, webviewFrame } from '../test/harness/workbench';
import { PRACTICE_TASK, PRACTICE_WINNER_ID } from '../test/fixtures/practice';
import { CONFIG_PATH, TEST_PATH, proposedText } from '../test/fixtures/e2eScript';

export interface PracticeCheckResult {
  /** Seconds from the workbench being ready to the cost report showing the run. */
  seconds: number;
  screenshots: string[];
}

async function step<T>(name: string, page: Page, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const shot = await saveScreenshot(page, `practice-failed`).catch(() => '(no screenshot)');
    throw new Error(`practice check: "${name}" did not work (${e instanceof Error ? e.message : String(e)}); screenshot: ${shot}`, { cause: e });
  }
}

/** Runs the whole practice flow against a running code-server at `url` showing `workspace`. */
export async function checkPractice(url: string, workspace: string): Promise<PracticeCheckResult> {
  const browser = await launchBrowser();
  const screenshots: string[] = [];
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(url);
    await step('the workbench opens', page, () => waitForWorkbench(page));
    const started = Date.now();
    let panel: FrameLocator | undefined;
    await step('an auction starts from the palette', page, async () => {
      await runCommand(page, 'Auction this task');
      await answerInputBox(page, PRACTICE_TASK);
      panel = await webviewFrame(page, '#task-text');
    });
    if (!panel) throw new Error('practice check: no panel');
    const p = panel;
    await step('the practice models bid and one wins', page, async () => {
      await p.locator('.pool .badge.practice').first().waitFor({ timeout: 30_000 });
      await p.locator('#winner').waitFor({ timeout: 90_000 });
      const winner = (await p.locator('#winner-model').innerText()).trim();
      if (winner !== PRACTICE_WINNER_ID) throw new Error(`the winner is ${winner}, expected ${PRACTICE_WINNER_ID}`);
    });
    screenshots.push(await saveScreenshot(page, 'practice-auction'));
    await step('the winner runs and proposes edits to two files', page, async () => {
      await p.locator('#winner button.primary').click();
      await p.locator(`.review-file[data-path="${CONFIG_PATH}"]`).waitFor({ timeout: 90_000 });
      await p.locator(`.review-file[data-path="${TEST_PATH}"]`).waitFor({ timeout: 30_000 });
    });
    screenshots.push(await saveScreenshot(page, 'practice-review'));
    await step('accepted edits are applied to the workspace', page, async () => {
      await p.getByRole('button', { name: `Accept all of ${CONFIG_PATH}`, exact: true }).click();
      await p.getByRole('button', { name: `Accept all of ${TEST_PATH}`, exact: true }).click();
      await p.locator('#apply-accepted:not([disabled])').click();
      await p.locator('#review-outcome').waitFor({ timeout: 30_000 });
      const file = path.join(workspace, CONFIG_PATH);
      for (let i = 0; i < 50 && fs.readFileSync(file, 'utf8') !== proposedText(CONFIG_PATH); i++) await page.waitForTimeout(100);
      if (fs.readFileSync(file, 'utf8') !== proposedText(CONFIG_PATH)) throw new Error(`${CONFIG_PATH} on disk is not the accepted proposal`);
    });
    await step('the cost report shows the auction and the run', page, async () => {
      await runCommand(page, 'SALE: Show Cost Report');
      const report = await webviewFrame(page, '#by-phase');
      for (const phase of ['bidding', 'jury', 'execution']) await report.locator(`#by-phase tr[data-phase="${phase}"]`).waitFor({ timeout: 30_000 });
    });
    const seconds = (Date.now() - started) / 1000;
    screenshots.push(await saveScreenshot(page, 'practice-cost-report'));
    return { seconds, screenshots };
  } finally {
    await browser.close();
  }
}
