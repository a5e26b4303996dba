import type { AuctionWeights } from '../auction/weights';
import type { AuctionLine, OutcomeLine } from '../memory/records';
import type { CostPoint, ModelInsight, ModelTimeline, RatePoint, ReplayInsight, RoutingInsights, WeightsFigure } from '../protocol/insights';
import { wilson } from './calibration';
import { jurorCalibration, modelRates } from './insights';
import { observationsOfAuction, type Observation } from './observations';
import type { Adoption } from './weightHistory';
import type { WeightReplay } from './weightReplay';

/**
 * The Routing insights view's data, built from the journal alone: the remembered auctions and their outcome lines.
 * - jurors: each juror's scores of executed bids against their verdicts (reliability, Brier, AUROC; insights.ts);
 * - models: auctions bid in and won, success / accept / tests-passed rates with Wilson intervals, expected versus
 *   actual execution cost;
 * - timeline: each model's cumulative rates after every auction that moved them (the auction's end time; a verdict
 *   counts at the time of the auction it belongs to);
 * - costPoints: every executed bid with a verdict whose expected and real dollars are both known;
 * - weights: those in force, their adoptions through the fit command, and a replay (built by the caller).
 */

/** A journal as the builder reads it: auction lines and each one's outcome lines. */
export interface InsightsJournal {
  auctions: readonly AuctionLine[];
  outcomes: ReadonlyMap<string, readonly OutcomeLine[]>;
  /** The memory holds older auctions that were not read. */
  truncated: boolean;
}

export interface InsightsOptions {
  scope: string;
  now: Date;
  weights: { inForce: AuctionWeights; fromWorkspace: boolean; adoptions: readonly Adoption[] };
  replay?: ReplayInsight;
}

/** The insights and the observations behind them (the CSV export lists those). */
export interface BuiltInsights {
  insights: RoutingInsights;
  observations: Observation[];
}

export function buildRoutingInsights(journal: InsightsJournal, options: InsightsOptions): BuiltInsights {
  const auctions = [...journal.auctions].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  // Each auction's observations, in auction order: the timeline walks them with their auction.
  const perAuction = auctions.map((a) => observationsOfAuction(a, journal.outcomes.get(a.id) ?? []));
  const observations = perAuction.flat();
  const first = auctions[0];
  const last = auctions[auctions.length - 1];
  const insights: RoutingInsights = {
    scope: options.scope,
    generatedAt: options.now.toISOString(),
    ...(first && last ? { range: { from: first.time, to: last.time } } : {}),
    auctions: auctions.length,
    truncated: journal.truncated,
    observations: observations.length,
    successes: observations.filter((o) => o.success).length,
    jurors: jurorCalibration(observations),
    models: modelInsights(auctions, observations),
    timeline: timelines(auctions, perAuction),
    costPoints: costPoints(observations),
    weights: { inForce: weightsFigure(options.weights.inForce), fromWorkspace: options.weights.fromWorkspace, adoptions: options.weights.adoptions.map((a) => ({ time: a.time, before: weightsFigure(a.before), after: weightsFigure(a.after) })) },
    ...(options.replay ? { replay: options.replay } : {}),
  };
  return { insights, observations };
}

/** The models that won each auction with a winner, and every model that bid in it. */
function participation(a: AuctionLine): { bidders: Set<string>; winner: string | undefined } {
  const bidders = new Set(a.bids.map((b) => b.modelId));
  const winner = a.winnerBidId === undefined ? undefined : a.bids.find((b) => b.bidId === a.winnerBidId)?.modelId;
  return { bidders, winner };
}

function modelInsights(auctions: readonly AuctionLine[], observations: readonly Observation[]): ModelInsight[] {
  const won = new Map<string, { auctions: number; decided: number; wins: number }>();
  for (const a of auctions) {
    const { bidders, winner } = participation(a);
    for (const m of bidders) {
      const w = won.get(m) ?? { auctions: 0, decided: 0, wins: 0 };
      w.auctions++;
      // Win rate counts only auctions that had a winner: a cancelled auction was nobody's loss.
      if (a.winnerBidId !== undefined) w.decided++;
      if (winner === m) w.wins++;
      won.set(m, w);
    }
  }
  const rates = new Map(modelRates(observations).map((r) => [r.modelId, r]));
  const none = wilson(0, 0);
  return [...new Set([...won.keys(), ...rates.keys()])].sort().map((modelId) => {
    const w = won.get(modelId) ?? { auctions: 0, decided: 0, wins: 0 };
    const r = rates.get(modelId);
    return {
      modelId,
      auctions: w.auctions,
      wins: wilson(w.wins, w.decided),
      success: r?.success ?? none,
      accept: r?.accept ?? none,
      testsPassed: r?.testsPassed ?? none,
      ...(r?.cost ? { cost: r.cost } : {}),
      ...(r?.actual ? { actual: r.actual } : {}),
    };
  });
}

type Tally = Record<'wins' | 'success' | 'accept' | 'testsPassed', { successes: number; n: number; points: RatePoint[] }>;

/** `perAuction[i]` holds the observations of `auctions[i]`. */
function timelines(auctions: readonly AuctionLine[], perAuction: readonly (readonly Observation[])[]): ModelTimeline[] {
  const tallies = new Map<string, Tally>();
  const tally = (modelId: string): Tally => {
    let t = tallies.get(modelId);
    if (!t) {
      const empty = () => ({ successes: 0, n: 0, points: [] as RatePoint[] });
      t = { wins: empty(), success: empty(), accept: empty(), testsPassed: empty() };
      tallies.set(modelId, t);
    }
    return t;
  };
  const count = (t: Tally[keyof Tally], ok: boolean, time: string) => {
    t.n++;
    if (ok) t.successes++;
    const lastPoint = t.points[t.points.length - 1];
    // Several verdicts of one auction make one point: the rate as of that auction.
    if (lastPoint?.time === time) t.points[t.points.length - 1] = { time, successes: t.successes, n: t.n };
    else t.points.push({ time, successes: t.successes, n: t.n });
  };
  for (const [i, a] of auctions.entries()) {
    const { bidders, winner } = participation(a);
    if (a.winnerBidId !== undefined) for (const m of bidders) count(tally(m).wins, m === winner, a.time);
    for (const o of perAuction[i] ?? []) {
      const t = tally(o.modelId);
      count(t.success, o.success, a.time);
      if (o.review !== undefined) count(t.accept, o.review !== 'rejected', a.time);
      if (o.testsPassed !== undefined) count(t.testsPassed, o.testsPassed, a.time);
    }
  }
  return [...tallies.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([modelId, t]) => ({ modelId, wins: t.wins.points, success: t.success.points, accept: t.accept.points, testsPassed: t.testsPassed.points }));
}

function costPoints(observations: readonly Observation[]): CostPoint[] {
  return observations.flatMap((o) =>
    o.expectedExecutionUsd !== undefined && o.execution?.dollars !== undefined
      ? [{ auctionId: o.auctionId, bidId: o.bidId, modelId: o.modelId, time: o.time, expectedUsd: o.expectedExecutionUsd, actualUsd: o.execution.dollars, success: o.success }]
      : [],
  );
}

/** The weights as the protocol carries them (only the fields that are set). */
export function weightsFigure(w: AuctionWeights): WeightsFigure {
  return {
    cost: w.cost,
    entropy: w.entropy,
    jury: w.jury,
    ...(w.costMode ? { costMode: w.costMode } : {}),
    ...(w.jurors && Object.keys(w.jurors).length ? { jurors: { ...w.jurors } } : {}),
    ...(w.rule ? { rule: w.rule } : {}),
    ...(w.qualityPreference !== undefined ? { qualityPreference: w.qualityPreference } : {}),
  };
}

/** Longest task text a replay row carries to the view. */
const TASK_CHARS = 200;

/** A weight replay (weightReplay.ts) as the view shows it: `baseline` is the replay's `current` side. */
export function replayInsight(kind: ReplayInsight['kind'], time: string, replay: WeightReplay, baseline: AuctionWeights, proposed: AuctionWeights): ReplayInsight {
  const pick = (p: WeightReplay['rows'][number]['current']) => ({ bidId: p.bidId, modelId: p.modelId, executed: p.executed, ...(p.label ? { label: p.label } : {}), outcome: p.outcome, dollars: p.dollars });
  return {
    kind,
    time,
    baseline: weightsFigure(baseline),
    proposed: weightsFigure(proposed),
    rows: replay.rows.map((r) => ({ auctionId: r.auctionId, time: r.time, task: r.task.length > TASK_CHARS ? `${r.task.slice(0, TASK_CHARS - 1)}…` : r.task, baseline: pick(r.current), proposed: pick(r.fitted), changed: r.changed })),
    baselineTotals: replay.current,
    proposedTotals: replay.fitted,
    changed: replay.changed,
    lostSuccesses: replay.lostSuccesses,
    avoidedFailures: replay.avoidedFailures,
    notReplayed: replay.notReplayed.length,
  };
}
