import * as z from 'zod';

/**
 * The one vocabulary of what happened to a bid's work, and the one derivation of a review's label. The memory
 * (labels it learns from), the ledger (the outcome of an auction in the cost report), the engine's memory port
 * (the outcome shown in the refinement prompt), the index snapshot (labels as codes) and the views all use these.
 * It lives in `protocol` because the webviews show these words too.
 */

/** What the user's review of a bid's staged edits says. */
export const REVIEW_LABELS = ['accepted', 'partially-accepted', 'rejected'] as const;
export type ReviewLabel = (typeof REVIEW_LABELS)[number];

/**
 * What really happened to a bid's work, folded from its outcome events (memory). `failed`: its run failed with
 * nothing staged. The order is persisted as codes in the memory's index snapshot: append, never reorder.
 */
export const OUTCOME_LABELS = [...REVIEW_LABELS, 'undone', 'tests-passed', 'tests-failed', 'failed'] as const;
export const OutcomeLabelSchema = z.enum(OUTCOME_LABELS);
export type OutcomeLabel = (typeof OUTCOME_LABELS)[number];

/**
 * What finally happened to an auction's work, as the ledger and the cost report say it: a review label, or
 * `pending` (not decided yet), `undone`, `failed` (execution produced nothing), `cancelled`, `no-bids`.
 */
export const AUCTION_OUTCOMES = ['pending', ...REVIEW_LABELS, 'undone', 'failed', 'cancelled', 'no-bids'] as const;
export const AuctionOutcomeSchema = z.enum(AUCTION_OUTCOMES);
export type AuctionOutcome = (typeof AUCTION_OUTCOMES)[number];

/**
 * Whether a label says the work was good, bad, or we do not know. The auction's "win" is only the jury's
 * opinion; these are the user's and the tests' verdicts, which is what memory should teach from.
 * - good: the user kept the work (accepted, partially accepted) and, if tests ran, they passed;
 * - bad: the user rejected it, undid it after applying, tests failed after apply, or the run failed;
 * - unknown: no verdict yet.
 */
export function labelQuality(label: OutcomeLabel | undefined): 'good' | 'bad' | 'unknown' {
  switch (label) {
    case 'accepted':
    case 'partially-accepted':
    case 'tests-passed':
      return 'good';
    case 'rejected':
    case 'undone':
    case 'tests-failed':
    case 'failed':
      return 'bad';
    default:
      return 'unknown';
  }
}

/** How the user decided one file ('partial': some hunks accepted, some not). */
export type FileVerdict = 'accepted' | 'rejected' | 'partial';

/**
 * The label of one review: every file accepted → accepted, every file rejected → rejected, else partially
 * accepted. A review without files (nothing was staged) says nothing about the work: no label, unless an old
 * whole-auction verdict (`overall`, memory version 0) gives one.
 */
export function reviewLabel(files: readonly { decision: FileVerdict }[], overall?: 'accepted' | 'rejected'): ReviewLabel | undefined {
  if (files.length === 0) return overall;
  const accepted = files.filter((f) => f.decision === 'accepted').length;
  const rejected = files.filter((f) => f.decision === 'rejected').length;
  if (accepted === files.length) return 'accepted';
  if (rejected === files.length) return 'rejected';
  return 'partially-accepted';
}
