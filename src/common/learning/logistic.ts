/**
 * A small ridge logistic regression with a fixed offset per row, fitted by Newton's method: the maximum a
 * posteriori weights under independent N(0, sd_k²) priors, and their covariance (the inverse Hessian at the
 * optimum, the Laplace approximation). Few features (the jurors of a pool and the entropy confidence), a few
 * hundred to a few thousand rows: a dense k×k solve per step is all it takes.
 */

export interface LogisticRow {
  /** Feature values (already centred); 0 for a feature the row lacks, which then says nothing. */
  x: readonly number[];
  /** The log-odds the row starts from (here: its model's track record). */
  offset: number;
  y: 0 | 1;
}

export interface LogisticFit {
  weights: number[];
  /** Covariance of the weights (k×k). */
  covariance: number[][];
  iterations: number;
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
export const logit = (p: number): number => {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
};

/** Fits weights β maximising Σ log P(y | offset + x·β) − Σ β_k² / (2 sd_k²). */
export function fitRidgeLogistic(rows: readonly LogisticRow[], priorSd: readonly number[], maxIterations = 50): LogisticFit {
  const k = priorSd.length;
  let beta = new Array<number>(k).fill(0);
  let hessian = priorPrecision(priorSd);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const grad = beta.map((b, j) => -b / priorSd[j]! ** 2);
    hessian = priorPrecision(priorSd);
    for (const row of rows) {
      let eta = row.offset;
      for (let j = 0; j < k; j++) eta += row.x[j]! * beta[j]!;
      const p = sigmoid(eta);
      const w = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const xa = row.x[a]!;
        if (xa === 0) continue;
        grad[a]! += xa * (row.y - p);
        for (let b = 0; b < k; b++) hessian[a]![b]! += w * xa * row.x[b]!;
      }
    }
    const step = solve(hessian, grad);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(0, ...step.map(Math.abs)) < 1e-8) {
      iterations++;
      break;
    }
  }
  return { weights: beta, covariance: invert(hessian), iterations };
}

function priorPrecision(priorSd: readonly number[]): number[][] {
  return priorSd.map((sd, i) => priorSd.map((_, j) => (i === j ? 1 / (sd * sd) : 0)));
}

/** Solves A x = b for a symmetric positive definite A (Gaussian elimination with partial pivoting). */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const d = m[c]![c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      if (f === 0) continue;
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The inverse of a symmetric positive definite matrix, column by column. */
export function invert(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const columns = Array.from({ length: n }, (_, j) => solve(a, Array.from({ length: n }, (_, i) => (i === j ? 1 : 0))));
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => columns[j]![i]!));
}
