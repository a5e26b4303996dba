import type { Price, Usage } from '../providers/types';

/** The phase of the product a model call belongs to; reports split spend by it. */
/** `shadow`: a shadow run of the reference model (measuring a saving), kept apart from the route's own spend. */
export type CallPhase = 'bidding' | 'jury' | 'refinement' | 'embedding' | 'execution' | 'probe' | 'shadow';

/**
 * One model call, as the ledger records it. Everything the engine and the agent spend is reported as these;
 * the ledger appends them and the cost report aggregates them. A call that failed after the provider billed it
 * carries its usage and `ok: false`.
 */
export interface ModelCallRecord {
  /** ISO time the call finished. */
  time: string;
  /** The auction the call belongs to; undefined for calls outside an auction (probe, connection test). */
  auctionId?: string;
  phase: CallPhase;
  modelId: string;
  /** The model name sent on the wire. */
  model: string;
  local: boolean;
  usage: Usage;
  /** The price used, or undefined when unknown. */
  price?: Price;
  /** Dollars from usage x price; undefined when the price is unknown (never silently 0). */
  dollars?: number;
  latencyMs: number;
  ok: boolean;
  /** Error code when `ok` is false. */
  errorCode?: string;
}

/** Where model-call records go. The node adapter appends them to the ledger file; tests collect them. */
export interface CallSink {
  record(call: ModelCallRecord): void;
}
