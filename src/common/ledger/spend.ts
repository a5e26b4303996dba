import { premiumRequestsOf } from '../providers/pricing';
import type { SpendFigure } from '../protocol/report';
import type { LedgerCallEntry } from './entry';

/** A zeroed spend figure. */
export function emptySpend(): SpendFigure {
  return { calls: 0, failedCalls: 0, knownUsd: 0, unknownPriceCalls: 0, inputTokens: 0, outputTokens: 0, premiumRequests: 0 };
}

/**
 * Adds one call to a spend figure, in place. A call with an unknown price adds to `unknownPriceCalls` and never to
 * `knownUsd`; a failed call the provider billed adds its dollars like any other.
 */
export function addCall(figure: SpendFigure, entry: LedgerCallEntry): void {
  figure.calls += 1;
  if (!entry.call.ok) figure.failedCalls += 1;
  if (entry.dollars === null) figure.unknownPriceCalls += 1;
  else figure.knownUsd += entry.dollars;
  figure.inputTokens += entry.call.usage.inputTokens;
  figure.outputTokens += entry.call.usage.outputTokens;
  figure.premiumRequests += premiumRequestsOf(entry.call.usage, entry.call.price);
}

/** Adds calls to a fresh spend figure. */
export function spendOf(entries: Iterable<LedgerCallEntry>): SpendFigure {
  const figure = emptySpend();
  for (const e of entries) addCall(figure, e);
  return figure;
}

/**
 * The calendar day (YYYY-MM-DD) of an ISO time, in a fixed offset from UTC (minutes east of UTC, as a user's
 * local zone is at that moment). Pure and deterministic: no dependence on the machine's time zone.
 */
export function dayOf(isoTime: string, utcOffsetMinutes = 0): string {
  return new Date(Date.parse(isoTime) + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** Every day from `first` to `last` inclusive (YYYY-MM-DD); empty when the span exceeds `maxDays` (no gap filling). */
export function daysBetween(first: string, last: string, maxDays = 400): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  const span = Math.round((end - start) / 86_400_000);
  if (span < 0 || span > maxDays) return [];
  return Array.from({ length: span + 1 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
