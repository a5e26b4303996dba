import type { TokenLogprob } from '../providers/types';
import type { EntropyStats } from './types';

/**
 * Mean per-token entropy of a reply from the provider's top alternatives.
 *
 * Providers return only the top-k alternatives at each position, whose probabilities sum to less than 1. We
 * renormalise them into a distribution over those k tokens (q_i = p_i / Σ p) and take H = −Σ q_i ln q_i. The
 * sampled token is added when the provider left it out of `top`. Positions with fewer than two alternatives carry
 * no information about uncertainty and are skipped; with no usable position the result is undefined (the
 * signal is absent, not zero).
 *
 * Each position's entropy is also divided by ln(k) (the most it can be with k alternatives) so that replies
 * from providers returning different k are comparable; `confidence = 1 − mean normalised entropy` lies in
 * [0, 1] and is the value signal: lower entropy → higher confidence → higher value → lower (better) score.
 */
export function entropyOf(logprobs: readonly TokenLogprob[] | undefined): EntropyStats | undefined {
  if (!logprobs || logprobs.length === 0) return undefined;
  let sumNats = 0;
  let sumNormalised = 0;
  let positions = 0;
  for (const pos of logprobs) {
    const alts = pos.top.filter((a) => Number.isFinite(a.logprob));
    if (Number.isFinite(pos.logprob) && !alts.some((a) => a.token === pos.token)) alts.push({ token: pos.token, logprob: pos.logprob });
    if (alts.length < 2) continue;
    const h = entropyOfTop(alts.map((a) => a.logprob));
    sumNats += h;
    sumNormalised += h / Math.log(alts.length);
    positions++;
  }
  if (positions === 0) return undefined;
  const normalised = clamp01(sumNormalised / positions);
  return { meanNats: sumNats / positions, normalised, confidence: 1 - normalised, positions };
}

/** Entropy (nats) of the distribution obtained by renormalising the given log-probabilities. */
export function entropyOfTop(logprobs: readonly number[]): number {
  // Subtract the max before exponentiating so tiny probabilities do not underflow to a zero total.
  const max = Math.max(...logprobs);
  const weights = logprobs.map((lp) => Math.exp(lp - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const w of weights) {
    const q = w / total;
    if (q > 0) h -= q * Math.log(q);
  }
  return h;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
