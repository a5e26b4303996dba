// Runs the extension-host test suite (test/integration) inside a real VS Code (code-server), see extensionHost.ts.
import path from 'node:path';
import { runExtensionHostSuite } from './extensionHost';
import { repoRoot, run } from './host';

run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--tests']);
runExtensionHostSuite({ name: 'integration', testsPath: path.join(repoRoot, 'out/test/integration/index') }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
