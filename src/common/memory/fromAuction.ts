import { bidOutputTokens } from '../auction/bidding';
import type { AuctionResult } from '../auction/types';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type MemoryBid } from './records';

/**
 * The memory record of a finished auction: every usable bid with its numbers and whether it won. Failed bids
 * have no plan to learn from and are left out; the ledger keeps what they cost.
 */
export function auctionLineFromResult(result: AuctionResult, contextFiles: readonly string[]): AuctionLine {
  const byBid = new Map(result.ranking.map((b) => [b.bidId, b]));
  const bids: MemoryBid[] = result.bids.map((bid) => {
    const b = byBid.get(bid.id);
    const jury: Record<string, number> = {};
    for (const j of result.judgements) if (j.bidId === bid.id) jury[j.jurorId] = j.score;
    return {
      bidId: bid.id,
      modelId: bid.modelId,
      plan: bid.planText,
      // Unknown when the provider reported no usage and no log-probabilities: absent, never 0.
      ...(bidOutputTokens(bid) !== undefined ? { tokens: bidOutputTokens(bid) } : {}),
      ...(bid.entropy ? { entropy: bid.entropy.meanNats } : {}),
      jury,
      ...(b?.cost.term !== undefined ? { cost: b.cost.term } : {}),
      value: b?.value.term ?? 0,
      ...(b?.score !== undefined ? { score: b.score } : {}),
      refined: bid.kind === 'refined',
      ...(bid.refines ? { refinesBidId: bid.refines } : {}),
      memoryItemsUsed: bid.usedAuctions ?? [],
      won: result.winner?.bidId === bid.id,
      ...(bid.dollars !== undefined ? { dollars: bid.dollars } : {}),
      // What the learning needs to calibrate the bid's signals and its cost estimate against the real outcome.
      ...(bid.entropy ? { confidence: bid.entropy.confidence } : {}),
      ...(b?.value.record ? { record: b.value.record.rate } : {}),
      ...(b?.expectedExecutionUsd !== undefined ? { expectedExecutionUsd: b.expectedExecutionUsd } : {}),
      ...(b?.cost.work ? { expectedExecutionTokens: { input: b.cost.work.inputTokens, output: b.cost.work.outputTokens } } : {}),
    };
  });
  return {
    v: MEMORY_SCHEMA_VERSION,
    kind: 'auction',
    id: result.auctionId,
    time: result.finishedAt,
    task: result.task,
    contextFiles: [...contextFiles],
    pool: [...result.bidders],
    bids,
    ...(result.winner ? { winnerBidId: result.winner.bidId } : {}),
    ...(result.cost.total.unpricedCalls === 0 ? { auctionDollars: result.cost.total.usd } : {}),
  };
}
