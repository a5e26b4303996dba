import type { AuctionResult } from '../auction/types';
import { auctionFact, type AuctionFact, type PoolModel, type ShadowResult } from '../ledger/entry';
import { auctionLineFromResult } from '../memory/fromAuction';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type FileDecision, type OutcomeFact, type OutcomeLine } from '../memory/records';
import { reviewLabel } from '../protocol/outcomes';
import { redactSecrets } from '../secretPatterns';

/**
 * The auction journal: every fact about an auction is stated once, as a `JournalFact`, and turned here into the
 * lines the memory and the ledger keep. Nothing else writes auction facts to either (model calls go to the ledger
 * through its CallSink; they are not auction facts). Outcomes are about the bid that was executed, which need not
 * be the jury's winner: the user can run any bid (`sale.runBid`).
 */
export type JournalFact =
  /** The auction started: its task (a one-line summary) and the pool with prices, for the cost report. */
  | { type: 'auction-started'; auctionId: string; task: string; pool: PoolModel[] }
  /** The auction ended (completed, or without a usable bid): its bids for the memory, its winner for the ledger. */
  | { type: 'auction-recorded'; result: AuctionResult; contextFiles: readonly string[]; noBids?: boolean }
  /**
   * A run of a bid started (the session log notes it, so a run in flight when the window closed is restored as
   * interrupted). No memory or ledger line: what the run did and cost is the `bid-executed` fact.
   */
  | { type: 'run-started'; auctionId: string; bidId: string; modelId: string; runId: string; attempt: number; escalatedFrom?: string }
  /** A bid was run by the agent: how the run ended, what it staged, what it really cost. */
  | {
      type: 'bid-executed';
      auctionId: string;
      bidId: string;
      modelId: string;
      status: 'finished' | 'limit' | 'failed' | 'cancelled';
      /** Files staged for review. */
      staged: number;
      usage: { inputTokens: number; outputTokens: number };
      dollars?: number;
      /** Which executed bid of the auction this was (1: first try); absent on facts from before escalation. */
      attempt?: number;
      /** The failed bid this run escalated from. */
      escalatedFrom?: string;
    }
  /** The user reviewed the staged edits of a bid's run and applied what they accepted. */
  | { type: 'reviewed'; auctionId: string; bidId: string; modelId: string; files: FileDecision[] }
  /** Applied work was undone. `bidId` is absent only for a checkpoint written before bid ids were recorded. */
  | { type: 'undone'; auctionId: string; bidId?: string; files: string[] }
  /** Tests ran after the work of a bid was applied. */
  | { type: 'tests-ran'; auctionId: string; bidId: string; command: string; passed: boolean; output?: string }
  /** A shadow run: the auction's reference model did the task in a throw-away worktree; its tests' result (ledger only). */
  | { type: 'shadow-ran'; auctionId: string; modelId: string; result: ShadowResult };

/** What one fact becomes: lines for the memory, facts for the ledger (either may be empty). */
export interface JournalEntries {
  memory: (AuctionLine | OutcomeLine)[];
  ledger: AuctionFact[];
}

/** Ids and time for the lines of one fact (the adapter supplies them: the pure journal has no clock). */
export interface JournalStamp {
  time: string;
  /** A fresh id for an outcome line. */
  id: string;
}

/** A task as the ledger keeps it: redacted before it is cut short (a key cut in half would no longer look like one). */
export function ledgerTaskSummary(task: string): string {
  const shown = redactSecrets(task);
  return shown.length > 300 ? `${shown.slice(0, 299)}…` : shown;
}

/** Turns one fact into the memory's and the ledger's lines. Pure. */
export function journalEntries(fact: JournalFact, stamp: JournalStamp): JournalEntries {
  const outcome = (auctionId: string, bidId: string | undefined, f: OutcomeFact): OutcomeLine => ({
    v: MEMORY_SCHEMA_VERSION,
    kind: 'outcome',
    id: stamp.id,
    auctionId,
    ...(bidId !== undefined ? { bidId } : {}),
    time: stamp.time,
    fact: f,
  });
  const ledger = (f: Omit<AuctionFact, 'v' | 'kind' | 'time'>): AuctionFact => auctionFact({ ...f, time: stamp.time });
  switch (fact.type) {
    case 'auction-started':
      return { memory: [], ledger: [ledger({ auctionId: fact.auctionId, task: ledgerTaskSummary(fact.task), pool: fact.pool })] };
    case 'auction-recorded': {
      const { result } = fact;
      // A cancelled auction is not worth learning from; one without a usable bid is (every bidder failed).
      const memory = result.status === 'completed' || fact.noBids ? [auctionLineFromResult(result, fact.contextFiles)] : [];
      const winner = result.winner ? [ledger({ auctionId: result.auctionId, winnerModelId: result.winner.modelId })] : [];
      const noBids = fact.noBids ? [ledger({ auctionId: result.auctionId, outcome: 'no-bids' })] : [];
      return { memory, ledger: [...winner, ...noBids] };
    }
    case 'run-started':
      return { memory: [], ledger: [] };
    case 'bid-executed': {
      const nothing = fact.status === 'failed' && fact.staged === 0;
      const escalation = { ...(fact.attempt !== undefined ? { attempt: fact.attempt } : {}), ...(fact.escalatedFrom !== undefined ? { escalatedFrom: fact.escalatedFrom } : {}) };
      return {
        memory: [
          outcome(fact.auctionId, fact.bidId, {
            type: 'execution-cost',
            inputTokens: fact.usage.inputTokens,
            outputTokens: fact.usage.outputTokens,
            ...(fact.dollars !== undefined ? { dollars: fact.dollars } : {}),
            status: fact.status,
            staged: fact.staged,
            ...escalation,
          }),
        ],
        ledger: [ledger({ auctionId: fact.auctionId, bidId: fact.bidId, executedBy: fact.modelId, ...escalation, ...(fact.status === 'cancelled' ? { outcome: 'cancelled' } : nothing ? { outcome: 'failed' } : {}) })],
      };
    }
    case 'reviewed': {
      const label = reviewLabel(fact.files);
      return {
        memory: [outcome(fact.auctionId, fact.bidId, { type: 'review', files: fact.files })],
        ledger: [ledger({ auctionId: fact.auctionId, bidId: fact.bidId, executedBy: fact.modelId, ...(label ? { outcome: label } : {}) })],
      };
    }
    case 'undone':
      return {
        memory: [outcome(fact.auctionId, fact.bidId, { type: 'undone', files: fact.files })],
        ledger: [ledger({ auctionId: fact.auctionId, ...(fact.bidId !== undefined ? { bidId: fact.bidId } : {}), outcome: 'undone' })],
      };
    case 'tests-ran':
      // The ledger has no test facts: the cost report's outcomes are the user's decisions.
      return { memory: [outcome(fact.auctionId, fact.bidId, { type: 'tests', command: fact.command, passed: fact.passed, ...(fact.output !== undefined ? { output: fact.output } : {}) })], ledger: [] };
    case 'shadow-ran':
      // Not a bid's outcome (no one reviewed it): the memory learns nothing from it; the ledger measures a saving.
      return { memory: [], ledger: [ledger({ auctionId: fact.auctionId, shadow: { modelId: fact.modelId, result: fact.result } })] };
  }
}

/** Where the journal's lines go: the memory and the ledger (their durable stores, through the host's services). */
export interface JournalSinks {
  memory: {
    appendAuction(line: AuctionLine): Promise<void>;
    appendOutcome(line: OutcomeLine): Promise<void>;
  };
  ledger: { appendFact(fact: AuctionFact): void };
}

/**
 * The single writer of auction facts. `record` states a fact once; its lines are handed on,
 * the ledger's first (queued, never waiting on the disk), then the memory's. A failure to write is logged with the fact's type and auction, never thrown at the caller: the
 * user's work (an apply, an undo) has already happened and must not be reported as failed.
 */
export class Journal {
  private readonly listeners = new Set<(fact: JournalFact) => void>();

  /** Calls `listener` with every fact once its lines are handed on (shadow runs start from an accepted review). */
  onRecorded(listener: (fact: JournalFact) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  constructor(
    private readonly sinks: JournalSinks,
    private readonly log: { error(message: string): void },
    private readonly stamp: () => JournalStamp,
  ) {}

  async record(fact: JournalFact): Promise<JournalEntries> {
    let entries: JournalEntries;
    try {
      entries = journalEntries(fact, this.stamp());
    } catch (e) {
      // A fact that does not make valid lines is a bug here, not the user's problem: logged, nothing written to
      // the memory or the ledger. It still happened, so the listeners (the session log, shadow runs) still hear it.
      this.log.error(`journal: the ${fact.type} fact made no valid lines: ${e instanceof Error ? e.message : String(e)}`);
      entries = { memory: [], ledger: [] };
    }
    for (const line of entries.ledger) this.sinks.ledger.appendFact(line);
    for (const line of entries.memory) {
      try {
        if (line.kind === 'auction') await this.sinks.memory.appendAuction(line);
        else await this.sinks.memory.appendOutcome(line);
      } catch (e) {
        this.log.error(`journal: could not record the ${fact.type} fact of ${line.kind === 'auction' ? line.id : line.auctionId} in memory: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(fact);
      } catch (e) {
        this.log.error(`journal: a listener of the ${fact.type} fact failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return entries;
  }
}
