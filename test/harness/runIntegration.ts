// Runs the extension-host test suite (test/integration) inside a real VS Code: code-server with the smoke-test
// driver, driven by Debian chromium. The workbench reports the suite's exit code through codeAutomationExit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchBrowser } from './browser';
import { CodeServer } from './codeServer';
import { ensureTestHost, repoRoot, resultsDir, run } from './host';
import { makeSampleWorkspace } from './workspace';

/** Workbench chatter that says nothing about our tests (offline gallery lookups, socket set-up); kept in the log file. */
function isWorkbenchNoise(line: string): boolean {
  return (
    line.startsWith('%c') ||
    /ENOTFOUND|workbench\.js:\d|^\[(Service Worker|AgentHost|AccountPolicyGate)|^Creating a socket|^Updating additional builtin/.test(line)
  );
}

async function main(): Promise<number> {
  ensureTestHost();
  run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--tests']);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sale-integration-'));
  const workspace = makeSampleWorkspace(runDir);
  const server = await CodeServer.start({ runDir, smokeTestDriver: true });
  const browser = await launchBrowser();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    fs.mkdirSync(resultsDir, { recursive: true });
    const workbenchLog = path.join(resultsDir, 'integration-workbench.log');
    fs.writeFileSync(workbenchLog, '');
    let resolveExit: (code: number | string) => void = () => undefined;
    const exited = new Promise<number | string>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...args);
      fs.appendFileSync(workbenchLog, line + '\n');
      if (process.env.VERBOSE || !isWorkbenchNoise(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    const remote = (p: string) => `vscode-remote://remote${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(path.join(repoRoot, 'out/test/integration/index'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(server.folderUrl(workspace, `&payload=${encodeURIComponent(JSON.stringify(payload))}`));
    const timeoutMs = Number(process.env.SALE_INTEGRATION_TIMEOUT_MS ?? 240_000);
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), timeoutMs).unref())]);
    if (code !== 0) {
      await page.screenshot({ path: path.join(resultsDir, 'integration-failure.png') }).catch(() => undefined);
      console.error(`integration: the extension host finished with ${String(code)}; workbench log: ${workbenchLog}`);
    }
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.SALE_KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
