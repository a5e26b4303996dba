// End-to-end tests: package the .vsix, install it into a fresh code-server, open a sample git workspace and run
// test/e2e/*.test.ts (node:test) against it with Debian chromium. The server address and workspace reach the
// tests through SALE_E2E_* environment variables.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eScript } from '../fixtures/e2eScript';
import { marketPool } from '../fixtures/market';
import { CodeServer } from './codeServer';
import { LoopbackProcess } from './loopbackProcess';
import { ensureTestHost, repoRoot, run, vsixPath } from './host';
import { makeSampleWorkspace } from './workspace';

async function main(): Promise<number> {
  ensureTestHost();
  if (!process.env.SALE_E2E_SKIP_PACKAGE) run('npm', ['run', '--silent', 'package']);
  const files = fs
    .readdirSync(path.join(repoRoot, 'test/e2e'))
    .filter((f) => f.endsWith('.test.ts') && (!process.env.SALE_E2E_ONLY || f.includes(process.env.SALE_E2E_ONLY)))
    .map((f) => path.join('test/e2e', f))
    .sort();
  if (files.length === 0) {
    console.error('e2e: no test files found');
    return 1;
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sale-e2e-'));
  CodeServer.installExtension(runDir, vsixPath());
  const workspace = makeSampleWorkspace(runDir);
  const loopback = await LoopbackProcess.start(e2eScript(), runDir);
  const server = await CodeServer.start({
    runDir,
    // The overhead cap lifted: the market's scripted bids cost about as much as its execution estimate, so the
    // default 10% cap would drop the whole jury and the free local model would win on cost alone.
    settings: { 'sale.models': marketPool(loopback), 'sale.localServers.detect': false, 'sale.auction.maxOverheadShare': 10, 'workbench.panel.defaultLocation': 'bottom' },
  });
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        SALE_E2E_BASE: server.base,
        SALE_E2E_WORKSPACE: workspace,
        SALE_E2E_RUN_DIR: runDir,
        SALE_E2E_USER_DATA: CodeServer.dirs(runDir).userData,
        SALE_E2E_LOOPBACK: JSON.stringify({ url: loopback.url, openaiBaseUrl: loopback.openaiBaseUrl }),
      },
    });
    return r.status ?? 1;
  } finally {
    await server.stop();
    await loopback.stop();
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
