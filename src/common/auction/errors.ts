import { SaleError } from '../errors';
import type { AuctionResult } from './types';

/** One bidder's reason for not producing a usable, eligible bid. */
export interface BidderReason {
  modelId: string;
  reason: string;
}

/** The auction ended without a bid that could win. Carries each bidder's reason and the partial result (spend). */
export class NoBidsError extends SaleError {
  readonly code = 'no-bids';
  constructor(
    readonly reasons: BidderReason[],
    readonly result: AuctionResult,
  ) {
    super(`No usable bid: ${reasons.map((r) => `${r.modelId}: ${r.reason}`).join('; ') || 'no bidders in the pool'}`, {
      nextStep: { kind: 'showLogs' },
    });
  }
}

/** The request cannot run as given (unknown weights, an empty pool, a juror that is not in the pool). */
export class InvalidAuctionRequestError extends SaleError {
  readonly code = 'invalid-auction-request';
}

/** A model's reply could not be turned into a bid or a judgement. */
export class UnusableReplyError extends SaleError {
  readonly code: string;
  constructor(code: 'empty-reply' | 'unparseable' | 'truncated' | 'content-filter' | 'invalid', message: string) {
    super(message);
    this.code = code;
  }
}
