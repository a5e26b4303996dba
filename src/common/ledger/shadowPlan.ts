import type { Bid } from '../auction/types';
import type { PoolModel } from './entry';
import { largestModel, type ReferenceModel } from './reference';

/** What a shadow run would do: which model runs which plan. */
export interface ShadowPlan {
  reference: ReferenceModel;
  /** The reference's own bid when it bid, else the accepted bid (its plan is what the reference follows). */
  plan: Pick<Bid, 'id' | 'modelId' | 'planText'>;
}

export type ShadowDecision = { run: ShadowPlan } | { skip: string };

/** The inputs of the decision, all known when a review is recorded. */
export interface ShadowInputs {
  /** The pool recorded with the auction when it started (with its prices then). */
  pool: readonly PoolModel[] | undefined;
  /** The model whose work the user accepted. */
  acceptedModelId: string;
  acceptedBid: Pick<Bid, 'id' | 'modelId' | 'planText'> | undefined;
  bids: readonly Pick<Bid, 'id' | 'modelId' | 'planText'>[];
  /** `sale.shadowRuns.share` (0..1). */
  share: number;
  /** A draw in [0, 1): the auction is sampled when it is below the share. */
  draw: number;
  /** Models of today's pool that are enabled and can run (the reference must still be one). */
  runnable: (modelId: string) => boolean;
}

/**
 * Whether an accepted auction gets a shadow run, and of what. Pure. Never when the share is 0 or the draw misses
 * it; never without a recorded priced reference (nothing to measure against) or a per-request one (a run's cost
 * could not be capped in dollars per token); never when the accepted work is the reference's own (already measured).
 */
export function decideShadowRun(i: ShadowInputs): ShadowDecision {
  if (!(i.share > 0) || i.draw >= i.share) return { skip: 'not sampled' };
  const reference = largestModel(i.pool ?? []);
  if (!reference) return { skip: 'the auction recorded no priced pool' };
  if (reference.price.perRequest !== undefined) return { skip: `${reference.modelId} is priced per request` };
  if (reference.modelId === i.acceptedModelId) return { skip: 'the reference itself did the accepted work: already measured' };
  if (!i.runnable(reference.modelId)) return { skip: `${reference.modelId} is no longer in the pool` };
  const own = i.bids.find((b) => b.modelId === reference.modelId);
  const plan = own ?? i.acceptedBid;
  if (!plan) return { skip: 'no plan to follow' };
  return { run: { reference, plan } };
}
