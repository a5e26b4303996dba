import type { AuctionWeights } from '../auction/weights';
import type { Rate } from './calibration';
import type { JurorCalibration, ModelRates } from './insights';
import type { WeightFitResult } from './weightFit';
import type { ReplayDollars, ReplayPick, ReplayTotals, WeightReplay } from './weightReplay';
import { usd } from '../protocol/format';

/**
 * The fit and its replay as a Markdown page the user reads before adopting the weights: what changes, what the
 * past auctions would have picked, with the outcomes known and unknown, and measured and estimated dollars apart.
 * English only: the command shows it as a document (the surrounding buttons and messages are localised).
 */
export function weightFitMarkdown(
  fit: WeightFitResult,
  replay: WeightReplay,
  current: AuctionWeights,
  calibration?: { jurors: readonly JurorCalibration[]; models: readonly ModelRates[] },
  maxRows = 200,
): string {
  const lines: string[] = [];
  lines.push('# Auction weights fitted to this workspace', '');
  lines.push(
    `Fitted on ${fit.auctions.length} auctions with a verdict (${fit.skipped.length} left out). The fit minimises the worst auction's loss: how far the weights are from ranking a bid whose work was accepted (or passed its tests) ${fit.margin} score points ahead of the other bids, and, where only failures ran, some bid that did not run ahead of the failures.`,
    '',
  );
  lines.push(`Worst loss: **${num(fit.worstLoss)}** with the fitted weights, ${num(fit.currentWorstLoss)} with the weights in force (0: every auction ranked as its outcome says, by the margin). Mean loss ${num(fit.meanLoss)}. Solver: ${fit.method}, ${fit.status === 'optimal' ? 'optimum proven' : 'best found, optimum not proven'}.`, '');

  lines.push('## Weights', '', '| weight | in force | fitted |', '|---|---|---|');
  lines.push(`| cost (w_c, ${current.costMode ?? 'work'} mode) | ${num(current.cost)} | ${num(fit.weights.cost)} |`);
  lines.push(`| confidence (w_h) | ${num(current.entropy)} | ${num(fit.weights.entropy)} |`);
  lines.push(`| jury (shared by unnamed jurors) | ${num(current.jury)} | ${num(fit.weights.jury)} |`);
  const jurors = [...new Set([...Object.keys(current.jurors ?? {}), ...Object.keys(fit.weights.jurors ?? {})])].sort();
  for (const j of jurors) lines.push(`| juror \`${j}\` | ${current.jurors?.[j] === undefined ? 'share of jury' : num(current.jurors[j])} | ${fit.weights.jurors?.[j] === undefined ? 'share of jury' : num(fit.weights.jurors[j])} |`);
  if (current.record !== undefined) lines.push(`| track record (w_r, not fitted) | ${num(current.record)} | ${num(fit.weights.record ?? current.record)} |`);
  lines.push('');

  lines.push('## Replay of the past auctions', '');
  lines.push(
    `${replay.rows.length} auctions replayed with the engine's own scorer; the fitted weights pick another bid in **${replay.changed}**: they move away from ${replay.avoidedFailures} bid(s) known to have failed and from ${replay.lostSuccesses} bid(s) known to have succeeded.`,
    'An outcome is known only when the picked bid was executed and judged (review, undo, tests, a failed run); a bid that never ran stays **unknown**, whatever its jury said. Dollars are **measured** (real execution dollars of the picked bid) or **estimated** (this model\'s mean measured run here, or the auction\'s executed bid scaled by the recorded ratio of expected costs).',
    '',
    '| | in force | fitted |',
    '|---|---|---|',
    ...totalsRows(replay.current, replay.fitted),
    '',
  );
  if (replay.notReplayed.length) lines.push(`Not replayed: ${replay.notReplayed.length} auction(s) whose recorded terms could not be read (first reason: ${replay.notReplayed[0]!.reason}).`, '');

  const changed = replay.rows.filter((r) => r.changed);
  lines.push('### Auctions where the pick changes', '');
  if (changed.length === 0) lines.push('None: the fitted weights route every past auction as the weights in force do.', '');
  else {
    lines.push('| auction | task | in force | fitted |', '|---|---|---|---|');
    for (const r of changed.slice(-maxRows).reverse()) lines.push(`| ${r.time.slice(0, 16).replace('T', ' ')} | ${cell(r.task, 60)} | ${pick(r.current)} | ${pick(r.fitted)} |`);
    if (changed.length > maxRows) lines.push('', `(${changed.length - maxRows} older changed auctions not shown.)`);
    lines.push('');
  }
  const binding = fit.auctions.filter((a) => a.binding).map((a) => a.auctionId);
  if (binding.length) lines.push(`Auctions that decide the worst loss: ${binding.map((id) => `\`${id}\``).join(', ')}.`, '');
  if (fit.skipped.length) {
    lines.push('### Left out of the fit', '');
    const reasons = new Map<string, number>();
    for (const s of fit.skipped) reasons.set(s.reason.replace(/^bid \S+'s/, "a bid's"), (reasons.get(s.reason.replace(/^bid \S+'s/, "a bid's")) ?? 0) + 1);
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`- ${n} × ${reason}`);
    lines.push('');
  }
  if (calibration) lines.push(...calibrationSection(calibration.jurors, calibration.models));
  lines.push('## Adopting them', '', 'Choose **Use These Weights** to write them to this workspace\'s settings (`sale.auction.weights.*`). To go back, choose **Reset Auction Weights** in the same command\'s buttons, or remove those settings from `.vscode/settings.json`.', '');
  return lines.join('\n');
}

/**
 * How each juror's scores and each model's work met real outcomes here, the evidence behind the fit: a juror with
 * an AUROC near 0.5 ranks successes no better than chance, whatever weight it has.
 */
function calibrationSection(jurors: readonly JurorCalibration[], models: readonly ModelRates[]): string[] {
  const out = ['## Calibration in this workspace', '', 'From every executed bid with a verdict (accepted, partly accepted or tests passed count as success). Rates with a 90% Wilson interval.', ''];
  out.push('| juror | bids scored | AUROC (± se) | Brier | mean score, success / failure |', '|---|---|---|---|---|');
  for (const j of jurors) {
    const auc = j.auroc ? `${num(j.auroc.auc)} ± ${num(j.auroc.se)} (${j.auroc.positives}+ / ${j.auroc.negatives}−)` : 'needs a success and a failure';
    out.push(`| \`${j.jurorId}\` | ${j.observations} | ${auc} | ${j.brier === undefined ? '—' : num(j.brier)} | ${meanOr(j.meanScoreSuccess)} / ${meanOr(j.meanScoreFailure)} |`);
  }
  out.push('', '| model | success | accepted in review | tests passed | actual / expected cost |', '|---|---|---|---|---|');
  for (const m of models) out.push(`| \`${m.modelId}\` | ${rate(m.success)} | ${rate(m.accept)} | ${rate(m.testsPassed)} | ${m.cost?.actualOverEstimated === undefined ? '—' : `${num(m.cost.actualOverEstimated)}× over ${m.cost.runs} run(s)`} |`);
  out.push('');
  return out;
}

function rate(r: Rate): string {
  return r.n === 0 || r.rate === undefined ? '—' : `${Math.round(r.rate * 100)}% (${Math.round(r.low * 100)}–${Math.round(r.high * 100)}%, n = ${r.n})`;
}

function meanOr(x: number | undefined): string {
  return x === undefined ? '—' : x.toFixed(1);
}

function totalsRows(a: ReplayTotals, b: ReplayTotals): string[] {
  return [
    `| known successes | ${a.good} | ${b.good} |`,
    `| known failures | ${a.bad} | ${b.bad} |`,
    `| unknown outcome | ${a.unknown} | ${b.unknown} |`,
    `| dollars measured | ${usd(a.measuredUsd)} | ${usd(b.measuredUsd)} |`,
    `| dollars estimated | ${usd(a.estimatedUsd)} | ${usd(b.estimatedUsd)} |`,
    `| picks with unknown dollars | ${a.unpriced} | ${b.unpriced} |`,
  ];
}

function pick(p: ReplayPick): string {
  const outcome = p.outcome === 'unknown' ? (p.executed ? 'ran, no verdict' : 'never ran: unknown') : `${p.outcome === 'good' ? '✔' : '✘'} ${p.label}`;
  return `\`${p.modelId}\` — ${outcome}, ${dollars(p.dollars)}`;
}

function dollars(d: ReplayDollars): string {
  if (d.basis === 'measured') return `${usd(d.usd)} measured`;
  if (d.basis === 'estimated') return `~${usd(d.usd)} estimated`;
  return 'dollars unknown';
}



function num(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** A table cell: one line, no pipes, at most `max` characters. */
function cell(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
