import type { EntropyStats } from '../auction/types';
import { rankBids, type ScoringInput } from '../auction/scoring';
import { jurorWeight, type AuctionWeights, type CostMode } from '../auction/weights';
import { digestOf, foldByBid } from '../memory/outcomeFold';
import type { AuctionLine, OutcomeLine } from '../memory/records';
import { labelQuality, type OutcomeLabel } from '../protocol/outcomes';

/**
 * What the weight fit and its replay read from one remembered auction: each bid's signals per unit of weight,
 * the verdict on each executed bid, and the dollars its execution really cost.
 *
 * The memory keeps each bid's jury scores (by juror), its mean token entropy in nats, and its cost and value
 * terms as they were computed with the weights in force then. Two signals must be read back through those weights:
 * - the cost per unit of w_c: `cost / w_c` (work mode: log10(E / E_ref); paper mode: micro-dollars);
 * - the bidder's confidence (1 − normalised entropy): the value term is
 *   V = W × (w_h·conf + Σ_j w_j·γ_j/5 + w_r·r) / (w_h + Σ_{j present} w_j + w_r), solved for conf, where r is the
 *   track-record rate the line recorded for the bid (absent on lines of auctions without a track record: then
 *   neither w_r nor r is in V, and W has no w_r).
 * The weights in force are not on the record, so the caller names candidates (`weightsAt`): the first whose
 * recorded values reproduce is used. A bid without entropy checks the candidate exactly (its value depends only on
 * the jury and the weights); an auction no candidate reproduces is not read (`problem` says why): its signals
 * would be read through the wrong weights.
 */

/** One bid as the fit sees it. */
export interface FitBid {
  bidId: string;
  modelId: string;
  refined: boolean;
  /** C per unit of w_c; undefined when its cost was unknown (such a bid ranks after every priced one). */
  costUnit: number | undefined;
  /** The bidder's confidence in [0, 1]; undefined when its provider returned no log-probabilities. */
  confidence: number | undefined;
  /** The recorded mean entropy (nats), kept for the scorer's shape. */
  entropyNats: number | undefined;
  /** Likert 0..5 by juror id. */
  jury: Readonly<Record<string, number>>;
  /** The track-record rate the auction's value term counted for this bid (0..1); undefined when it had none. */
  record: number | undefined;
  /** True when some outcome event is about this bid (it ran). */
  executed: boolean;
  label: OutcomeLabel | undefined;
  quality: 'good' | 'bad' | 'unknown';
  /** Real execution dollars of this bid's runs, when it ran and every run was priced. */
  measuredUsd: number | undefined;
}

/** One remembered auction as the fit and the replay see it. */
export interface FitAuction {
  id: string;
  time: string;
  task: string;
  /** The jurors of the auction: every juror that scored some bid, sorted. */
  jurorIds: string[];
  bids: FitBid[];
  recordedWinnerBidId: string | undefined;
  /** The weights the recorded terms were read through (undefined when none reproduced them). */
  reference: AuctionWeights | undefined;
  costMode: CostMode;
  /** Why the auction's signals could not be read; such an auction is neither fitted nor replayed. */
  problem?: string;
}

/** Relative tolerance of the consistency check (the terms are stored as JSON doubles). */
const TOLERANCE = 1e-6;

/** Reads one auction and its outcome lines (in any order) through the first of `candidates` that reproduces it. */
export function fitAuctionOf(line: AuctionLine, outcomes: readonly OutcomeLine[], candidates: readonly AuctionWeights[]): FitAuction {
  const sorted = [...outcomes].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const digests = sorted.map((o) => digestOf(o.fact, o.bidId));
  const folded = foldByBid(digests, line.winnerBidId);
  const executed = new Set<string>();
  const usd = new Map<string, number | undefined>();
  for (const d of digests) {
    const bid = d.bidId ?? line.winnerBidId;
    if (bid === undefined) continue;
    executed.add(bid);
    if (d.type !== 'execution-cost') continue;
    const before = usd.has(bid) ? usd.get(bid) : 0;
    // One unpriced run makes the bid's total unknown: a partial sum is never reported as the total.
    usd.set(bid, before === undefined || d.dollars === undefined ? undefined : before + d.dollars);
  }
  const jurorIds = [...new Set(line.bids.flatMap((b) => Object.keys(b.jury)))].sort();
  const base = {
    id: line.id,
    time: line.time,
    task: line.task,
    jurorIds,
    recordedWinnerBidId: line.winnerBidId,
  };
  const reasons: string[] = [];
  for (const reference of candidates) {
    const read = readSignals(line, jurorIds, reference);
    if (typeof read === 'string') {
      reasons.push(read);
      continue;
    }
    const bids: FitBid[] = line.bids.map((b, i) => {
      const label = folded.labels[b.bidId];
      return {
        bidId: b.bidId,
        modelId: b.modelId,
        refined: b.refined,
        costUnit: read[i]!.costUnit,
        confidence: read[i]!.confidence,
        entropyNats: b.entropy,
        jury: b.jury,
        record: b.record,
        executed: executed.has(b.bidId),
        label,
        quality: labelQuality(label),
        measuredUsd: usd.get(b.bidId),
      };
    });
    return { ...base, bids, reference, costMode: reference.costMode ?? 'work' };
  }
  const problem = reasons[0] ?? 'no weights were given to read its recorded terms';
  return { ...base, bids: [], reference: undefined, costMode: 'work', problem };
}

/** Each bid's cost unit and confidence read through `w`, or why `w` does not reproduce the recorded values. */
function readSignals(line: AuctionLine, jurorIds: readonly string[], w: AuctionWeights): { costUnit: number | undefined; confidence: number | undefined }[] | string {
  const weightOf = (j: string): number => jurorWeight(w, j, jurorIds);
  // As the scorer: w_r is in W only when the auction had a track record (some bid has a recorded rate).
  const recordWeight = w.record ?? 0;
  const full = w.entropy + jurorIds.reduce((s, j) => s + weightOf(j), 0) + (line.bids.some((b) => b.record !== undefined) ? recordWeight : 0);
  const out: { costUnit: number | undefined; confidence: number | undefined }[] = [];
  for (const b of line.bids) {
    let costUnit: number | undefined;
    if (b.cost !== undefined) {
      if (w.cost > 0) costUnit = b.cost / w.cost;
      else if (b.cost === 0) costUnit = 0;
      else return `bid ${b.bidId} has a cost term but the weights tried have w_c = 0`;
      // With w_c = 0 every cost term is 0 and says nothing about the bids' costs.
      if (w.cost === 0 && line.bids.length > 1) return 'recorded with a cost weight of 0: its bids\' costs cannot be read';
    }
    const judged = Object.entries(b.jury);
    const present = judged.reduce((s, [j]) => s + weightOf(j), 0) + (b.entropy !== undefined ? w.entropy : 0) + (b.record !== undefined ? recordWeight : 0);
    // What is known apart from the confidence: the jury's part and the record's.
    const juryPart = judged.reduce((s, [j, score]) => s + weightOf(j) * (score / 5), 0) + (b.record !== undefined ? recordWeight * b.record : 0);
    let confidence: number | undefined;
    if (present === 0 || full === 0) {
      // No signal (the scorer imputed the mean value): nothing to read or check.
    } else if (b.entropy === undefined) {
      const expected = (full * juryPart) / present;
      if (!close(expected, b.value)) return `bid ${b.bidId}'s recorded value ${fmt(b.value)} is not what these weights give (${fmt(expected)})`;
    } else if (w.entropy > 0) {
      const c = ((b.value * present) / full - juryPart) / w.entropy;
      if (c < -TOLERANCE * 10 || c > 1 + TOLERANCE * 10) return `bid ${b.bidId}'s recorded value ${fmt(b.value)} implies a confidence of ${fmt(c)} with these weights`;
      confidence = Math.min(1, Math.max(0, c));
    }
    out.push({ costUnit, confidence });
  }
  return out;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/**
 * Ranks an auction's bids with `weights` through the engine's own scorer (scoring.ts), so the replay picks exactly
 * what an auction with those weights and these signals would pick. The cost unit is handed over as a relative
 * expected cost 10^unit (work mode; only ratios count) or as a price per token (paper mode); eligibility is not
 * on the record, so every bid counts as eligible.
 */
export function rankFitAuction(a: FitAuction, weights: AuctionWeights): { bidId: string; score: number | undefined }[] {
  const mode = a.costMode;
  const inputs: ScoringInput[] = a.bids.map((b) => ({
    bidId: b.bidId,
    modelId: b.modelId,
    kind: b.refined ? 'refined' : 'original',
    bidTokens: mode === 'paper' && b.costUnit !== undefined ? 1 : undefined,
    outputPricePerMTok: mode === 'paper' ? b.costUnit : undefined,
    entropy: b.confidence === undefined ? undefined : entropyStats(b),
    judgements: Object.entries(b.jury).map(([jurorId, score]) => ({ jurorId, score })),
    // Only the rate enters the score; the memory keeps neither the outcomes behind it nor its prior.
    ...(b.record === undefined ? {} : { record: { rate: b.record, outcomes: 0, source: 'as recorded' } }),
    ...(mode === 'work' && b.costUnit !== undefined ? { expectedExecutionUsd: 10 ** b.costUnit } : {}),
    ineligibleReasons: [],
  }));
  return rankBids(inputs, { ...weights, costMode: mode }, a.jurorIds).map((r) => ({ bidId: r.bidId, score: r.score }));
}

function entropyStats(b: FitBid): EntropyStats {
  const confidence = b.confidence as number;
  return { meanNats: b.entropyNats ?? 0, normalised: 1 - confidence, confidence, positions: 1 };
}
