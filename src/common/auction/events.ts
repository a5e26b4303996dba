import type { Logger } from '../log';
import type { AdaptiveSkip, AuctionCost, AuctionResult, Bid, BidKind, FailedBid, FailedJudgement, Judgement, ScoreBreakdown, SkippedCall } from './types';
import type { AuctionWeights } from './weights';

/** The body of each auction event; every event also carries `auctionId`, `at` (ISO) and `seq`. Plain JSON data. */
export type AuctionEventBody =
  | { type: 'auction-started'; task: string; bidders: string[]; jurors: string[]; weights: AuctionWeights }
  | { type: 'bid-started'; bidId: string; modelId: string; kind: BidKind }
  | { type: 'bid-received'; bid: Bid }
  | { type: 'bid-failed'; failure: FailedBid }
  | { type: 'call-skipped'; skipped: SkippedCall }
  | { type: 'judgement-received'; judgement: Judgement }
  | { type: 'judgement-failed'; failure: FailedJudgement }
  | { type: 'bid-scored'; breakdown: ScoreBreakdown }
  /** Bid ids best first, sent whenever the order of scored bids changes. */
  | { type: 'ranking-changed'; ranking: string[] }
  | { type: 'provisional-winner'; bidId: string; modelId: string; score?: number }
  | { type: 'refinement-started'; provisionalWinner: string; candidates: string[] }
  | { type: 'refinement-skipped'; modelId?: string; reason: string }
  | { type: 'refined-bid'; bid: Bid }
  /** How the memory found the past auctions a refining model learns from (one per model that asked). */
  | { type: 'memory-retrieved'; modelId: string; method: 'embedding' | 'lexical'; model?: string; pairs: number }
  | { type: 'final-winner'; bidId: string; modelId: string; kind: BidKind; score?: number; why: string }
  | { type: 'cost'; cost: AuctionCost }
  | { type: 'adaptive-skip'; skip: AdaptiveSkip }
  | { type: 'done'; result: AuctionResult }
  | { type: 'cancelled'; result: AuctionResult }
  | { type: 'failed'; error: { code: string; message: string; reasons: { modelId: string; reason: string }[] } };

export type AuctionEventType = AuctionEventBody['type'];

export type AuctionEvent = { auctionId: string; at: string; seq: number } & AuctionEventBody;

/** Stamps and delivers events; a listener that throws is logged and the auction goes on. */
export class EventSink {
  private seq = 0;
  constructor(
    private readonly auctionId: string,
    private readonly now: () => number,
    private readonly listener: ((e: AuctionEvent) => void) | undefined,
    private readonly logger: Logger,
  ) {}

  emit(body: AuctionEventBody): void {
    // What the engine left out must be traceable even where no listener shows it.
    if (body.type === 'adaptive-skip') this.logger.info(`auction ${this.auctionId}: ${body.skip.kind}: ${body.skip.reason}`);
    if (!this.listener) return;
    const event: AuctionEvent = { auctionId: this.auctionId, at: new Date(this.now()).toISOString(), seq: this.seq++, ...body };
    try {
      this.listener(event);
    } catch (e) {
      this.logger.warn(`auction event listener threw on ${body.type}`, e);
    }
  }
}
