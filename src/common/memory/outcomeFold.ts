import { reviewLabel, type OutcomeLabel } from '../protocol/outcomes';
import type { OutcomeFact, OutcomeLine } from './records';

/**
 * What the fold needs of an outcome event: its type, what it says, and the bid it is about (`bidId`; absent on
 * lines from before memory version 2, which are about the auction's winner).
 */
export type FactDigest = (
  | { type: 'review'; label: OutcomeLabel | undefined }
  | { type: 'undone' }
  | { type: 'tests'; passed: boolean }
  | { type: 'execution-cost'; inputTokens: number; outputTokens: number; dollars: number | undefined; failed: boolean }
) & { bidId?: string | undefined };

export function digestOf(fact: OutcomeFact, bidId?: string): FactDigest {
  const about = bidId === undefined ? {} : { bidId };
  switch (fact.type) {
    case 'review':
      return { type: 'review', label: reviewLabel(fact.files, fact.overall), ...about };
    case 'undone':
      return { type: 'undone', ...about };
    case 'tests':
      return { type: 'tests', passed: fact.passed, ...about };
    case 'execution-cost':
      // A run that failed without staging anything: the bid's work was nothing, a verdict of its own.
      return { type: 'execution-cost', inputTokens: fact.inputTokens, outputTokens: fact.outputTokens, dollars: fact.dollars, failed: fact.status === 'failed' && (fact.staged ?? 0) === 0, ...about };
  }
}

/**
 * Folds one bid's outcome events into one label. Precedence, latest review first: an undo after the review wins
 * (the user threw the work away), then the latest test run (the work was applied and checked), then the review
 * itself; a run that failed with nothing staged, when nothing else is known.
 */
export function foldDigests(facts: readonly FactDigest[]): OutcomeLabel | undefined {
  let label: OutcomeLabel | undefined;
  let tests: boolean | undefined;
  let undone = false;
  let failed = false;
  for (const f of facts) {
    if (f.type === 'review') {
      // A new review starts the story again: earlier undo and test results were about the earlier apply.
      label = f.label;
      tests = undefined;
      undone = false;
      failed = false;
    } else if (f.type === 'undone') {
      undone = true;
    } else if (f.type === 'tests') {
      tests = f.passed;
    } else {
      failed = f.failed;
    }
  }
  if (undone) return 'undone';
  if (label === 'rejected') return label;
  if (tests !== undefined) return tests ? 'tests-passed' : 'tests-failed';
  return label ?? (failed ? 'failed' : undefined);
}

/** An auction's outcomes, bid by bid. */
export interface BidOutcomes {
  /** The label of the bid executed last (the auction's outcome as the user last saw it). */
  label: OutcomeLabel | undefined;
  /** The bid the latest outcome event is about. */
  executedBidId: string | undefined;
  /** Each bid with a verdict, by bid id. */
  labels: Readonly<Record<string, OutcomeLabel>>;
}

/**
 * Folds an auction's events (in time order) bid by bid; an event without a bid id is about the winner (a line
 * from before memory version 2, when only the winner could be run).
 */
export function foldByBid(facts: readonly FactDigest[], winnerBidId: string | undefined): BidOutcomes {
  const byBid = new Map<string, FactDigest[]>();
  let last: string | undefined;
  for (const f of facts) {
    const bid = f.bidId ?? winnerBidId ?? '';
    const list = byBid.get(bid) ?? [];
    list.push(f);
    byBid.set(bid, list);
    last = bid;
  }
  const labels: Record<string, OutcomeLabel> = {};
  for (const [bid, list] of byBid) {
    const l = foldDigests(list);
    if (l !== undefined && bid !== '') labels[bid] = l;
  }
  return { label: last === undefined ? undefined : foldDigests(byBid.get(last) ?? []), executedBidId: last || undefined, labels };
}

/** The label of the bid executed last, from whole outcome lines (in time order). */
export function foldOutcome(outcomes: readonly OutcomeLine[], winnerBidId?: string): OutcomeLabel | undefined {
  return foldByBid(outcomes.map((o) => digestOf(o.fact, o.bidId)), winnerBidId).label;
}
