/**
 * Money and token figures, written one way wherever SALE shows them: the panel, the cost report, the routing
 * insights, the status bar, the weight-fit page, budget and cap messages. Shared by the host and the webviews.
 */

/**
 * US dollars: cents where they suffice and up to four decimals where fractions of a cent matter ($0.50, $0.0334,
 * $0.123), two significant digits under a cent ($0.0012), thousands grouped above a dollar ($1,234.50); "unknown"
 * when there is no figure (never $0).
 */
export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'unknown';
  const abs = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  if (abs === 0) return '$0.00';
  if (abs < 0.01) {
    const digits = abs.toPrecision(2);
    return `${sign}$${digits.includes('e') ? digits : digits.replace(/0+$/, '')}`;
  }
  if (abs < 1) return `${sign}$${abs.toFixed(4).replace(/0{1,2}$/, '')}`;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A token count in full, grouped (12,345); a dash when unknown. */
export function tokens(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** A token count for tables and charts: 1.2M, 45k, or in full under 10,000. */
export function tokensCompact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toLocaleString('en-US');
}
