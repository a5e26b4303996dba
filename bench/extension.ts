import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runExtensionHostSuite } from '../test/harness/extensionHost';
import { repoRoot, run, vsixPath } from '../test/harness/host';

export interface ExtensionFigures {
  /** Module evaluation to the end of activate(), measured inside the real extension host (median of runs). */
  activationMs: number;
  /** Wall time of the `extension.activate()` call as the host saw it (median of runs). */
  activateCallMs: number;
  vsixBytes: number;
  extensionBundleBytes: number;
  webviewBundleBytes: Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Packages the extension (production build) and measures sizes and cold activation in code-server. */
export async function benchExtension(runs = 3): Promise<ExtensionFigures> {
  run('npm', ['run', '--silent', 'package']);
  const vsixBytes = fs.statSync(vsixPath()).size;
  const extensionBundleBytes = fs.statSync(path.join(repoRoot, 'dist/extension.js')).size;
  const webviewBundleBytes = Object.fromEntries(
    fs
      .readdirSync(path.join(repoRoot, 'dist/webview'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => [f, fs.statSync(path.join(repoRoot, 'dist/webview', f)).size]),
  );
  run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--production', '--bench']);
  const activation: number[] = [];
  const calls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sale-bench-')), 'activation.json');
    const code = await runExtensionHostSuite({
      name: 'bench-activation',
      testsPath: path.join(repoRoot, 'out/bench/host/index'),
      env: { SALE_BENCH_OUT: out },
      echo: false,
    });
    if (code !== 0) throw new Error('The activation benchmark failed in the extension host (see test-results/bench-activation-workbench.log)');
    const r = JSON.parse(fs.readFileSync(out, 'utf8')) as { activationMs: number; activateCallMs: number };
    activation.push(r.activationMs);
    calls.push(r.activateCallMs);
  }
  return { activationMs: median(activation), activateCallMs: median(calls), vsixBytes, extensionBundleBytes, webviewBundleBytes };
}
