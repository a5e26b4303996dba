import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { answerInputBox, runCommand, saveScreenshot, waitForWorkbench, webviewFrame } from '../harness/workbench';
import { e2eEnv, folderUrl } from './env';

describe('Auction this task, from the command palette', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  before(async () => {
    const env = e2eEnv();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(folderUrl(env.base, env.workspace));
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the typed task inside the side panel', async () => {
    const task = `Add input validation to parseConfig and a test for it (${Date.now()})`;
    await runCommand(page, 'Auction this task');
    await answerInputBox(page, task);
    const panel = await webviewFrame(page, '#task-text');
    await panel.locator('#task-text', { hasText: task }).waitFor({ timeout: 30_000 });
    assert.equal((await panel.locator('#task-text').textContent())?.trim(), task);
    await saveScreenshot(page, 'e2e-task-in-panel');
  });
});
