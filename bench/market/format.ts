// Markdown tables of the real-market benchmark (printed by `npm run bench:routing`, pasted into the README).
import type { PoolResults, RealMarketResults, SweepPoint } from './index';
import { PRIOR_LABELS } from './signalLimit';
import { BUCKETS, type Row, type Stat } from './stats';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const usd = (x: number): string => `$${x.toFixed(2)}`;
const spread = (s: Stat, f: (x: number) => string): string => (s.sd > 0 ? `${f(s.mean)} ± ${f(s.sd).replace('$', '')}` : f(s.mean));

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function passAt1Table(p: PoolResults): string {
  return table(
    ['router', 'pass@1', 'cost', `cost vs always ${p.largest}`, `${p.largest}'s share of runs`, 'auction overhead / execution'],
    p.passAt1.map((r) => [r.router, spread(r.passAt1, pct), spread(r.costUsd, usd), pct(r.costVsLargest), pct(r.largestShare.mean), r.auctionUsd.mean > 0 ? pct(r.auctionShare.mean) : '–']),
  );
}

export function withinKTable(p: PoolResults): string {
  return table(
    ['router', 'resolved within k', 'k', 'attempts / task', 'cost', '$ on failed attempts', `cost vs always ${p.largest}`, `${p.largest}'s share of runs`, 'auction overhead / execution'],
    p.withinK.map((r) => [r.router, spread(r.resolved, pct), String(r.k), r.meanAttempts.mean.toFixed(2), spread(r.costUsd, usd), usd(r.failedUsd.mean), pct(r.costVsLargest), pct(r.largestShare.mean), r.auctionUsd.mean > 0 ? pct(r.auctionShare.mean) : '–']),
  );
}

export function bucketTable(p: PoolResults, rows: readonly Row[]): string {
  const first = rows[0];
  const head = ['router', ...BUCKETS.map((b) => `${b} (${first?.byBucket[b].tasks ?? 0} tasks)`)];
  return table(
    head,
    rows.map((r) => [r.router, ...BUCKETS.map((b) => `${pct(r.metric === 'pass@1' ? r.byBucket[b].passAt1 : r.byBucket[b].resolved)} · ${usd(r.byBucket[b].costUsd)}`)]),
  );
}

export function sweepTable(points: readonly SweepPoint[], k: number): string {
  return table(
    ['signal quality d', 'jury', 'cost weight', 'AUROC: one juror', 'AUROC: entropy', 'AUROC: value term V', 'SALE pass@1', 'cost', 'auction $', `within ${k}`, 'cost', 'attempts'],
    points.map((s) => [
      String(s.quality),
      s.jury,
      `${s.costWeight} (${s.costMode})`,
      s.auroc.juror.toFixed(3),
      s.auroc.entropy.toFixed(3),
      s.auroc.value.toFixed(3),
      pct(s.passAt1.mean),
      usd(s.costUsd.mean),
      usd(s.auctionUsd.mean),
      pct(s.resolvedWithinK.mean),
      usd(s.costWithinK.mean),
      s.attemptsWithinK.mean.toFixed(2),
    ]),
  );
}

/** The signal limit (signalLimit.ts): the best pass@1 a generous reference policy reading the modelled signals reaches within the budget. */
export function signalLimitTable(p: PoolResults): string {
  const l = p.signalLimit;
  const cell = (x: { passAt1: Stat; executionUsd: Stat } | undefined): string => (x ? `${pct(x.passAt1.mean)} ± ${pct(x.passAt1.sd).replace('%', '')} (execution ${usd(x.executionUsd.mean)}, at most ${usd(x.executionUsd.max)})` : 'nothing fits');
  return table(
    ['signal quality d', "the models' rates", 'bids read per model', `best pass@1 within ${usd(l.budgetUsd)} in every seed, auction free`, 'after the auction'],
    l.rows.map((r) => [String(r.quality), r.prior, String(r.draws), cell(r.freeAuction), `${cell(r.withSaleAuction)} after ${usd(r.auctionUsd)}`]),
  );
}

/** The issue's two targets, checked against what was measured. */
export function targets(r: RealMarketResults, poolId = 'mixed'): string[] {
  const p = r.pools[poolId];
  if (!p) return [];
  const half = p.alwaysLargest.costUsd / 2;
  const third = p.alwaysLargest.costUsd / 3;
  const out: string[] = [];
  const sale = p.passAt1.filter((x) => x.kind === 'modelled-signals');
  const hit1 = sale.filter((x) => x.passAt1.mean >= p.alwaysLargest.passAt1 && x.costUsd.mean <= half);
  out.push(
    `pass@1 target (>= ${pct(p.alwaysLargest.passAt1)} at <= ${usd(half)}) at published signal quality d=${r.publishedQuality}: ${hit1.length ? `MET by ${hit1.map((x) => x.router).join(', ')}` : `NOT MET (best SALE pass@1 ${pct(Math.max(...sale.map((x) => x.passAt1.mean)))})`}`,
  );
  for (const jury of ['panel', 'cheap']) {
    const reach = p.qualitySweep.find((s) => s.jury === jury && s.passAt1.mean >= p.alwaysLargest.passAt1 && s.costUsd.mean <= half);
    out.push(
      `  jury ${jury}: ${reach ? `first reached at d=${reach.quality} (one juror's AUROC ${reach.auroc.juror.toFixed(3)}, value term's ${reach.auroc.value.toFixed(3)}): ${pct(reach.passAt1.mean)} at ${usd(reach.costUsd.mean)}` : 'not reached at any swept quality'}`,
    );
  }
  for (const prior of [PRIOR_LABELS.known, PRIOR_LABELS.learned]) {
    for (const limit of p.signalLimit.rows.filter((x) => x.quality === r.publishedQuality && x.prior === prior)) {
      const reach = (x: typeof limit.freeAuction): string => (x ? `${pct(x.passAt1.mean)}${x.passAt1.mean >= p.alwaysLargest.passAt1 ? ' (reaches it)' : ' (does not)'}` : 'nothing fits');
      out.push(`  reference policy at d=${r.publishedQuality} (${prior}, ${limit.draws} bid${limit.draws === 1 ? '' : 's'} per model): ${reach(limit.freeAuction)} with a free auction, ${reach(limit.withSaleAuction)} after ${usd(limit.auctionUsd)}`);
    }
  }
  const first = p.signalLimit.rows.find((x) => x.draws === 1 && x.withSaleAuction !== undefined && x.withSaleAuction.passAt1.mean >= p.alwaysLargest.passAt1);
  out.push(`  reference policy, one bid per model, after SALE's auction: ${first ? `first reaches it at d=${first.quality} (${first.prior})` : 'reaches it at no swept quality'}`);
  const esc = p.withinK.filter((x) => x.kind === 'modelled-signals');
  const hitK = esc.filter((x) => x.resolved.mean >= 0.8 && x.costUsd.mean <= third && x.meanAttempts.mean <= 1.5);
  out.push(`escalation target (>= 80.0% within ${r.pools[poolId]!.withinK.find((x) => x.kind === 'modelled-signals')?.k ?? 3} at <= ${usd(third)}, <= 1.5 attempts) at d=${r.publishedQuality}: ${hitK.length ? `MET by ${hitK.map((x) => x.router).join(', ')}` : 'NOT MET'}`);
  for (const jury of ['panel', 'cheap']) {
    const reach = p.qualitySweep.find((s) => s.jury === jury && s.resolvedWithinK.mean >= 0.8 && s.costWithinK.mean <= third && s.attemptsWithinK.mean <= 1.5);
    out.push(
      `  jury ${jury}: ${reach ? `first reached at d=${reach.quality} (one juror's AUROC ${reach.auroc.juror.toFixed(3)}): ${pct(reach.resolvedWithinK.mean)} at ${usd(reach.costWithinK.mean)}, ${reach.attemptsWithinK.mean.toFixed(2)} attempts` : 'not reached at any swept quality'}`,
    );
  }
  return out;
}

export function formatRealMarket(r: RealMarketResults): string {
  const parts: string[] = [`ROUTING ON A REAL MARKET — ${r.label}`, `${r.tasks} tasks, seeds ${r.seeds.join(', ')} (mean ± sd); shipped weights ${JSON.stringify(r.shippedWeights)}; SALE rows at signal quality d=${r.publishedQuality}`];
  for (const [id, p] of Object.entries(r.pools)) {
    parts.push(`\n## Pool "${id}": ${p.label} (${p.models.join(', ')})\n`);
    parts.push('### pass@1 (first attempt only)\n', passAt1Table(p));
    parts.push('\n### resolved within k attempts (a perfect checker; every attempt paid)\n', withinKTable(p));
    parts.push('\n### by difficulty (pass@1 · cost)\n', bucketTable(p, p.passAt1));
    parts.push('\n### by difficulty (resolved within k · cost)\n', bucketTable(p, p.withinK));
    if (p.qualitySweep.length) parts.push(`\n### signal-quality sweep (SALE without refinement, seeds ${r.sweepSeeds.join(', ')})\n`, sweepTable(p.qualitySweep, 3));
    if (p.costWeightSweep.length) parts.push(`\n### cost-weight sweep at d=${r.publishedQuality} (shipped: ${r.shippedWeights.cost})\n`, sweepTable(p.costWeightSweep, 3));
    parts.push(`\n### signal limit: a reference policy reading the same signals (${p.signalLimit.signals.join(', ')}; a generous reference policy, not a router and not a proven bound)\n`, signalLimitTable(p));
    parts.push('\n### targets\n', ...targets(r, id));
  }
  return parts.join('\n');
}
