import type { Coefficients, Constraint } from 'yalps';

/** The min-max program's rows and its yalps model; the formulation is documented in weightFit.ts. */

/** An auction turned into the program's rows: features over the signals, and who should lead whom. */
export interface Prepared {
  id: string;
  kind: 'keep-good' | 'avoid-bad';
  /** Rows of (leader, follower): the leader's score should be lower by m. */
  pairs: { leader: number; follower: number }[];
  /** avoid-bad: candidate leaders (indices); every pair with that leader is one disjunct. */
  candidates: number[];
  cost: number[];
  /** Value features by signal key ('h', 'j:<juror>' or 'jury'). */
  x: Map<string, number>[];
  /**
   * Value each bid gets from its track record, w_r × its record feature (0 without a track record): a constant of
   * the score, since the fit does not fit w_r.
   */
  fixed: number[];
  /** The weights in force for this auction's signals (an unnamed juror's share depends on the auction's jurors). */
  w0: Map<string, number>;
}

export interface Bounds {
  margin: number;
  costMax: number;
  valueTotal: number;
  minShare: number;
}

/** The mixed-integer program for yalps (variables are ≥ 0 by default). */
export function buildModel(prepared: readonly Prepared[], signals: readonly string[], w0: ReadonlyMap<string, number>, cost0: number, b: Bounds, choice?: readonly (number | undefined)[]) {
  const constraints = new Map<string, Constraint>();
  const vars = new Map<string, Map<string, number>>();
  const coef = (v: string, c: string, value: number): void => {
    const m = vars.get(v) ?? new Map<string, number>();
    m.set(c, (m.get(c) ?? 0) + value);
    vars.set(v, m);
  };
  const binaries: string[] = [];
  const eps1 = 1e-2 / prepared.length;
  const eps2 = 1e-3;
  coef('t', 'obj', 1);
  constraints.set('norm', { equal: b.valueTotal });
  constraints.set('costMax', { max: b.costMax });
  coef('wc', 'costMax', 1);
  signals.forEach((s, i) => {
    coef(`w${i}`, 'norm', 1);
    if (b.minShare > 0) {
      constraints.set(`min${i}`, { min: b.minShare * b.valueTotal });
      coef(`w${i}`, `min${i}`, 1);
    }
  });
  // |w − w₀| through a pair of deviations per weight.
  const deviation = (v: string, target: number, scale: number, key: string): void => {
    constraints.set(key, { equal: target });
    coef(v, key, 1);
    coef(`${key}+`, key, -1);
    coef(`${key}-`, key, 1);
    coef(`${key}+`, 'obj', eps2 / scale);
    coef(`${key}-`, 'obj', eps2 / scale);
  };
  deviation('wc', Math.min(cost0, b.costMax), Math.max(b.costMax, 1e-9), 'dc');
  signals.forEach((s, i) => deviation(`w${i}`, w0.get(s) ?? 0, b.valueTotal, `d${i}`));

  prepared.forEach((p, a) => {
    const xi = `xi${a}`;
    coef(xi, 'obj', eps1);
    constraints.set(`t${a}`, { min: 0 });
    coef('t', `t${a}`, 1);
    coef(xi, `t${a}`, -1);
    // The fixed record values move to a row's right-hand side: ξ + (s_f − s_l) ≥ m becomes
    // ξ + w_c Δc − Σ_s w_s Δx_s ≥ m + (fixed_f − fixed_l).
    const offset = (pair: { leader: number; follower: number }): number => p.fixed[pair.follower]! - p.fixed[pair.leader]!;
    const diffRow = (row: string, follower: number, leader: number): void => {
      // s_follower − s_leader = w_c (c_f − c_l) − Σ_s w_s (x_f,s − x_l,s) − (fixed_f − fixed_l)
      coef('wc', row, p.cost[follower]! - p.cost[leader]!);
      signals.forEach((s, i) => {
        const d = (p.x[follower]!.get(s) ?? 0) - (p.x[leader]!.get(s) ?? 0);
        if (d !== 0) coef(`w${i}`, row, -d);
      });
      coef(xi, row, 1);
    };
    if (p.kind === 'keep-good') {
      p.pairs.forEach((pair, r) => {
        const row = `p${a}_${r}`;
        constraints.set(row, { min: b.margin + offset(pair) });
        diffRow(row, pair.follower, pair.leader);
      });
      return;
    }
    const chosen = choice?.[a];
    if (chosen !== undefined) {
      // Local search: the alternative is fixed, the rows are plain hinge rows.
      p.pairs.forEach((pair, r) => {
        if (pair.leader !== chosen) return;
        const row = `p${a}_${r}`;
        constraints.set(row, { min: b.margin + offset(pair) });
        diffRow(row, pair.follower, pair.leader);
      });
      return;
    }
    const spread = Math.max(...p.cost) - Math.min(...p.cost);
    const fixedSpread = Math.max(...p.fixed) - Math.min(...p.fixed);
    // |s_b − s_k| ≤ costMax·spread + W + the fixed values' spread (signals in [0, 1], value weights summing to W):
    // M makes a row vacuous at z = 0.
    const bigM = b.margin + b.costMax * spread + b.valueTotal + fixedSpread + 1;
    const one = `one${a}`;
    constraints.set(one, { min: 1 });
    for (const k of p.candidates) {
      const z = `z${a}_${k}`;
      binaries.push(z);
      coef(z, one, 1);
      p.pairs.forEach((pair, r) => {
        if (pair.leader !== k) return;
        const row = `p${a}_${r}`;
        // ξ + (s_b − s_k) − M·z ≥ m − M: binding only when z = 1.
        constraints.set(row, { min: b.margin - bigM + offset(pair) });
        diffRow(row, pair.follower, pair.leader);
        coef(z, row, -bigM);
      });
    }
  });
  return { lp: { direction: 'minimize' as const, objective: 'obj', constraints, variables: [...vars].map(([v, m]) => [v, m as Coefficients] as const), binaries } };
}

/** L_a for weights (w_c, w_s) on the same features the program uses. */
export function lossOf(p: Prepared, wc: number, ws: ReadonlyMap<string, number>, m: number): number {
  const score = scoreOf(p, wc, ws);
  const hinge = (pair: { leader: number; follower: number }): number => Math.max(0, m - (score(pair.follower) - score(pair.leader)));
  if (p.kind === 'keep-good') return Math.max(...p.pairs.map(hinge));
  return Math.min(...p.candidates.map((k) => candidateLoss(p, k, wc, ws, m)));
}

/** An avoid-bad auction's loss if candidate k is the bid that should lead the failures. */
export function candidateLoss(p: Prepared, k: number, wc: number, ws: ReadonlyMap<string, number>, m: number): number {
  const score = scoreOf(p, wc, ws);
  return Math.max(...p.pairs.filter((q) => q.leader === k).map((q) => Math.max(0, m - (score(q.follower) - score(q.leader)))));
}


/** s_i = w_c·c_i − Σ_s w_s·x_{i,s} − fixed_i, on the program's features. */
function scoreOf(p: Prepared, wc: number, ws: ReadonlyMap<string, number>): (i: number) => number {
  return (i) => wc * p.cost[i]! - [...p.x[i]!].reduce((s, [k, x]) => s + (ws.get(k) ?? 0) * x, 0) - (p.fixed[i] ?? 0);
}
