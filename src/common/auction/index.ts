// The auction engine's public surface: what the VS Code layer, memory and UI import.
export { runAuction } from './engine';
export type { AuctionEvent, AuctionEventBody, AuctionEventType } from './events';
export { NoBidsError, InvalidAuctionRequestError, type BidderReason } from './errors';
export { DEFAULT_WEIGHTS, DEFAULT_EXECUTION_ESTIMATE, PAPER_COST_WEIGHT, resolveWeights, type AuctionWeights, type CostMode, type ExecutionEstimateConfig } from './weights';
export { expectedWork, workCostTerms, type WorkEstimate } from './workCost';
export type { ExecutionHistoryPort, ExecutionHistoryQuery, ExecutionTokens } from './executionHistory';
export { AUCTION_REASONING_EFFORTS, DEFAULT_LIMITS, DEFAULT_REASONING_EFFORT, DEFAULT_REFINEMENT, reasoningEffortOf } from './config';
export { expectedExecutionUsd } from './budget';
export { sharedPrefix } from './prompts';
export { rankBids, type ScoringInput } from './scoring';
export { entropyOf } from './entropy';
export { parseBidReply, renderPlan } from './bidParser';
export { parseJudgementReply } from './jury';
export { explainWin } from './explain';
export { BidSchema, JudgementSchema } from './schemas';
export type * from './types';
export type { AuctionMemoryPort, ContrastivePair, MemoryRetrieval, PairQuery } from './memoryPort';
