import type { CallPhase, ModelCallRecord } from '../ledger/types';
import { isModelCallError } from './errors';
import { costOf } from './pricing';
import type { ChatResponse, EmbeddingResponse, ModelSpec, Usage } from './types';
import { emptyUsage } from './types';

/** Where a call belongs, for the ledger. */
export interface CallMeta {
  phase: CallPhase;
  auctionId?: string;
  /** ISO time the call finished; defaults to now. */
  time?: string;
}

/**
 * The ledger record of one finished call, success or failure. A failure that the provider billed keeps its usage
 * and its dollars; an error that is not a typed model-call error records no usage (nothing is known to be billed).
 */
export function toCallRecord(spec: ModelSpec, meta: CallMeta, outcome: { response: ChatResponse | EmbeddingResponse } | { error: unknown }): ModelCallRecord {
  let usage: Usage;
  let latencyMs: number;
  let ok: boolean;
  let errorCode: string | undefined;
  if ('response' in outcome) {
    usage = outcome.response.usage;
    latencyMs = outcome.response.latencyMs;
    ok = true;
  } else {
    const e = outcome.error;
    usage = isModelCallError(e) ? (e.usage ?? emptyUsage()) : emptyUsage();
    latencyMs = isModelCallError(e) ? (e.latencyMs ?? 0) : 0;
    ok = false;
    errorCode = isModelCallError(e) ? e.code : 'unexpected';
  }
  return buildCallRecord(spec, meta, { usage, latencyMs, ok, ...(errorCode !== undefined ? { errorCode } : {}) });
}

/** What was measured of one call, success or failure. */
export interface MeasuredCall {
  usage: Usage;
  latencyMs: number;
  ok: boolean;
  errorCode?: string;
  /** The model name the provider answered with, when it differs from the spec's (an alias resolved). */
  model?: string;
}

/**
 * The ledger record of one call: every record is built here, and this is the one place a call's usage is turned
 * into dollars (`costOf`: usage x price; unknown when the price is, or when a priced model reported no usage).
 * Fields that are unknown are left out, never written as undefined.
 */
export function buildCallRecord(spec: Pick<ModelSpec, 'id' | 'model' | 'local' | 'price'>, meta: CallMeta, call: MeasuredCall): ModelCallRecord {
  const record: ModelCallRecord = {
    time: meta.time ?? new Date().toISOString(),
    phase: meta.phase,
    modelId: spec.id,
    model: call.model ?? spec.model,
    local: spec.local,
    usage: call.usage,
    latencyMs: call.latencyMs,
    ok: call.ok,
  };
  if (meta.auctionId !== undefined) record.auctionId = meta.auctionId;
  if (spec.price) record.price = spec.price;
  const dollars = costOf(call.usage, spec.price);
  if (dollars !== undefined) record.dollars = dollars;
  if (call.errorCode !== undefined) record.errorCode = call.errorCode;
  return record;
}
