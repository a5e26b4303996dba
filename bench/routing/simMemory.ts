import type { AuctionMemoryPort, ContrastivePair, PairQuery } from '../../src/common/auction/memoryPort';
import type { AuctionResult } from '../../src/common/auction/types';
import { bagOfWords, cosine, type WordVector } from './bagOfWords';
import { PASSED_OUTCOME, type Scene } from './simClient';
import type { SimTask } from './tasks';

interface PastAuction {
  auctionId: string;
  task: SimTask;
  vector: WordVector;
  /** Bids best first (the auction's final ranking), with their plans. */
  ranked: { bidId: string; modelId: string; plan: string }[];
  winnerBidId: string;
  passed: boolean;
}

/**
 * The auction memory inside the simulation: every past auction of one SALE router with its real outcome. For a
 * refiner it returns (losing, winning) pairs from past tasks of the current task's family, newest first,
 * preferring auctions where the asking model's own bid lost (as the paper prefers the refiner's own bids).
 */
export class SimMemory implements AuctionMemoryPort {
  private readonly past: PastAuction[] = [];

  constructor(private readonly scene: Scene) {}

  contrastivePairs(query: PairQuery): Promise<{ pairs: ContrastivePair[]; method: 'embedding' | 'lexical' }> {
    const task = this.scene.task();
    const vector = bagOfWords(task.text);
    const sameFamily = this.past.filter((p) => p.task.family === task.family).reverse();
    const ownLoss = (p: PastAuction): boolean => p.ranked.some((b) => b.modelId === query.modelId && b.bidId !== p.winnerBidId);
    const chosen = [...sameFamily.filter(ownLoss), ...sameFamily.filter((p) => !ownLoss(p))].slice(0, query.k);
    const pairs = chosen.flatMap((p): ContrastivePair[] => {
      const winner = p.ranked.find((b) => b.bidId === p.winnerBidId);
      const losing = p.ranked.find((b) => b.modelId === query.modelId && b.bidId !== p.winnerBidId) ?? p.ranked.find((b) => b.bidId !== p.winnerBidId);
      if (!winner || !losing) return [];
      return [
        {
          auctionId: p.auctionId,
          pastTask: p.task.text,
          similarity: cosine(vector, p.vector),
          losing: { modelId: losing.modelId, plan: losing.plan },
          winning: { modelId: winner.modelId, plan: winner.plan },
          winnerOutcome: p.passed ? PASSED_OUTCOME : 'tests-failed',
        },
      ];
    });
    return Promise.resolve({ pairs, method: 'lexical' });
  }

  /** Stores a finished auction with what really happened to the winner's work. */
  remember(task: SimTask, result: AuctionResult, passed: boolean): void {
    if (!result.winner) return;
    const plans = new Map(result.bids.map((b) => [b.id, b.planText]));
    this.past.push({
      auctionId: result.auctionId,
      task,
      vector: bagOfWords(task.text),
      ranked: result.ranking.map((r) => ({ bidId: r.bidId, modelId: r.modelId, plan: plans.get(r.bidId) ?? '' })),
      winnerBidId: result.winner.bidId,
      passed,
    });
  }
}
