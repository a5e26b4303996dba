// `npm run open`: builds the extension and opens it in a real VS Code with the sample workspace and a practice
// market: SALE's loopback model servers (OpenAI and Anthropic wire formats, logprobs, tool calls) with scripted
// replies, configured in the sample workspace's settings, started here and stopped with this script.
// With `code` on PATH it starts VS Code with this folder as the extension under development; otherwise it installs
// the packaged .vsix into a local code-server on 127.0.0.1 and prints the address to open.
// `npm run open -- --check` starts everything in a fresh sample workspace, runs the practice auction to the end in
// Debian chromium (scripts/practiceCheck.ts), stops everything and exits: CI runs it, so the README's first
// command cannot break unnoticed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { practicePool, practiceScript } from '../test/fixtures/practice';
import { CodeServer } from '../test/harness/codeServer';
import { hostRoot, repoRoot, run, vsixPath } from '../test/harness/host';
import { LoopbackProcess } from '../test/harness/loopbackProcess';
import { makeSampleWorkspace } from '../test/harness/workspace';
import { checkPractice } from './practiceCheck';

const check = process.argv.includes('--check');

function sampleWorkspace(parent: string): string {
  fs.mkdirSync(parent, { recursive: true });
  const existing = fs.readdirSync(parent).find((d) => d.startsWith('sale-sample-'));
  return existing ? path.join(parent, existing) : makeSampleWorkspace(parent);
}

/**
 * Points the sample workspace's `sale.models` at this run's practice server (its port changes every run). The
 * settings file is kept out of the sample's git status (`.git/info/exclude`), so SALE's git checks see a clean tree.
 * Other settings the user put there are kept.
 */
const PRACTICE_OVERHEAD_SHARE = 10;

function writePracticeSettings(ws: string, server: LoopbackProcess): void {
  const dir = path.join(ws, '.vscode');
  const file = path.join(dir, 'settings.json');
  let settings: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${file} is not plain JSON (comments?); fix or remove it, and run npm run open again.`);
    }
  }
  settings['sale.models'] = practicePool(server);
  // The practice bids cost about as much as the practice run is expected to, so the default 10% overhead cap would
  // drop the whole jury and the free local model would win on cost alone: the practice market lifts it (unless set).
  settings['sale.auction.maxOverheadShare'] ??= PRACTICE_OVERHEAD_SHARE;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  const exclude = path.join(ws, '.git/info/exclude');
  const excluded = fs.existsSync(exclude) ? fs.readFileSync(exclude, 'utf8') : '';
  if (fs.existsSync(path.dirname(exclude)) && !excluded.includes('/.vscode/')) fs.appendFileSync(exclude, '\n/.vscode/\n');
}

async function untilStopped(stop: () => Promise<void>): Promise<never> {
  const onSignal = () => {
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return new Promise<never>(() => undefined);
}

const practiceNote =
  'The pool is a PRACTICE market: three local test models (OpenAI and Anthropic wire formats) answering with\n' +
  'scripted replies, so no API key is needed. Try "SALE: Auction this task" with:\n' +
  '  Add input validation to parseConfig and a test for it\n' +
  'To use real models: "SALE: Add Model…" (see the README).';

function hasCode(): boolean {
  return !check && !process.env.SALE_USE_CODE_SERVER && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  if (hasCode()) {
    run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')]);
    const parent = path.join(hostRoot, 'open');
    const ws = sampleWorkspace(parent);
    const practice = await LoopbackProcess.start(practiceScript(), parent);
    writePracticeSettings(ws, practice);
    spawnSync('code', ['--extensionDevelopmentPath', repoRoot, ws], { stdio: 'inherit' });
    console.log(`Opened VS Code on ${ws} with the extension from ${repoRoot}.\n\n${practiceNote}\n\nThe practice server runs until you press Ctrl+C.`);
    return untilStopped(() => practice.stop());
  }

  run('npm', ['run', '--silent', 'package']);
  fs.mkdirSync(hostRoot, { recursive: true });
  const runDir = check ? fs.mkdtempSync(path.join(hostRoot, 'open-check-')) : path.join(hostRoot, 'open');
  fs.mkdirSync(runDir, { recursive: true });
  CodeServer.installExtension(runDir, vsixPath());
  const ws = check ? makeSampleWorkspace(runDir) : sampleWorkspace(runDir);
  const practice = await LoopbackProcess.start(practiceScript(), runDir);
  let server: CodeServer | undefined;
  const stop = async () => {
    await server?.stop();
    await practice.stop();
  };
  try {
    writePracticeSettings(ws, practice);
    server = await CodeServer.start({ runDir });
  } catch (e) {
    await stop();
    throw e;
  }
  const url = server.folderUrl(ws);
  if (!check) {
    console.log(`\nSALE is running in VS Code (code-server). Open this address in a browser:\n\n  ${url}\n\n${practiceNote}\n\nPress Ctrl+C to stop.`);
    return untilStopped(stop);
  }
  console.log(`open --check: code-server at ${url}; running the practice auction in chromium`);
  try {
    const result = await checkPractice(url, ws);
    console.log(`open --check: the practice auction ran to the end (auction, run, review, apply, cost report) in ${result.seconds.toFixed(1)} s`);
    console.log(`open --check: screenshots ${result.screenshots.join(', ')}`);
  } finally {
    await stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
