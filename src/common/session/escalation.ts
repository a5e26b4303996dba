import type { Bid, ScoreBreakdown } from '../auction/types';
import type { ReviewFileView } from '../protocol/executionView';
import type { AuctionSession, BidRun } from './auctionSession';

/**
 * Escalation (beyond the paper): when the executed bid's work fails, the auction has already ranked the
 * alternatives, so the next attempt is the next-ranked eligible bid not yet tried. Pure: the session holds the
 * ranking and the runs; the host decides when to ask.
 */

/** Why a run's work counts as failed. */
export type RunFailure = 'rejected' | 'tests-failed' | 'undone' | 'run-failed';

/**
 * Whether a run failed: the user rejected every file and hunk (or undid the apply), the tests failed after the apply,
 * or the agent itself stopped with an error. A run still under review, accepted work and a cancelled run are not
 * failures (a cancel is the user stopping it, not the work being wrong).
 */
export function runFailure(run: BidRun): RunFailure | undefined {
  if (run.status === 'failed') return 'run-failed';
  if (run.tests === 'failed') return 'tests-failed';
  if (run.undone) return 'undone';
  if (run.review === 'rejected') return 'rejected';
  return undefined;
}

/** The newest run of the session, when its work failed. */
export function failedLatestRun(session: AuctionSession): { run: BidRun; failure: RunFailure } | undefined {
  const run = session.runs.at(-1);
  const failure = run ? runFailure(run) : undefined;
  return run && failure ? { run, failure } : undefined;
}

/** The next bid to try, and why it was chosen. */
export interface NextBidChoice {
  bid: Bid;
  breakdown: ScoreBreakdown;
  /** The attempt number the run will have. */
  attempt: number;
  /** The failed bid this escalates from. */
  escalatedFrom: string;
  /** `new-model`: the best-ranked bid from a model not tried yet; `tried-model`: every untried bid is from a tried model. */
  because: 'new-model' | 'tried-model';
}

/** Why there is no next bid: no finished auction, nothing failed yet, or every eligible bid was tried. */
export interface NoNextBid {
  refused: 'no-auction' | 'not-failed' | 'exhausted' | 'max-attempts';
  /** A sentence for the user. */
  message: string;
}

/** Options of `chooseNextBid`. */
export interface NextBidOptions {
  /** Whether a model can still run (enabled in the pool); defaults to every model. */
  available?: (modelId: string) => boolean;
  /** At most this many executed bids per task (counting the first try); no cap when absent. */
  maxAttempts?: number;
}

/**
 * The next-ranked eligible bid of the auction not yet executed, preferring a model not tried yet (a stronger or
 * different model is the point of escalating; the same model's other plan comes only when no other model is left).
 * Refuses when the newest run did not fail, when the attempts are used up, or when every eligible bid was tried.
 */
export function chooseNextBid(session: AuctionSession, options: NextBidOptions = {}): NextBidChoice | NoNextBid {
  const result = session.result;
  if (!result || session.status !== 'finished') return { refused: 'no-auction', message: 'There is no finished auction to escalate.' };
  const failed = failedLatestRun(session);
  if (!failed) return { refused: 'not-failed', message: 'The last run of this auction has not failed: escalate after its work was rejected or its tests failed.' };
  const triedBids = new Set(session.runs.map((r) => r.bidId));
  if (options.maxAttempts !== undefined && triedBids.size >= options.maxAttempts) {
    return { refused: 'max-attempts', message: `This task has used its ${options.maxAttempts} attempt(s) (sale.escalation.maxAttempts).` };
  }
  const triedModels = new Set(session.runs.map((r) => r.modelId));
  const available = options.available ?? (() => true);
  const candidates: { bid: Bid; breakdown: ScoreBreakdown }[] = [];
  const skipped = { ineligible: 0, unavailable: 0 };
  for (const breakdown of result.ranking) {
    if (triedBids.has(breakdown.bidId)) continue;
    const bid = result.bids.find((b) => b.id === breakdown.bidId);
    if (!bid) continue;
    if (!breakdown.eligible) skipped.ineligible += 1;
    else if (!available(bid.modelId)) skipped.unavailable += 1;
    else candidates.push({ bid, breakdown });
  }
  const fresh = candidates.find((c) => !triedModels.has(c.bid.modelId));
  const pick = fresh ?? candidates[0];
  if (!pick) {
    const notes = [
      skipped.ineligible > 0 ? `${skipped.ineligible} ineligible` : '',
      skipped.unavailable > 0 ? `${skipped.unavailable} from models no longer in the pool` : '',
    ].filter(Boolean);
    return {
      refused: 'exhausted',
      message: `Every eligible bid of this auction has been tried (${triedBids.size} of ${result.bids.length} bids${notes.length ? `; the rest: ${notes.join(', ')}` : ''}). Run "SALE: Auction this task" again.`,
    };
  }
  return { bid: pick.bid, breakdown: pick.breakdown, attempt: triedBids.size + 1, escalatedFrom: failed.run.bidId, because: fresh ? 'new-model' : 'tried-model' };
}

/**
 * A run's staged edits as a unified diff for the next attempt's prompt: each file's header, then its hunks. The
 * view's hunks already carry the diff lines; the prompt bounds the whole.
 */
export function attemptDiff(files: readonly ReviewFileView[]): string {
  return files
    .map((f) => {
      const from = f.kind === 'create' ? '/dev/null' : `a/${f.path}`;
      const to = f.kind === 'delete' ? '/dev/null' : `b/${f.path}`;
      return [`--- ${from}`, `+++ ${to}`, ...f.hunks.map((h) => `${h.header}\n${h.text.replace(/\n$/, '')}`)].join('\n');
    })
    .join('\n');
}
