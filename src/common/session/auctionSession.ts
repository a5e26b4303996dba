import type { AuctionContext, AuctionResult, Bid } from '../auction/types';
import type { OutcomeLabel } from '../protocol/outcomes';
import type { PanelTask } from '../protocol/panel';

/** How an auction session stands. */
export type SessionStatus = 'running' | 'finished' | 'failed' | 'cancelled';

/** One run of one of the auction's bids, and what happened to its work. */
export interface BidRun {
  readonly runId: string;
  readonly bidId: string;
  readonly modelId: string;
  status: 'running' | 'finished' | 'limit' | 'failed' | 'cancelled';
  /** The run was in flight when its window closed (restored as `cancelled`: the host that ran it is gone). */
  interrupted?: boolean;
  /** The review's label once the accepted edits were applied (undefined: not applied, or nothing to say). */
  review?: OutcomeLabel | undefined;
  applied?: boolean;
  /** The checkpoint the apply took (what undo restores). */
  checkpointId?: string | undefined;
  tests?: 'passed' | 'failed';
  undone?: boolean;
  /** Which executed bid of the auction this is (1: the first try; 2 and up: escalations). */
  attempt: number;
  /** The bid whose failed work this run escalated from (absent on a first try or a plain re-run). */
  escalatedFrom?: string | undefined;
  /** What the next attempt learns from when this run fails: its summary, staged diff and test output (bounded). */
  evidence?: AttemptEvidence;
}

/** What a run left behind for a later attempt to learn from; model text, so untrusted. */
export interface AttemptEvidence {
  summary?: string | undefined;
  /** The staged edits as a unified diff. */
  diff?: string | undefined;
  /** The tail of the test command's output, when tests ran after the apply. */
  testOutput?: string | undefined;
  testCommand?: string | undefined;
}

/**
 * One auction, from the task to what happened to the work: the task and the context it was auctioned with, the
 * result, every run of its bids and their review, tests and undo. Everything that acts on an auction addresses
 * its session by id, so nothing can pair one auction's plan with another's context.
 */
export class AuctionSession {
  status: SessionStatus = 'running';
  result: AuctionResult | undefined;
  readonly runs: BidRun[] = [];

  constructor(
    readonly id: string,
    readonly task: PanelTask,
    readonly context: AuctionContext,
  ) {}

  /** The auction ended with a result. A result that came back after a cancel (partial) does not make it runnable. */
  finish(result: AuctionResult): void {
    this.result = result;
    if (this.status === 'running') this.status = result.status === 'cancelled' ? 'cancelled' : 'finished';
  }

  fail(): void {
    if (this.status === 'running') this.status = 'failed';
  }

  cancel(): void {
    if (this.status === 'running') this.status = 'cancelled';
  }

  /** A bid of this auction's result: `bidId`, or the winner when it is absent. */
  bid(bidId?: string): Bid | undefined {
    const id = bidId ?? this.result?.winner?.bidId;
    return id === undefined ? undefined : this.result?.bids.find((b) => b.id === id);
  }

  /**
   * Starts a run of `bid`. Its attempt number is the bid's place among the distinct bids executed in this auction
   * (a re-run of a bid keeps that bid's number); `escalatedFrom` names the failed bid it follows.
   */
  startRun(runId: string, bid: Bid, escalatedFrom?: string): BidRun {
    const tried = [...new Set(this.runs.map((r) => r.bidId))];
    const index = tried.indexOf(bid.id);
    const attempt = index >= 0 ? index + 1 : tried.length + 1;
    const run: BidRun = { runId, bidId: bid.id, modelId: bid.modelId, status: 'running', attempt, ...(escalatedFrom !== undefined ? { escalatedFrom } : {}) };
    this.runs.push(run);
    return run;
  }

  run(runId: string): BidRun | undefined {
    return this.runs.find((r) => r.runId === runId);
  }

  /** The run whose apply took this checkpoint. */
  runWithCheckpoint(checkpointId: string): BidRun | undefined {
    return this.runs.find((r) => r.checkpointId === checkpointId);
  }
}

/** Why a bid cannot be run. */
export type RunRefusal = 'no-auction' | 'no-bid';

/** What a command names: an auction (the newest runnable one when absent) and a bid (its winner when absent). */
export interface RunTarget {
  auctionId?: string | undefined;
  bidId?: string | undefined;
}

const KEPT_SESSIONS = 20;

/** The window's auction sessions, newest last; the oldest are forgotten beyond twenty. */
export class AuctionSessions {
  private sessions = new Map<string, AuctionSession>();
  private restored: Promise<void> = Promise.resolve();

  start(id: string, task: PanelTask, context: AuctionContext): AuctionSession {
    const session = new AuctionSession(id, task, context);
    this.sessions.set(id, session);
    this.trim();
    return session;
  }

  /**
   * Adds the sessions an earlier window left (read from the session log while this window starts). They are older
   * than any auction started here, so they go first; one this window already holds is kept as it is here.
   */
  restore(earlier: Promise<readonly AuctionSession[]>): void {
    const previous = this.restored;
    this.restored = previous.then(async () => {
      // The reader logs why it could not read; this window then starts without the earlier sessions.
      const list = await earlier.catch(() => []);
      this.sessions = new Map([...list.filter((s) => !this.sessions.has(s.id)).map((s) => [s.id, s] as const), ...this.sessions]);
      this.trim();
    });
  }

  /** Resolves once the sessions of an earlier window are in (at once when there is nothing to restore). */
  whenRestored(): Promise<void> {
    return this.restored;
  }

  /** Forgets every session (what a window that goes away does; the session log keeps them). */
  clear(): void {
    this.sessions.clear();
  }

  private trim(): void {
    for (const old of this.sessions.keys()) {
      if (this.sessions.size <= KEPT_SESSIONS) break;
      this.sessions.delete(old);
    }
  }

  /** The ids of the sessions this window holds, oldest first. */
  ids(): string[] {
    return [...this.sessions.keys()];
  }

  get(id: string | undefined): AuctionSession | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  /** The newest session that finished with a result. */
  latestFinished(): AuctionSession | undefined {
    return [...this.sessions.values()].reverse().find((s) => s.status === 'finished' && s.result);
  }

  /**
   * The session and bid a run command means: the named auction (or the newest finished one) and the named bid
   * (or that auction's winner). The context comes with the session, never from another auction.
   */
  resolveRun(target: RunTarget): { session: AuctionSession; bid: Bid } | { refused: RunRefusal } {
    const session = target.auctionId !== undefined ? this.get(target.auctionId) : this.latestFinished();
    if (!session?.result) return { refused: 'no-auction' };
    const bid = session.bid(target.bidId);
    return bid ? { session, bid } : { refused: 'no-bid' };
  }

  /** The session holding a run. */
  ofRun(runId: string): AuctionSession | undefined {
    return [...this.sessions.values()].find((s) => s.run(runId) !== undefined);
  }
}
