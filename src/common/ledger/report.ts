import {
  type AuctionRow,
  type CostReport,
  type Counterfactual,
  type DayRow,
  type ModelRow,
  type PhaseRow,
  REPORT_PHASES,
  type ReportPhase,
  type SpendFigure,
} from '../protocol/report';
import type { AuctionFact, AuctionOutcome, LedgerCallEntry, LedgerLine, PoolModel } from './entry';
import { escalationSummary } from './escalationReport';
import { addCall, dayOf, daysBetween, emptySpend } from './spend';

/** Options of `buildCostReport`. */
export interface CostReportOptions {
  /** Shown as the report's title, e.g. the workspace folder name. */
  scope: string;
  /** The report's time stamp; defaults to now. */
  now?: Date;
  /**
   * The current pool with prices, for the "largest model's executions" figure only (its model is the most expensive
   * priced model of this pool; without it, of the recorded pools; without those, of the priced models in the ledger).
   * The savings never use it: each auction's reference is the one recorded with it (src/common/ledger/savings.ts).
   */
  pool?: readonly PoolModel[];
  /** Minutes east of UTC for day boundaries (per-day spend); defaults to 0 (UTC). */
  utcOffsetMinutes?: number;
  /** How many ledger lines the reader skipped; shown as a warning. */
  skippedLines?: number;
  /** How many unknown-price calls to list by name; defaults to 20. */
  maxUnknownExamples?: number;
}

/** Phases that are the auction's own cost (the overhead): bidding, jury, refinement. */
export const OVERHEAD_PHASES: readonly ReportPhase[] = ['bidding', 'jury', 'refinement'];
const ALWAYS_SHOWN_PHASES: readonly ReportPhase[] = ['bidding', 'jury', 'refinement', 'embedding', 'execution'];
const ACCEPTED: ReadonlySet<AuctionOutcome> = new Set(['accepted', 'partially-accepted']);
const DECIDED: ReadonlySet<AuctionOutcome> = new Set(['accepted', 'partially-accepted', 'rejected', 'undone', 'failed']);

import { largestModel } from './reference';
import { honestSavings, type SavingsSummary } from './savings';

export { largestModel, type ReferenceModel } from './reference';

/**
 * Builds the cost report from ledger lines (calls and auction facts, in file order). Pure: the same lines and
 * options give the same report. See `CostReport` in src/common/protocol/report.ts for what every figure means.
 */
export function buildCostReport(lines: readonly LedgerLine[], options: CostReportOptions): CostReport {
  const calls = lines.filter((l): l is LedgerCallEntry => l.kind === 'call');
  const facts = lines.filter((l): l is AuctionFact => l.kind === 'auction');
  const offset = options.utcOffsetMinutes ?? 0;

  const totals = emptySpend();
  let failedKnownUsd = 0;
  const phases = new Map<ReportPhase, SpendFigure>(REPORT_PHASES.map((p) => [p, emptySpend()]));
  const locality = { local: emptySpend(), remote: emptySpend() };
  const models = new Map<string, ModelRow>();
  const unknownByModel = new Map<string, number>();
  let unreportedUsageCalls = 0;
  const unknownExamples: CostReport['unknownPrices']['examples'] = [];
  const maxExamples = options.maxUnknownExamples ?? 20;

  for (const e of calls) {
    const c = e.call;
    addCall(totals, e);
    if (!c.ok && e.dollars !== null) failedKnownUsd += e.dollars;
    addCall(phases.get(c.phase) ?? emptySpend(), e);
    addCall(c.local ? locality.local : locality.remote, e);
    const row = models.get(c.modelId) ?? newModelRow(c.modelId, c.model, c.local);
    row.model = c.model;
    addCall(row, e);
    if (!row.priceSources.includes(e.priceSource)) row.priceSources.push(e.priceSource);
    models.set(c.modelId, row);
    if (e.dollars === null) {
      // A priced call without dollars: its provider reported no usage. Unknown like an unpriced call, never $0.
      if (c.price && c.usage.unreported) unreportedUsageCalls += 1;
      unknownByModel.set(c.modelId, (unknownByModel.get(c.modelId) ?? 0) + 1);
      if (unknownExamples.length < maxExamples) {
        unknownExamples.push({ time: c.time, modelId: c.modelId, phase: c.phase, auctionId: c.auctionId ?? null });
      }
    }
  }

  const auctions = buildAuctionRows(calls, facts);
  for (const a of auctions) {
    if (!a.executedBy) continue;
    const row = models.get(a.executedBy) ?? newModelRow(a.executedBy, a.executedBy, false);
    models.set(a.executedBy, row);
    row.executions += 1;
    if (ACCEPTED.has(a.outcome)) row.accepted += 1;
    if (DECIDED.has(a.outcome)) row.decided += 1;
  }
  for (const row of models.values()) row.acceptRate = row.decided > 0 ? row.accepted / row.decided : null;

  const byPhase: PhaseRow[] = REPORT_PHASES.filter((p) => ALWAYS_SHOWN_PHASES.includes(p) || (phases.get(p)?.calls ?? 0) > 0).map(
    (phase) => {
      const f = phases.get(phase) ?? emptySpend();
      return { ...f, phase, share: ratio(f.knownUsd, totals.knownUsd) };
    },
  );

  const reference = largestModel(options.pool ?? []) ?? largestModel(facts.flatMap((f) => f.pool ?? [])) ?? largestModel(seenPricedModels(calls));
  const savings = honestSavings(lines);
  withSavings(auctions, savings);
  const { counterfactual, unavailable, perDayCounterfactual } = buildCounterfactual(savings, auctions, phases.get('shadow') ?? emptySpend(), offset);

  const auctionUsd = OVERHEAD_PHASES.reduce((sum, p) => sum + (phases.get(p)?.knownUsd ?? 0), 0);
  const executed = auctions.filter((a) => a.executedBy !== null);
  const byLargest = reference ? executed.filter((a) => a.executedBy === reference.modelId).length : 0;

  const times = calls.map((c) => c.call.time).sort();
  const first = times[0];
  const last = times[times.length - 1];

  return {
    version: 1,
    generatedAt: (options.now ?? new Date()).toISOString(),
    scope: options.scope,
    range: first && last ? { from: first, to: last } : null,
    totals: { ...totals, isLowerBound: totals.unknownPriceCalls > 0, failedKnownUsd },
    byModel: [...models.values()].sort((a, b) => b.knownUsd - a.knownUsd || a.modelId.localeCompare(b.modelId)),
    byPhase,
    locality,
    perDay: buildPerDay(calls, offset, perDayCounterfactual),
    auctions,
    counterfactual,
    counterfactualUnavailable: unavailable,
    overhead: { auctionUsd, share: ratio(auctionUsd, totals.knownUsd) },
    largestModel: {
      modelId: reference?.modelId ?? null,
      executions: executed.length,
      byLargest,
      share: reference && executed.length > 0 ? byLargest / executed.length : null,
    },
    unknownPrices: {
      calls: totals.unknownPriceCalls,
      unreportedUsageCalls,
      models: [...unknownByModel].map(([modelId, n]) => ({ modelId, calls: n })).sort((a, b) => b.calls - a.calls),
      examples: unknownExamples,
    },
    skippedLines: options.skippedLines ?? 0,
    escalation: escalationSummary(facts),
  };
}

/**
 * part / whole clamped to 0..1; null when the whole is 0. The parts are summed in a different order than the whole,
 * so floating-point rounding can put a share that is really 100% a hair above 1.
 */
function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : null;
}

function newModelRow(modelId: string, model: string, local: boolean): ModelRow {
  return { ...emptySpend(), modelId, model, local, priceSources: [], executions: 0, accepted: 0, decided: 0, acceptRate: null };
}

function seenPricedModels(calls: readonly LedgerCallEntry[]): PoolModel[] {
  return calls.flatMap((e) => (e.call.price ? [{ modelId: e.call.modelId, model: e.call.model, price: e.call.price }] : []));
}

/**
 * Merges an auction's calls and facts into one row. Facts are applied in file order, a later defined field
 * replacing an earlier one; the executor falls back to the model of the auction's first execution call.
 */
function buildAuctionRows(calls: readonly LedgerCallEntry[], facts: readonly AuctionFact[]): AuctionRow[] {
  const rows = new Map<string, AuctionRow>();
  const row = (id: string, time: string): AuctionRow => {
    let r = rows.get(id);
    if (!r) {
      r = {
        ...{ auctionId: id, task: null, startedAt: time, winnerModelId: null, executedBy: null, outcome: 'pending', spend: emptySpend(), byPhase: {} },
        ...{ referenceModelId: null, verdict: 'undecided', counterfactualUsd: null, savingsUsd: null, basis: null, regretUsd: null, shadow: null },
      };
      rows.set(id, r);
    }
    if (Date.parse(time) < Date.parse(r.startedAt)) r.startedAt = time;
    return r;
  };
  for (const f of facts) {
    const r = row(f.auctionId, f.time);
    if (f.task !== undefined) r.task = f.task;
    if (f.winnerModelId !== undefined) r.winnerModelId = f.winnerModelId;
    if (f.executedBy !== undefined) r.executedBy = f.executedBy;
    if (f.outcome !== undefined) r.outcome = f.outcome;
  }
  const executorFromCalls = new Map<string, string>();
  for (const e of calls) {
    const id = e.call.auctionId;
    if (id === undefined) continue;
    const r = row(id, e.call.time);
    addCall(r.spend, e);
    if (e.dollars !== null) r.byPhase[e.call.phase] = (r.byPhase[e.call.phase] ?? 0) + e.dollars;
    if (e.call.phase === 'execution' && !executorFromCalls.has(id)) executorFromCalls.set(id, e.call.modelId);
  }
  for (const r of rows.values()) r.executedBy ??= executorFromCalls.get(r.auctionId) ?? null;
  return [...rows.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || a.auctionId.localeCompare(b.auctionId));
}

/** Copies each auction's honest counterfactual onto its row (the rows and the savings share auction ids). */
function withSavings(rows: AuctionRow[], savings: SavingsSummary): void {
  const byId = new Map(savings.auctions.map((a) => [a.auctionId, a]));
  for (const r of rows) {
    const a = byId.get(r.auctionId);
    if (!a) continue;
    r.referenceModelId = a.reference?.modelId ?? null;
    r.verdict = a.verdict;
    r.counterfactualUsd = a.counterfactualUsd ?? null;
    r.savingsUsd = a.savingsUsd ?? null;
    r.basis = a.basis ?? null;
    r.regretUsd = a.regretUsd ?? null;
    r.shadow = a.shadow?.result ?? null;
  }
}

/**
 * The report's counterfactual from the honest per-auction savings: measured and estimated apart, spend with no
 * saving, shadow runs' own spend; per day, the counterfactual of the auctions that claim a saving (by start day).
 */
function buildCounterfactual(
  savings: SavingsSummary,
  rows: readonly AuctionRow[],
  shadowSpend: SpendFigure,
  offset: number,
): { counterfactual: Counterfactual | null; unavailable: string | null; perDayCounterfactual: Map<string, number> | null } {
  if (savings.auctions.length === 0) return { counterfactual: null, unavailable: 'No auction has run yet.', perDayCounterfactual: null };
  const claimed = rows.filter((r) => r.savingsUsd !== null && r.counterfactualUsd !== null);
  const perDay = new Map<string, number>();
  for (const r of claimed) {
    const day = dayOf(r.startedAt, offset);
    perDay.set(day, (perDay.get(day) ?? 0) + (r.counterfactualUsd ?? 0));
  }
  const claimedIds = new Set(claimed.map((r) => r.auctionId));
  return {
    counterfactual: {
      measured: savings.measured,
      estimated: savings.estimated,
      unsavedSpendUsd: savings.unsavedSpendUsd,
      unsavedAuctions: savings.unsavedAuctions,
      withoutReference: savings.withoutReference,
      actualIsLowerBound: savings.auctions.some((a) => claimedIds.has(a.auctionId) && a.spentIsLowerBound),
      shadow: { runs: savings.shadow.runs, passed: savings.shadow.passed, spend: shadowSpend },
    },
    unavailable: null,
    perDayCounterfactual: claimed.length > 0 ? perDay : null,
  };
}

function buildPerDay(calls: readonly LedgerCallEntry[], offset: number, counterfactual: Map<string, number> | null): DayRow[] {
  const days = new Map<string, DayRow>();
  for (const e of calls) {
    const day = dayOf(e.call.time, offset);
    const row = days.get(day) ?? { day, knownUsd: 0, counterfactualUsd: counterfactual ? 0 : null, calls: 0, unknownPriceCalls: 0 };
    row.calls += 1;
    if (e.dollars === null) row.unknownPriceCalls += 1;
    else row.knownUsd += e.dollars;
    days.set(day, row);
  }
  const sorted = [...days.keys()].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first && last) {
    for (const day of daysBetween(first, last)) {
      if (!days.has(day)) days.set(day, { day, knownUsd: 0, counterfactualUsd: counterfactual ? 0 : null, calls: 0, unknownPriceCalls: 0 });
    }
  }
  for (const [day, usd] of counterfactual ?? []) {
    const row = days.get(day);
    if (row) row.counterfactualUsd = usd;
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}
