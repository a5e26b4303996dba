import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActivationRun } from './host/index';
import { runExtensionHostSuite } from '../test/harness/extensionHost';
import { repoRoot, run, vsixPath } from '../test/harness/host';

export interface ExtensionFigures {
  /**
   * Activation as VS Code counts it ("Activation" in Developer: Show Running Extensions): loading the entry bundle's
   * code (the host's marks) plus the activate() call, median of runs. Falls back to `ownClockMs` when the host sets
   * no marks.
   */
  activationMs: number;
  /** Loading the entry bundle's code: reading, compiling, evaluating (host marks, median). */
  codeLoadMs: number;
  /** The activate() call itself (median). */
  activateMs: number;
  /** The extension's own clock, entry bundle evaluated → end of activate(), including the host's waits (median). */
  ownClockMs: number;
  /** Wall time of the `extension.activate()` call as the host suite saw it (median of runs). */
  activateCallMs: number;
  /** Loading and starting the core (dist/core.js) after activation (median): work moved out of activation. */
  coreLoadMs: number;
  /** Loading each provider SDK bundle, which the first call to a model of that kind pays (median). */
  sdkLoadMs: Record<string, number>;
  vsixBytes: number;
  extensionBundleBytes: number;
  /** Every bundle under dist/ beside the entry (the core, the SDKs), by file name. */
  lazyBundleBytes: Record<string, number>;
  webviewBundleBytes: Record<string, number>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sizes = (dir: string, keep: (file: string) => boolean) =>
  Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js') && keep(f))
      .map((f) => [f, fs.statSync(path.join(dir, f)).size]),
  );

/** Packages the extension (production build) and measures sizes and cold activation in code-server. */
export async function benchExtension(runs = 3): Promise<ExtensionFigures> {
  run('npm', ['run', '--silent', 'package']);
  const vsixBytes = fs.statSync(vsixPath()).size;
  const dist = path.join(repoRoot, 'dist');
  const extensionBundleBytes = fs.statSync(path.join(dist, 'extension.js')).size;
  const lazyBundleBytes = sizes(dist, (f) => f !== 'extension.js' && !f.startsWith('webview'));
  const webviewBundleBytes = sizes(path.join(dist, 'webview'), () => true);
  run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--production', '--bench']);
  const results: ActivationRun[] = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sale-bench-')), 'activation.json');
    const code = await runExtensionHostSuite({
      name: 'bench-activation',
      testsPath: path.join(repoRoot, 'out/bench/host/index'),
      env: { SALE_BENCH_OUT: out },
      echo: false,
    });
    if (code !== 0) throw new Error('The activation benchmark failed in the extension host (see test-results/bench-activation-workbench.log)');
    results.push(JSON.parse(fs.readFileSync(out, 'utf8')) as ActivationRun);
  }
  const m = (f: (r: ActivationRun) => number | undefined) => median(results.map((r) => f(r) ?? NaN));
  return {
    activationMs: m((r) => (r.codeLoadMs === undefined ? r.activationMs : r.codeLoadMs + r.activateMs)),
    codeLoadMs: m((r) => r.codeLoadMs),
    activateMs: m((r) => r.activateMs),
    ownClockMs: m((r) => r.activationMs),
    activateCallMs: m((r) => r.activateCallMs),
    coreLoadMs: m((r) => r.coreLoadMs),
    sdkLoadMs: Object.fromEntries(Object.keys(results[0]?.sdkLoadMs ?? {}).map((k) => [k, m((r) => r.sdkLoadMs[k])])),
    vsixBytes,
    extensionBundleBytes,
    lazyBundleBytes,
    webviewBundleBytes,
  };
}

// `node --import tsx bench/extension.ts` runs this piece alone (a few minutes less than `npm run bench`); it needs
// the real VS Code host, so serialise it with other users of code-server on a shared machine.
if (process.argv[1]?.endsWith('extension.ts')) {
  benchExtension().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => (console.error(e), process.exit(1)));
}
