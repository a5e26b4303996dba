/** Number formatting for the panel: prices, scores, percentages (dollars and tokens: src/common/protocol/format.ts). */
export { tokens, usd } from '../../common/protocol/format';

export function price(perMTok: number | null | undefined): string {
  return perMTok === null || perMTok === undefined ? 'price unknown' : `$${perMTok}/Mtok out`;
}

export function fixed(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined ? '—' : n.toFixed(digits);
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
