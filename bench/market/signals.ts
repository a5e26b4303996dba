// MODELLED, not measured: the bid signals (plan length, entropy, jury scores). The data records what each run
// achieved, not what a model would have said about it beforehand, so each signal is drawn as a noisy function of
// the recorded outcome with one quality parameter d (0 = useless, large = perfect):
//
//   z = d·(y − ½) + √s·e_bid + √(1 − s)·e_signal,   e ~ N(0, 1) keyed by (seed, task, model, bid kind, signal)
//
// y = 1 when the model resolved the task. s (= SHARED_NOISE) is the share of the noise common to every signal of
// one bid (a plan "looks" good or bad to everyone); each single signal's AUROC is Φ(d/√2) before rounding. The
// benchmark MEASURES the AUROC of what the engine sees, never quotes the formula.
import { keyedNormal } from '../routing/random';

/** Share of a signal's noise that all signals of one bid share. An assumption: jurors read the same plan. */
export const SHARED_NOISE = 0.5;

/** The quality parameter's sweep, useless to (practically) perfect. */
export const QUALITY_SWEEP = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 6] as const;

export type SignalName = 'entropy' | 'length' | `juror:${string}`;

/** The key of one bid's draws: every signal of it (and the signal limit reading them) uses it. */
export function bidKey(taskId: string, modelId: string, kind: 'original' | 'refined'): string {
  return `${taskId}|${modelId}|${kind}`;
}

/** The latent of one signal of one bid. */
export function latent(seed: number, quality: number, resolved: boolean, bidKey: string, signal: SignalName): number {
  const shared = keyedNormal(seed, 'bid', bidKey);
  const own = keyedNormal(seed, 'signal', bidKey, signal);
  return quality * ((resolved ? 1 : 0) - 0.5) + Math.sqrt(SHARED_NOISE) * shared + Math.sqrt(1 - SHARED_NOISE) * own;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf; error below 1.5e-7). */
export function phi(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The bidder's confidence (1 − normalised entropy) the engine will compute from the logprobs we return. */
export function confidenceOf(z: number): number {
  return Math.min(0.99, Math.max(0.01, phi(z)));
}

/** Visible plan tokens: longer plans predict failure (the paper); the median plan is `median` tokens. */
export function planTokensOf(z: number, median: number): number {
  return Math.max(40, Math.round(median * Math.exp(-0.25 * z)));
}

/** A juror's integer Likert score 0..5. */
export function juryScoreOf(z: number): number {
  return Math.min(5, Math.max(0, Math.round(2.5 + z)));
}
