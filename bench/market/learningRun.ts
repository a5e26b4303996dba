// `node --import tsx bench/market/learningRun.ts`: what learning from real outcomes is worth (issue #20), on the
// real market. Prints the tables and merges `learning` into bench/results.json (every other figure there is kept;
// the tuned kNN and threshold rows shown beside come from its `realMarket`). Part of `npm run bench`.
// Options: --seeds N (default 5), --pools mixed,ladder.
import fs from 'node:fs';
import path from 'node:path';
import type { RealMarketResults } from './index';
import { benchLearning, type CalibrationFigures, type LearningResults, type WindowRow } from './learning';

const root = path.resolve(import.meta.dirname, '../..');
const RESULTS_FILE = path.join(root, 'bench/results.json');

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pm = (s: { mean: number; sd: number }, f: (x: number) => string, sdF: (x: number) => string = f): string => (s.sd > 0 ? `${f(s.mean)} ± ${sdF(s.sd)}` : f(s.mean));
const usd = (x: number): string => `$${x.toFixed(2)}`;
const pad = (cells: string[], widths: number[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [pad(header, widths), pad(widths.map((w) => '-'.repeat(w)), widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

function routingTables(rows: readonly WindowRow[], window: number): string {
  const overall = table(
    ['router', 'seeds', 'pass@1', 'cost'],
    rows.map((r) => [r.router, String(r.seeds), pm(r.passAt1, pct, (x) => (100 * x).toFixed(1)), pm(r.costUsd, usd, (x) => x.toFixed(2))]),
  );
  const windowed = rows.filter((r) => r.windows);
  const n = Math.max(...windowed.map((r) => r.windows!.length));
  const head = ['router (per window of ' + String(window) + ' tasks, mean over seeds)', ...Array.from({ length: n }, (_, i) => `w${i + 1}`)];
  const passRows = windowed.map((r) => [r.router, ...r.windows!.map((w) => (100 * w.passAt1.mean).toFixed(0))]);
  const costRows = windowed.map((r) => [r.router, ...r.windows!.map((w) => w.costUsd.mean.toFixed(1))]);
  return `${overall}\n\npass@1 (%) per window:\n${table(head, passRows)}\n\ndollars per window:\n${table(head, costRows)}`;
}

function calibrationTable(figs: readonly CalibrationFigures[]): string {
  return table(
    ['predictor', 'n', 'Brier', 'log loss', 'AUROC ± se', 'ECE'],
    figs.map((f) => [f.predictor, String(f.predictions), f.brier.toFixed(4), f.logLoss.toFixed(4), `${f.auroc.toFixed(3)} ± ${f.aurocSe.toFixed(3)}`, f.ece.toFixed(3)]),
  );
}

function reliabilityLine(f: CalibrationFigures): string {
  return f.reliability.map((b) => `${b.meanPredicted.toFixed(2)}→${(b.observed.rate ?? 0).toFixed(2)} [${b.observed.low.toFixed(2)}, ${b.observed.high.toFixed(2)}] n=${b.count}`).join(' · ');
}

export function formatLearning(r: LearningResults): string {
  const out: string[] = [`\nLEARNING FROM REAL OUTCOMES (issue #20): ${r.label}\n${r.tasks} tasks, seeds ${r.seeds.join(', ')}`];
  for (const [id, p] of Object.entries(r.pools)) {
    out.push(`\n== pool ${id}: ${p.label} (${p.models.join(', ')}) ==`);
    out.push(`\n(a) routing, one attempt per task, bandit feedback\n${routingTables(p.routing, r.window)}`);
    out.push(`\n(b) calibration on held-out tasks (5-fold over tasks, every pool model predicted on every held-out task)\n${calibrationTable([...p.calibration, p.onlineCalibration])}`);
    out.push(`reliability of the shipped design (mean predicted → observed [90% Wilson], n): ${reliabilityLine(p.calibration[0]!)}`);
    if (p.calibratedSale.length) {
      out.push(
        `\n(c) SALE (real runAuction, MODELLED jury and entropy signals at quality d, panel jury, no refinement): the engine's score rule vs the same auctions ranked by the learned predictor + expected utility\n` +
          table(
            ['d', 'q', 'seeds', 'score rule: pass@1', 'cost', 'auction', 'learned + EU: pass@1', 'cost', 'auction'],
            p.calibratedSale.map((c) => [
              String(c.quality),
              String(c.preference),
              String(c.seeds),
              pm(c.withoutCalibration.passAt1, pct, (x) => (100 * x).toFixed(1)),
              pm(c.withoutCalibration.costUsd, usd, (x) => x.toFixed(2)),
              usd(c.withoutCalibration.auctionUsd.mean),
              pm(c.withCalibration.passAt1, pct, (x) => (100 * x).toFixed(1)),
              pm(c.withCalibration.costUsd, usd, (x) => x.toFixed(2)),
              usd(c.withCalibration.auctionUsd.mean),
            ]),
          ),
      );
    }
  }
  return out.join('\n');
}

function argNumber(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** The results file's realMarket, when it has one (its tuned kNN and threshold rows are shown beside). */
export function storedRealMarket(): RealMarketResults | undefined {
  if (!fs.existsSync(RESULTS_FILE)) return undefined;
  return (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as { realMarket?: RealMarketResults }).realMarket;
}

async function main(): Promise<void> {
  const started = Date.now();
  const i = process.argv.indexOf('--pools');
  const reference = storedRealMarket();
  const r = await benchLearning({
    seeds: argNumber('--seeds'),
    ...(i >= 0 ? { pools: process.argv[i + 1]!.split(',') } : {}),
    ...(reference ? { reference } : {}),
    log: (line) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`),
  });
  console.log(formatLearning(r));
  const existing: Record<string, unknown> = fs.existsSync(RESULTS_FILE) ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({ ...existing, learning: r, learningDate: new Date().toISOString() }, null, 2) + '\n');
  const cpu = process.cpuUsage();
  console.log(`\nwrote bench/results.json (learning) in ${((Date.now() - started) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
