/** Number formatting for the panel: prices, scores, percentages (dollars and tokens: src/common/protocol/format.ts). */
import type { PerRequestPriceView } from '../../common/protocol/auctionView';

export { tokens, usd } from '../../common/protocol/format';

/** A request-priced model's price, "$0.04 × 3 per request"; `dated` adds the date of the table it came from. */
export function requestPrice(p: PerRequestPriceView, dated = false): string {
  return `$${p.usd} × ${p.multiplier} per request${dated && p.asOf ? ` (table of ${p.asOf})` : ''}`;
}

/**
 * A bid card's price: per request × multiplier for a request-priced model (its per-token prices are 0 and mean
 * nothing), else the output price per Mtok; "price unknown" when unknown, never $0.
 */
export function price(p: { priceOutPerMTok: number | null; perRequest: PerRequestPriceView | null }): string {
  if (p.perRequest) return requestPrice(p.perRequest);
  return p.priceOutPerMTok === null ? 'price unknown' : `$${p.priceOutPerMTok}/Mtok out`;
}

/** A pool member's price: per request × multiplier (dated), or input and output per Mtok; never $0 when unknown. */
export function poolPrice(m: { priceInPerMTok: number | null; priceOutPerMTok: number | null; perRequest: PerRequestPriceView | null }): string {
  if (m.perRequest) return requestPrice(m.perRequest, true);
  return m.priceOutPerMTok === null ? 'price unknown' : `$${m.priceInPerMTok ?? '?'} in / $${m.priceOutPerMTok} out per Mtok`;
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

/** A bid's track record on its card: "62% · 12 runs", or "74% · prior" before the model has run here. */
export function recordText(r: { rate: number; outcomes: number }): string {
  return `${percent(r.rate)} · ${r.outcomes === 0 ? 'prior' : `${r.outcomes} run${r.outcomes === 1 ? '' : 's'}`}`;
}

/** What that figure is, for its tooltip: where the rate comes from and what it weighs in the value. */
export function recordTitle(r: { rate: number; outcomes: number; weight: number; source: string }): string {
  const counted = r.weight > 0 ? `counts in the value V with weight ${r.weight}` : 'not counted in the value (weight 0)';
  return `This model's success rate in this workspace (prior: ${r.source}), updated by ${r.outcomes} outcome${r.outcomes === 1 ? '' : 's'} here; ${counted}`;
}
