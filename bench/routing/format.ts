import type { RoutingResults } from './index';
import type { SettingResult } from './simulation';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const usd = (x: number): string => `$${x.toFixed(2)}`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function settingTable(s: SettingResult): string {
  const largest = s.routers['always-largest'];
  const rows = Object.entries(s.routers).map(([name, r]) => [
    name,
    pct(r.passRate),
    usd(r.cost),
    largest ? pct(r.cost / largest.cost - 1) : '',
    pct(r.largestShare),
    r.auctionTokenShare ? pct(r.auctionTokenShare) : '-',
    r.smallShareByWindow.map((x) => (100 * x).toFixed(0)).join(' '),
  ]);
  return table(['router', 'pass@1', 'cost', 'vs largest', 'largest share', 'auction tok / exec tok', 'small-model share % per window'], rows);
}

/** The console table: the default setting in full, then the sweep for the SALE variants. */
export function formatRoutingTable(r: RoutingResults): string {
  const d = r.defaultSetting;
  const out = [
    '=== Routing economics: SIMULATION ===',
    r.label,
    `Pool ($/Mtok): ${Object.entries(r.pool).map(([id, p]) => `${id} ${p}`).join(', ')}. Seed ${r.seed}.`,
    `SALE weights: ${Object.entries(r.weights).filter(([n]) => !n.endsWith('no-refinement')).map(([n, w]) => `${n} w_c=${w.cost.toPrecision(3)} w_h=${w.entropy} jury=${w.jury}`).join('; ')}.`,
    '',
    `Default setting: signal noise ${d.noise}, memory boost ${d.memoryBoost}, ${d.tasks} tasks (windows of 100 over the first 500 tasks).`,
    settingTable(r.default),
    `Each model alone (same draws): ${Object.entries(r.default.fixedModelPassRates).map(([id, p]) => `${id} ${pct(p)}`).join(', ')}.`,
  ];
  if (r.sweep.length > 0) {
    const names = Object.keys(r.sweep[0]!.routers).filter((n) => n.startsWith('sale'));
    const base = r.sweep[0]!.routers;
    out.push(
      '',
      `Sweep (${r.sweepTasks} tasks per point). Per SALE variant: pass@1 / cost / largest share. Noise 0 = signals track the true chance, 1 = useless.`,
      `Baselines (the same at every point): ${['always-largest', 'always-smallest', 'random', 'knn', 'cost-threshold'].map((n) => (base[n] ? `${n} ${pct(base[n].passRate)} / ${usd(base[n].cost)}` : '')).filter(Boolean).join('; ')}.`,
      table(
        ['noise', 'boost', ...names],
        r.sweep.map((s) => [String(s.noise), String(s.memoryBoost), ...names.map((n) => { const x = s.routers[n]!; return `${pct(x.passRate)} / ${usd(x.cost)} / ${pct(x.largestShare)}`; })]),
      ),
      '',
      'Small models\' share of executions (%) per window of 100 over the first 500 tasks, and auction tokens as a share of execution tokens:',
      table(
        ['noise', 'boost', ...names],
        r.sweep.map((s) => [String(s.noise), String(s.memoryBoost), ...names.map((n) => { const x = s.routers[n]!; return `${x.smallShareByWindow.map((w) => (100 * w).toFixed(0)).join(' ')} | ${pct(x.auctionTokenShare)}`; })]),
      ),
    );
  }
  return out.join('\n');
}
