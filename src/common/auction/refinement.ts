import { isCancellation } from '../errors';
import type { ModelCapabilities, ModelClient } from '../providers/types';
import { requestBid, type BidOutcome } from './bidding';
import { raceAbort, type CallContext } from './calls';
import type { AuctionMemoryPort } from './memoryPort';
import { REFINE_SYSTEM, refinePrompt } from './prompts';
import type { AuctionContext, Bid, ScoreBreakdown } from './types';

export interface RefinementSkip {
  modelId?: string;
  reason: string;
}

/**
 * Who may outbid: models strictly cheaper than the provisional winner by output price, with a usable bid of
 * their own to improve. A model with an unknown price cannot be shown to be cheaper and is left out.
 */
export function refinementCandidates(
  winner: ScoreBreakdown,
  originalBids: readonly Bid[],
  clientOf: (modelId: string) => ModelClient | undefined,
): { candidates: { client: ModelClient; ownBid: Bid }[]; skipped: RefinementSkip[] } {
  const skipped: RefinementSkip[] = [];
  const winnerPrice = winner.cost.outputPricePerMTok;
  if (winnerPrice === undefined) return { candidates: [], skipped: [{ reason: 'the provisional winner\'s price is unknown, so no model can be shown to be cheaper' }] };
  const candidates: { client: ModelClient; ownBid: Bid }[] = [];
  for (const bid of [...originalBids].sort((a, b) => (a.modelId < b.modelId ? -1 : 1))) {
    if (bid.modelId === winner.modelId) continue;
    const client = clientOf(bid.modelId);
    const p = client?.spec.price?.outputPerMTok;
    if (!client || p === undefined) {
      skipped.push({ modelId: bid.modelId, reason: 'price unknown: cannot tell whether it is cheaper than the provisional winner' });
      continue;
    }
    if (p < winnerPrice) candidates.push({ client, ownBid: bid });
  }
  if (candidates.length === 0 && skipped.length === 0) skipped.push({ reason: 'no bidder is cheaper than the provisional winner' });
  return { candidates, skipped };
}

export interface RefineCall {
  client: ModelClient;
  capabilities: ModelCapabilities | undefined;
  ownBid: Bid;
  memory: AuctionMemoryPort;
  task: string;
  context: AuctionContext | undefined;
  /** The context is the digest (outlines), not the files the earlier bid was written from. */
  contextIsDigest: boolean;
  topK: number;
  maxTokens: number;
  logprobsTopK: number;
}

export type RefineOutcome = BidOutcome | { ok: 'skipped'; skip: RefinementSkip };

/**
 * One model's outbidding attempt: contrastive (losing, winning) pairs from memory, then a refined bid written
 * with the contrastive prompt. No pairs means nothing to learn from: skipped, not failed.
 */
export async function refineBid(ctx: CallContext, call: RefineCall): Promise<RefineOutcome> {
  const modelId = call.client.spec.id;
  let pairs;
  const child = ctx.aborts.child();
  try {
    // The auction's id charges an embedding of the query to this auction in the ledger.
    const found = await raceAbort(call.memory.contrastivePairs({ task: call.task, modelId, k: call.topK, signal: child.signal, auctionId: ctx.auctionId }), child.signal);
    pairs = found.pairs;
    ctx.events.emit({ type: 'memory-retrieved', modelId, method: found.method, ...(found.model !== undefined ? { model: found.model } : {}), pairs: pairs.length });
  } catch (e) {
    if (ctx.signal.aborted || isCancellation(e)) {
      return { ok: false, failure: { bidId: `${modelId}#refined`, modelId, kind: 'refined', code: 'cancelled', reason: 'cancelled while reading memory' } };
    }
    return { ok: 'skipped', skip: { modelId, reason: `memory lookup failed: ${e instanceof Error ? e.message : String(e)}` } };
  } finally {
    child.dispose();
  }
  if (pairs.length === 0) return { ok: 'skipped', skip: { modelId, reason: 'no similar past auctions in memory' } };
  const used = [...new Set(pairs.map((p) => p.auctionId))];
  return requestBid(ctx, {
    bidId: `${modelId}#refined`,
    kind: 'refined',
    client: call.client,
    capabilities: call.capabilities,
    system: REFINE_SYSTEM,
    prompt: (structured) => refinePrompt(call.task, call.context, call.ownBid, pairs, structured, call.contextIsDigest),
    maxTokens: call.maxTokens,
    logprobsTopK: call.logprobsTopK,
    refines: call.ownBid.id,
    usedAuctions: used,
  });
}
