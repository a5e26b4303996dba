// Builds the webview bundles, then runs every webview test (test/webview/**/*.test.ts) in headless Chromium through
// Node's own test runner; TypeScript is loaded through tsx. Fails when no test file is found, so a misplaced suite
// cannot pass by running nothing. Screenshots go to test-results/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const dir = path.join(root, 'test/webview');
const files = (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }) : [])
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join('test/webview', f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.error('run-webview: no webview test files found');
  process.exit(1);
}
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('run-webview: the build failed');
  process.exit(build.status ?? 1);
}
fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
