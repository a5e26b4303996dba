import { requestUsd } from '../providers/pricing';
import type { ModelClient, Price } from '../providers/types';
import type { ScoreBreakdown } from './types';
import { usd } from '../protocol/format';

/**
 * The engine's decisions to leave work out: stopping the jury once the winner is settled, skipping refiners
 * that cannot win, and shrinking the auction under the overhead cap. Pure functions over score breakdowns, so
 * they hold whatever the cost term C is (they read `cost.term`, never recompute it).
 */

/** Relative tolerance under which two scores tie (as in scoring.ts), so "cannot beat" never hinges on rounding. */
const TIE = 1e-9;

/**
 * The range of V a bid can still end with when jurors of total weight `remaining` have not scored it yet. V is the
 * weighted mean of the present signals scaled to `fullWeight`; a missing juror may score anything in 0–5 or fail.
 * A bid with no signal yet (imputed) can end anywhere in [0, fullWeight].
 */
export function valueBounds(b: ScoreBreakdown, remaining: number): { min: number; max: number } {
  const { fullWeight, presentWeight, imputed, term } = b.value;
  if (imputed || presentWeight <= 0) return remaining > 0 ? { min: 0, max: fullWeight } : { min: term, max: term };
  const weighted = (term * presentWeight) / fullWeight;
  const min = (fullWeight * weighted) / (presentWeight + remaining);
  const max = (fullWeight * (weighted + remaining)) / (presentWeight + remaining);
  return { min: Math.min(min, term), max: Math.max(max, term) };
}

/**
 * True when the current leader stays the winner whatever the jurors still out say: its worst possible score is
 * strictly better than every other eligible, priced bid's best possible score. "Can no longer change" means the
 * winner, not the whole order: the order of the losers is rarely settled before the last juror, so waiting for
 * it would save nothing; the losers' order then rests on the jurors that answered (the skip says which).
 */
export function winnerSettled(ranking: readonly ScoreBreakdown[], remainingFor: (bidId: string) => number): boolean {
  const leader = ranking[0];
  if (!leader?.eligible || leader.cost.term === undefined) return false;
  const worst = leader.cost.term - valueBounds(leader, remainingFor(leader.bidId)).min;
  for (const other of ranking.slice(1)) {
    // Ineligible and unpriced bids rank after an eligible priced leader whatever their value.
    if (!other.eligible || other.cost.term === undefined) continue;
    const best = other.cost.term - valueBounds(other, remainingFor(other.bidId)).max;
    if (best <= worst + TIE * Math.max(1, Math.abs(best), Math.abs(worst))) return false;
  }
  return true;
}

/**
 * The best score a bid could reach with a perfect value: its cost term minus the full value weight, less what its
 * model's track record cannot give (w_r × (1 − rate): a refined plan of the same model has the same record, and
 * every other signal at 1 is the most V can then be). A refiner keeps its cost term (a refined plan is about as
 * long as the original), so one whose best cannot beat the leader's score is not asked.
 */
export function bestPossibleScore(b: ScoreBreakdown): number | undefined {
  const record = b.value.record;
  const shortfall = record ? record.weight * (1 - record.rate) : 0;
  return b.cost.term === undefined ? undefined : b.cost.term - (b.value.fullWeight - shortfall);
}

/** True when `candidate` could still overtake a leader scored `leaderScore`. */
export function couldOvertake(candidate: ScoreBreakdown, leaderScore: number): boolean {
  const best = bestPossibleScore(candidate);
  if (best === undefined) return true;
  return best < leaderScore - TIE * Math.max(1, Math.abs(best), Math.abs(leaderScore));
}

/** A typical jury call, for ranking jurors by price: the context dominates, so input counts most. */
const TYPICAL_JURY_CALL = { inputTokens: 6_000, outputTokens: 400 };

/** Dollars of a typical jury call; undefined for an unknown price. */
export function juryCallPrice(price: Price | undefined): number | undefined {
  if (!price) return undefined;
  return (TYPICAL_JURY_CALL.inputTokens * price.inputPerMTok + TYPICAL_JURY_CALL.outputTokens * price.outputPerMTok) / 1e6 + requestUsd(price);
}

/**
 * Orders candidate jurors for a panel: cheapest typical jury call first, ties by id, unknown prices last.
 * The seam for issue 20: a ranker by measured calibration replaces this one where the panel says `by`.
 */
export function byJuryPrice(candidates: readonly ModelClient[]): ModelClient[] {
  const key = (c: ModelClient): number => juryCallPrice(c.spec.price) ?? Number.POSITIVE_INFINITY;
  return [...candidates].sort((a, b) => key(a) - key(b) || (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
}

/** The panel: the first `size` jurors by the ranker (by price today). */
export function choosePanel(candidates: readonly ModelClient[], size: number, rank: (c: readonly ModelClient[]) => ModelClient[] = byJuryPrice): ModelClient[] {
  return rank(candidates).slice(0, Math.max(0, size));
}

/** Conservative characters per token, as the spend tracker bounds a prompt (budget.ts). */
const CHARS_PER_TOKEN_BOUND = 3;

/** Worst-case dollars of one call: prompt chars / 3 input tokens and the whole output allowance; undefined if unpriced. */
export function callBoundUsd(price: Price | undefined, promptChars: number, maxTokens: number): number | undefined {
  if (!price) return undefined;
  return (Math.ceil(promptChars / CHARS_PER_TOKEN_BOUND) * price.inputPerMTok + maxTokens * price.outputPerMTok) / 1e6 + requestUsd(price);
}

export interface ShrinkInput {
  /** maxShare × expectedExecutionUsd. */
  capUsd: number;
  spentUsd: number;
  /** Jurors as configured, each with the worst case of its jury round(s). */
  jurors: { id: string; boundUsd: number | undefined }[];
  /** Worst case of the refinement round (refined bids + their jury round); undefined when refinement is off. */
  refinementBoundUsd: number | undefined;
}

export interface ShrinkPlan {
  keepJurors: string[];
  dropJurors: string[];
  dropRefinement: boolean;
  /** Human-readable, for the event and the result; empty when nothing was dropped. */
  reason: string;
}

/**
 * Fits the rest of the auction under the overhead cap: refinement goes first (it is an extra bid and jury round
 * on the critical path), then the dearest jurors until the cheapest that fit remain (an unpriced juror cannot be
 * bounded and goes). The cheapest priced juror always stays, even past the cap: an auction with no jury would rank
 * on cost and entropy alone, which on most pools means "the cheapest model wins", and the reason says the cap is
 * exceeded by that juror. Only when no juror can be priced is the jury empty.
 */
export function shrinkToCap(input: ShrinkInput): ShrinkPlan {
  let left = input.capUsd - input.spentUsd;
  // Unpriced jurors are dropped below whatever happens, so they must not make refinement look unaffordable.
  const juryTotal = input.jurors.reduce((s, j) => s + (j.boundUsd ?? 0), 0);
  const dropRefinement = input.refinementBoundUsd !== undefined && juryTotal + input.refinementBoundUsd > left;
  if (!dropRefinement && input.refinementBoundUsd !== undefined) left -= input.refinementBoundUsd;
  const keepJurors: string[] = [];
  const dropJurors: string[] = [];
  const byCost = [...input.jurors].sort((a, b) => (a.boundUsd ?? Number.POSITIVE_INFINITY) - (b.boundUsd ?? Number.POSITIVE_INFINITY) || (a.id < b.id ? -1 : 1));
  for (const j of byCost) {
    if (j.boundUsd !== undefined && j.boundUsd <= left) {
      keepJurors.push(j.id);
      left -= j.boundUsd;
    } else dropJurors.push(j.id);
  }
  const floor = keepJurors.length === 0 ? byCost.find((j) => j.boundUsd !== undefined) : undefined;
  if (floor) {
    keepJurors.push(floor.id);
    dropJurors.splice(dropJurors.indexOf(floor.id), 1);
  }
  const parts = [...(dropRefinement ? ['the refinement round'] : []), ...(dropJurors.length ? [`juror${dropJurors.length > 1 ? 's' : ''} ${dropJurors.join(', ')}`] : [])];
  const reason = parts.length
    ? `overhead cap ${usd(input.capUsd)} (${usd(input.spentUsd)} already spent on bids): dropped ${parts.join(' and ')} to stay under it` +
      (floor ? `; kept the cheapest juror ${floor.id} (up to ${usd(floor.boundUsd ?? 0)}) although it exceeds the cap, so the bids are still judged` : '')
    : '';
  return { keepJurors: keepJurors.sort(), dropJurors: dropJurors.sort(), dropRefinement, reason };
}



/** A refiner that could run, with the worst case of its refinement call. */
export interface RefinerBound {
  id: string;
  boundUsd: number | undefined;
}

/**
 * Refinement under the overhead cap once the provisional winner is known. Up front the cap rests on the median
 * bid's expected work and drops refinement before any juror; but refinement is how a cheaper bid takes the lead's
 * place, and once the leader is known its expected work is what the auction will pay for if it ends now. So the
 * refiners are fitted again into `roomUsd` (the cap at the leader's expected work, less what is spent), cheapest
 * first: each kept refiner adds its own call, and the second jury round grows to judge `k` refined plans
 * (`juryBoundFor(k)`, every kept juror). An unpriced refiner or jury cannot be bounded and is not asked. A free
 * refiner judged by free jurors adds nothing, so it fits even when the bids alone already passed the cap.
 */
export function fitRefiners(refiners: readonly RefinerBound[], juryBoundFor: (k: number) => number | undefined, roomUsd: number): { keep: string[]; drop: string[] } {
  const keep: string[] = [];
  const drop: string[] = [];
  let refineUsd = 0;
  const byCost = [...refiners].sort((a, b) => (a.boundUsd ?? Number.POSITIVE_INFINITY) - (b.boundUsd ?? Number.POSITIVE_INFINITY) || (a.id < b.id ? -1 : 1));
  for (const r of byCost) {
    const jury = juryBoundFor(keep.length + 1);
    if (r.boundUsd !== undefined && jury !== undefined && refineUsd + r.boundUsd + jury <= Math.max(0, roomUsd)) {
      keep.push(r.id);
      refineUsd += r.boundUsd;
    } else drop.push(r.id);
  }
  return { keep, drop };
}
