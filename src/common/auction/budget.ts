import { isFree, requestUsd } from '../providers/pricing';
import type { Price, Usage } from '../providers/types';
import type { AuctionCost, CallOvershoot, PhaseCost } from './types';
import type { ExecutionEstimateConfig } from './weights';
import { usd } from '../protocol/format';

export type AuctionPhase = 'bidding' | 'jury' | 'refinement';

/** Conservative characters per token for bounding a prompt's size before we send it (real usage is reported). */
const CHARS_PER_TOKEN_BOUND = 3;

/**
 * Tracks the auction's spend by phase and keeps it under the auction cap.
 *
 * Before a call is launched, its worst case is reserved: prompt characters / 3 input tokens plus the full
 * `maxTokens` of output, at the model's prices. A call whose reservation would take spent + reserved over the cap
 * is not launched. When it returns, the reservation is replaced by its real, provider-reported cost. Under a cap,
 * a model with an unknown price is never called: its spend could not be bounded. A call whose provider then
 * reports no usage keeps its reservation for good (`hold`): its worst case stands in for the unknown cost, so
 * the cap still holds and the call is never counted as $0.
 */
export class SpendTracker {
  private readonly phases: Record<AuctionPhase, PhaseCost> = { bidding: emptyPhase(), jury: emptyPhase(), refinement: emptyPhase() };
  /** Each call's dollars, summed in sorted order so the totals do not depend on the order calls finished in. */
  private readonly dollars: Record<AuctionPhase, number[]> = { bidding: [], jury: [], refinement: [] };
  private reserved = 0;
  /** Worst cases of calls made whose cost stayed unknown (usage not reported); they count against the cap. */
  private held = 0;
  /** A moving ceiling under the cap (the task budget's keep-back for the work; see `limitBy`). */
  private ceiling: (() => number) | undefined;
  private readonly overshoots: CallOvershoot[] = [];

  constructor(private readonly capUsd: number | undefined) {}

  /**
   * Adds a second limit that moves as the auction learns: the task budget's room for the work once bids are in
   * (`keepBackUsd` in ledger/taskBudget.ts). A call is launched only when it fits both the cap and the ceiling.
   * Without a cap nothing is limited (the task budget always sets one).
   */
  limitBy(ceiling: () => number): void {
    this.ceiling = ceiling;
  }

  /** Reserves the worst case of a call, or says why it must not be made. */
  reserve(
    price: Price | undefined,
    promptChars: number,
    maxTokens: number,
  ): { ok: true; release: () => void; hold: () => void; /** The worst case reserved; absent without a cap. */ boundUsd?: number } | { ok: false; reason: string } {
    if (this.capUsd === undefined) return { ok: true, release: () => undefined, hold: () => undefined };
    if (!price) return { ok: false, reason: 'price unknown: its cost cannot be kept within the auction cap' };
    // A request-priced model's call costs one request × its multiplier whatever its length.
    const bound = (Math.ceil(promptChars / CHARS_PER_TOKEN_BOUND) * price.inputPerMTok + maxTokens * price.outputPerMTok) / 1_000_000 + requestUsd(price);
    const committed = this.committedUsd();
    const ceiling = this.ceiling?.() ?? Number.POSITIVE_INFINITY;
    if (committed + bound > Math.min(this.capUsd, ceiling)) {
      const limit =
        committed + bound <= this.capUsd
          ? `task budget: ${usd(Math.max(0, ceiling))} may go to the auction, the rest is kept for the cheapest bid's work`
          : `auction cap ${usd(this.capUsd)}`;
      return { ok: false, reason: `${limit}: ${usd(committed)} spent or committed, this call could cost up to ${usd(bound)}` };
    }
    this.reserved += bound;
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        this.reserved -= bound;
      }
    };
    return {
      ok: true,
      boundUsd: bound,
      release,
      // The call's cost is unknown: its worst case stays committed for the rest of the auction.
      hold: () => {
        if (!released) this.held += bound;
        release();
      },
    };
  }

  /** Adds a finished call's provider-reported usage; `dollars` undefined means its cost is unknown (price or usage). */
  add(phase: AuctionPhase, usage: Usage, dollars: number | undefined): void {
    const p = this.phases[phase];
    p.calls++;
    p.inputTokens += usage.inputTokens;
    p.outputTokens += usage.outputTokens;
    if (dollars === undefined) p.unpricedCalls++;
    else {
      this.dollars[phase].push(dollars);
      p.usd = sumSorted(this.dollars[phase]);
    }
  }

  /**
   * Counts a call that failed or was cancelled, with what the provider billed for it (often nothing). A usage the
   * provider did not report may hide a bill: it is counted like a billed call (with unknown dollars if priced).
   */
  addFailed(phase: AuctionPhase, billed?: { usage: Usage; dollars: number | undefined }): void {
    const billedSomething = billed && (billed.usage.inputTokens > 0 || billed.usage.outputTokens > 0 || billed.usage.unreported === true || (billed.usage.requests ?? 0) > 0);
    if (billedSomething) this.add(phase, billed.usage, billed.dollars);
    else this.phases[phase].calls++;
    this.phases[phase].failedCalls++;
  }

  /**
   * Notes a finished call (successful or billed on failure) that wrote more than its `maxTokens` or cost more than
   * its reservation (relative tolerance 1e-9 for floating point); returns whether it did.
   */
  noteCall(call: Omit<CallOvershoot, 'reservedUsd' | 'usd'>, usd: number | undefined, reservedUsd: number | undefined): boolean {
    const overCap = call.maxTokens > 0 && call.outputTokens > call.maxTokens;
    const overReserve = reservedUsd !== undefined && usd !== undefined && usd > reservedUsd * (1 + 1e-9);
    if (!overCap && !overReserve) return false;
    this.overshoots.push({ ...call, ...(usd === undefined ? {} : { usd }), ...(reservedUsd === undefined ? {} : { reservedUsd }) });
    return true;
  }

  /** Spent, plus the worst cases of calls in flight and of calls whose cost stayed unknown. */
  committedUsd(): number {
    return this.spentUsd() + this.reserved + this.held;
  }

  /** Spent, plus the worst cases of finished calls whose cost stayed unknown: what the auction has cost at least. */
  spentOrHeldUsd(): number {
    return this.spentUsd() + this.held;
  }

  spentUsd(): number {
    return sumSorted([...this.dollars.bidding, ...this.dollars.jury, ...this.dollars.refinement]);
  }

  snapshot(): AuctionCost {
    const { bidding, jury, refinement } = this.phases;
    const total = emptyPhase();
    for (const p of [bidding, jury, refinement]) {
      total.calls += p.calls;
      total.inputTokens += p.inputTokens;
      total.outputTokens += p.outputTokens;
      total.unpricedCalls += p.unpricedCalls;
      total.failedCalls += p.failedCalls;
    }
    total.usd = this.spentUsd();
    return {
      bidding: { ...bidding },
      jury: { ...jury },
      refinement: { ...refinement },
      total,
      ...(this.capUsd === undefined ? {} : { capUsd: this.capUsd }),
      ...(this.overshoots.length ? { overshoots: this.overshoots.map((o) => ({ ...o })) } : {}),
    };
  }
}

/**
 * The winner's expected execution cost in dollars, or undefined when the price is unknown or the bid's usage was
 * not reported (its prompt tokens are then unknown; 0 for a free model):
 *   output: bid output tokens × outputTokensPerPlanToken at the output price
 *   input:  bid prompt tokens × inputTokensPerPromptToken at the input price
 *   requests (request-priced models): requestsPerExecution × dollars per request × multiplier
 * (A longer plan and a larger context predict a longer run; see DEFAULT_EXECUTION_ESTIMATE for the defaults.)
 */
export function expectedExecutionUsd(bidUsage: Usage, price: Price | undefined, config: ExecutionEstimateConfig): number | undefined {
  if (!price) return undefined;
  const requests = config.requestsPerExecution * requestUsd(price);
  if (bidUsage.unreported) return isFree(price) ? 0 : price.inputPerMTok === 0 && price.outputPerMTok === 0 ? requests : undefined;
  const output = bidUsage.outputTokens * config.outputTokensPerPlanToken * price.outputPerMTok;
  const input = bidUsage.inputTokens * config.inputTokensPerPromptToken * price.inputPerMTok;
  return (output + input) / 1_000_000 + requests;
}

/**
 * Reasons a bid breaks the execution cap (empty when it does not, or when there is no cap). `unknownWhy` says why
 * an undefined expected cost is unknown (the price, or usage the provider did not report).
 */
export function executionCapReasons(expectedUsd: number | undefined, capUsd: number | undefined, unknownWhy = 'price unknown'): string[] {
  if (capUsd === undefined) return [];
  if (expectedUsd === undefined) return [`${unknownWhy}: its execution cost cannot be checked against the execution cap`];
  return expectedUsd > capUsd ? [`expected execution cost ${usd(expectedUsd)} exceeds the cap of ${usd(capUsd)}`] : [];
}

function sumSorted(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b).reduce((s, x) => s + x, 0);
}

function emptyPhase(): PhaseCost {
  return { calls: 0, inputTokens: 0, outputTokens: 0, usd: 0, unpricedCalls: 0, failedCalls: 0 };
}


