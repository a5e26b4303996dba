/** Number formatting for the panel: dollars with enough digits for fractions of a cent, tokens, scores. */
export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'unknown';
  if (n === 0) return '$0';
  if (Math.abs(n) < 0.01) return `$${n.toPrecision(2)}`;
  // Cents where they suffice, four decimals where fractions of a cent matter: $0.50, $0.0334, $12.30.
  return `$${n < 1 ? n.toFixed(4).replace(/0{1,2}$/, '') : n.toFixed(2)}`;
}

export function price(perMTok: number | null | undefined): string {
  return perMTok === null || perMTok === undefined ? 'price unknown' : `$${perMTok}/Mtok out`;
}

export function fixed(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined ? '—' : n.toFixed(digits);
}

export function tokens(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** The first `lines` lines of a text, and whether more was cut. */
export function firstLines(text: string, lines: number): { head: string; cut: boolean } {
  const all = text.split('\n');
  return { head: all.slice(0, lines).join('\n'), cut: all.length > lines };
}

/** A probability as a whole percentage, kept within 0–100%: 0.423 → "42%"; a dash when unknown. */
export function percent(p: number | null | undefined): string {
  return p === null || p === undefined ? '—' : `${Math.round(Math.min(1, Math.max(0, p)) * 100)}%`;
}
