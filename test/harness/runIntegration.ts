// Runs the extension-host test suite (test/integration) inside a real VS Code (code-server), see extensionHost.ts.
import path from 'node:path';
import { runExtensionHostSuite } from './extensionHost';
import { repoRoot, run } from './host';

run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--tests']);
runExtensionHostSuite({
  name: 'integration',
  testsPath: path.join(repoRoot, 'out/test/integration/index'),
  // Plays GitHub Copilot's part: chat models through VS Code's Language Model API, answered by the loopback server.
  installFolders: [path.join(repoRoot, 'test/fixtures/lm-provider-extension')],
}).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
