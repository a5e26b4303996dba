import type { CallSink } from '../ledger/types';
import type { Logger } from '../log';
import type { ModelCapabilities, ModelClient, ReasoningEffort, Usage } from '../providers/types';
import type { AuctionEvent } from './events';
import type { ExecutionHistoryPort } from './executionHistory';
import type { TrackRecordPort } from '../learning/successPredictor';
import type { AuctionMemoryPort } from './memoryPort';
import type { AuctionWeights, CostMode, DecisionRule, ExecutionEstimateConfig } from './weights';
import type { WorkEstimate } from './workCost';

/** What the bidders see besides the task. Everything is optional and truncated by the prompt builder. */
export interface AuctionContext {
  selection?: { file: string; startLine: number; endLine: number; text: string };
  files?: { path: string; content: string }[];
  workspaceSummary?: string;
}

/**
 * Who judges: a small panel of the cheapest juror-role models (the default; `by` is the seam for choosing by
 * measured calibration later), every pool model with the juror role (the paper; self included), a named subset,
 * or nobody. `style`: each juror scores all bids in one call ('batched', the default) or each bid in its own call.
 */
export type JuryConfig = ({ mode: 'panel'; size?: number; by?: 'price' } | { mode: 'all' } | { mode: 'subset'; jurors: string[] } | { mode: 'none' }) & { style?: JuryStyle; context?: JuryContext };
export type JuryStyle = 'batched' | 'per-bid';
/** What jurors read of the context: its digest (selection, summary, each file's declarations; the default) or all of it. */
export type JuryContext = 'digest' | 'full';

/** Cap on the auction's spend relative to what the winner's execution is expected to cost (see adaptive.ts). */
export interface OverheadCap {
  /** Share of `expectedExecutionUsd` the jury and refinement may take, with the bids already spent (0.1 = 10%). */
  maxShare: number;
  /** The host's estimate of the execution cost; without it nothing is shrunk. */
  expectedExecutionUsd?: number;
}

/** A part of the auction the engine chose to leave out, and why (an 'adaptive-skip' event and a line in the result). */
export interface AdaptiveSkip {
  kind: 'refinement' | 'jury-stopped-early' | 'overhead-cap' | 'late-bids';
  reason: string;
  /** What was left out: juror ids, refinement candidates, bid ids. */
  dropped: string[];
}

/** The outbidding pass. One pass; `topK` is how many contrastive pairs each refiner asks memory for. */
export interface RefinementConfig {
  enabled: boolean;
  topK: number;
  /**
   * What a refiner reads of the workspace context: its digest (the default; the refiner's own earlier bid was
   * written from the whole context and comes with the prompt) or the whole context again.
   */
  context?: JuryContext;
}

/** Spending caps in dollars. Absent caps do not limit. */
export interface AuctionBudget {
  /** Cap on bidding + jury + refinement spend of this auction. Calls that could exceed it are not launched. */
  auctionCapUsd?: number;
  /** Cap on the winner's expected execution cost (see budget.ts); a bid over it is ineligible. */
  executionCapUsd?: number;
  /**
   * The task's one budget (`sale.budget.perTask`, see ledger/taskBudget.ts): auction, executions and escalations
   * together. A bid whose expected work exceeds what is left after the auction's own spend is ineligible, and
   * once bids are in, jury and refinement calls keep back room for the work of the cheapest bid that fits.
   */
  taskLimitUsd?: number;
  /** What the task had spent before this auction (0 for a fresh task); counted only with `taskLimitUsd`. */
  taskSpentUsd?: number;
}

/** Token and concurrency limits of the auction's calls. */
export interface AuctionLimits {
  bidMaxTokens: number;
  judgementMaxTokens: number;
  /** How many bid calls run at once (the paper: all). */
  bidConcurrency: number;
  /** How many judgement calls run at once over the whole auction. */
  juryConcurrency: number;
  /** Alternatives per token asked for where the model returns logprobs. */
  logprobsTopK: number;
  /**
   * Batched jury: how long to wait for the remaining bids once half the bidders have answered; bids that come
   * later are judged in a round of their own, so a slow bidder cannot hold the jury.
   */
  bidGraceMs: number;
}

/** One auction as the caller asks for it. Plain data: it can come from a command, the panel or a test. */
export interface AuctionRequest {
  auctionId: string;
  task: string;
  context?: AuctionContext;
  /** Model ids of the pool. Bidders are those with the 'bidder' role; `jury: all` uses those with 'juror'. */
  pool: string[];
  jury?: JuryConfig;
  weights?: Partial<AuctionWeights>;
  budget?: AuctionBudget;
  refinement?: Partial<RefinementConfig>;
  limits?: Partial<AuctionLimits>;
  executionEstimate?: Partial<ExecutionEstimateConfig>;
  overhead?: OverheadCap;
  /**
   * How much reasoning models may reason in the auction's own calls (bids, jury, refinement); never the winner's
   * run. `default` sends nothing (each provider's default). Absent, or a value not in the list: `low`.
   */
  reasoningEffort?: AuctionReasoningEffort;
}

/** The auction's reasoning effort as asked for: an effort, or `default` for none at all. */
export type AuctionReasoningEffort = ReasoningEffort | 'default';

/** The ports runAuction works over. */
export interface AuctionDeps {
  clients: readonly ModelClient[] | ((modelId: string) => ModelClient | undefined);
  /** What a model was probed to support; undefined means unknown (no structured output, no logprobs asked). */
  capabilities: (modelId: string) => ModelCapabilities | undefined;
  /** The auction memory; without it refinement is skipped (and says so). */
  memory?: AuctionMemoryPort;
  /** What past executions used, per model (the `work` cost term); without it every bid uses the plan-length prior. */
  executionHistory?: ExecutionHistoryPort;
  /**
   * This workspace's record of real outcomes (src/common/learning), asked once per auction while the bids are
   * out; every bid then gets a predicted chance of success (`ScoreBreakdown.prediction`), which the
   * `expected-utility` rule ranks by. Without it, or when it fails, no bid has a prediction and the score decides.
   */
  trackRecord?: TrackRecordPort;
  /** Every model call is reported here (phase bidding, jury or refinement). */
  calls: CallSink;
  /** Receives every event the moment it exists. A throwing listener is logged, never breaks the auction. */
  onEvent?: (event: AuctionEvent) => void;
  /** Epoch milliseconds. */
  now: () => number;
  logger?: Logger;
}

export type BidKind = 'original' | 'refined';

/** The structured content of a bid, whichever way it was parsed. */
export interface BidContent {
  summary: string;
  steps: string[];
  files: string[];
  risks: string[];
  verification: string[];
}

/** Mean per-token entropy of a reply, from the provider's top alternatives (see entropy.ts). */
export interface EntropyStats {
  /** Mean entropy in nats over positions that had at least two alternatives. */
  meanNats: number;
  /** Mean of per-position entropy / ln(alternatives at that position), in [0, 1]. */
  normalised: number;
  /** 1 − normalised: the value signal, higher = more confident. */
  confidence: number;
  positions: number;
}

/** A usable bid: a plan the winner would follow. */
export interface Bid {
  id: string;
  modelId: string;
  kind: BidKind;
  content: BidContent;
  /** The plan as markdown: the executor's roadmap. */
  planText: string;
  /** How the reply was read; 'text': a bare list or prose without JSON or a steps heading. */
  parsedVia: 'structured' | 'json' | 'loose-json' | 'markdown' | 'text';
  usage: Usage;
  /**
   * Present only when the provider did not report usage but returned log-probabilities: their number, which is
   * the bid's exact output token count (one entry per generated token). See `bidOutputTokens`.
   */
  logprobTokens?: number;
  /** Dollars of the bid call; undefined when the model's price is unknown or its usage was not reported. */
  dollars?: number;
  entropy?: EntropyStats;
  /** For refined bids: the bid it refines and the past auctions whose pairs it used. */
  refines?: string;
  usedAuctions?: string[];
}

export type BidFailureCode =
  | 'no-client'
  | 'call-failed'
  | 'cancelled'
  | 'skipped-budget'
  | 'empty-reply'
  | 'unparseable'
  | 'truncated'
  | 'content-filter'
  | 'invalid';

export interface FailedBid {
  bidId: string;
  modelId: string;
  kind: BidKind;
  code: BidFailureCode;
  reason: string;
  /** Present when the call returned (and was paid for) but the reply was unusable. */
  usage?: Usage;
  dollars?: number;
}

/** Likert scores per rubric criterion, when the juror gave them. */
export interface RubricScores {
  correctness?: number;
  fit?: number;
  risk?: number;
  verifiability?: number;
}

export interface Judgement {
  jurorId: string;
  bidId: string;
  /** 0..5 overall. */
  score: number;
  rationale: string;
  criteria: RubricScores;
  /** The juror judged its own bid (the paper's self-evaluation). */
  self: boolean;
  usage: Usage;
  dollars?: number;
}

export interface FailedJudgement {
  jurorId: string;
  bidId: string;
  code: BidFailureCode;
  reason: string;
}

/** A predicted chance of success with its uncertainty (an interval, not a point alone), and what it rests on. */
export interface SuccessPrediction {
  /** P(success), 0..1. */
  p: number;
  /** A central 90% interval of p. */
  low: number;
  high: number;
  /** Outcomes of this model the prediction rests on (0: the prior alone). */
  outcomes: number;
  /** In words, for the panel: e.g. "prior (public benchmark) + 6 outcomes here, 3 on similar tasks; jury calibrated". */
  basis: string;
}

/** How one bid's score came about: every number the UI and "why it won" need. */
export interface ScoreBreakdown {
  bidId: string;
  modelId: string;
  kind: BidKind;
  cost: {
    /**
     * False when the model's price is unknown, or when its bid's token count is (the provider reported no usage
     * and no logprobs): the bid cannot be ranked on cost (ranked after priced bids).
     */
    known: boolean;
    outputPricePerMTok?: number;
    /** For request-priced models: dollars one request costs (per request × multiplier). */
    requestUsd?: number;
    /** The bid's output tokens (see `bidOutputTokens`); absent when unknown. */
    bidTokens?: number;
    /**
     * `work`: C = w_c × log10(work.usd / referenceUsd); `paper`: C = w_c × outputPerMTok × bidTokens (+ w_c ×
     * requestUsd × 10⁶ for request-priced models). See weights.ts.
     */
    term?: number;
    mode: CostMode;
    /** The expected execution cost and what it rests on; absent when unknown (price, or unreported usage). */
    work?: WorkEstimate;
    /** `work` mode: the cheapest expected work of the bids ranked together (E_ref). */
    referenceUsd?: number;
  };
  value: {
    entropy?: { confidence: number; weight: number };
    jury: { jurorId: string; score: number; weight: number }[];
    /**
     * The bidder's track record when the auction loaded one: its model's success rate in this workspace (`rate`,
     * 0..1, the value signal), the outcomes here it rests on, where its prior came from, and its weight w_r.
     */
    record?: { rate: number; weight: number; outcomes: number; source: string };
    /** Σ weights of all value signals the auction asked for (the scale V is renormalised to). */
    fullWeight: number;
    /** Σ weights of the signals present for this bid. */
    presentWeight: number;
    /** True when the bid had no value signal and got the mean value of the bids that had one. */
    imputed: boolean;
    term: number;
  };
  /** Which signals were used for this bid; `record` only when its track record counted (absent in older results). */
  signals: { entropy: boolean; jurors: string[]; record?: boolean };
  /** Mean jury score 0..5, when any juror scored the bid. */
  juryMean?: number;
  /** C − V; undefined when the cost is unknown. */
  score?: number;
  expectedExecutionUsd?: number;
  /**
   * The chance this bid's work succeeds (accepted, or its tests pass), predicted from this workspace's real
   * outcomes and the bid's calibrated signals (src/common/learning); absent when no prediction was made.
   */
  prediction?: SuccessPrediction;
  /**
   * The expected-utility rule's value for this bid (lower wins; src/common/learning/expectedUtility.ts), present
   * only when that rule ranked the auction.
   */
  utility?: number;
  eligible: boolean;
  ineligibleReasons: string[];
  /** 1-based position in the ranking. */
  rank: number;
}

export interface PhaseCost {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars of the calls whose price is known. */
  usd: number;
  /** Calls whose dollars are unknown (unknown price, or usage the provider did not report); their cost is not in `usd`. */
  unpricedCalls: number;
  /** Calls that failed or were cancelled; the port reports no usage for them, so none is counted. */
  failedCalls: number;
}

export interface AuctionCost {
  bidding: PhaseCost;
  jury: PhaseCost;
  refinement: PhaseCost;
  total: PhaseCost;
  /** The auction's dollar cap (the task budget's share, or `maxAuctionCostUsd`); absent without one. */
  capUsd?: number;
  /** Calls that cost more than they were allowed to (absent when none did): a provider that ignored the output cap. */
  overshoots?: CallOvershoot[];
}

/**
 * A call that went over its limits: it wrote more output tokens than its `maxTokens` (the provider ignored the
 * cap), or it cost more than the worst case reserved for it under the auction cap. Either way the auction's spend
 * can pass its cap by this call's excess, and the user is told.
 */
export interface CallOvershoot {
  phase: 'bidding' | 'jury' | 'refinement';
  modelId: string;
  /** The output cap the call was sent with. */
  maxTokens: number;
  outputTokens: number;
  /** The call's dollars; absent when its price is unknown. */
  usd?: number;
  /** The worst case reserved for it under the auction cap; absent without a cap. */
  reservedUsd?: number;
}

/** A call the engine chose not to make, and why. */
export interface SkippedCall {
  phase: 'bidding' | 'jury' | 'refinement';
  modelId: string;
  bidId: string;
  reason: string;
}

export interface AuctionWinner {
  bidId: string;
  modelId: string;
  kind: BidKind;
  score?: number;
}

/** Everything an auction produced. Plain JSON: stored in memory and shown in the UI. */
export interface AuctionResult {
  schemaVersion: 1;
  auctionId: string;
  task: string;
  status: 'completed' | 'cancelled';
  startedAt: string;
  finishedAt: string;
  weights: AuctionWeights;
  bidders: string[];
  jurors: string[];
  bids: Bid[];
  /** Best first. */
  ranking: ScoreBreakdown[];
  judgements: Judgement[];
  provisionalWinner?: AuctionWinner;
  /** Absent when cancelled or when no bid is eligible. */
  winner?: AuctionWinner;
  why?: string;
  refinement: { enabled: boolean; ran: boolean; candidates: string[]; skipped: { modelId?: string; reason: string }[] };
  failures: { bids: FailedBid[]; judgements: FailedJudgement[]; skipped: SkippedCall[] };
  cost: AuctionCost;
  /** What the engine left out to save money or time (absent in results stored before it existed). */
  adaptive?: AdaptiveSkip[];
  /**
   * How the winner was picked (absent in results stored before it existed): the rule asked for, and when the
   * `expected-utility` rule could not rank (no predictions), why the score decided instead.
   */
  decision?: { rule: DecisionRule; qualityPreference: number; predictions: boolean; fellBack?: string };
}
