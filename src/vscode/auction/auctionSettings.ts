import type { AuctionRequest, JuryConfig } from '../../common/auction';
import type { Config } from '../config';

/** The auction request fields that come from the `sale.auction.*` settings. */
export function auctionSettings(config: Pick<Config, 'get'>): Omit<AuctionRequest, 'auctionId' | 'task' | 'context' | 'pool'> {
  const mode = config.get('auction.jury.mode');
  const style = config.get('auction.jury.style');
  const context = config.get('auction.jury.context') === 'full' ? 'full' : 'digest';
  const jury: JuryConfig = mode === 'subset' ? { mode, jurors: config.get('auction.jury.jurors'), style, context } : { mode, style, context };
  // One task budget over the auction and its runs: the engine caps the auction at what is left of it (a new
  // auction has spent nothing yet) and makes a bid whose expected work would not fit ineligible. The two
  // `auction.max*Cost` settings stay separate, optional caps within it.
  const perTask = config.get('budget.perTask');
  const auctionCap = config.get('auction.maxAuctionCost');
  const executionCap = config.get('auction.maxExecutionCost');
  return {
    jury,
    weights: {
      cost: config.get('auction.weights.cost'),
      costMode: config.get('auction.costMode'),
      entropy: config.get('auction.weights.entropy'),
      jury: config.get('auction.weights.jury'),
      ...jurorWeights(config),
      record: config.get('auction.weights.record'),
      // One switch: the decision rule and its one preference (predictions are shown under either rule).
      rule: config.get('auction.rule') === 'expected-utility' ? 'expected-utility' : 'score',
      qualityPreference: unitInterval(config.get('auction.qualityPreference')),
    },
    limits: { juryConcurrency: config.get('auction.jury.concurrency') },
    // The engine estimates the execution from the bids' expected work (this workspace's history, else the prior).
    overhead: { maxShare: config.get('auction.maxOverheadShare') },
    refinement: {
      enabled: config.get('auction.refinement.enabled'),
      topK: config.get('auction.refinement.topK'),
      context: config.get('auction.refinement.context') === 'full' ? 'full' : 'digest',
    },
    // Passed as written: the engine turns a hand-edited value outside the list into `low` and logs a warning.
    reasoningEffort: config.get('auction.reasoningEffort'),
    budget: {
      ...(typeof auctionCap === 'number' ? { auctionCapUsd: auctionCap } : {}),
      ...(typeof executionCap === 'number' ? { executionCapUsd: executionCap } : {}),
      ...(typeof perTask === 'number' ? { taskLimitUsd: perTask, taskSpentUsd: 0 } : {}),
    },
  };
}

/** Per-juror weights (`sale.auction.weights.jurors`, written by the weight fit), when any is set. */
function jurorWeights(config: Pick<Config, 'get'>): { jurors?: Record<string, number> } {
  const jurors = config.get('auction.weights.jurors');
  return jurors && typeof jurors === 'object' && Object.keys(jurors).length ? { jurors: { ...jurors } } : {};
}

/** A hand-edited preference outside 0..1 (or not a number) is clamped rather than failing every auction. */
function unitInterval(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
