import { CancelledError, isCancellation } from '../errors';
import type { CallSink, ModelCallRecord } from '../ledger/types';
import { buildCallRecord, type MeasuredCall } from '../providers/callRecord';
import { billedUsage, type ChatRequest, type ChatResponse, type ModelClient, type ReasoningEffort } from '../providers/types';
import type { AuctionPhase, SpendTracker } from './budget';
import type { EventSink } from './events';

/** What every auction call needs around it: the shared abort signal, the ledger sink, the spend tracker. */
export interface CallContext {
  auctionId: string;
  /** The auction's signal, for checks; calls take a child signal from `aborts`. */
  signal: AbortSignal;
  aborts: AbortFanout;
  calls: CallSink;
  spend: SpendTracker;
  events: EventSink;
  now: () => number;
  /** Asked of reasoning models on every call of the auction (bids, jury, refinement); absent: the provider's default. */
  reasoningEffort?: ReasoningEffort;
}

export type CallResult =
  | { ok: true; response: ChatResponse; dollars: number | undefined }
  | { ok: false; code: 'cancelled' | 'call-failed' | 'skipped-budget'; reason: string };

/**
 * One model call of the auction: checks the cap, calls with the auction's signal, stops waiting the moment the
 * signal aborts (even if the client ignores it), reports the call to the ledger and adds its spend. Never throws.
 */
export async function callModel(ctx: CallContext, client: ModelClient, phase: AuctionPhase, request: Omit<ChatRequest, 'signal'>): Promise<CallResult> {
  if (ctx.signal.aborted) return { ok: false, code: 'cancelled', reason: 'cancelled before the call started' };
  const promptChars = (request.system?.length ?? 0) + request.messages.reduce((s, m) => s + m.content.length, 0);
  const reservation = ctx.spend.reserve(client.spec.price, promptChars, request.maxTokens ?? 0);
  if (!reservation.ok) return { ok: false, code: 'skipped-budget', reason: reservation.reason };

  const started = ctx.now();
  const child = ctx.aborts.child();
  try {
    const effort = ctx.reasoningEffort === undefined ? {} : { reasoningEffort: ctx.reasoningEffort };
    const response = await raceAbort(client.chat({ ...request, ...effort, signal: child.signal }), child.signal);
    const { dollars } = record(ctx, client, phase, { usage: response.usage, latencyMs: response.latencyMs, ok: true });
    // The provider reported no usage: the call's cost is unknown, so its worst case stays reserved under the cap.
    if (dollars === undefined && client.spec.price) reservation.hold();
    ctx.spend.add(phase, response.usage, dollars);
    noteOvershoot(ctx, client, phase, request.maxTokens, response.usage.outputTokens, dollars, reservation.boundUsd);
    ctx.events.emit({ type: 'cost', cost: ctx.spend.snapshot() });
    return { ok: true, response, dollars };
  } catch (e) {
    const cancelled = ctx.signal.aborted || isCancellation(e);
    // A call can fail after the provider billed it (a stream cut mid-reply): that spend is real and is counted.
    const usage = billedUsage(e);
    const billed = usage.inputTokens + usage.outputTokens > 0 || usage.unreported === true;
    const { dollars } = record(ctx, client, phase, { usage, latencyMs: ctx.now() - started, ok: false, errorCode: cancelled ? 'cancelled' : errorCode(e) });
    if (billed && dollars === undefined && client.spec.price) reservation.hold();
    ctx.spend.addFailed(phase, { usage, dollars });
    if (billed) noteOvershoot(ctx, client, phase, request.maxTokens, usage.outputTokens, dollars, reservation.boundUsd);
    ctx.events.emit({ type: 'cost', cost: ctx.spend.snapshot() });
    if (cancelled) return { ok: false, code: 'cancelled', reason: 'cancelled while the call was in flight' };
    return { ok: false, code: 'call-failed', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    child.dispose();
    reservation.release();
  }
}

/**
 * A call that wrote past its `maxTokens` (a provider that ignores the cap) or cost more than its reservation is
 * noted in the auction's cost (the next `cost` event carries it, and the panel shows it): the cap can then be
 * passed by that excess, and the user must see that it was.
 */
function noteOvershoot(ctx: CallContext, client: ModelClient, phase: AuctionPhase, maxTokens: number | undefined, outputTokens: number, usd: number | undefined, reservedUsd: number | undefined): void {
  ctx.spend.noteCall({ phase, modelId: client.spec.id, maxTokens: maxTokens ?? 0, outputTokens }, usd, reservedUsd);
}

/** Builds the call's ledger record, reports it, and returns it (its dollars are the call's priced cost). */
function record(ctx: CallContext, client: ModelClient, phase: AuctionPhase, measured: MeasuredCall): ModelCallRecord {
  const rec = buildCallRecord(client.spec, { phase, auctionId: ctx.auctionId, time: new Date(ctx.now()).toISOString() }, measured);
  ctx.calls.record(rec);
  return rec;
}

function errorCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return 'error';
}

/** Settles with the promise, or rejects with CancelledError as soon as the signal aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    if (signal.aborted) {
      onAbort();
      promise.catch(() => undefined);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * One listener on the auction's signal that aborts a child controller per call in flight, so dozens of parallel
 * jury calls do not pile listeners onto one AbortSignal.
 */
export class AbortFanout {
  private readonly children = new Set<AbortController>();

  constructor(readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => {
      for (const c of this.children) c.abort();
      this.children.clear();
    }, { once: true });
  }

  child(): { signal: AbortSignal; dispose: () => void } {
    const c = new AbortController();
    if (this.signal.aborted) c.abort();
    else this.children.add(c);
    return { signal: c.signal, dispose: () => this.children.delete(c) };
  }
}
