import { InvalidAuctionRequestError } from './errors';

/**
 * How the cost term C prices a bid (scoring.ts):
 * - `work` (default): the expected cost of the execution the user pays for, relative to the pool:
 *   C = w_c × log10(E / E_ref), E the bid's expected work dollars (workCost.ts: its prices × the tokens this
 *   workspace's executions used, or a plan-length prior), E_ref the cheapest of the auction's bids.
 * - `paper`: the paper's literal C = w_c × outputPerMTok × bidOutputTokens (the plan's own price), kept so the
 *   paper's setting can be reproduced.
 */
export type CostMode = 'work' | 'paper';

/**
 * How the ranking picks the winner (scoring.ts):
 * - `score` (default): the paper's score C − V, lowest wins. Predictions of success, when made, are shown on each
 *   bid but do not move it.
 * - `expected-utility`: the bids' expected execution dollars E_i and predicted chances of success p_i
 *   (src/common/learning, from this workspace's real outcomes) decide under the learning core's rule, weighed by
 *   `qualityPreference`. Without predictions the auction ranks by `score` (see `rankBids`).
 */
export type DecisionRule = 'score' | 'expected-utility';

/**
 * Every weight of the auction's score (score = C − V, lowest wins). The paper fits these offline; ours are
 * settings with defaults, and per-workspace fitted weights can replace them.
 *
 * Units, so a reader can reason about the defaults:
 * - `work` mode: C = cost × log10(E / E_ref). A bid whose work costs 10× more than another's must be rated `cost`
 *   score points better to win, that is cost / 0.8 Likert points from the whole jury with the default jury
 *   weight 4. The same in any pool (local or frontier) and unchanged when every price is scaled.
 * - `paper` mode: C = cost × outputPerMTok × bidOutputTokens, the bid's output price in micro-dollars when
 *   cost = 1 (the paper's π·|s|). At 1e-4 a 400-token plan at $15/Mtok costs 0.6 score points, at $0.60/Mtok
 *   0.024: a weight tuned for one price level means something else at another.
 * - V lies in [0, entropy + jury + record] (see scoring.ts; `record` counts only when the auction loaded a track
 *   record): each value signal is a number in [0, 1] (jury score / 5, confidence = 1 − normalised entropy, the
 *   model's success rate here). With the defaults V ≤ 7, and one Likert point from the whole jury is still worth
 *   0.8 score points.
 */
export interface AuctionWeights {
  /** w_c: score points per tenfold expected work cost (`work`), or per micro-dollar of plan (`paper`). ≥ 0. */
  cost: number;
  /** What C prices; absent means `work`. */
  costMode?: CostMode;
  /**
   * w_h: weight of the bidder's confidence, 1 − normalised mean entropy of its own tokens. Lower entropy means
   * higher confidence means higher value means a lower (better) score. Must be ≥ 0.
   */
  entropy: number;
  /** Total weight of the jury, split equally over the auction's jurors unless `jurors` names a juror. ≥ 0. */
  jury: number;
  /** w_j per juror model id, overriding the equal split for the jurors it names. Each ≥ 0. */
  jurors?: Record<string, number>;
  /**
   * w_r: weight of the bidder's track record, x_r = its model's success rate in this workspace in [0, 1] (a public
   * or neutral prior updated by its real outcomes here and on similar past tasks; src/common/learning). A model
   * whose record is 20 points better gains 0.2 × w_r score points: with the default 2 that is 0.4, half a Likert
   * point from the whole jury. Counted only in auctions that loaded a track record; absent means 0. ≥ 0.
   */
  record?: number;
  /** How the winner is picked; absent means `score`. */
  rule?: DecisionRule;
  /**
   * q in [0, 1], read by the `expected-utility` rule only: 0 = the lowest expected cost per success, 1 = the best
   * chance of success whatever it costs. Absent means 0.
   */
  qualityPreference?: number;
}

export const DEFAULT_WEIGHTS: Readonly<AuctionWeights> = Object.freeze({ cost: 0.4, costMode: 'work', entropy: 1, jury: 4, record: 2 });

/** The paper's weight of its literal cost term (`paper` mode), the default before `work` mode existed. */
export const PAPER_COST_WEIGHT = 1e-4;

/** Multipliers behind a bid's plan-length prior of its execution cost (workCost.ts), used when the workspace has no history. */
export interface ExecutionEstimateConfig {
  /** Output tokens the agent is expected to write per token of plan (its edits, tool calls, notes). */
  outputTokensPerPlanToken: number;
  /** Input tokens the agent is expected to read per input token of the bid prompt (it re-reads context each turn). */
  inputTokensPerPromptToken: number;
  /**
   * Model calls an execution is expected to make, for request-priced models (each call of the agent through VS
   * Code's Language Model API is one request × the model's multiplier).
   */
  requestsPerExecution: number;
}

/**
 * Rough on purpose: an agent run of ~15 turns that re-reads a growing context and writes ~20× its plan. It is a
 * guard against an obviously unaffordable winner, not a forecast; the ledger records what execution really costs.
 */
export const DEFAULT_EXECUTION_ESTIMATE: Readonly<ExecutionEstimateConfig> = Object.freeze({
  outputTokensPerPlanToken: 20,
  inputTokensPerPromptToken: 15,
  // The same ~15 turns as above, one request each.
  requestsPerExecution: 15,
});

/** Merges partial weights over the defaults and rejects what would make the score meaningless. */
export function resolveWeights(partial: Partial<AuctionWeights> | undefined): AuctionWeights {
  const w: AuctionWeights = { ...DEFAULT_WEIGHTS, ...stripUndefined(partial ?? {}) };
  const check = (name: string, v: number): void => {
    // Negative weights would flip a term's direction silently; direction lives in the terms, not the weights.
    if (!Number.isFinite(v) || v < 0) throw new InvalidAuctionRequestError(`weight ${name} must be a finite number ≥ 0, got ${v}`);
  };
  check('cost', w.cost);
  if (w.costMode !== 'work' && w.costMode !== 'paper') throw new InvalidAuctionRequestError(`costMode must be 'work' or 'paper', got ${String(w.costMode)}`);
  check('entropy', w.entropy);
  check('jury', w.jury);
  if (w.record !== undefined) check('record', w.record);
  if (w.rule !== undefined && w.rule !== 'score' && w.rule !== 'expected-utility') throw new InvalidAuctionRequestError(`rule must be 'score' or 'expected-utility', got ${String(w.rule)}`);
  if (w.qualityPreference !== undefined && !(w.qualityPreference >= 0 && w.qualityPreference <= 1)) throw new InvalidAuctionRequestError(`qualityPreference must be between 0 and 1, got ${w.qualityPreference}`);
  for (const [id, v] of Object.entries(w.jurors ?? {})) check(`jurors.${id}`, v);
  return w;
}

/** The weight w_j of one juror among `jurorIds`. */
export function jurorWeight(weights: AuctionWeights, jurorId: string, jurorIds: readonly string[]): number {
  const named = weights.jurors?.[jurorId];
  if (named !== undefined) return named;
  const unnamed = jurorIds.filter((j) => weights.jurors?.[j] === undefined).length;
  return unnamed === 0 ? 0 : weights.jury / unnamed;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
