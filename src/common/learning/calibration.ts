/**
 * Calibration statistics of predicted chances against real outcomes: Brier score, AUROC with its standard error,
 * a reliability curve and rates with Wilson intervals. Every figure carries its counts, so a view can say how much
 * it rests on; an undefined figure means the data cannot give one (no outcomes, or only one class).
 */

/** One prediction and what really happened. */
export interface Scored {
  /** A predicted chance (Brier, reliability) or any score where higher means "more likely to succeed" (AUROC). */
  p: number;
  success: boolean;
}

/** z of a central 90% interval (the 95th percentile of the standard normal). */
export const Z90 = 1.6448536269514722;

/** A rate with its Wilson score interval (central 90% unless another z is given). */
export interface Rate {
  successes: number;
  n: number;
  /** successes / n; undefined when n is 0. */
  rate?: number;
  low: number;
  high: number;
}

/**
 * The Wilson score interval of a binomial rate: unlike the normal approximation it stays inside [0, 1] and is
 * sensible for small n and rates near 0 or 1, which is all a workspace has at first. With n = 0: [0, 1].
 */
export function wilson(successes: number, n: number, z = Z90): Rate {
  if (n <= 0) return { successes: 0, n: 0, low: 0, high: 1 };
  const rate = successes / n;
  const z2 = z * z;
  const centre = (rate + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return { successes, n, rate, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Mean squared error of the predicted chances (0 perfect; 0.25 is what always saying ½ scores). */
export function brier(predictions: readonly Scored[]): number | undefined {
  if (predictions.length === 0) return undefined;
  let sum = 0;
  for (const { p, success } of predictions) sum += (p - (success ? 1 : 0)) ** 2;
  return sum / predictions.length;
}

/** The area under the ROC curve, with the counts it rests on and its standard error. */
export interface Auroc {
  /** P(score of a random success > score of a random failure), ties counted half. */
  auc: number;
  positives: number;
  negatives: number;
  /** Hanley–McNeil (1982) standard error of the AUC. */
  se: number;
}

/**
 * AUROC by the rank-sum (Mann–Whitney) statistic with mid-ranks for ties, and the Hanley–McNeil standard error.
 * Undefined without at least one success and one failure.
 */
export function auroc(scores: readonly Scored[]): Auroc | undefined {
  const positives = scores.filter((s) => s.success).length;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const sorted = [...scores].sort((a, b) => a.p - b.p);
  let rankSumPositives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.p === sorted[i]!.p) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (sorted[k]!.success) rankSumPositives += midRank;
    i = j + 1;
  }
  const auc = (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return { auc, positives, negatives, se: Math.sqrt(Math.max(0, variance)) };
}

/** One bin of a reliability curve. */
export interface ReliabilityBin {
  /** The bin's range of predicted chances [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  /** The observed success rate with its Wilson 90% interval. */
  observed: Rate;
}

/**
 * A reliability curve: predictions cut into `bins` equal-width bins of predicted chance; for each non-empty bin
 * the mean predicted chance against the observed rate. A calibrated predictor's points lie on the diagonal, within
 * their intervals. Empty bins are left out.
 */
export function reliability(predictions: readonly Scored[], bins = 10): ReliabilityBin[] {
  const acc = Array.from({ length: bins }, () => ({ count: 0, sumP: 0, successes: 0 }));
  for (const { p, success } of predictions) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    const a = acc[i]!;
    a.count++;
    a.sumP += p;
    if (success) a.successes++;
  }
  const out: ReliabilityBin[] = [];
  acc.forEach((a, i) => {
    if (a.count > 0) out.push({ from: i / bins, to: (i + 1) / bins, count: a.count, meanPredicted: a.sumP / a.count, observed: wilson(a.successes, a.count) });
  });
  return out;
}

/** Expected calibration error: Σ over bins of (count / n) × |mean predicted − observed rate|. */
export function expectedCalibrationError(curve: readonly ReliabilityBin[]): number | undefined {
  const n = curve.reduce((s, b) => s + b.count, 0);
  if (n === 0) return undefined;
  return curve.reduce((s, b) => s + (b.count / n) * Math.abs(b.meanPredicted - (b.observed.rate ?? 0)), 0);
}

/** Mean log loss (nats) of the predicted chances, each clamped to [1e-6, 1 − 1e-6]. */
export function logLoss(predictions: readonly Scored[]): number | undefined {
  if (predictions.length === 0) return undefined;
  let sum = 0;
  for (const { p, success } of predictions) {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    sum -= Math.log(success ? q : 1 - q);
  }
  return sum / predictions.length;
}
