import * as vscode from 'vscode';
import { NoBidsError, runAuction, type AuctionContext, type AuctionMemoryPort, type AuctionRequest, type AuctionResult } from '../../common/auction';
import type { ExecutionHistoryPort } from '../../common/auction/executionHistory';
import type { TrackRecordPort } from '../../common/learning/successPredictor';
import { isCancellation, SaleError } from '../../common/errors';
import type { Journal } from '../../common/journal/journal';
import type { CallSink } from '../../common/ledger/types';
import { withDayCap } from '../../common/ledger/taskBudget';
import type { Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import type { PoolMemberView } from '../../common/protocol/auctionView';
import type { PanelTask } from '../../common/protocol/panel';
import type { ModelCapabilities, ModelClient } from '../../common/providers/types';
import { newId } from '../../common/taskText';
import type { PanelModel } from '../panel/panelModel';
import { emptyPoolNotice, noticeForError } from './notices';
import type { AuctionSession, AuctionSessions } from '../../common/session/auctionSession';

/** The pool as the auction sees it: members for the UI, clients and probed capabilities for the engine. */
export interface AuctionPool {
  /** Re-reads the pool (settings, detected local servers); members() and client() answer from it. */
  refresh(): Promise<void>;
  members(): PoolMemberView[];
  /** The pool as it is now, read afresh without changing what members() and client() answer. */
  preview?(): Promise<PoolMemberView[]>;
  client(modelId: string): ModelClient | undefined;
  capabilities(modelId: string): ModelCapabilities | undefined;
  /** Probes what is not probed yet (logprobs, tools); resolves even when some probes fail. */
  /** Probes unknown models, waiting a bounded time; resolves with the ids whose check is still running. */
  ensureProbed(modelIds: readonly string[], signal: AbortSignal): Promise<string[]>;
}

export interface AuctionControllerDeps {
  pool: AuctionPool;
  memory?: AuctionMemoryPort;
  /** What past executions used (the ledger), for the `work` cost term. */
  executionHistory?: ExecutionHistoryPort;
  /** This workspace's real outcomes (the memory), for each bid's predicted success and the expected-utility rule. */
  trackRecord?: TrackRecordPort;
  calls: CallSink;
  /** Where the auction's facts go (started, recorded): the memory and the ledger are fed from it. */
  journal?: Pick<Journal, 'record'>;
  /** The window's auction sessions: each auction gets one, holding its task, context and result. */
  sessions: AuctionSessions;
  panel: PanelModel;
  /** Request fields that come from settings (weights, jury, refinement, budgets, limits). */
  settings: () => Omit<AuctionRequest, 'auctionId' | 'task' | 'context' | 'pool'>;
  /** Checks budgets before an auction starts; returns a reason to refuse, or undefined. */
  budgetGate?: () => Promise<{ block?: string; warn?: string; /** What the daily budget has left: a cap on the auction too. */ dayLeftUsd?: number }>;
  log: Logger;
}

/**
 * Runs auctions for the VS Code side: one at a time, with a cancellable progress notification, streaming every
 * engine event into the panel's state and recording the result. Errors become panel notices with a next step.
 */
export class AuctionController implements Disposable {
  private running: { id: string; abort: AbortController; done: Promise<AuctionResult | undefined> } | undefined;
  private poolReads = 0;

  constructor(private readonly deps: AuctionControllerDeps) {}

  /** The newest finished auction's result (what "Run the winner" runs by default). */
  get result(): AuctionResult | undefined {
    return this.deps.sessions.latestFinished()?.result;
  }

  /** Starts an auction for the task; a running one is cancelled first. Resolves with the result when it ends. */
  async start(task: PanelTask, context: AuctionContext = {}): Promise<AuctionResult | undefined> {
    // Claim the slot at once (before any await), so two starts in quick succession never both run: the newer
    // one cancels the older and waits for it to wind down.
    const previous = this.running;
    const auctionId = newId('auction', Date.now());
    const abort = new AbortController();
    let release: () => void = () => undefined;
    const slot = { id: auctionId, abort, done: new Promise<AuctionResult | undefined>((r) => (release = () => r(undefined))) };
    this.running = slot;
    const session = this.deps.sessions.start(auctionId, task, context);
    abort.signal.addEventListener('abort', () => session.cancel(), { once: true });
    previous?.abort.abort();
    await previous?.done.catch(() => undefined);
    if (abort.signal.aborted) {
      release();
      return undefined;
    }
    const done = Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE auction'), cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          return this.run(session, abort.signal, (message) => progress.report({ message }));
        },
      ),
    );
    slot.done = done;
    try {
      return await done;
    } finally {
      release();
      if (this.running === slot) this.running = undefined;
    }
  }

  cancel(): void {
    this.running?.abort.abort();
  }

  /**
   * Shows the pool as it is now in the panel's pool strip: at start and whenever `sale.models` or VS Code's models
   * change, not only when an auction starts. An auction in flight keeps the pool it started with.
   */
  async showPool(): Promise<void> {
    if (this.running || !this.deps.pool.preview) return;
    // Changes come in bursts (a refusal forgotten, then made again): only the newest read may land.
    const read = ++this.poolReads;
    try {
      const members = await this.deps.pool.preview();
      if (!this.running && read === this.poolReads) this.deps.panel.setPool(members);
    } catch (e) {
      this.deps.log.warn(`The pool strip could not be refreshed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async run(session: AuctionSession, signal: AbortSignal, report: (m: string) => void): Promise<AuctionResult | undefined> {
    const auctionId = session.id;
    this.deps.panel.startAuction(auctionId, session.task.text, new Date().toISOString());
    try {
      const result = await this.runStarted(session, signal, report);
      if (!result) session.fail();
      return result;
    } catch (e) {
      session.fail();
      // Reading the pool or the ledger failed before the engine ran: the panel must not stay "running".
      this.deps.log.error(e instanceof Error ? e : String(e));
      this.deps.panel.failAuction(auctionId, e instanceof SaleError ? e.code : 'error', e instanceof Error ? e.message : String(e));
      this.deps.panel.setNotice(noticeForError(e));
      return undefined;
    }
  }

  private async runStarted(session: AuctionSession, signal: AbortSignal, report: (m: string) => void): Promise<AuctionResult | undefined> {
    const { panel, pool, log } = this.deps;
    const { id: auctionId, task, context } = session;
    await pool.refresh();
    const members = pool.members();
    panel.setPool(members);
    const gate = await this.deps.budgetGate?.();
    if (gate?.block) {
      panel.failAuction(auctionId, 'budget', gate.block);
      panel.setNotice({ severity: 'error', message: gate.block, actions: [{ label: vscode.l10n.t('Open Settings'), command: 'openSettings' }] });
      return undefined;
    }
    if (gate?.warn) void vscode.window.showWarningMessage(gate.warn);
    const ids = members.map((m) => m.id);
    if (ids.length === 0) {
      // Said once, in the notice with its buttons; the auction that never started leaves no second copy behind.
      panel.clearAuction(auctionId);
      panel.setNotice(emptyPoolNotice());
      return undefined;
    }
    report(vscode.l10n.t('Checking what the models support…'));
    await pool.ensureProbed(ids, signal);
    panel.setPool(pool.members());
    const settings = this.deps.settings();
    // The overhead cap's execution estimate is the engine's: the median expected work of the bids once they are in.
    const request: AuctionRequest = { ...settings, auctionId, task: task.text, context, pool: ids, budget: withDayCap(settings.budget, gate?.dayLeftUsd) };
    void this.deps.journal?.record({
      type: 'auction-started',
      auctionId,
      task: task.text,
      pool: ids.flatMap((id) => {
        const spec = pool.client(id)?.spec;
        return spec ? [{ modelId: id, model: spec.model, ...(spec.price ? { price: spec.price } : {}) }] : [];
      }),
    });
    let received = 0;
    try {
      const result = await runAuction(
        request,
        {
          clients: (id) => pool.client(id),
          capabilities: (id) => pool.capabilities(id),
          ...(this.deps.memory ? { memory: this.deps.memory } : {}),
          ...(this.deps.executionHistory ? { executionHistory: this.deps.executionHistory } : {}),
          ...(this.deps.trackRecord ? { trackRecord: this.deps.trackRecord } : {}),
          calls: this.deps.calls,
          now: () => Date.now(),
          logger: log,
          onEvent: (e) => {
            panel.applyAuctionEvent(e);
            if (e.type === 'bid-received') report(vscode.l10n.t('{0} of {1} bids received', ++received, ids.length));
            else if (e.type === 'refinement-started') report(vscode.l10n.t('Cheaper models are refining their bids…'));
            else if (e.type === 'final-winner') report(vscode.l10n.t('Winner: {0}', e.modelId));
          },
        },
        signal,
      );
      // An auction cancelled (by the user or a newer one) keeps its result but is not what "Run the winner" runs.
      if (signal.aborted) session.cancel();
      session.finish(result);
      log.info(`auction ${auctionId} ${result.status}: winner ${result.winner?.modelId ?? 'none'}, $${result.cost.total.usd.toFixed(6)}`);
      await this.deps.journal?.record({ type: 'auction-recorded', result, contextFiles: contextFiles(context) });
      return result;
    } catch (e) {
      if (e instanceof NoBidsError) {
        session.finish(e.result);
        await this.deps.journal?.record({ type: 'auction-recorded', result: e.result, contextFiles: contextFiles(context), noBids: true });
      }
      if (isCancellation(e)) return undefined;
      log.error(e instanceof Error ? e : String(e));
      panel.failAuction(auctionId, e instanceof SaleError ? e.code : 'error', e instanceof Error ? e.message : String(e));
      panel.setNotice(noticeForError(e));
      return undefined;
    }
  }

  dispose(): void {
    this.running?.abort.abort();
  }
}

/** The workspace files an auction was given as context (for the memory's record of it). */
function contextFiles(context: AuctionContext): string[] {
  return [...new Set([...(context.files ?? []).map((f) => f.path), ...(context.selection ? [context.selection.file] : [])])];
}
