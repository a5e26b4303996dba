// Runs the same extension-host suite as `npm run test:integration`, under @vscode/test-electron: the way extension
// authors usually run it, on machines that can download VS Code (this one cannot; use test:integration here).
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot, run } from './host';
import { makeSampleWorkspace } from './workspace';

async function main(): Promise<void> {
  run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--tests']);
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/test/integration/index'),
    launchArgs: [makeSampleWorkspace(), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
