/** Display formatting for the cost report. Dollars keep enough digits that small auction costs are not shown as $0.00. */

export function usd(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (abs === 0) return '$0.00';
  if (abs < 0.01) return `${sign}$${abs.toPrecision(2).replace(/0+$/, '')}`;
  if (abs < 1) return `${sign}$${abs.toFixed(3)}`;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Dollars, prefixed "at least" when some calls in the figure had unknown prices. */
export function usdAtLeast(n: number, unknownPriceCalls: number): string {
  return unknownPriceCalls > 0 ? `at least ${usd(n)}` : usd(n);
}

export function pct(share: number | null): string {
  if (share === null) return '—';
  const p = share * 100;
  return `${Math.abs(p) < 10 && p !== 0 ? p.toFixed(1) : Math.round(p).toString()}%`;
}

export function tokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toLocaleString('en-US');
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
