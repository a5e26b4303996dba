import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { resultsDir } from './host';

/** Page helpers for driving VS Code's workbench (code-server) the way a user does: keyboard and clicks. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
  // The extension host and its contributions come up a little after the status bar.
  await page.locator('.activitybar').waitFor({ timeout: 30_000 });
}

/** Runs a command by its title through the command palette (F1). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  for (let attempt = 1; ; attempt++) {
    // A quick input still open, or still closing, from the step before would take the palette's keys.
    if (await widget.isVisible()) {
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
    await page.keyboard.press('F1');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await input.waitFor({ timeout: 15_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ timeout: 10_000 });
      break;
    } catch (e) {
      // Right after start-up the command may not be registered yet, or the palette closed under the typing
      // (another quick input replaced it): close it and try again.
      await page.keyboard.press('Escape');
      if (attempt >= 4) throw e;
      await page.waitForTimeout(1500);
    }
  }
  await page.keyboard.press('Enter');
}

/** The quick input's rows (each row's label), once one with `text` is shown. */
export async function rowsOnceShown(page: Page, text: string): Promise<string[]> {
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 30_000 });
  // A row's first label is the item's label (a reused row may keep a hidden detail from an earlier step).
  return page.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.querySelector<HTMLElement>('.label-name')?.innerText ?? ''));
}

/** Picks the quick input row labelled `text` by typing it into the filter and pressing Enter. */
export async function choose(page: Page, text: string): Promise<void> {
  await rowsOnceShown(page, text);
  await page.locator('.quick-input-widget input').fill(text);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Answers the input box that is open now. */
export async function answerInputBox(page: Page, text: string, shows?: string): Promise<void> {
  // A step that follows a pick must wait for its own box: the picker's filter is an input too, and text typed
  // there before the box opens answers the wrong step.
  if (shows) await page.locator('.quick-input-widget', { hasText: shows }).waitFor({ timeout: 15_000 });
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/**
 * The content frame of the webview whose document has `selector`. A webview is two nested iframes: the outer
 * `iframe.webview.ready` and the inner `#active-frame` that holds our document.
 */
export async function webviewFrame(page: Page, selector: string, timeout = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const outers = page.locator('iframe.webview.ready');
    const n = await outers.count();
    for (let i = 0; i < n; i++) {
      const inner = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if ((await inner.locator(selector).count().catch(() => 0)) > 0) return inner;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`No webview with ${selector} appeared within ${timeout} ms`);
}

/** Saves a screenshot as a test artifact under test-results/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Sets an API key through "SALE: Set API Key…": picks the endpoint whose row shows `endpointFilter`, types `key`. */
export async function setApiKey(page: Page, endpointFilter: string, key: string): Promise<void> {
  await runCommand(page, 'SALE: Set API Key');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: endpointFilter }).first();
  await row.waitFor({ timeout: 15_000 });
  await page.locator('.quick-input-widget input').fill(endpointFilter);
  await row.click();
  await answerInputBox(page, key);
  // This key's own confirmation (another key's toast may still be showing).
  await page.locator('.notifications-toasts', { hasText: `API key for ${endpointFilter}` }).first().waitFor({ timeout: 15_000 });
}
