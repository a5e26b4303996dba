import { digestOf, foldByBid, foldDigests, type FactDigest } from '../memory/outcomeFold';
import type { AuctionLine, OutcomeLine } from '../memory/records';
import { labelQuality, type OutcomeLabel, type ReviewLabel } from '../protocol/outcomes';

/**
 * One executed bid with a verdict: what the auction knew of it (model, jury scores, confidence, expected cost)
 * next to what really happened (success, real dollars and tokens). The unit every calibration and the success
 * predictor learn from. Bids without a verdict yet (no review, no tests, run not failed) are not observations.
 */
export interface Observation {
  auctionId: string;
  bidId: string;
  modelId: string;
  task: string;
  /** ISO time the auction ended. */
  time: string;
  /** The folded label of the bid's outcome events. */
  label: OutcomeLabel;
  /** labelQuality(label) === 'good'. */
  success: boolean;
  /** Likert 0..5 by juror model id (empty when nobody judged it). */
  jury: Readonly<Record<string, number>>;
  /** Entropy confidence 0..1, when the provider returned logprobs and the memory line recorded it. */
  confidence?: number;
  /** Dollars its execution was expected to cost when ranked, when recorded. */
  expectedExecutionUsd?: number;
  /** The tokens behind that estimate, when recorded. */
  expectedExecutionTokens?: { input: number; output: number };
  /** The bid's latest review, when the user reviewed its diff (for accept rates). */
  review?: ReviewLabel;
  /** The bid's latest test run after apply, when one ran. */
  testsPassed?: boolean;
  /** Real execution cost of this bid, summed over its runs; absent when no execution-cost fact names it. */
  execution?: {
    inputTokens: number;
    outputTokens: number;
    /** Undefined when any run's dollars were unknown. */
    dollars?: number;
    runs: number;
  };
}

/**
 * The observations of a memory: one per executed bid of each auction whose folded outcome is good or bad.
 * `outcomes` may come in any order and for any auction; events of one auction are folded in time order (stable for
 * equal times, so lines appended in order keep their order). Outcomes of unknown auctions are ignored.
 */
export function observationsFrom(auctions: readonly AuctionLine[], outcomes: readonly OutcomeLine[]): Observation[] {
  const byAuction = new Map<string, OutcomeLine[]>();
  for (const o of outcomes) {
    const list = byAuction.get(o.auctionId) ?? [];
    list.push(o);
    byAuction.set(o.auctionId, list);
  }
  const out: Observation[] = [];
  for (const auction of auctions) {
    const events = byAuction.get(auction.id);
    if (!events) continue;
    out.push(...observationsOfAuction(auction, events));
  }
  return out;
}

/** The observations of one auction from its outcome lines. */
export function observationsOfAuction(auction: AuctionLine, outcomes: readonly OutcomeLine[]): Observation[] {
  const ordered = outcomes
    .map((line, index) => ({ line, index }))
    .sort((a, b) => (a.line.time < b.line.time ? -1 : a.line.time > b.line.time ? 1 : a.index - b.index))
    .map((e) => e.line);
  const digests = ordered.map((o) => digestOf(o.fact, o.bidId));
  const { labels } = foldByBid(digests, auction.winnerBidId);
  const out: Observation[] = [];
  for (const bid of auction.bids) {
    const label = labels[bid.bidId];
    const quality = labelQuality(label);
    if (label === undefined || quality === 'unknown') continue;
    const own = digests.filter((d) => (d.bidId ?? auction.winnerBidId) === bid.bidId);
    const review = latestReview(own);
    const tests = latestTests(own);
    const execution = executionOf(own);
    out.push({
      auctionId: auction.id,
      bidId: bid.bidId,
      modelId: bid.modelId,
      task: auction.task,
      time: auction.time,
      label,
      success: quality === 'good',
      jury: { ...bid.jury },
      ...(bid.confidence !== undefined ? { confidence: bid.confidence } : {}),
      ...(bid.expectedExecutionUsd !== undefined ? { expectedExecutionUsd: bid.expectedExecutionUsd } : {}),
      ...(bid.expectedExecutionTokens !== undefined ? { expectedExecutionTokens: { ...bid.expectedExecutionTokens } } : {}),
      ...(review !== undefined ? { review } : {}),
      ...(tests !== undefined ? { testsPassed: tests } : {}),
      ...(execution ? { execution } : {}),
    });
  }
  return out;
}

function latestReview(facts: readonly FactDigest[]): ReviewLabel | undefined {
  let review: ReviewLabel | undefined;
  for (const f of facts) {
    if (f.type !== 'review') continue;
    // The review's own label, folded alone (so an undo or a test run after it does not change what the user said).
    const label = foldDigests([f]);
    if (label === 'accepted' || label === 'partially-accepted' || label === 'rejected') review = label;
  }
  return review;
}

function latestTests(facts: readonly FactDigest[]): boolean | undefined {
  let passed: boolean | undefined;
  for (const f of facts) if (f.type === 'tests') passed = f.passed;
  return passed;
}

function executionOf(facts: readonly FactDigest[]): Observation['execution'] {
  let runs = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let dollars: number | undefined = 0;
  for (const f of facts) {
    if (f.type !== 'execution-cost') continue;
    runs++;
    inputTokens += f.inputTokens;
    outputTokens += f.outputTokens;
    dollars = dollars === undefined || f.dollars === undefined ? undefined : dollars + f.dollars;
  }
  if (runs === 0) return undefined;
  return { inputTokens, outputTokens, runs, ...(dollars !== undefined ? { dollars } : {}) };
}
