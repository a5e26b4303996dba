/** Display formatting for the cost report and the routing insights (dollars and tokens: src/common/protocol/format.ts). */
import { usd } from '../../common/protocol/format';

export { tokensCompact as tokens, usd } from '../../common/protocol/format';

/** Dollars, prefixed "at least" when some calls in the figure had unknown prices. */
export function usdAtLeast(n: number, unknownPriceCalls: number): string {
  return unknownPriceCalls > 0 ? `at least ${usd(n)}` : usd(n);
}

export function pct(share: number | null): string {
  if (share === null) return '—';
  const p = share * 100;
  return `${Math.abs(p) < 10 && p !== 0 ? p.toFixed(1) : Math.round(p).toString()}%`;
}

export function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

export const PHASE_LABELS: Readonly<Record<string, string>> = {
  bidding: 'Bidding',
  jury: 'Jury',
  refinement: 'Refinement',
  embedding: 'Embedding',
  execution: 'Execution',
  probe: 'Probes and tests',
  shadow: 'Shadow runs',
};

export const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  pending: 'Pending',
  accepted: 'Accepted',
  'partially-accepted': 'Partly accepted',
  rejected: 'Rejected',
  undone: 'Undone',
  failed: 'Failed',
  cancelled: 'Cancelled',
  'no-bids': 'No bids',
};

/** Premium requests (request-priced models), with up to two decimals: multipliers such as 0.33 are fractional. */
export function premium(n: number): string {
  const v = Math.round(n * 100) / 100;
  return `${v} premium request${v === 1 ? '' : 's'}`;
}
