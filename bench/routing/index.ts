// Routing economics: a SIMULATION that runs the real auction engine over simulated models and compares routers
// on one seeded task stream. Every assumed number is in bench/routing/assumptions.json with its source.
// `node --import tsx bench/routing/index.ts [--tasks N] [--seed S]` prints the table.
import { resolveWeights, type AuctionWeights } from '../../src/common/auction/weights';
import { ASSUMPTIONS_FILE, loadAssumptions } from './assumptions';
import { formatRoutingTable } from './format';
import { Simulation, type Setting, type SettingResult } from './simulation';

export { formatRoutingTable } from './format';

/** Everything the routing simulation produced. Plain JSON, deterministic for a seed (no timings inside). */
export interface RoutingResults {
  kind: 'simulation';
  /** Says plainly what these numbers are. */
  label: string;
  assumptionsFile: string;
  seed: number;
  /** The headline setting and its task count. */
  defaultSetting: Setting & { tasks: number };
  /** Pool prices, $ per million tokens. */
  pool: Record<string, number>;
  /** The engine weights of each SALE variant. */
  weights: Record<string, AuctionWeights>;
  /** Per router at the default setting: the figures bench/results.json keeps. */
  routers: Record<string, { passRate: number; cost: number; largestShare: number }>;
  /** Full per-router statistics at the default setting. */
  default: SettingResult;
  /** Every (noise × memory boost) point, `sweepTasks` tasks each, same seed. */
  sweep: SettingResult[];
  sweepTasks: number;
}

export interface RoutingOptions {
  /** Tasks at the default setting (default 1000). */
  tasks?: number;
  seed?: number;
  /** Tasks per sweep point (default min(500, tasks)). */
  sweepTasks?: number;
  /** Run the sweep (default true). */
  sweep?: boolean;
}

export const ROUTING_LABEL =
  'SIMULATION, not a measurement: the real auction engine (runAuction) over simulated models whose success chances, bid signals, token counts and memory effect are assumptions listed with their sources in ' +
  ASSUMPTIONS_FILE;

export async function benchRouting(opts: RoutingOptions = {}): Promise<RoutingResults> {
  const a = loadAssumptions();
  const seed = opts.seed ?? 1;
  const tasks = opts.tasks ?? 1000;
  const sweepTasks = Math.min(opts.sweepTasks ?? 500, tasks);
  const setting: Setting = { noise: a.signalNoise.default, memoryBoost: a.memoryBoost.default };

  const main = new Simulation(a, seed, tasks);
  const def = await main.run(setting);
  const sweepSim = sweepTasks === tasks ? main : new Simulation(a, seed, sweepTasks);
  const sweep: SettingResult[] = [];
  if (opts.sweep ?? true) {
    for (const noise of a.signalNoise.sweep) {
      for (const memoryBoost of a.memoryBoost.sweep) sweep.push(await sweepSim.run({ noise, memoryBoost }));
    }
  }
  return {
    kind: 'simulation',
    label: ROUTING_LABEL,
    assumptionsFile: ASSUMPTIONS_FILE,
    seed,
    defaultSetting: { ...setting, tasks },
    pool: Object.fromEntries(main.pool.map((m) => [m.id, m.pricePerMTok])),
    weights: Object.fromEntries(main.variants.map((v) => [v.name, resolveWeights(v.weights)])),
    routers: Object.fromEntries(Object.entries(def.routers).map(([name, s]) => [name, { passRate: s.passRate, cost: s.cost, largestShare: s.largestShare }])),
    default: def,
    sweep,
    sweepTasks,
  };
}

function argValue(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const started = Date.now();
  benchRouting({ tasks: argValue('--tasks'), seed: argValue('--seed') })
    .then((r) => {
      console.log(formatRoutingTable(r));
      console.log(`\n(routing simulation took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
