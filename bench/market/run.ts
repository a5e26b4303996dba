// `npm run bench:routing`: the routing benchmark on the real market. Prints the tables, writes the frontier charts
// to docs/images/ and merges `realMarket` into bench/results.json (every other figure there is kept).
// Options: --seeds N (default 3), --sweep-seeds N (default 1), --no-sweeps, and one more SALE row per pool with
// --weights '{"cost":3e-5}' (merged over the shipped defaults) and/or --jury panel|all|cheap|none|<id,id,...>.
import fs from 'node:fs';
import path from 'node:path';
import { frontierSvg } from './chart';
import { formatRealMarket } from './format';
import type { JuryConfig } from '../../src/common/auction/types';
import type { AuctionWeights } from '../../src/common/auction/weights';
import type { SaleVariant } from './experiments';
import { benchRealMarket, cheapJury, type MarketOptions, type RealMarketResults } from './index';

const root = path.resolve(import.meta.dirname, '../..');
export const RESULTS_FILE = path.join(root, 'bench/results.json');
export const chartFile = (poolId: string): string => path.join(root, `docs/images/routing-frontier-${poolId}.svg`);

/** Runs the benchmark and writes its charts; returns the results for bench/results.json. */
export async function runRealMarket(opts: MarketOptions = {}): Promise<RealMarketResults> {
  const r = await benchRealMarket(opts);
  for (const [id, p] of Object.entries(r.pools)) {
    if (p.qualitySweep.length) fs.writeFileSync(chartFile(id), (await frontierSvg(p, id, r.publishedQuality)) + '\n');
  }
  return r;
}

function argNumber(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : undefined;
}

function argText(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A SALE configuration from --weights and --jury, or none when neither is given. */
export function customVariant(weightsJson: string | undefined, jury: string | undefined): ((pool: readonly string[]) => SaleVariant) | undefined {
  if (weightsJson === undefined && jury === undefined) return undefined;
  const weights = (weightsJson ? JSON.parse(weightsJson) : {}) as Partial<AuctionWeights>;
  return (pool) => {
    const config: JuryConfig | undefined =
      jury === undefined || jury === 'panel' ? undefined : jury === 'all' ? { mode: 'all' } : jury === 'none' ? { mode: 'none' } : jury === 'cheap' ? cheapJury(pool) : { mode: 'subset', jurors: jury.split(',') };
    return { name: `sale (custom: weights ${JSON.stringify(weights)}, jury ${jury ?? 'panel'}, refinement)`, refinement: true, weights, ...(config ? { jury: config } : {}) };
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const r = await runRealMarket({
    seeds: argNumber('--seeds'),
    sweepSeeds: argNumber('--sweep-seeds'),
    sweeps: !process.argv.includes('--no-sweeps'),
    custom: customVariant(argText('--weights'), argText('--jury')),
    log: (line) => console.log(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`),
  });
  console.log(formatRealMarket(r));
  const existing: Record<string, unknown> = fs.existsSync(RESULTS_FILE) ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({ ...existing, realMarket: r, realMarketDate: new Date().toISOString() }, null, 2) + '\n');
  console.log(`\nwrote bench/results.json (realMarket) and docs/images/routing-frontier-*.svg in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
