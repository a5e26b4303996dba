import path from 'node:path';
import { evaluateBudget, budgetSpendFrom, type BudgetLimits } from '../../common/ledger/budget';
import { ledgerLineCodec, toCallEntry, type AuctionFact, type LedgerLine, type PoolModel } from '../../common/ledger/entry';
import type { ExecutionHistoryPort } from '../../common/auction/executionHistory';
import { executionHistoryFromLedger } from '../../common/ledger/executionHistory';
import { buildCostReport } from '../../common/ledger/report';
import type { CallSink, ModelCallRecord } from '../../common/ledger/types';
import { Emitter, type Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import type { CostReport } from '../../common/protocol/report';
import { JsonlStore, type Cursor } from '../../node/storage/jsonlStore';
import type { Config } from '../config';

/**
 * The workspace's cost ledger: every model call appended, durable, to `ledger.jsonl` in the extension's
 * workspace storage (the same store as the memory: torn lines skipped and reported, safe across windows).
 * Appends are queued so a call site never waits on the disk; `flush()` waits for all of them.
 */
export class LedgerService implements Disposable {
  private readonly store: JsonlStore<LedgerLine>;
  private pending: Promise<void> = Promise.resolve();
  private lines: LedgerLine[] = [];
  private cursor: Cursor | undefined;
  private reading: Promise<void> | undefined;
  private readonly appended = new Emitter<LedgerLine>();
  /** Fires after a line is on disk. */
  readonly onDidAppend = this.appended.event;

  constructor(storageDir: string, private readonly log: Logger) {
    this.store = new JsonlStore({ path: path.join(storageDir, 'ledger.jsonl'), codec: ledgerLineCodec, log });
  }

  /** Where the engine and the agent report every model call. */
  readonly sink: CallSink = {
    record: (call: ModelCallRecord) => this.append(toCallEntry(call)),
  };

  /** What past executions in this workspace used, per model (every window's), for the auction's cost term. */
  readonly executionHistory: ExecutionHistoryPort = {
    executionTokens: async (query) => executionHistoryFromLedger(await this.readAll(), query),
  };

  /** Appends a fact about an auction (from the journal, its only writer) for the cost report. */
  appendFact(fact: AuctionFact): void {
    this.append(fact);
  }

  private append(line: LedgerLine): void {
    this.pending = this.pending
      .then(() => this.store.append(line))
      .then(() => this.appended.fire(line))
      .catch((e: unknown) => this.log.error(`Could not write to the cost ledger: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Waits until every queued line is on disk. */
  flush(): Promise<void> {
    return this.pending;
  }

  /**
   * Every line on disk, read incrementally: only what was appended since the last read (by this window or
   * another one on the same folder), or all of it again when the file was rewritten. Budgets see every window.
   */
  async readAll(): Promise<LedgerLine[]> {
    await this.flush();
    this.reading ??= this.readNew().finally(() => (this.reading = undefined));
    await this.reading;
    return this.lines;
  }

  private async readNew(): Promise<void> {
    const { records, report, cursor, reset } = await this.store.readSince(this.cursor);
    if (report.skipped > 0) this.log.warn(`ledger: skipped ${report.skipped} unreadable line(s)`);
    this.lines = reset ? records : [...this.lines, ...records];
    this.cursor = cursor;
  }

  /** The cost report; `pool` (the current pool's prices) decides the counterfactual's reference model. */
  async report(scope: string, pool: readonly PoolModel[] = []): Promise<CostReport> {
    return buildCostReport(await this.readAll(), { scope, pool, utcOffsetMinutes: -new Date().getTimezoneOffset() });
  }

  /** Dollars spent today in this workspace (local time), for the status bar. */
  async spentToday(): Promise<number> {
    const spend = budgetSpendFrom(await this.readAll(), { now: new Date(), utcOffsetMinutes: -new Date().getTimezoneOffset() });
    return spend.dayUsd;
  }

  /**
   * Checks the budgets before an auction: a reason to refuse at 100%, a warning at 80%, and what the daily budget
   * has left (`dayLeftUsd`), which also caps the auction: the day budget binds every phase, not only the start.
   */
  async budgetGate(config: Config): Promise<{ block?: string; warn?: string; dayLeftUsd?: number }> {
    const perDay = config.get('budget.perDay');
    const perWorkspace = config.get('budget.perWorkspace');
    // The per-task budget is checked against the auction's own spend by the engine's caps; before an auction
    // starts nothing of the task is spent yet, so the gate looks at the day and the workspace.
    const limits: BudgetLimits = {
      ...(typeof perDay === 'number' ? { perDayUsd: perDay } : {}),
      ...(typeof perWorkspace === 'number' ? { perWorkspaceUsd: perWorkspace } : {}),
    };
    if (Object.keys(limits).length === 0) return {};
    const spend = budgetSpendFrom(await this.readAll(), { now: new Date(), utcOffsetMinutes: -new Date().getTimezoneOffset() });
    const verdict = evaluateBudget(limits, spend);
    if (verdict.status === 'block') return { block: verdict.reason ?? 'A budget is used up.' };
    const dayLeft = limits.perDayUsd !== undefined && limits.perDayUsd > 0 ? { dayLeftUsd: Math.max(0, limits.perDayUsd - spend.dayUsd) } : {};
    if (verdict.status === 'warn') return { warn: verdict.reason ?? 'A budget is 80% used.', ...dayLeft };
    return dayLeft;
  }

  dispose(): void {
    // Appends already queued finish on their own; nothing to close (each append opens the file).
    this.appended.dispose();
  }
}
