import type { ContrastivePair } from '../auction/memoryPort';
import type { SimilarAuction } from './memoryIndex';
import type { AuctionLine, MemoryBid } from './records';

/** A similar past auction with its full line (bids and plans), read for pair selection. */
export type SimilarWithBids = SimilarAuction & { auction: AuctionLine };

/** How much a pair's priority is multiplied by, per what we know; settings-free on purpose (ranking only). */
const OUTCOME_FACTOR: Record<string, number> = {
  accepted: 1,
  'tests-passed': 1,
  'partially-accepted': 0.8,
  // No verdict yet: the jury liked the plan, nobody checked the work.
  unknown: 0.6,
};
const OWN_LOSS_FACTOR = 1.5;
const OWN_WIN_FACTOR = 1.25;

/**
 * Picks (losing, winning) plan pairs from similar past auctions for a model about to refine its bid.
 *
 * - A pair's "winning" plan must be a winner whose work the user did not reject or undo and whose tests did not
 *   fail (the paper labels by auction outcome; we label by what happened to the work). Auctions with such a
 *   winner are excluded before this point by `usableAsExample`, and again here for safety.
 * - At most one pair per past auction, so k pairs cover k different tasks. From each auction the loser chosen
 *   is the asking model's own bid when it lost there ("why did my bid lose"), else the closest loser by score
 *   (the most informative contrast).
 * - Priority = similarity x outcome factor (accepted or tests passed > partially accepted > no verdict yet)
 *   x involvement (the asking model lost there > it won there > neither).
 */
export function selectContrastivePairs(similar: readonly SimilarWithBids[], modelId: string, k: number): ContrastivePair[] {
  const scored: { pair: ContrastivePair; priority: number }[] = [];
  for (const { view, auction, similarity } of similar) {
    const winner = auction.bids.find((b) => b.bidId === auction.winnerBidId);
    if (!winner || !winner.plan.trim()) continue;
    const outcome = OUTCOME_FACTOR[view.label ?? 'unknown'];
    if (outcome === undefined) continue; // rejected, undone, tests-failed: never a "winning" example
    const loser = chooseLoser(auction, winner, modelId);
    if (!loser) continue;
    const involvement = loser.modelId === modelId ? OWN_LOSS_FACTOR : winner.modelId === modelId ? OWN_WIN_FACTOR : 1;
    const pair: ContrastivePair = {
      auctionId: auction.id,
      pastTask: auction.task,
      similarity,
      losing: { modelId: loser.modelId, plan: loser.plan },
      winning: { modelId: winner.modelId, plan: winner.plan },
      ...(view.label ? { winnerOutcome: view.label } : {}),
    };
    scored.push({ pair, priority: similarity * outcome * involvement });
  }
  scored.sort((a, b) => b.priority - a.priority);
  return scored.slice(0, Math.max(0, k)).map((s) => s.pair);
}

function chooseLoser(auction: AuctionLine, winner: MemoryBid, modelId: string): MemoryBid | undefined {
  const losers = auction.bids.filter((b) => b.bidId !== winner.bidId && !b.won && b.plan.trim() !== '');
  const byScore = (a: MemoryBid, b: MemoryBid) => (a.score ?? Infinity) - (b.score ?? Infinity);
  const own = losers.filter((b) => b.modelId === modelId).sort(byScore)[0];
  if (own) return own;
  return losers.sort(byScore)[0];
}
