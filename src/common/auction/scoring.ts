import { orderByExpectedUtility } from './decision';
import type { BidKind, EntropyStats, ScoreBreakdown, SuccessPrediction } from './types';
import { jurorWeight, type AuctionWeights } from './weights';
import { workCostTerms, type WorkEstimate } from './workCost';

/** What the scorer needs to know about one bid. */
export interface ScoringInput {
  bidId: string;
  modelId: string;
  kind: BidKind;
  /** Output tokens of the bid call (see `bidOutputTokens`); undefined when unknown (usage not reported, no logprobs). */
  bidTokens: number | undefined;
  /** Undefined when the model's price is unknown. */
  outputPricePerMTok: number | undefined;
  /** Dollars one request costs (per request × multiplier) for request-priced models; absent for per-token ones. */
  requestUsd?: number;
  entropy: EntropyStats | undefined;
  judgements: readonly { jurorId: string; score: number }[];
  /** The expected execution cost (workCost.ts); absent when unknown. */
  work?: WorkEstimate;
  /** Expected execution dollars when no `work` estimate is given (its `usd` otherwise). */
  expectedExecutionUsd?: number;
  /** Reasons from the budget checks; any reason makes the bid ineligible. */
  ineligibleReasons: readonly string[];
  /** The bid's predicted chance of success (decision.ts), when the auction has a track record. */
  prediction?: SuccessPrediction;
  /**
   * The bidder's track record, when the auction loaded one: its model's success rate in this workspace (0..1, the
   * value signal x_r), the outcomes here it rests on, and where its prior came from (learning/successPredictor.ts).
   */
  record?: { rate: number; outcomes: number; source: string };
}

/**
 * Scores and ranks bids. Pure: same inputs (in any order) → same ranking.
 *
 * Cost, `work` mode (default): C_i = w_c × log10(E_i / E_ref), E_i the bid's expected execution dollars, E_ref
 * the cheapest among the bids ranked together (free models floored; see workCostTerms). Ratios only: scaling all
 * prices by k changes no score.
 * Cost, `paper` mode: C = w_c × outputPerMTok × bidTokens, the bid's output in micro-dollars; a request-priced model
 * (Copilot's premium requests) adds w_c × its request's dollars × 10⁶, the same unit, whatever the bid's length.
 * Unknown price, or (paper) unknown bid tokens of a paid model, or (work) an unknown expected execution cost →
 * C unknown: such a bid cannot be ranked on cost and is placed after every priced eligible bid
 * (ordered among its kind by value); it wins only when no priced bid is eligible. It is never treated as free.
 *
 * Value, renormalised over the signals present. Signals s are the bidder's confidence (x = 1 − normalised
 * entropy, weight w_h), each juror j's score (x = γ_j / 5, weight w_j) and, when the auction loaded a track
 * record, the bidder's record (x = its model's success rate in this workspace, weight w_r), all in [0, 1]. With
 * W = w_h + Σ_j w_j (+ w_r when any bid has a record) over the auction's jurors and P_i the signals present for
 * bid i:
 *
 *   V_i = W × Σ_{s∈P_i} w_s x_s / Σ_{s∈P_i} w_s
 *
 * so a bid with every signal gets exactly w_h·x_h + Σ w_j x_j + w_r·x_r, and a bid missing one (no logprobs, a
 * juror that failed) is scored on the rest at the same scale: it is neither punished nor rewarded for the gap.
 * Without a track record W, every V and every score are exactly what they were before the record existed. A bid
 * with no signal at all (no jury, no logprobs, no record of positive weight) gets the mean V of the bids that have
 * one (`imputed`), or 0 when no bid has any (then cost alone ranks). The record counts as a signal there: it is
 * what this workspace's real outcomes say about the model, so a bid judged by nobody is valued on it alone rather
 * than on the other bids' mean. It is known before the jury answers, so the jury's early stop (adaptive.ts) bounds
 * V with it present from the start. Score = C − V; lowest wins.
 *
 * Rule (`weights.rule`): `score` (default) ranks by the score above. `expected-utility` ranks by the learning
 * core's rule over each bid's expected execution dollars and predicted success (decision.ts
 * `orderByExpectedUtility`), the score still computed and shown; when the bids have no predictions it ranks by
 * score and `fellBack` says why.
 */
export function rankBids(inputs: readonly ScoringInput[], weights: AuctionWeights, jurorIds: readonly string[]): ScoreBreakdown[] {
  return rankBidsWithDecision(inputs, weights, jurorIds).ranking;
}

/** `rankBids`, and why the expected-utility rule, when asked for, could not rank (the score did). */
export function rankBidsWithDecision(inputs: readonly ScoringInput[], weights: AuctionWeights, jurorIds: readonly string[]): { ranking: ScoreBreakdown[]; fellBack?: string } {
  const signalWeight = weights.entropy + jurorIds.reduce((s, j) => s + jurorWeight(weights, j, jurorIds), 0);
  // Only an auction with a track record has the record signal; without one W is exactly what it always was.
  const fullWeight = inputs.some((i) => i.record !== undefined) ? signalWeight + (weights.record ?? 0) : signalWeight;
  const partial = inputs.map((input) => breakdownOf(input, weights, jurorIds, fullWeight));

  if ((weights.costMode ?? 'work') === 'work') {
    const terms = workCostTerms(
      partial.map((b) => b.expectedExecutionUsd),
      weights.cost,
    );
    partial.forEach((b, i) => {
      const { term, referenceUsd } = terms[i]!;
      b.cost = { ...b.cost, known: term !== undefined, ...(term === undefined ? {} : { term }), ...(referenceUsd === undefined ? {} : { referenceUsd }) };
    });
  }

  const withSignal = partial.filter((b) => !b.value.imputed);
  const meanValue = withSignal.length ? withSignal.reduce((s, b) => s + b.value.term, 0) / withSignal.length : 0;
  for (const b of partial) {
    if (b.value.imputed) b.value.term = meanValue;
    if (b.cost.term !== undefined) b.score = b.cost.term - b.value.term;
  }
  const decided = weights.rule === 'expected-utility' ? orderByExpectedUtility(partial, weights.qualityPreference ?? 0, compareBreakdowns) : { ranked: [...partial].sort(compareBreakdowns) };
  decided.ranked.forEach((b, i) => (b.rank = i + 1));
  return { ranking: decided.ranked, ...(decided.fellBack === undefined ? {} : { fellBack: decided.fellBack }) };
}

function breakdownOf(input: ScoringInput, weights: AuctionWeights, jurorIds: readonly string[], fullWeight: number): ScoreBreakdown {
  const price = input.outputPricePerMTok;
  const tokens = input.bidTokens;
  // A free model's C is 0 whatever its length, so an unknown length leaves it known.
  const tokenTerm = price === undefined ? undefined : price === 0 ? 0 : tokens === undefined ? undefined : weights.cost * price * tokens;
  const paper = (weights.costMode ?? 'work') === 'paper';
  // In `work` mode the term is set over the whole set in rankBids (it is relative to the cheapest bid).
  const costTerm = !paper || tokenTerm === undefined ? undefined : tokenTerm + weights.cost * (input.requestUsd ?? 0) * 1_000_000;
  const expected = input.work?.usd ?? input.expectedExecutionUsd;

  const jury = input.judgements
    .filter((j) => jurorIds.includes(j.jurorId))
    .map((j) => ({ jurorId: j.jurorId, score: j.score, weight: jurorWeight(weights, j.jurorId, jurorIds) }))
    // By juror, not by arrival: the order (and so the floating-point sums) must not depend on timing.
    .sort((a, b) => (a.jurorId < b.jurorId ? -1 : a.jurorId > b.jurorId ? 1 : 0));
  const entropy = input.entropy ? { confidence: input.entropy.confidence, weight: weights.entropy } : undefined;

  let presentWeight = 0;
  let weighted = 0;
  if (entropy) {
    presentWeight += entropy.weight;
    weighted += entropy.weight * entropy.confidence;
  }
  for (const j of jury) {
    presentWeight += j.weight;
    weighted += j.weight * (j.score / 5);
  }
  // Last, so a bid without a record sums exactly as before the record existed.
  const record = input.record ? { rate: input.record.rate, weight: weights.record ?? 0, outcomes: input.record.outcomes, source: input.record.source } : undefined;
  if (record) {
    presentWeight += record.weight;
    weighted += record.weight * record.rate;
  }
  const imputed = presentWeight === 0;
  const valueTerm = imputed ? 0 : (fullWeight * weighted) / presentWeight;
  const juryMean = jury.length ? jury.reduce((s, j) => s + j.score, 0) / jury.length : undefined;

  return {
    bidId: input.bidId,
    modelId: input.modelId,
    kind: input.kind,
    // Optional fields are left out rather than set to undefined, so the stored JSON equals the object.
    cost: {
      known: costTerm !== undefined,
      mode: paper ? 'paper' : 'work',
      ...(input.work ? { work: input.work } : {}),
      ...(price === undefined ? {} : { outputPricePerMTok: price }),
      ...(input.requestUsd === undefined ? {} : { requestUsd: input.requestUsd }),
      ...(costTerm === undefined ? {} : { term: costTerm }),
      ...(tokens === undefined ? {} : { bidTokens: tokens }),
    },
    value: { ...(entropy ? { entropy } : {}), jury, ...(record ? { record } : {}), fullWeight, presentWeight, imputed, term: valueTerm },
    signals: { entropy: entropy !== undefined, jurors: jury.map((j) => j.jurorId), ...(record && record.weight > 0 ? { record: true } : {}) },
    ...(juryMean === undefined ? {} : { juryMean }),
    ...(expected === undefined ? {} : { expectedExecutionUsd: expected }),
    ...(input.prediction ? { prediction: input.prediction } : {}),
    eligible: input.ineligibleReasons.length === 0,
    ineligibleReasons: [...input.ineligibleReasons],
    rank: 0,
  };
}

/** Eligible before ineligible, priced before unpriced; then score, cost, value, and the id as the last resort. */
export function compareBreakdowns(a: ScoreBreakdown, b: ScoreBreakdown): number {
  const tier = (x: ScoreBreakdown): number => (x.eligible ? 0 : 2) + (x.score === undefined ? 1 : 0);
  return (
    tier(a) - tier(b) ||
    (a.score !== undefined && b.score !== undefined ? approxCompare(a.score, b.score) : 0) ||
    (a.cost.term !== undefined && b.cost.term !== undefined ? a.cost.term - b.cost.term : 0) ||
    b.value.term - a.value.term ||
    (a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0)
  );
}

/**
 * Scores within a relative 1e-9 are a tie, so floating-point noise (prices scaled by k and w_c by 1/k) cannot
 * decide an auction; ties go to the cheaper bid.
 */
function approxCompare(a: number, b: number): number {
  const tolerance = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= tolerance ? 0 : a - b;
}
