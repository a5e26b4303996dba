import type { ContrastivePair } from '../auction/memoryPort';
import type { SimilarAuction } from './memoryIndex';
import { labelQuality, type OutcomeLabel } from '../protocol/outcomes';
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
/** A winner whose work was rejected, undone, broke the tests or failed: a negative example, ranked last. */
const BAD_WINNER_FACTOR = 0.5;
/** The user ran the losing bid and kept its work: the jury passed over a plan that worked. */
const GOOD_LOSER_FACTOR = 1;
const OWN_LOSS_FACTOR = 1.5;
const OWN_WIN_FACTOR = 1.25;

/**
 * Picks (losing, winning) plan pairs from similar past auctions for a model about to refine its bid. Outcomes are
 * per bid: they belong to the bid that was executed (the winner, or a losing bid the user chose to run).
 *
 * - Every pair says what happened to each side's work when it was run (`winnerOutcome`, `loserOutcome`). A winner
 *   whose work was rejected, undone, broke the tests or failed is kept as a negative example (the refinement
 *   prompt asks why it should not have won), ranked below every other pair.
 * - At most one pair per past auction, so k pairs cover k different tasks. From each auction the loser chosen
 *   is a losing bid the user ran (its outcome is the most telling contrast), else the asking model's own bid
 *   when it lost there ("why did my bid lose"), else the closest loser by score.
 * - Priority = similarity x outcome factor (the winner's work accepted or tests passed, or a losing bid's work
 *   kept > partially accepted > no verdict yet > a bad winner) x involvement (the asking model lost there > it
 *   won there > neither).
 */
export function selectContrastivePairs(similar: readonly SimilarWithBids[], modelId: string, k: number): ContrastivePair[] {
  const scored: { pair: ContrastivePair; priority: number }[] = [];
  for (const { view, auction, similarity } of similar) {
    const winner = auction.bids.find((b) => b.bidId === auction.winnerBidId);
    if (!winner || !winner.plan.trim()) continue;
    const loser = chooseLoser(auction, winner, modelId, view.bidLabels);
    if (!loser) continue;
    const winnerOutcome = view.bidLabels[winner.bidId];
    const loserOutcome = view.bidLabels[loser.bidId];
    const outcome =
      labelQuality(loserOutcome) === 'good' ? GOOD_LOSER_FACTOR : labelQuality(winnerOutcome) === 'bad' ? BAD_WINNER_FACTOR : (OUTCOME_FACTOR[winnerOutcome ?? 'unknown'] ?? BAD_WINNER_FACTOR);
    const involvement = loser.modelId === modelId ? OWN_LOSS_FACTOR : winner.modelId === modelId ? OWN_WIN_FACTOR : 1;
    const pair: ContrastivePair = {
      auctionId: auction.id,
      pastTask: auction.task,
      similarity,
      losing: { modelId: loser.modelId, plan: loser.plan },
      winning: { modelId: winner.modelId, plan: winner.plan },
      ...(winnerOutcome ? { winnerOutcome } : {}),
      ...(loserOutcome ? { loserOutcome } : {}),
    };
    scored.push({ pair, priority: similarity * outcome * involvement });
  }
  scored.sort((a, b) => b.priority - a.priority);
  return scored.slice(0, Math.max(0, k)).map((s) => s.pair);
}

function chooseLoser(auction: AuctionLine, winner: MemoryBid, modelId: string, labels: Readonly<Record<string, OutcomeLabel>>): MemoryBid | undefined {
  const losers = auction.bids.filter((b) => b.bidId !== winner.bidId && !b.won && b.plan.trim() !== '');
  const byScore = (a: MemoryBid, b: MemoryBid) => (a.score ?? Infinity) - (b.score ?? Infinity);
  const executed = losers.filter((b) => labels[b.bidId] !== undefined).sort(byScore)[0];
  if (executed) return executed;
  const own = losers.filter((b) => b.modelId === modelId).sort(byScore)[0];
  if (own) return own;
  return losers.sort(byScore)[0];
}
