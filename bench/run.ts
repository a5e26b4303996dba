// `npm run bench`: measures what the product exists for and prints a table; writes bench/results.json.
// Timings live here and in the README, never in tests.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCriticalPath } from './criticalPath';
import { benchDiff } from './diff';
import { benchExtension } from './extension';
import { formatRealMarket } from './market/format';
import { benchLearning } from './market/learning';
import { formatLearning } from './market/learningRun';
import { runRealMarket } from './market/run';
import { benchMemory } from './memory';
import { benchOverhead, overheadRows, overheadVariantRow } from './overhead';
import { OVERHEAD_TARGETS } from './overheadModel';
import { benchRouting, formatRoutingTable } from './routing/index';

const root = path.resolve(import.meta.dirname, '..');

function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

function gitCommit(): string {
  try {
    return execSync('git rev-parse HEAD', { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const realMarket = await runRealMarket({ log: (line) => console.log(`  real market: ${line}`) });
  console.log(formatRealMarket(realMarket));
  const learning = await benchLearning({ reference: realMarket, log: (line) => console.log(`  learning: ${line}`) });
  console.log(formatLearning(learning));
  const routing = await benchRouting();
  console.log(formatRoutingTable(routing));
  const criticalPath = await benchCriticalPath();
  const auctionOverhead = await benchOverhead();
  // The cap switched off, with jurors reading the digest and the whole context: what the full jury and refinement cost.
  const auctionOverheadUncapped = { digest: await benchOverhead('uncapped'), fullContext: await benchOverhead('uncapped-full-context') };
  const memory = await benchMemory((line) => console.log(`  memory: ${line}`));
  const extension = await benchExtension();
  const reviewDiff = benchDiff();
  const results = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: machine(),
    realMarket,
    learning,
    routing: { label: routing.label, defaultSetting: routing.defaultSetting, assumptionsFile: routing.assumptionsFile, sweep: routing.sweep },
    routers: routing.routers,
    auctionCriticalPathRatio: criticalPath.ratioWithRefinement,
    auctionCriticalPathPass: criticalPath.ratioWithRefinement <= OVERHEAD_TARGETS.criticalPath && criticalPath.ratioNoRefinement <= OVERHEAD_TARGETS.criticalPath,
    auctionCriticalPath: criticalPath,
    auctionOverhead,
    auctionOverheadUncapped,
    memoryTop5Ms: memory.memoryTop5Ms,
    memoryReload100kMs: memory.memoryReload100kMs,
    memoryReload100kTailMs: memory.memoryReload100kTailMs,
    memoryReload100kColdMs: memory.memoryReload100kColdMs,
    memorySnapshotWriteMs: memory.memorySnapshotWriteMs,
    memoryAppendMs: memory.memoryAppendMs,
    reviewDiffMs: reviewDiff.ms,
    reviewDiffWorstMs: reviewDiff.worstMs,
    reviewDiffWholeBlock: reviewDiff.wholeBlock,
    activationMs: extension.activationMs,
    activationCodeLoadMs: extension.codeLoadMs,
    activationActivateMs: extension.activateMs,
    activationOwnClockMs: extension.ownClockMs,
    activateCallMs: extension.activateCallMs,
    coreLoadMs: extension.coreLoadMs,
    sdkLoadMs: extension.sdkLoadMs,
    vsixBytes: extension.vsixBytes,
    extensionBundleBytes: extension.extensionBundleBytes,
    lazyBundleBytes: extension.lazyBundleBytes,
    webviewBundleBytes: extension.webviewBundleBytes,
    benchSeconds: 0,
  };
  results.benchSeconds = (Date.now() - started) / 1000;
  const rows: [string, string][] = [
    [`auction critical path, reply latency ${criticalPath.latencyMs} ms (1.0 = physical limit)`, `${criticalPath.ratioWithRefinement.toFixed(2)} with refinement${criticalPath.refinementRan.withRefinement ? '' : ' (skipped by the engine)'} · ${criticalPath.ratioNoRefinement.toFixed(2)} without (batched jury) · per-bid jury ${criticalPath.ratioPerBidWithRefinement.toFixed(2)} · per-bid, jury concurrency 2: ${criticalPath.ratioWithRefinementJuryLimit2.toFixed(2)} · target ≤ 1.1: ${criticalPath.ratioWithRefinement <= OVERHEAD_TARGETS.criticalPath ? 'pass' : 'FAIL'}`],
    ...overheadRows(auctionOverhead),
    ...[auctionOverhead, auctionOverheadUncapped.digest, auctionOverheadUncapped.fullContext].map(overheadVariantRow),
    ...Object.entries(results.memoryTop5Ms).map(([size, m]): [string, string] => [`memory top-5 over ${size} records (median)`, `lexical ${m.lexical.toFixed(2)} ms · embedding ${m.embedding.toFixed(2)} ms`]),
    ['memory reload of 100k records from the index snapshot (fresh process, median of 3)', `${results.memoryReload100kMs.toFixed(0)} ms · ${results.memoryReload100kTailMs.toFixed(0)} ms with 1,000 appended since`],
    ['memory reload of 100k records without a snapshot · writing the snapshot', `${(results.memoryReload100kColdMs / 1000).toFixed(1)} s · ${results.memorySnapshotWriteMs.toFixed(0)} ms`],
    ['memory durable append (median)', `${results.memoryAppendMs.toFixed(2)} ms`],
    ...Object.entries(reviewDiff.ms).map(([c, m]): [string, string] => [`review diff, ${c} (longest host-thread stretch, median of 3)`, `${m.toFixed(1)} ms (worst ${(reviewDiff.worstMs[c] ?? NaN).toFixed(1)} ms)${reviewDiff.wholeBlock[c] ? ' (one replaced block)' : ''}`]),
    ['activation as VS Code counts it (entry bundle code load + activate() call), median of 3', `${results.activationMs.toFixed(1)} ms (code load ${results.activationCodeLoadMs.toFixed(0)} ms · activate() ${results.activationActivateMs.toFixed(1)} ms)`],
    ['entry bundle evaluated → end of activate() by the extension\'s clock (host waits included), median of 3', `${results.activationOwnClockMs.toFixed(1)} ms`],
    ['activate() call as the test suite saw it (host waits included), median of 3', `${results.activateCallMs.toFixed(1)} ms`],
    ['core loaded and started after activation (dist/core.js), median of 3', `${results.coreLoadMs.toFixed(1)} ms`],
    ['SDK bundle loaded by the first call to such a model, median of 3', Object.entries(results.sdkLoadMs).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(' · ')],
    ['.vsix size', `${(results.vsixBytes / 1024).toFixed(0)} KiB`],
    ['extension entry bundle (loaded at activation)', `${(results.extensionBundleBytes / 1024).toFixed(1)} KiB`],
    ...Object.entries(results.lazyBundleBytes).map(([f, b]): [string, string] => [`lazily loaded bundle ${f}`, `${(b / 1024).toFixed(0)} KiB`]),
    ...Object.entries(results.webviewBundleBytes).map(([f, b]): [string, string] => [`webview bundle ${f}`, `${(b / 1024).toFixed(0)} KiB`]),
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nSALE benchmarks — ${results.date} — ${results.machine.cpus} cores, node ${results.machine.node}\n`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  fs.writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench/results.json in ${results.benchSeconds.toFixed(0)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
