// `npm test`: lint, type checks and every test tier (unit, webview, extension host, end to end), in order.
// Every tier runs even when an earlier one failed, so one run shows everything that is broken; the exit code is
// non-zero when any tier failed or ran no test. The closing line sums the real test counts of all tiers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tiers = [
  { name: 'lint', cmd: [npm, 'run', '--silent', 'lint'] },
  { name: 'typecheck', cmd: [npm, 'run', '--silent', 'typecheck'] },
  { name: 'unit', cmd: [process.execPath, 'scripts/run-unit.mjs'], counts: true },
  ...(fs.existsSync(path.join(root, 'scripts/run-webview.mjs'))
    ? [{ name: 'webview', cmd: [process.execPath, 'scripts/run-webview.mjs'], counts: true }]
    : []),
  { name: 'integration', cmd: [npm, 'run', '--silent', 'test:integration'], counts: true },
  { name: 'e2e', cmd: [npm, 'run', '--silent', 'test:e2e'], counts: true },
].filter((t) => !process.env.SALE_TEST_ONLY || process.env.SALE_TEST_ONLY.split(',').includes(t.name));

/** Reads pass/fail counts from node:test ("ℹ pass N") or our mocha runner ("integration: N passed, N failed"). */
function countsOf(output) {
  let passed = 0;
  let failed = 0;
  for (const m of output.matchAll(/^ℹ pass (\d+)$/gm)) passed += Number(m[1]);
  for (const m of output.matchAll(/^ℹ fail (\d+)$/gm)) failed += Number(m[1]);
  for (const m of output.matchAll(/^integration: (\d+) passed, (\d+) failed$/gm)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  return { passed, failed };
}

function runTier(tier) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${tier.name} ===`);
    const child = spawn(tier.cmd[0], tier.cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ ...tier, code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = [];
for (const tier of tiers) results.push(await runTier(tier));

let passed = 0;
let failed = 0;
let ok = true;
console.log('\n=== summary ===');
for (const r of results) {
  const c = r.counts ? countsOf(r.out) : undefined;
  const ranNone = r.counts && c.passed + c.failed === 0;
  const tierOk = r.code === 0 && !ranNone;
  ok &&= tierOk;
  if (c) {
    passed += c.passed;
    failed += c.failed;
  }
  const detail = c ? ` (${c.passed} passed, ${c.failed} failed)` : '';
  console.log(`${tierOk ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s${detail}${ranNone ? ' — ran no test' : ''}`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
