import * as z from 'zod';

/**
 * The auction memory's line shapes (schema version 2). Every line of a memory file is one of these, and every
 * line carries `v`, so a reader can upgrade older lines (see legacy.ts) and refuse lines from the future.
 * Version 2 added `bidId` to outcome lines: the bid whose work the outcome is about (a user can run a losing bid).
 *
 * Records are never rewritten to add what happened later: the auction line is written once, when the auction
 * ends, and the user's review, undo, test runs and the real execution cost arrive as separate `outcome` lines
 * that reference it. Vectors are cached as `embedding` lines; a deletion is a `deleted` line (a tombstone) so a
 * git union merge of the team file cannot bring a deleted auction back.
 */

export const MEMORY_SCHEMA_VERSION = 2;

const nonNegative = z.number().finite().nonnegative();

/** One bid as the memory keeps it; generic enough for any engine result to map onto. */
export const MemoryBid = z.object({
  /** Unique within the auction. */
  bidId: z.string().min(1),
  modelId: z.string().min(1),
  plan: z.string(),
  /** Bid length in tokens (|s_i|), as the provider reported it (or counted from its log-probabilities); absent when unknown. */
  tokens: z.number().int().nonnegative().optional(),
  /** Mean per-token entropy of the bid; absent when the provider returned no log-probabilities. */
  entropy: z.number().finite().optional(),
  /** Likert score 0..5 given to this bid, by juror model id. */
  jury: z.record(z.string(), z.number().min(0).max(5)),
  /** The cost term; absent when the model's price was unknown (never recorded as 0). */
  cost: z.number().finite().optional(),
  value: z.number().finite(),
  /** cost - value: lower is better; absent when the cost was unknown. */
  score: z.number().finite().optional(),
  /** True for a bid written in the refinement (outbid) pass. */
  refined: z.boolean(),
  /** For a refined bid: the earlier bid of the same model it replaces. */
  refinesBidId: z.string().optional(),
  /** Ids of the memory items (past auctions) shown to the bidder when it wrote this bid. */
  memoryItemsUsed: z.array(z.string()),
  won: z.boolean(),
  /** Dollars spent producing this bid (provider usage x price), when known. */
  dollars: nonNegative.optional(),
  /** The bid's entropy confidence (1 − mean normalised entropy, 0..1) as scoring read it; absent without logprobs or on older lines. */
  confidence: z.number().min(0).max(1).optional(),
  /**
   * The bidder's track-record rate (its model's success rate here, 0..1) that the auction's value term counted;
   * absent when the auction loaded no track record, or on older lines. The weight fit reads the value term back
   * through it.
   */
  record: z.number().min(0).max(1).optional(),
  /** Dollars its execution was expected to cost when the auction ranked it; absent when unknown or on older lines. */
  expectedExecutionUsd: nonNegative.optional(),
  /** The tokens behind `expectedExecutionUsd` (the work estimate), when the auction had one. */
  expectedExecutionTokens: z.object({ input: nonNegative, output: nonNegative }).optional(),
});
export type MemoryBid = z.infer<typeof MemoryBid>;

export const ExecutionSummary = z.object({
  status: z.enum(['completed', 'failed', 'cancelled', 'not-run']),
  /** A short free-text summary written by the agent. Local only: the team sanitiser drops it. */
  summary: z.string().optional(),
  filesChanged: z.number().int().nonnegative().optional(),
  turns: z.number().int().nonnegative().optional(),
});
export type ExecutionSummary = z.infer<typeof ExecutionSummary>;

export const AuctionLine = z.object({
  v: z.literal(MEMORY_SCHEMA_VERSION),
  kind: z.literal('auction'),
  id: z.string().min(1),
  /** ISO time the auction ended. */
  time: z.string().min(1),
  task: z.string(),
  /** Workspace-relative paths given to the bidders as context. Local only. */
  contextFiles: z.array(z.string()),
  /** Model ids of the pool that took part. */
  pool: z.array(z.string()),
  bids: z.array(MemoryBid),
  /** The final winner; absent when the auction ended without one (no bids, cancelled). */
  winnerBidId: z.string().optional(),
  execution: ExecutionSummary.optional(),
  /** Dollars spent on the auction itself (bidding, jury, refinement), when known. */
  auctionDollars: nonNegative.optional(),
});
export type AuctionLine = z.infer<typeof AuctionLine>;

export const FileDecision = z.object({
  path: z.string().min(1),
  decision: z.enum(['accepted', 'rejected', 'partial']),
  /** Per-hunk decisions when the user reviewed hunk by hunk. */
  hunks: z.array(z.object({ index: z.number().int().nonnegative(), accepted: z.boolean() })).optional(),
});
export type FileDecision = z.infer<typeof FileDecision>;

/** What happened to a bid's work, one fact per event. */
export const OutcomeFact = z.discriminatedUnion('type', [
  /** The user's review of the diff. `overall` is set when the review was not per file (old data). */
  z.object({ type: z.literal('review'), files: z.array(FileDecision), overall: z.enum(['accepted', 'rejected']).optional() }),
  /** Applied work was undone later (VS Code undo or restore of the checkpoint). */
  z.object({ type: z.literal('undone'), files: z.array(z.string()).optional() }),
  /** Tests or a build run after apply, at the user's request. `output` is local only. */
  z.object({ type: z.literal('tests'), command: z.string().optional(), passed: z.boolean(), output: z.string().optional() }),
  /** The real cost of execution, as the provider reported it, and how the run ended (absent before version 2). */
  z.object({
    type: z.literal('execution-cost'),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    dollars: nonNegative.optional(),
    status: z.enum(['finished', 'limit', 'failed', 'cancelled']).optional(),
    /** Files the run staged for review. */
    staged: z.number().int().nonnegative().optional(),
    /** Which executed bid of the auction this was (1: first try, 2+: escalations); absent on older lines. */
    attempt: z.number().int().positive().optional(),
    /** The failed bid this run escalated from; absent on a first try and on older lines. */
    escalatedFrom: z.string().min(1).optional(),
  }),
]);
export type OutcomeFact = z.infer<typeof OutcomeFact>;

export const OutcomeLine = z.object({
  v: z.literal(MEMORY_SCHEMA_VERSION),
  kind: z.literal('outcome'),
  /** The event's own id (for de-duplication when local and team files are merged). */
  id: z.string().min(1),
  auctionId: z.string().min(1),
  /**
   * The bid whose work this is about: the bid that was executed. Every line written since version 2 has it.
   * Absent only on lines from versions 0 and 1, which knew of no other executed bid than the winner: such an
   * outcome is attributed to the auction's winner (`outcomeBidId`), exactly as those versions read it.
   */
  bidId: z.string().min(1).optional(),
  time: z.string().min(1),
  fact: OutcomeFact,
});
export type OutcomeLine = z.infer<typeof OutcomeLine>;

export const EmbeddingLine = z.object({
  v: z.literal(MEMORY_SCHEMA_VERSION),
  kind: z.literal('embedding'),
  id: z.string().min(1),
  auctionId: z.string().min(1),
  /** The embedding model key (pool model id + wire model): vectors of different models are never compared. */
  model: z.string().min(1),
  dim: z.number().int().positive(),
  /** Base64 of the vector: 'q8' = int8 with `scale` (a quarter of f32's size), 'f32' = little-endian float32. */
  encoding: z.enum(['q8', 'f32']),
  scale: z.number().finite().positive().optional(),
  data: z.string(),
});
export type EmbeddingLine = z.infer<typeof EmbeddingLine>;

export const DeletedLine = z.object({
  v: z.literal(MEMORY_SCHEMA_VERSION),
  kind: z.literal('deleted'),
  id: z.string().min(1),
  auctionId: z.string().min(1),
  time: z.string().min(1),
});
export type DeletedLine = z.infer<typeof DeletedLine>;

export const MemoryLine = z.discriminatedUnion('kind', [AuctionLine, OutcomeLine, EmbeddingLine, DeletedLine]);
export type MemoryLine = z.infer<typeof MemoryLine>;

/** The bid an outcome line is about: its own `bidId`, or (a line from before version 2) the auction's winner. */
export function outcomeBidId(line: { bidId?: string | undefined }, winnerBidId: string | undefined): string | undefined {
  return line.bidId ?? winnerBidId;
}
