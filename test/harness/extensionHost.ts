import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchBrowser } from './browser';
import { CodeServer } from './codeServer';
import { ensureTestHost, repoRoot, resultsDir, run } from './host';
import { makeSampleWorkspace } from './workspace';

/** Packs an extension folder with the project's own vsce into `<runDir>/<folder name>.vsix` (a copy is packed). */
export function packFolder(folder: string, runDir: string): string {
  const copy = path.join(runDir, 'pack', path.basename(folder));
  fs.cpSync(folder, copy, { recursive: true });
  const vsix = path.join(runDir, `${path.basename(folder)}.vsix`);
  run(process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix], { cwd: copy });
  return vsix;
}

/** Workbench chatter that says nothing about our tests (offline gallery lookups, socket set-up); kept in the log file. */
function isWorkbenchNoise(line: string): boolean {
  return (
    line.startsWith('%c') ||
    /ENOTFOUND|workbench\.js:\d|^\[(Service Worker|AgentHost|AccountPolicyGate)|^Creating a socket|^Updating additional builtin/.test(line)
  );
}

export interface ExtensionHostRun {
  /** Absolute path of the bundled suite's entry, without `.js` (it exports `run()`). */
  testsPath: string;
  /** Name for the log file under test-results/. */
  name: string;
  /** Environment for code-server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Echo workbench output to the console (noise filtered unless VERBOSE is set). */
  echo?: boolean;
  timeoutMs?: number;
  /**
   * Extension folders (plain JS, no build) to pack as .vsix and install into this run's extensions folder beside
   * SALE, e.g. a test model provider. Installed, not loaded as a second development extension: code-server then
   * leaves the first development extension (SALE) out.
   */
  installFolders?: string[];
}

/**
 * Runs an extension-host suite in a real VS Code: code-server with the smoke-test driver, which honours the
 * `payload` URL parameter, opened in Debian chromium on a fresh sample git workspace. The workbench reports the
 * suite's exit code through `codeAutomationExit`. Returns that code (0 = passed).
 */
export async function runExtensionHostSuite(opts: ExtensionHostRun): Promise<number> {
  ensureTestHost();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `sale-${opts.name}-`));
  const workspace = makeSampleWorkspace(runDir);
  for (const folder of opts.installFolders ?? []) CodeServer.installExtension(runDir, packFolder(folder, runDir));
  const server = await CodeServer.start({ runDir, smokeTestDriver: true, env: { ...opts.env, SALE_TEST_WORKSPACE: workspace } });
  const browser = await launchBrowser();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    fs.mkdirSync(resultsDir, { recursive: true });
    const workbenchLog = path.join(resultsDir, `${opts.name}-workbench.log`);
    fs.writeFileSync(workbenchLog, '');
    let resolveExit: (code: number | string) => void = () => undefined;
    const exited = new Promise<number | string>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...args);
      fs.appendFileSync(workbenchLog, line + '\n');
      if (opts.echo !== false && (process.env.VERBOSE || !isWorkbenchNoise(line))) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    const remote = (p: string) => `vscode-remote://remote${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(opts.testsPath)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(server.folderUrl(workspace, `&payload=${encodeURIComponent(JSON.stringify(payload))}`));
    const timeoutMs = opts.timeoutMs ?? 240_000;
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), timeoutMs).unref())]);
    if (code !== 0) {
      await page.screenshot({ path: path.join(resultsDir, `${opts.name}-failure.png`) }).catch(() => undefined);
      console.error(`${opts.name}: the extension host finished with ${String(code)}; workbench log: ${workbenchLog}`);
    }
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.SALE_KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
  }
}
