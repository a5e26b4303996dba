// `node --import tsx bench/market/costSweep.ts [--seeds N] [--pools mixed,ladder] [--weights 0,0.5,1]`: the cost
// weight w_c of the `work` cost term swept at the published signal quality, for choosing its default. Prints a
// table per pool (pass@1, total / execution / auction dollars, share of runs by the largest model) against the
// issue's target (always-largest's pass@1 at no more than half its cost). Writes nothing.
import type { JuryConfig } from '../../src/common/auction/types';
import { PAPER_COST_WEIGHT, type AuctionWeights } from '../../src/common/auction/weights';
import { loadMarket } from './data';
import { runSale } from './experiments';
import { figures, Market, runRouter } from './market';
import { cheapJury, PUBLISHED_QUALITY } from './index';
import { POOLS, largestOf } from './prices';
import { alwaysRouter } from './routers';
import { stat } from './stats';
import { shuffled } from './tune';


function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const data = loadMarket();
  const seeds = Array.from({ length: Number(arg('--seeds') ?? 1) }, (_, i) => 101 + i);
  const pools = (arg('--pools') ?? 'mixed').split(',');
  const weights = (arg('--weights') ?? '0,0.25,0.5,1,1.5,2,3,5').split(',').map(Number);
  const refinements = (arg('--refinement') ?? 'true').split(',').map((s) => s === 'true');
  const juries = (arg('--juries') ?? 'all,cheap').split(',') as ('all' | 'cheap')[];
  for (const poolId of pools) {
    const pool = [...POOLS[poolId]!.models];
    const largest = largestOf(pool);
    const always = figures(await runRouter(alwaysRouter(largest), new Market(data, pool), data.tasks, 1), 1, largest);
    console.log(`\n## ${poolId}: always ${largest} pass@1 ${(always.passAt1 * 100).toFixed(1)}% at $${always.costUsd.toFixed(0)}; target: ≥ that pass@1 at ≤ $${(always.costUsd / 2).toFixed(0)}`);
    console.log('| mode | w_c | jury | refinement | pass@1 | cost | execution | auction | largest share | runs |\n|---|---|---|---|---|---|---|---|---|---|');
    const variants: Partial<AuctionWeights>[] = [...weights.map((cost) => ({ cost, costMode: 'work' as const })), { cost: PAPER_COST_WEIGHT, costMode: 'paper' as const }];
    for (const refinement of refinements) {
      for (const jury of juries) {
        for (const w of variants) {
          const config: JuryConfig | undefined = jury === 'cheap' ? cheapJury(pool) : undefined;
          const runs = [];
          for (const seed of seeds) runs.push(await runSale(data, pool, shuffled(data.tasks, seed), { name: 'sweep', refinement, weights: w, ...(config ? { jury: config } : {}) }, PUBLISHED_QUALITY, seed, 1));
          const f = runs.map((r) => figures(r.records, 1, largest));
          const mean = (pick: (x: (typeof f)[number]) => number): number => stat(f.map(pick)).mean;
          const allRuns: Record<string, number> = {};
          for (const x of f) for (const [m, n] of Object.entries(x.runs)) allRuns[m] = (allRuns[m] ?? 0) + n / f.length;
          console.log(
            `| ${w.costMode} | ${w.cost} | ${jury} | ${refinement ? 'on' : 'off'} | ${(mean((x) => x.passAt1) * 100).toFixed(1)}% | $${mean((x) => x.costUsd).toFixed(0)} | $${mean((x) => x.executionUsd).toFixed(0)} | $${mean((x) => x.decisionUsd).toFixed(0)} | ${(mean((x) => x.largestShare) * 100).toFixed(1)}% | ${Object.entries(allRuns)
              .sort((a, b) => b[1] - a[1])
              .map(([m, n]) => `${m} ${Math.round(n)}`)
              .join(', ')} |`,
          );
        }
      }
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
