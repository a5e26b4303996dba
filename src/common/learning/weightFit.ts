import { solve } from 'yalps';
import { buildModel, candidateLoss, lossOf, type Bounds, type Prepared } from './weightProgram';
import { SaleError } from '../errors';
import { jurorWeight, type AuctionWeights } from '../auction/weights';
import type { FitAuction, FitBid } from './weightFeatures';

/**
 * The auction's weights fitted to this workspace's real outcomes: the paper's min-max program ("minimise the worst
 * task's loss"), with outcomes (the user's review, undo, tests, failed runs) in place of the paper's jury labels.
 *
 * Score s_i(w) = w_c·c_i − Σ_s w_s·x̃_{i,s} − w_r·x̃_{i,r}, lowest wins (scoring.ts). c_i: the bid's cost per unit of
 * w_c; s ranges over the value signals: the bidder's confidence (w_h) and each juror j's score / 5 (w_j; or one
 * shared jury weight split equally over an auction's jurors, `jury: 'shared'`). The track record (x_r, the rate the
 * memory line recorded; auctions without a track record have none) is not fitted: w_r stays the weight in force,
 * its term a constant of each bid's score, and the fitted weights carry it through unchanged.
 *
 * Linear in the weights. The scorer renormalises the value over the signals a bid has (a missing juror, no
 * log-probabilities), which is not linear in w. The fit fills a missing signal with the bid's mean present signal
 * under the weights the auction was recorded with (x̃), which equals the scorer at those weights; a bid with no
 * signal at all gets the mean of the other bids' values, as the scorer does (exactly linear). The replay then
 * ranks with the engine's own scorer, so what it shows is what the weights really do.
 *
 * Per auction a, with margin m (score points) and only bids whose cost is known (an unpriced bid ranks after every
 * priced one whatever the weights):
 * - G = executed bids with a good verdict, B = executed bids with a bad one (labelQuality); unexecuted bids have
 *   no verdict and are never counted as failures.
 * - G not empty: every good bid should lead every other bid (bad or unexecuted) by m: a known success is kept
 *   rather than traded for an unknown.  L_a = max_{g∈G, k∉G} (m − (s_k − s_g))⁺.
 * - G empty, B not empty: the known failures should not be picked again: some unexecuted bid k should lead every
 *   bad bid by m.  L_a = min_k max_{b∈B} (m − (s_b − s_k))⁺. The choice of k is a disjunction: one binary z_{a,k}
 *   per candidate, Σ_k z_{a,k} ≥ 1, each pair constraint relaxed by a big M when z_{a,k} = 0 (M bounds the score
 *   difference: w_c ≤ costMax, value weights summing to W, signals in [0, 1]).
 * Program: minimise t + ε₁·mean_a ξ_a + ε₂·Σ|w − w₀|/W subject to t ≥ ξ_a ≥ the hinge terms above, ξ ≥ 0,
 *   w_h + Σ_j w_j = W (the value weights keep the total of the weights in force, W = w_h + w_jury: this excludes the
 *   all-zero solution, which would tie every bid), 0 ≤ w_c ≤ costMax, w_s ≥ minShare·W.
 * The small terms only break ties: among weights with the same worst loss, prefer a lower mean loss, then the
 * weights closest to the ones in force (w₀), so a fit that changes nothing leaves the settings alone.
 * Always feasible unless minShare asks for more than W; never unbounded (every variable ≥ 0 and minimised).
 * Solved with yalps: an LP local search over the failures' alternatives, then the exact MILP when its binaries are
 * few enough (solveFit).
 */

/** Options of the fit. */
export interface WeightFitOptions {
  /** Score points by which a good bid should lead; default 0.2 (a quarter of a jury point with the defaults). */
  margin?: number;
  /** Upper bound of w_c; default W (the value weights' total). */
  costMax?: number;
  /** Each value weight at least this share of W; default 0. */
  minShare?: number;
  /** One weight per juror (default), or one jury weight shared equally as in the settings' `jury`. */
  jury?: 'per-juror' | 'shared';
  /** Usable auctions needed; default 8. */
  minAuctions?: number;
  /** The most recent auctions used at most; default 150 (the program has one binary per candidate bid). */
  maxAuctions?: number;
  /**
   * Milliseconds the exact program's branch and bound may take; default 3 000. yalps runs synchronously and the LP
   * rounds of the local search before it have no limit of their own, so the caller's thread is busy for at least
   * this long (the command runs it on the extension host: a known limit, see docs/AUCTION.md).
   */
  timeoutMs?: number;
  /** The exact program is tried only up to this many binaries (candidate bids of failure-only auctions); default 60. */
  maxBinaries?: number;
}

export type WeightFitErrorCode = 'too-few-auctions' | 'infeasible' | 'unbounded' | 'solver-failed';

/** Why no weights came out, in words the command shows as they are. */
export class WeightFitError extends SaleError {
  constructor(
    readonly code: WeightFitErrorCode,
    message: string,
    readonly usable = 0,
    readonly needed = 0,
  ) {
    super(message);
  }
}

/** One auction's place in the fit. */
export interface AuctionLoss {
  auctionId: string;
  /** 'keep-good': a good bid should lead; 'avoid-bad': only failures ran, another bid should lead them. */
  kind: 'keep-good' | 'avoid-bad';
  /** L_a with the fitted weights and with the weights in force (same linearisation). */
  loss: number;
  currentLoss: number;
  /** L_a equals the worst loss: this auction decides the objective. */
  binding: boolean;
}

/** What the fit found. */
export interface WeightFitResult {
  weights: AuctionWeights;
  /** The worst auction's loss with the fitted weights (the program's t) and with the weights in force. */
  worstLoss: number;
  currentWorstLoss: number;
  meanLoss: number;
  /**
   * 'optimal': proven by the solver; 'not-proven': the best weights found (the local search's, or the MILP's when
   * it timed out with better ones): the worst loss is an upper bound of the optimum.
   */
  status: 'optimal' | 'not-proven';
  /** 'lp': no failure-only auction, the program is an LP; 'milp': the exact program; 'local-search': LP rounds with each failure's alternative fixed (see solveFit). */
  method: 'lp' | 'milp' | 'local-search';
  auctions: AuctionLoss[];
  /** Auctions left out, with why. */
  skipped: { auctionId: string; reason: string }[];
  margin: number;
  /** W: the value weights' total. */
  valueTotal: number;
  jury: 'per-juror' | 'shared';
}

export function fitWeights(auctions: readonly FitAuction[], current: AuctionWeights, options: WeightFitOptions = {}): WeightFitResult {
  const margin = options.margin ?? 0.2;
  const juryMode = options.jury ?? 'per-juror';
  const named = Object.values(current.jurors ?? {});
  // W: the value weights in force (named jurors replace the shared jury total once a per-juror fit was adopted).
  const valueTotal = current.entropy + (named.length && juryMode === 'per-juror' ? named.reduce((s, v) => s + v, 0) : current.jury);
  const costMax = options.costMax ?? valueTotal;
  const minAuctions = options.minAuctions ?? 8;
  const skipped: { auctionId: string; reason: string }[] = [];
  const newestFirst = [...auctions].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  const maxAuctions = options.maxAuctions ?? 150;
  const prepared: Prepared[] = [];
  // The most recent usable auctions, up to maxAuctions: older ones are left out, said so.
  for (const a of newestFirst) {
    const p = prepare(a, juryMode, current);
    if (typeof p === 'string') skipped.push({ auctionId: a.id, reason: p });
    else if (prepared.length >= maxAuctions) skipped.push({ auctionId: a.id, reason: `older than the ${maxAuctions} most recent usable auctions` });
    else prepared.push(p);
  }
  if (prepared.length < minAuctions) {
    throw new WeightFitError(
      'too-few-auctions',
      `${prepared.length} of ${auctions.length} remembered auctions have an executed bid with a verdict and another priced bid to compare it with; the fit needs at least ${minAuctions}.`,
      prepared.length,
      minAuctions,
    );
  }
  if (!(valueTotal > 0)) throw new WeightFitError('infeasible', 'the weights in force give the value signals a total of 0: there is no scale to fit them on.');

  const signals = [...new Set(prepared.flatMap((p) => p.x.flatMap((m) => [...m.keys()])))].sort();
  // w₀ of a signal: its weight in force, averaged over the auctions it appears in (a juror's share varies with the panel).
  const w0 = new Map(signals.map((s) => [s, mean(prepared.filter((p) => p.w0.has(s)).map((p) => p.w0.get(s)!))]));
  const bounds = { margin, costMax, valueTotal, minShare: options.minShare ?? 0 };
  const solved = solveFit(prepared, signals, w0, current.cost, bounds, options);
  const { wc, ws } = solved;
  const losses = prepared.map((p) => ({ p, loss: lossOf(p, wc, ws, margin), currentLoss: lossOf(p, current.cost, p.w0, margin) }));
  const worstLoss = Math.max(...losses.map((l) => l.loss));
  const tol = 1e-6 * Math.max(1, worstLoss);
  return {
    weights: weightsOf(current, wc, ws, juryMode),
    worstLoss,
    currentWorstLoss: Math.max(...losses.map((l) => l.currentLoss)),
    meanLoss: losses.reduce((s, l) => s + l.loss, 0) / losses.length,
    status: solved.status,
    method: solved.method,
    auctions: losses.map(({ p, loss, currentLoss }) => ({ auctionId: p.id, kind: p.kind, loss, currentLoss, binding: worstLoss > 0 && loss >= worstLoss - tol })),
    skipped,
    margin,
    valueTotal,
    jury: juryMode,
  };
}

type Solved = { wc: number; ws: Map<string, number>; status: 'optimal' | 'not-proven'; method: 'lp' | 'milp' | 'local-search' };

/**
 * The program is solved in two steps. First a local search of LPs: each failure-only auction's alternative k is
 * fixed to its best bid under the current weights (w₀ first), the LP is solved, and the alternatives are chosen
 * again under the new weights, until they stop changing (at most 8 rounds; the worst loss never rises, since the
 * chosen alternative's loss is the auction's loss at the weights it was chosen for). Then, when the binaries are
 * few enough, the exact MILP with a time limit: its answer is used when it is proven optimal, or when it timed out
 * with better weights than the local search's.
 */
function solveFit(prepared: readonly Prepared[], signals: readonly string[], w0: ReadonlyMap<string, number>, cost0: number, b: Bounds, options: WeightFitOptions): Solved {
  const read = (variables: [string, number][]): { wc: number; ws: Map<string, number> } => {
    const values = new Map(variables);
    return { wc: values.get('wc') ?? 0, ws: new Map(signals.map((s, i) => [s, values.get(`w${i}`) ?? 0])) };
  };
  const worst = (w: { wc: number; ws: ReadonlyMap<string, number> }): number => Math.max(...prepared.map((p) => lossOf(p, w.wc, w.ws, b.margin)));
  const check = (status: string): void => {
    if (status === 'infeasible') throw new WeightFitError('infeasible', `no weights meet the bounds (each value weight ≥ ${b.minShare} of ${b.valueTotal}, cost weight ≤ ${b.costMax}).`);
    if (status === 'unbounded') throw new WeightFitError('unbounded', 'the program is unbounded: the weights are not constrained enough (please report this).');
    if (status === 'cycled') throw new WeightFitError('solver-failed', 'the solver cycled without weights; try again with fewer auctions.');
  };
  let w = { wc: Math.min(cost0, b.costMax), ws: new Map(w0) };
  let choice: (number | undefined)[] | undefined;
  let best: { wc: number; ws: Map<string, number> } | undefined;
  for (let round = 0; round < 8; round++) {
    const next = prepared.map((p) => (p.kind === 'avoid-bad' ? bestCandidate(p, w.wc, w.ws, b.margin) : undefined));
    if (choice && next.every((k, i) => k === choice![i])) break;
    choice = next;
    const lp = solve(buildModel(prepared, signals, w0, cost0, b, choice).lp, { includeZeroVariables: true });
    check(lp.status);
    const found = read(lp.variables);
    if (best && worst(found) > worst(best) + 1e-9) break;
    best = found;
    w = found;
  }
  const local = best as { wc: number; ws: Map<string, number> };
  const binaries = prepared.reduce((n, p) => n + p.candidates.length, 0);
  if (binaries === 0) return { ...local, status: 'optimal', method: 'lp' };
  if (binaries > (options.maxBinaries ?? 60)) return { ...local, status: 'not-proven', method: 'local-search' };
  const exact = solve(buildModel(prepared, signals, w0, cost0, b).lp, { timeout: options.timeoutMs ?? 3_000, includeZeroVariables: true });
  check(exact.status);
  if (exact.status === 'optimal') return { ...read(exact.variables), status: 'optimal', method: 'milp' };
  if (Number.isFinite(exact.result) && worst(read(exact.variables)) < worst(local)) return { ...read(exact.variables), status: 'not-proven', method: 'milp' };
  return { ...local, status: 'not-proven', method: 'local-search' };
}

/** The candidate with the lowest loss at the given weights (ties: the first). */
function bestCandidate(p: Prepared, wc: number, ws: ReadonlyMap<string, number>, m: number): number {
  let best = p.candidates[0]!;
  let bestLoss = Infinity;
  for (const k of p.candidates) {
    const loss = candidateLoss(p, k, wc, ws, m);
    if (loss < bestLoss) {
      best = k;
      bestLoss = loss;
    }
  }
  return best;
}

/** The auction's rows, or why it cannot teach the fit anything. */
function prepare(a: FitAuction, juryMode: 'per-juror' | 'shared', current: AuctionWeights): Prepared | string {
  if (a.problem) return a.problem;
  const priced = a.bids.filter((b) => b.costUnit !== undefined);
  const good = priced.filter((b) => b.quality === 'good');
  const bad = priced.filter((b) => b.quality === 'bad');
  if (!a.bids.some((b) => b.quality !== 'unknown')) return 'no executed bid has a verdict yet';
  if (good.length === 0 && a.bids.some((b) => b.quality === 'good')) return 'its good bid has no known cost: no weights rank it ahead of the priced bids';
  const { x, record } = features(a, priced, juryMode);
  const index = new Map(priced.map((b, i) => [b.bidId, i]));
  const at = (b: FitBid): number => index.get(b.bidId)!;
  const w0 = new Map<string, number>([['h', current.entropy]]);
  if (juryMode === 'shared') w0.set('jury', current.jury);
  else for (const j of a.jurorIds) w0.set(`j:${j}`, jurorWeight(current, j, a.jurorIds));
  const base = { id: a.id, cost: priced.map((b) => b.costUnit as number), x, fixed: record.map((r) => (current.record ?? 0) * r), w0 };
  if (good.length > 0) {
    const others = priced.filter((b) => b.quality !== 'good');
    if (others.length === 0) return 'every priced bid was good: nothing to rank it against';
    return { ...base, kind: 'keep-good', candidates: [], pairs: good.flatMap((g) => others.map((k) => ({ leader: at(g), follower: at(k) }))) };
  }
  if (bad.length === 0) return 'its failed bid has no known cost: it ranks last whatever the weights';
  const candidates = priced.filter((b) => !b.executed);
  if (candidates.length === 0) return 'every other priced bid ran too: none is left to prefer to the failures';
  return { ...base, kind: 'avoid-bad', candidates: candidates.map(at), pairs: candidates.flatMap((k) => bad.map((b) => ({ leader: at(k), follower: at(b) }))) };
}

/** Key of the track-record signal among a bid's present signals; never a juror id (pool ids are trimmed). */
const RECORD = ' record';

/**
 * Each bid's value features over the signals, missing ones filled with the bid's mean present signal under the
 * recorded weights; a bid without any signal gets the mean of the others' features (the scorer's imputation).
 * `record`: each bid's track-record feature (its recorded rate, else filled the same way; 0 for every bid of an
 * auction without a track record), kept apart because its weight is not fitted.
 */
function features(a: FitAuction, bids: readonly FitBid[], juryMode: 'per-juror' | 'shared'): { x: Map<string, number>[]; record: number[] } {
  const ref = a.reference as AuctionWeights;
  const hasRecord = a.bids.some((b) => b.record !== undefined);
  const raw = bids.map((b) => {
    const present = new Map<string, { x: number; w0: number }>();
    if (b.confidence !== undefined) present.set('h', { x: b.confidence, w0: ref.entropy });
    for (const [j, score] of Object.entries(b.jury)) present.set(j, { x: score / 5, w0: jurorWeight(ref, j, a.jurorIds) });
    // As in the scorer, a record of weight 0 is no signal (the bid was imputed if it had nothing else).
    if (b.record !== undefined && (ref.record ?? 0) > 0) present.set(RECORD, { x: b.record, w0: ref.record ?? 0 });
    return present;
  });
  const keys = ['h', ...a.jurorIds, ...(hasRecord ? [RECORD] : [])];
  const filled = raw.map((present) => {
    if (present.size === 0) return undefined;
    const total = [...present.values()].reduce((s, p) => s + p.w0, 0);
    const mean = total > 0 ? [...present.values()].reduce((s, p) => s + p.w0 * p.x, 0) / total : [...present.values()].reduce((s, p) => s + p.x, 0) / present.size;
    const full = new Map<string, number>();
    for (const s of keys) full.set(s, present.get(s)?.x ?? mean);
    return full;
  });
  const withSignal = filled.filter((f): f is Map<string, number> => f !== undefined);
  const imputed = new Map(keys.map((k) => [k, withSignal.length ? withSignal.reduce((s, f) => s + f.get(k)!, 0) / withSignal.length : 0]));
  const x = filled.map((f) => {
    const full = f ?? imputed;
    const out = new Map<string, number>([['h', full.get('h')!]]);
    if (juryMode === 'shared') {
      // One weight w_J, split equally over the auction's jurors: its feature is their mean score.
      if (a.jurorIds.length) out.set('jury', a.jurorIds.reduce((s, j) => s + full.get(j)!, 0) / a.jurorIds.length);
    } else {
      for (const j of a.jurorIds) out.set(`j:${j}`, full.get(j)!);
    }
    return out;
  });
  // A recorded rate is data whatever its weight was then: it is used as it is, only a missing one is filled.
  const record = bids.map((b, i) => (!hasRecord ? 0 : (b.record ?? (filled[i] ?? imputed).get(RECORD)!)));
  return { x, record };
}

/** The fitted weights in the settings' shape; w_r (the track record) is not fitted and keeps its value in force. */
function weightsOf(current: AuctionWeights, wc: number, ws: ReadonlyMap<string, number>, juryMode: 'per-juror' | 'shared'): AuctionWeights {
  const round = (x: number): number => Number(x.toPrecision(6));
  const entropy = round(ws.get('h') ?? 0);
  const base = { cost: round(wc), entropy, ...(current.costMode ? { costMode: current.costMode } : {}), ...(current.record === undefined ? {} : { record: current.record }) };
  if (juryMode === 'shared') return { ...base, jury: round(ws.get('jury') ?? 0) };
  const jurors = Object.fromEntries([...ws].filter(([k]) => k.startsWith('j:')).map(([k, v]) => [k.slice(2), round(v)]));
  const named = Object.values(jurors);
  // A juror the fit never saw takes the jury total split over the unnamed jurors: the mean fitted juror weight.
  const jury = named.length ? round(named.reduce((s, v) => s + v, 0) / named.length) : current.jury;
  return { ...base, jury, jurors };
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0;
}
