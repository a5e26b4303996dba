import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SaleApi } from '../../src/vscode/api';

/** What one cold activation measured; written as JSON to $SALE_BENCH_OUT. */
export interface ActivationRun {
  /** The extension's own clock: evaluation of its entry bundle to the end of activate(), host waits included. */
  activationMs: number;
  /** The activate() call itself. */
  activateMs: number;
  /** Loading and starting the core after activation (require of dist/core.js and startCore). */
  coreLoadMs: number | undefined;
  /** Loading each provider SDK bundle (dist/sdk/<name>.js), which the first call to such a model pays. */
  sdkLoadMs: Record<string, number>;
  /** Wall time of the `extension.activate()` call as this suite saw it (loading, host waits, activate). */
  activateCallMs: number;
  /** Reading, compiling and evaluating the entry bundle, from the host's own marks (whole milliseconds). */
  codeLoadMs: number | undefined;
  /** The host's marks from "will load the code" to "did activate": everything, host waits included. */
  hostSpanMs: number | undefined;
}

/**
 * Runs inside the real extension host for `npm run bench`: activates SALE cold and writes an `ActivationRun`. With
 * $SALE_BENCH_PROFILE set, also writes a CPU profile of the activation (and the core's load) to that path.
 */
export async function run(): Promise<void> {
  const out = process.env.SALE_BENCH_OUT;
  if (!out) throw new Error('SALE_BENCH_OUT is not set');
  const ext = vscode.extensions.getExtension<SaleApi>('sale-dev.sale-vscode');
  if (!ext) throw new Error('SALE is not installed in this host');
  if (ext.isActive) throw new Error('SALE was already active: activation would not be measured cold');
  const profiler = process.env.SALE_BENCH_PROFILE ? await startProfile() : undefined;
  const t0 = performance.now();
  const api = await ext.activate();
  const activateCallMs = performance.now() - t0;
  // Any member of the core's API loads the core if it has not loaded by now.
  api.failedContributions();
  if (profiler) await profiler.stop(process.env.SALE_BENCH_PROFILE ?? '');
  // Nothing has called a model yet, so the SDK bundles are not loaded: this is what the first model call adds.
  const sdkDir = path.join(ext.extensionPath, 'dist/sdk');
  const sdkLoadMs = Object.fromEntries(
    (fs.existsSync(sdkDir) ? fs.readdirSync(sdkDir) : [])
      .filter((f) => f.endsWith('.js'))
      .map((f) => {
        const t = performance.now();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(path.join(sdkDir, f));
        return [f.replace(/\.js$/, ''), performance.now() - t];
      }),
  );
  const r: ActivationRun = { activationMs: api.activationMs, activateMs: api.activateMs, coreLoadMs: api.coreLoadMs, sdkLoadMs, activateCallMs, ...hostMarks(ext.id) };
  fs.writeFileSync(out, JSON.stringify(r));
}

async function startProfile(): Promise<{ stop(path: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) => new Promise<unknown>((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return {
    stop: async (path) => {
      const r = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(path, JSON.stringify(r.profile));
      session.disconnect();
    },
  };
}

/**
 * What the host measured for SALE from its own performance marks (`code/extHost/willLoadExtensionCode/<id>` …
 * `didActivateExtension/<id>`, whole milliseconds, kept in `globalThis.MonacoPerformanceMarks`): loading the entry
 * bundle's code, and the whole span to "activated". Undefined when this host sets no such marks.
 */
function hostMarks(id: string): Pick<ActivationRun, 'codeLoadMs' | 'hostSpanMs'> {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks;
  const marks = perf?.getMarks() ?? [];
  const at = (what: string) => marks.find((m) => m.name === `code/extHost/${what}/${id}`)?.startTime;
  const span = (from?: number, to?: number) => (from === undefined || to === undefined ? undefined : to - from);
  const willLoad = at('willLoadExtensionCode');
  return { codeLoadMs: span(willLoad, at('didLoadExtensionCode')), hostSpanMs: span(willLoad, at('didActivateExtension')) };
}
