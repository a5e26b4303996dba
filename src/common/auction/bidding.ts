import type { ModelCapabilities, ModelClient } from '../providers/types';
import { parseBidReply } from './bidParser';
import { callModel, type CallContext } from './calls';
import { entropyOf } from './entropy';
import { BidSchema } from './schemas';
import type { Bid, BidKind, FailedBid } from './types';

/** One bid call to make. */
export interface BidCall {
  bidId: string;
  kind: BidKind;
  client: ModelClient;
  capabilities: ModelCapabilities | undefined;
  system: string;
  /** Builds the user message; told whether structured output is used so it can describe the format or not. */
  prompt: (structured: boolean) => string;
  maxTokens: number;
  logprobsTopK: number;
  refines?: string;
  usedAuctions?: string[];
}

export type BidOutcome = { ok: true; bid: Bid } | { ok: false; failure: FailedBid };

/**
 * Asks one model for a bid. Structured output and logprobs are asked for only where the probe says the model
 * supports them; otherwise the reply goes through the tolerant parser. An unusable reply is a failed bid with
 * its reason (and its spend, since the call was paid for).
 */
export async function requestBid(ctx: CallContext, call: BidCall): Promise<BidOutcome> {
  const { client, capabilities } = call;
  const structured = capabilities?.structuredOutput === true;
  const wantLogprobs = capabilities?.logprobs === true && call.logprobsTopK > 0;
  const phase = call.kind === 'refined' ? 'refinement' : 'bidding';
  const base = { bidId: call.bidId, modelId: client.spec.id, kind: call.kind };

  ctx.events.emit({ type: 'bid-started', ...base });
  const result = await callModel(ctx, client, phase, {
    system: call.system,
    messages: [{ role: 'user', content: call.prompt(structured) }],
    maxTokens: call.maxTokens,
    temperature: 0.2,
    ...(structured ? { responseFormat: { name: 'strategy_bid', schema: BidSchema } } : {}),
    ...(wantLogprobs ? { logprobs: { topAlternatives: call.logprobsTopK } } : {}),
  });
  if (!result.ok) return { ok: false, failure: { ...base, code: result.code, reason: result.reason } };

  const { response, dollars } = result;
  const parsed = parseBidReply(response);
  if (!parsed.ok) return { ok: false, failure: { ...base, code: parsed.code, reason: parsed.reason, usage: response.usage, dollars } };

  const entropy = entropyOf(response.logprobs);
  const logprobTokens = response.usage.unreported && response.logprobs?.length ? response.logprobs.length : undefined;
  const bid: Bid = {
    id: call.bidId,
    modelId: client.spec.id,
    kind: call.kind,
    content: parsed.content,
    planText: parsed.planText,
    parsedVia: parsed.via,
    usage: response.usage,
    ...(logprobTokens === undefined ? {} : { logprobTokens }),
    ...(dollars === undefined ? {} : { dollars }),
    ...(entropy ? { entropy } : {}),
    ...(call.refines ? { refines: call.refines } : {}),
    ...(call.usedAuctions ? { usedAuctions: call.usedAuctions } : {}),
  };
  return { ok: true, bid };
}

/**
 * The bid's output tokens, for its cost term: the provider-reported count; when the provider reported no usage,
 * the number of log-probability entries, which is exact (the provider returns one entry per generated token, so
 * it is a count, not an estimate); otherwise undefined: the bid's cost is unknown, like that of an unpriced model.
 */
export function bidOutputTokens(bid: Pick<Bid, 'usage' | 'logprobTokens'>): number | undefined {
  if (!bid.usage.unreported) return bid.usage.outputTokens;
  return bid.logprobTokens;
}
