import type { Logger } from '../log';
import { compareUtility, expectedUtilityScores } from '../learning/expectedUtility';
import { predictSuccess, type LearnedRecord, type TrackRecordPort, type TrackRecordQuery } from '../learning/successPredictor';
import type { EntropyStats, ScoreBreakdown, SuccessPrediction } from './types';

export { costPerSuccessUsd } from './costPerSuccess';

/**
 * The learned side of a decision: the workspace's track record, asked once per auction (like the execution
 * history), each bid's predicted chance of success from it, and the expected-utility order over the bids'
 * expected execution dollars and those chances (`sale.auction.rule: expected-utility`).
 */

/**
 * Asks the track-record port once; never throws. A port that fails, answers something unusable, or an auction
 * cancelled first leaves the auction without predictions (so the `score` rule decides), with a log line saying why.
 */
export async function loadTrackRecord(port: TrackRecordPort | undefined, query: TrackRecordQuery, signal: AbortSignal, logger: Logger): Promise<LearnedRecord | undefined> {
  if (!port || signal.aborted) return undefined;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const record = await Promise.race([port.load(query, signal), aborted]);
    if (record === undefined && !signal.aborted) logger.warn('track record unavailable: the port answered nothing; no success predictions this auction');
    return record ?? undefined;
  } catch (e) {
    // A cancelled auction stops the port too: that is not a failure worth a warning.
    if (!signal.aborted) logger.warn(`track record unavailable, no success predictions this auction: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** What a prediction is made from: the bid's model and its signals as the scorer has them. */
export interface PredictionInput {
  modelId: string;
  judgements: readonly { jurorId: string; score: number }[];
  entropy: EntropyStats | undefined;
}

/**
 * The bid's predicted success under the record; undefined without a record, or when the predictor throws or
 * answers something that is not a probability with an interval around it (logged: a bad prediction must not rank).
 */
export function predictionFor(record: LearnedRecord | undefined, input: PredictionInput, warn: (message: string) => void = () => undefined): SuccessPrediction | undefined {
  if (record === undefined) return undefined;
  try {
    const jury = [...input.judgements].map((j) => ({ jurorId: j.jurorId, score: j.score })).sort((a, b) => (a.jurorId < b.jurorId ? -1 : a.jurorId > b.jurorId ? 1 : 0));
    const p = predictSuccess(record, { modelId: input.modelId, jury, ...(input.entropy ? { confidence: input.entropy.confidence } : {}) });
    const unit = (x: number): boolean => Number.isFinite(x) && x >= 0 && x <= 1;
    if (!unit(p.p) || !unit(p.low) || !unit(p.high) || p.low > p.p || p.high < p.p) {
      warn(`success prediction for ${input.modelId} ignored: p ${p.p} outside its interval [${p.low}, ${p.high}] or [0, 1]`);
      return undefined;
    }
    return p;
  } catch (e) {
    warn(`success prediction for ${input.modelId} failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Why the expected-utility rule could not rank an auction; the score ranked it instead. */
export const NO_PREDICTION_FALLBACK = 'no success prediction could be made (no track record was loaded), so the score decided';
export const PARTIAL_PREDICTION_FALLBACK = 'some eligible bids had no success prediction, so the score decided';

/**
 * Orders scored bids by the learning core's expected-utility rule (src/common/learning/expectedUtility.ts:
 * U = (1 − q)·ln E − ln p, lowest wins; free models floored at a share of the dearest bid, p floored at MIN_P) in
 * place of the score. Each eligible bid with a known expected cost E_i and a prediction p_i gets `utility`. Only
 * ratios of dollars enter U's order, so scaling every price by k changes no ranking.
 *
 * Order: eligible bids with a utility, by the core's order (U; ties: likelier, then cheaper, then id); then
 * eligible bids whose cost is unknown (they win only when no priced bid is eligible, as under `score`), by p,
 * then value; then ineligible bids in score order. When no eligible priced bid has a prediction (no track record),
 * or only some do (the predictor failed for one), the score ranks instead and `fellBack` says why: comparing
 * some bids on utility and others on score would mean nothing.
 */
export function orderByExpectedUtility(
  breakdowns: ScoreBreakdown[],
  q: number,
  byScore: (a: ScoreBreakdown, b: ScoreBreakdown) => number,
): { ranked: ScoreBreakdown[]; fellBack?: string } {
  const priced = breakdowns.filter((b) => b.eligible && b.expectedExecutionUsd !== undefined);
  const predicted = priced.filter((b) => b.prediction !== undefined);
  if (priced.length > 0 && predicted.length === 0) return { ranked: [...breakdowns].sort(byScore), fellBack: NO_PREDICTION_FALLBACK };
  if (predicted.length < priced.length) return { ranked: [...breakdowns].sort(byScore), fellBack: PARTIAL_PREDICTION_FALLBACK };

  const scores = new Map(
    expectedUtilityScores(
      predicted.map((b) => ({ bidId: b.bidId, ...(b.expectedExecutionUsd === undefined ? {} : { expectedUsd: b.expectedExecutionUsd }), ...(b.prediction ? { p: b.prediction.p } : {}) })),
      q,
    ).map((u) => [u.bidId, u]),
  );
  for (const b of predicted) {
    const u = scores.get(b.bidId)?.score;
    if (u !== undefined && !Number.isNaN(u)) b.utility = u;
  }

  const tier = (b: ScoreBreakdown): number => (!b.eligible ? 2 : b.utility !== undefined ? 0 : 1);
  const ranked = [...breakdowns].sort((a, b) => {
    const t = tier(a) - tier(b);
    if (t !== 0) return t;
    if (tier(a) === 2) return byScore(a, b);
    if (tier(a) === 1) return (b.prediction?.p ?? -1) - (a.prediction?.p ?? -1) || b.value.term - a.value.term || idOrder(a, b);
    const ua = scores.get(a.bidId);
    const ub = scores.get(b.bidId);
    return ua && ub ? compareUtility(ua, ub) : idOrder(a, b);
  });
  return { ranked };
}

function idOrder(a: ScoreBreakdown, b: ScoreBreakdown): number {
  return a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0;
}
