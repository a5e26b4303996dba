import * as z from 'zod';

/**
 * What the side panel shows of an auction: plain data the host folds from the engine's events
 * (src/common/panel/auctionView.ts) and sends whole. Every number behind the ranking is here.
 */

const num = z.number().nullable();

/** A request-priced model's price (GitHub Copilot's premium requests): dollars per request × the model's multiplier. */
export const PerRequestPriceView = z.object({ usd: z.number(), multiplier: z.number(), asOf: z.string().nullable() });
export type PerRequestPriceView = z.infer<typeof PerRequestPriceView>;

export const PoolMemberView = z.object({
  id: z.string(),
  model: z.string(),
  provider: z.enum(['openai', 'anthropic', 'openai-compatible', 'vscode-lm']),
  local: z.boolean(),
  /** $ per million tokens; null when unknown (never shown as $0). */
  priceInPerMTok: num,
  priceOutPerMTok: num,
  /** For request-priced models: dollars per premium request and the model's multiplier; null otherwise. */
  perRequest: PerRequestPriceView.nullable().default(null),
  /** For models of VS Code's Language Model API: the vendor that contributes it (e.g. `copilot`). */
  vendor: z.string().nullable().default(null),
  /**
   * `consent-refused`: VS Code refused SALE the model (not retried until the user asks again); `unavailable`: not
   * offered by VS Code right now (or the API is missing in this VS Code).
   */
  status: z.enum(['ready', 'consent-refused', 'unavailable']).default('ready'),
  roles: z.array(z.string()),
  /** Whether the model returns log-probabilities; null until probed. */
  logprobs: z.boolean().nullable(),
  /** A practice model with scripted replies, not a real one. */
  practice: z.boolean().default(false),
});
export type PoolMemberView = z.infer<typeof PoolMemberView>;

export const JudgementView = z.object({
  jurorId: z.string(),
  score: z.number(),
  rationale: z.string(),
  self: z.boolean(),
});
export type JudgementView = z.infer<typeof JudgementView>;

/**
 * A bid's predicted chance that its work succeeds (accepted, or its tests pass), learned from this workspace's
 * real outcomes: p with a central 90% interval and what it rests on, in words.
 */
export const PredictionView = z.object({
  p: z.number(),
  low: z.number(),
  high: z.number(),
  outcomes: z.number(),
  basis: z.string(),
});
export type PredictionView = z.infer<typeof PredictionView>;

export const BidCard = z.object({
  bidId: z.string(),
  modelId: z.string(),
  kind: z.enum(['original', 'refined']),
  status: z.enum(['bidding', 'received', 'failed']),
  local: z.boolean(),
  priceOutPerMTok: num,
  /** The bidder's price per request × multiplier when it is request-priced (then its per-token prices mean nothing). */
  perRequest: PerRequestPriceView.nullable().default(null),
  /** The plan as markdown text; rendered as text, never as HTML. */
  plan: z.string().nullable(),
  summary: z.string().nullable(),
  files: z.array(z.string()),
  /** The bid's output tokens; null while bidding, and when unknown (the provider reported no usage and no logprobs). */
  bidTokens: num,
  /** Mean per-token entropy in nats and the confidence derived from it; null when the provider gave no logprobs. */
  entropyNats: num,
  confidence: num,
  judgements: z.array(JudgementView),
  juryMean: num,
  costTerm: num,
  /** What C priced: the expected execution (`work`) or the plan (`paper`); null until scored. */
  costMode: z.enum(['work', 'paper']).nullable(),
  /** The expected execution cost, its tokens and what it rests on (`basis`, in words); null when unknown. */
  work: z.object({ usd: z.number(), inputTokens: z.number(), outputTokens: z.number(), basis: z.string() }).nullable(),
  valueTerm: num,
  score: num,
  /**
   * The predicted chance the bid's work succeeds (accepted, or its tests pass), 0..1, with a central 90% interval and
   * what it rests on (`ScoreBreakdown.prediction`); null when no prediction was made (no outcomes to learn from yet).
   */
  prediction: PredictionView.nullable().default(null),
  /** Expected execution dollars per success (expected work / p); null when either is unknown. */
  costPerSuccessUsd: num.default(null),
  /**
   * The bidder's track record as the value term counted it: its model's success rate in this workspace (0..1), the
   * outcomes here it rests on, its weight w_r and where its prior came from; null when the auction loaded none.
   */
  record: z.object({ rate: z.number(), outcomes: z.number(), weight: z.number(), source: z.string() }).nullable().default(null),
  rank: num,
  eligible: z.boolean(),
  ineligibleReasons: z.array(z.string()),
  /** `record`: the track record counted in the value (weight above 0); false in states sent by older hosts. */
  signals: z.object({ entropy: z.boolean(), jurors: z.array(z.string()), record: z.boolean().default(false) }),
  imputed: z.boolean(),
  /** Dollars of the bid call; null when the price is unknown or the provider reported no usage. */
  dollars: num,
  failure: z.object({ code: z.string(), reason: z.string() }).nullable(),
  /** For refined bids: the bid it refines and the past auctions it learned from. */
  refines: z.string().nullable(),
  learnedFrom: z.array(z.string()),
});
export type BidCard = z.infer<typeof BidCard>;

export const PhaseCostView = z.object({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  usd: z.number(),
  unpricedCalls: z.number(),
  failedCalls: z.number(),
});
export type PhaseCostView = z.infer<typeof PhaseCostView>;

/** A call that wrote past its output cap or cost more than reserved (see CallOvershoot in the engine's types). */
export const OvershootView = z.object({
  phase: z.enum(['bidding', 'jury', 'refinement']),
  modelId: z.string(),
  maxTokens: z.number(),
  outputTokens: z.number(),
  usd: num,
  reservedUsd: num,
});
export type OvershootView = z.infer<typeof OvershootView>;

export const MemoryRetrievalView = z.object({
  /** The refining model that asked the memory. */
  modelId: z.string(),
  method: z.enum(['embedding', 'lexical']),
  /** The embedding model, when `method` is `embedding`. */
  model: z.string().nullable(),
});
export type MemoryRetrievalView = z.infer<typeof MemoryRetrievalView>;

export const AuctionView = z.object({
  auctionId: z.string(),
  task: z.string(),
  status: z.enum(['running', 'completed', 'cancelled', 'failed']),
  phase: z.enum(['bidding', 'jury', 'refinement', 'done']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  bidders: z.array(z.string()),
  jurors: z.array(z.string()),
  /**
   * How the winner was picked (`sale.auction.rule`) and the quality preference of the expected-utility rule;
   * `ruleFellBack`: that rule was asked for but no prediction was made, so the score decided.
   */
  decision: z.object({ rule: z.enum(['score', 'expected-utility']), qualityPreference: z.number(), ruleFellBack: z.boolean() }).default({ rule: 'score', qualityPreference: 0, ruleFellBack: false }),
  /** Best first: scored bids by rank, then bids still being judged, then failed ones. */
  cards: z.array(BidCard),
  provisionalWinner: z.string().nullable(),
  winner: z.object({ bidId: z.string(), modelId: z.string() }).nullable(),
  why: z.string().nullable(),
  cost: z.object({
    bidding: PhaseCostView,
    jury: PhaseCostView,
    refinement: PhaseCostView,
    total: PhaseCostView,
    /** The auction's dollar cap; null without one. */
    capUsd: num.default(null),
    overshoots: z.array(OvershootView).default([]),
  }),
  refinement: z.object({ ran: z.boolean(), candidates: z.array(z.string()), skipped: z.array(z.object({ modelId: z.string().nullable(), reason: z.string() })) }),
  error: z.object({ code: z.string(), message: z.string(), reasons: z.array(z.object({ modelId: z.string(), reason: z.string() })) }).nullable(),
  /** How the memory found past auctions for each refining model that asked: by embedding (which model) or BM25. */
  retrieval: z.array(MemoryRetrievalView).default([]),
  /**
   * What the engine left out and why (its `adaptive-skip` events, then the result's `adaptive`): the overhead cap's
   * dropped jurors and refinement, a jury stopped early, refiners that could not win, bids that came too late.
   */
  adaptive: z.array(z.object({ kind: z.enum(['refinement', 'jury-stopped-early', 'overhead-cap', 'late-bids']), reason: z.string(), dropped: z.array(z.string()) })).default([]),
  /** That in words for the panel ("memory: by embedding (…)" or "memory: lexical (BM25)"); null when nobody asked. */
  retrievalNote: z.object({ text: z.string(), tooltip: z.string() }).nullable().default(null),
});
export type AuctionView = z.infer<typeof AuctionView>;
