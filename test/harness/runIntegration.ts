// Runs the extension-host test suite (test/integration) inside a real VS Code (code-server), see extensionHost.ts.
// Phase "main" runs *.test.js; then the window is started again on the same user data and workspace, and phase
// "restart" runs *.restart.js: what must survive a restart of the extension host (memory, ledger, panel state).
import fs from 'node:fs';
import path from 'node:path';
import { lastRun, runExtensionHostSuite } from './extensionHost';
import { repoRoot, run } from './host';

async function main(): Promise<number> {
  run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--tests']);
  const testsPath = path.join(repoRoot, 'out/test/integration/index');
  const first = await runExtensionHostSuite({ name: 'integration', testsPath, phase: 'main', keepRunDir: true });
  const reuse = lastRun;
  try {
    if (!reuse) return 1;
    const second = await runExtensionHostSuite({ name: 'integration-restart', testsPath, phase: 'restart', reuse, keepRunDir: true });
    return first === 0 && second === 0 ? 0 : 1;
  } finally {
    if (reuse && !process.env.SALE_KEEP_RUN_DIR) fs.rmSync(reuse.runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
