import type { OutcomeLabel } from '../protocol/outcomes';

/**
 * What the auction engine needs from the auction memory (the memory issue implements it): for a new task and
 * a model that wants to outbid, the most similar past auctions as (losing plan, winning plan) pairs.
 */
export interface ContrastivePair {
  /** The past auction the pair comes from. */
  auctionId: string;
  pastTask: string;
  /** Similarity of the past task to the current one, 0..1. */
  similarity: number;
  losing: { modelId: string; plan: string };
  winning: { modelId: string; plan: string };
  /** What really happened to the winner's work when it was run: the user accepted, rejected or undid it; tests. */
  winnerOutcome?: OutcomeLabel;
  /** What happened to the losing plan's work, when the user chose to run it instead of the winner. */
  loserOutcome?: OutcomeLabel;
}

export interface PairQuery {
  task: string;
  /** The model asking: pairs involving its own past bids are preferred. */
  modelId: string;
  k: number;
  signal?: AbortSignal;
  /** The auction asking, so an embedding call made for the query is charged to it in the ledger. */
  auctionId?: string;
}

/** How the memory found the past auctions: by embedding (with the embedding model's name) or lexically (BM25). */
export interface MemoryRetrieval {
  method: 'embedding' | 'lexical';
  /** The embedding model (`<pool id>/<model>`) when `method` is `embedding`. */
  model?: string;
}

export interface AuctionMemoryPort {
  contrastivePairs(query: PairQuery): Promise<{ pairs: ContrastivePair[] } & MemoryRetrieval>;
}
