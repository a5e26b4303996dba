import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { LoopbackScript } from '../fixtures/loopback/types';
import { launchBrowser } from '../harness/browser';
import { setApiKey, waitForWorkbench } from '../harness/workbench';

/** What runE2e.ts hands each end-to-end test: a running code-server with the .vsix installed, and a workspace. */
export function e2eEnv(): { base: string; workspace: string; runDir: string; userData: string; loopback: { url: string; openaiBaseUrl: string } } {
  const { SALE_E2E_BASE: base, SALE_E2E_WORKSPACE: workspace, SALE_E2E_RUN_DIR: runDir, SALE_E2E_USER_DATA: userData, SALE_E2E_LOOPBACK: loopback } = process.env;
  if (!base || !workspace || !runDir || !userData || !loopback) throw new Error('Run end-to-end tests through `npm run test:e2e` (test/harness/runE2e.ts).');
  return { base, workspace, runDir, userData, loopback: JSON.parse(loopback) as { url: string; openaiBaseUrl: string } };
}

export function folderUrl(base: string, folder: string): string {
  return `${base}/?folder=${encodeURIComponent(folder)}`;
}

/** The extension's workspace storage folder inside code-server's user data (found by its memory or ledger file). */
export function storageDir(userData: string): string {
  const root = path.join(userData, 'User/workspaceStorage');
  for (const d of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const dir = path.join(root, d, 'sale-dev.sale-vscode');
    if (fs.existsSync(path.join(dir, 'memory.jsonl')) || fs.existsSync(path.join(dir, 'ledger.jsonl'))) return dir;
  }
  throw new Error(`no SALE memory under ${root}`);
}

/**
 * A browser on the e2e workspace with the workbench up and, given `key`, both loopback API keys set (each browser's
 * secret storage is its own).
 */
export async function openWorkbench(env: ReturnType<typeof e2eEnv>, key?: string): Promise<{ browser: Awaited<ReturnType<typeof launchBrowser>>; page: Page }> {
  const browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(folderUrl(env.base, env.workspace));
  await waitForWorkbench(page);
  if (key) {
    await setApiKey(page, 'openai (127.0.0.1', key);
    await setApiKey(page, 'anthropic (127.0.0.1', key);
  }
  return { browser, page };
}

/** Appends a script to the running loopback server's queues (replies are taken by the first request they match). */
export async function appendScript(env: ReturnType<typeof e2eEnv>, script: LoopbackScript): Promise<void> {
  const res = await fetch(`${env.loopback.url}/__loopback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'script', script }) });
  assert.equal(res.status, 200);
}
