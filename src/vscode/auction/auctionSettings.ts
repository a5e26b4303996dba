import type { AuctionRequest, JuryConfig } from '../../common/auction';
import type { Config } from '../config';

/** The auction request fields that come from the `sale.auction.*` settings. */
export function auctionSettings(config: Config): Omit<AuctionRequest, 'auctionId' | 'task' | 'context' | 'pool'> {
  const mode = config.get('auction.jury.mode');
  const style = config.get('auction.jury.style');
  const jury: JuryConfig = mode === 'subset' ? { mode, jurors: config.get('auction.jury.jurors'), style } : { mode, style };
  // A per-task budget caps both the auction's own calls and the winner's expected execution.
  const perTask = config.get('budget.perTask');
  const auctionCap = minOf(config.get('auction.maxAuctionCost'), perTask);
  const executionCap = minOf(config.get('auction.maxExecutionCost'), perTask);
  return {
    jury,
    weights: { cost: config.get('auction.weights.cost'), entropy: config.get('auction.weights.entropy'), jury: config.get('auction.weights.jury') },
    limits: { juryConcurrency: config.get('auction.jury.concurrency') },
    // The controller adds its execution estimate (overheadEstimate.ts); without one nothing is shrunk.
    overhead: { maxShare: config.get('auction.maxOverheadShare') },
    refinement: { enabled: config.get('auction.refinement.enabled'), topK: config.get('auction.refinement.topK') },
    budget: {
      ...(typeof auctionCap === 'number' ? { auctionCapUsd: auctionCap } : {}),
      ...(typeof executionCap === 'number' ? { executionCapUsd: executionCap } : {}),
    },
  };
}

function minOf(...xs: (number | null)[]): number | undefined {
  const set = xs.filter((x): x is number => typeof x === 'number');
  return set.length ? Math.min(...set) : undefined;
}
