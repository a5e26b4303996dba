// `npm run open`: builds the extension and opens it in a real VS Code with the sample workspace.
// With `code` on PATH it starts VS Code with this folder as the extension under development; otherwise it
// installs the packaged .vsix into a local code-server on 127.0.0.1 and prints the address to open.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CodeServer } from '../test/harness/codeServer';
import { hostRoot, repoRoot, run, vsixPath } from '../test/harness/host';
import { makeSampleWorkspace } from '../test/harness/workspace';

function sampleWorkspace(): string {
  const parent = path.join(hostRoot, 'open');
  fs.mkdirSync(parent, { recursive: true });
  const existing = fs.readdirSync(parent).find((d) => d.startsWith('sale-sample-'));
  return existing ? path.join(parent, existing) : makeSampleWorkspace(parent);
}

function hasCode(): boolean {
  return !process.env.SALE_USE_CODE_SERVER && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  if (hasCode()) {
    run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')]);
    const ws = sampleWorkspace();
    spawnSync('code', ['--extensionDevelopmentPath', repoRoot, ws], { stdio: 'inherit' });
    console.log(`Opened VS Code on ${ws} with the extension from ${repoRoot}.`);
    return;
  }
  run('npm', ['run', '--silent', 'package']);
  const runDir = path.join(hostRoot, 'open');
  CodeServer.installExtension(runDir, vsixPath());
  const ws = sampleWorkspace();
  const server = await CodeServer.start({ runDir });
  console.log(`\nSALE is running in VS Code (code-server). Open this address in a browser:\n\n  ${server.folderUrl(ws)}\n\nPress Ctrl+C to stop.`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
