import { FREE_WORK_FLOOR_SHARE } from '../auction/workCost';

/**
 * The expected-utility decision rule, set by one "quality ↔ cost" preference q in [0, 1]:
 *
 *     U_i = (1 − q) · ln E_i − ln p_i          (lowest wins)
 *
 * with E_i the bid's expected execution dollars and p_i its predicted chance of success. At q = 0 this is
 * ln(E_i / p_i): the lowest expected cost per success (a failed run is paid and tried again, so a success costs
 * E/p on average). Dividing by (1 − q) gives the same order as ln E_i − α ln p_i with α = 1/(1 − q): α = 1 at
 * q = 0 and grows without bound as q → 1, where only the chance of success counts (ties broken by cost). Only
 * ratios of dollars enter (scaling every price by k adds the same (1 − q) ln k to every U), so q means the same
 * in a pool of local models and one of frontier APIs. Concretely, at preference q a bid is worth paying r times
 * more when its chance is at least r^(1 − q) times higher.
 */

/** One bid as the rule reads it. */
export interface UtilityBid {
  bidId: string;
  /** Expected execution dollars; undefined when unknown (unpriced model, unreported usage). */
  expectedUsd?: number;
  /** Predicted chance of success; undefined when no prediction was made. */
  p?: number;
}

/** A bid's utility score and its parts, for ranking and for "why it won". */
export interface UtilityScore {
  bidId: string;
  /** U = costWeight · ln(usd) − ln(p); lower is better; undefined when the cost or the chance is unknown. */
  score?: number;
  /** 1 − q: the weight of the log cost against the log chance of success. */
  costWeight: number;
  /** The dollars used: E floored at FREE_WORK_FLOOR_SHARE of the dearest bid (a free model is cheap, not free of risk). */
  usd?: number;
  /** The chance used: p floored at MIN_P (a certain failure is very unlikely, not impossible). */
  p?: number;
  /** usd / p: the expected dollars per success. */
  costPerSuccessUsd?: number;
  /** Why no score: the cost or the prediction is missing. */
  missing?: 'cost' | 'prediction';
}

/** Predicted chances are floored here so a zero does not send a log to −∞. */
export const MIN_P = 0.01;

/**
 * Scores a set of bids ranked together (in input order). `preference` is q, clamped to [0, 1]: 0 = lowest
 * expected cost per success, 1 = highest chance of success whatever it costs.
 */
export function expectedUtilityScores(bids: readonly UtilityBid[], preference: number): UtilityScore[] {
  const q = Number.isFinite(preference) ? Math.min(1, Math.max(0, preference)) : 0;
  const costWeight = 1 - q;
  const dearest = Math.max(0, ...bids.map((b) => (b.expectedUsd !== undefined && Number.isFinite(b.expectedUsd) ? b.expectedUsd : 0)));
  // All known costs zero (every model free or local): the cost ratios are 1 and only the chance counts.
  const floor = dearest > 0 ? dearest * FREE_WORK_FLOOR_SHARE : 1;
  return bids.map((b) => {
    const usd = b.expectedUsd !== undefined && Number.isFinite(b.expectedUsd) ? Math.max(floor, b.expectedUsd) : undefined;
    const p = b.p !== undefined && Number.isFinite(b.p) ? Math.min(1, Math.max(MIN_P, b.p)) : undefined;
    if (usd === undefined) return { bidId: b.bidId, costWeight, ...(p !== undefined ? { p } : {}), missing: 'cost' };
    if (p === undefined) return { bidId: b.bidId, costWeight, usd, missing: 'prediction' };
    return { bidId: b.bidId, score: costWeight * Math.log(usd) - Math.log(p), costWeight, usd, p, costPerSuccessUsd: usd / p };
  });
}

/**
 * Orders utility scores best first: scored bids by U (ties: the higher chance, then the lower cost, then bid id),
 * then bids without a score.
 */
export function compareUtility(a: UtilityScore, b: UtilityScore): number {
  if (a.score === undefined || b.score === undefined) {
    if (a.score !== b.score) return a.score === undefined ? 1 : -1;
    return a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0;
  }
  const tolerance = 1e-12;
  if (Math.abs(a.score - b.score) > tolerance) return a.score - b.score;
  if ((a.p ?? 0) !== (b.p ?? 0)) return (b.p ?? 0) - (a.p ?? 0);
  if ((a.usd ?? 0) !== (b.usd ?? 0)) return (a.usd ?? 0) - (b.usd ?? 0);
  return a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0;
}

/** The bids' utility scores, best first. */
export function rankByUtility(bids: readonly UtilityBid[], preference: number): UtilityScore[] {
  return expectedUtilityScores(bids, preference).sort(compareUtility);
}
