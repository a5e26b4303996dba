import { auroc, brier, reliability, wilson, type Auroc, type Rate, type ReliabilityBin, type Scored } from './calibration';
import type { Observation } from './observations';

/**
 * Calibration summaries for a routing-insights view: how each juror's scores relate to real outcomes, and how
 * each model does (accept rate, tests-passed rate, overall and on similar tasks; estimated versus actual cost and
 * tokens). Every figure comes with its count and, where it is a rate, a Wilson 90% interval.
 */

/** One juror's scores of executed bids against their outcomes. */
export interface JurorCalibration {
  jurorId: string;
  /** Executed bids with a verdict this juror scored. */
  observations: number;
  /** Its scores as a ranking of success (undefined without both a success and a failure). */
  auroc?: Auroc;
  /** Brier score of score / 5 read as a chance of success. */
  brier?: number;
  /** Reliability of score / 5 in six bins: each whole Likert score 0..5 has a bin of its own. */
  reliability: ReliabilityBin[];
  /** Mean score of the bids that succeeded and of those that failed. */
  meanScoreSuccess?: number;
  meanScoreFailure?: number;
}

export function jurorCalibration(observations: readonly Observation[]): JurorCalibration[] {
  const byJuror = new Map<string, { score: number; success: boolean }[]>();
  for (const o of observations) {
    for (const [jurorId, score] of Object.entries(o.jury)) {
      const list = byJuror.get(jurorId);
      if (list) list.push({ score, success: o.success });
      else byJuror.set(jurorId, [{ score, success: o.success }]);
    }
  }
  return [...byJuror.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([jurorId, list]) => {
      const asChance: Scored[] = list.map((e) => ({ p: e.score / 5, success: e.success }));
      const a = auroc(asChance);
      const b = brier(asChance);
      const mean = (xs: number[]): number | undefined => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined);
      const ms = mean(list.filter((e) => e.success).map((e) => e.score));
      const mf = mean(list.filter((e) => !e.success).map((e) => e.score));
      return {
        jurorId,
        observations: list.length,
        ...(a ? { auroc: a } : {}),
        ...(b !== undefined ? { brier: b } : {}),
        reliability: reliability(asChance, 6),
        ...(ms !== undefined ? { meanScoreSuccess: ms } : {}),
        ...(mf !== undefined ? { meanScoreFailure: mf } : {}),
      };
    });
}

/** Estimated against actual execution cost over the runs that have both. */
export interface CostAccuracy {
  runs: number;
  meanEstimatedUsd: number;
  meanActualUsd: number;
  /** Σ actual / Σ estimated: above 1, executions cost more than the auction expected. */
  actualOverEstimated?: number;
  /** Token counts over the runs with an estimate of them. */
  tokens?: { runs: number; meanEstimatedInput: number; meanActualInput: number; meanEstimatedOutput: number; meanActualOutput: number };
}

/** One model's record in the workspace. */
export interface ModelRates {
  modelId: string;
  /** Verdicts good / all. */
  success: Rate;
  /** On tasks at least `similarFrom` similar to the query's. */
  similarSuccess: Rate;
  /** Reviews that kept the work (accepted or partially) / reviews. */
  accept: Rate;
  /** Test runs after apply that passed / test runs. */
  testsPassed: Rate;
  cost?: CostAccuracy;
  /** Mean real execution dollars and tokens per run, over runs with a cost fact. */
  actual?: { runs: number; meanUsd?: number; meanInputTokens: number; meanOutputTokens: number };
}

export function modelRates(observations: readonly Observation[], similarity: ReadonlyMap<string, number> = new Map(), similarFrom = 0.5): ModelRates[] {
  const byModel = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byModel.get(o.modelId);
    if (list) list.push(o);
    else byModel.set(o.modelId, [o]);
  }
  return [...byModel.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([modelId, list]) => {
      const count = (xs: readonly Observation[], ok: (o: Observation) => boolean): Rate => wilson(xs.filter(ok).length, xs.length);
      const similar = list.filter((o) => (similarity.get(o.auctionId) ?? 0) >= similarFrom);
      const reviewed = list.filter((o) => o.review !== undefined);
      const tested = list.filter((o) => o.testsPassed !== undefined);
      const cost = costAccuracy(list);
      const actual = actualCost(list);
      return {
        modelId,
        success: count(list, (o) => o.success),
        similarSuccess: count(similar, (o) => o.success),
        accept: count(reviewed, (o) => o.review !== 'rejected'),
        testsPassed: count(tested, (o) => o.testsPassed === true),
        ...(cost ? { cost } : {}),
        ...(actual ? { actual } : {}),
      };
    });
}

function costAccuracy(list: readonly Observation[]): CostAccuracy | undefined {
  const both = list.filter((o) => o.expectedExecutionUsd !== undefined && o.execution?.dollars !== undefined);
  if (both.length === 0) return undefined;
  const est = both.reduce((s, o) => s + o.expectedExecutionUsd!, 0);
  const act = both.reduce((s, o) => s + o.execution!.dollars!, 0);
  const withTokens = list.filter((o) => o.expectedExecutionTokens !== undefined && o.execution !== undefined);
  const mean = (f: (o: Observation) => number): number => withTokens.reduce((s, o) => s + f(o), 0) / withTokens.length;
  return {
    runs: both.length,
    meanEstimatedUsd: est / both.length,
    meanActualUsd: act / both.length,
    ...(est > 0 ? { actualOverEstimated: act / est } : {}),
    ...(withTokens.length
      ? {
          tokens: {
            runs: withTokens.length,
            meanEstimatedInput: mean((o) => o.expectedExecutionTokens!.input),
            meanActualInput: mean((o) => o.execution!.inputTokens),
            meanEstimatedOutput: mean((o) => o.expectedExecutionTokens!.output),
            meanActualOutput: mean((o) => o.execution!.outputTokens),
          },
        }
      : {}),
  };
}

function actualCost(list: readonly Observation[]): ModelRates['actual'] {
  const runs = list.filter((o) => o.execution !== undefined);
  if (runs.length === 0) return undefined;
  const priced = runs.filter((o) => o.execution!.dollars !== undefined);
  return {
    runs: runs.length,
    ...(priced.length ? { meanUsd: priced.reduce((s, o) => s + o.execution!.dollars!, 0) / priced.length } : {}),
    meanInputTokens: runs.reduce((s, o) => s + o.execution!.inputTokens, 0) / runs.length,
    meanOutputTokens: runs.reduce((s, o) => s + o.execution!.outputTokens, 0) / runs.length,
  };
}
