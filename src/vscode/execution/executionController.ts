import * as vscode from 'vscode';
import { ChangeSet } from '../../common/agent/changeSet';
import { runAgent } from '../../common/agent/loop';
import { systemClock } from '../../common/agent/ports';
import { renderContext } from '../../common/auction/prompts';
import { SaleError } from '../../common/errors';
import type { Disposable } from '../../common/lifecycle';
import { boundText, PRIOR_ATTEMPT_BOUNDS, type PriorAttempt } from '../../common/agent/prompt';
import { applyAgentEvent, emptyExecutionView, reviewFiles } from '../../common/panel/executionView';
import { attemptDiff } from '../../common/session/escalation';
import type { ExecutionView } from '../../common/protocol/executionView';
import { newId } from '../../common/taskText';
import type { AuctionResult } from '../../common/auction';
import type { Journal } from '../../common/journal/journal';
import type { LedgerLine } from '../../common/ledger/entry';
import { runBudgetOf, type RunBudget } from '../../common/ledger/taskBudget';
import type { CallSink } from '../../common/ledger/types';
import type { Logger } from '../../common/log';
import type { AuctionSessions, RunTarget } from '../../common/session/auctionSession';
import type { Config } from '../config';
import type { PanelModel } from '../panel/panelModel';
import type { ModelPoolService } from '../providers/modelPool';
import type { AgentHost } from './agentHost';
import { ProposedDocuments } from './proposedDocuments';
import { ReviewSession } from './reviewSession';

/** A run that escalates from a failed one: the bid it follows and what its agent learns from that failure. */
export interface EscalationRun {
  escalatedFrom: string;
  priorAttempt: PriorAttempt;
}

/** Something the user must fix before a run can start: the command shows it with the settings to open, the panel beside the button. */
export class CannotRunError extends SaleError {
  readonly code = 'cannot-run';
  constructor(
    message: string,
    readonly settings = 'sale.models',
  ) {
    super(message, { nextStep: { kind: 'openSettings', setting: settings } });
  }
}

/** What the execution controller uses: narrow ports, not the whole service bag. */
export interface ExecutionDeps {
  sessions: AuctionSessions;
  journal: Pick<Journal, 'record'>;
  pool: Pick<ModelPoolService, 'snapshot' | 'clientFor' | 'capabilities'>;
  calls: CallSink;
  /** The ledger's lines, for the task budget: what the task (auction, runs, escalations) has spent so far. */
  ledger: { readAll(): Promise<readonly LedgerLine[]> };
  config: Pick<Config, 'get'>;
  panel: Pick<PanelModel, 'state' | 'setExecution'>;
  /** The window the agent works in: its folder, files, shell and the approval of commands. */
  host: Pick<AgentHost, 'folder' | 'userWorkspace' | 'shell' | 'approver'>;
  log: Logger;
  showLogs(): void;
  /** Where checkpoints of files outside git go. */
  checkpointsDir: string;
}

/**
 * Runs a bid of an auction session (the newest finished auction's winner by default) as an agent over the first
 * workspace folder, with the task and context of that same session, a cancellable progress notification, and
 * its steps streamed into the panel; then hands the staged edits to a ReviewSession (per-file and per-hunk
 * decisions, diff, apply with a checkpoint, undo). One run at a time.
 */
export class ExecutionController implements Disposable {
  private running: { runId: string; abort: AbortController } | undefined;
  private session: ReviewSession | undefined;
  readonly proposed: ProposedDocuments;

  constructor(private readonly deps: ExecutionDeps) {
    this.proposed = new ProposedDocuments((runId, p) => (this.session?.runId === runId ? this.session.proposedText(p) : undefined));
  }

  get view(): ExecutionView | null {
    return this.deps.panel.state.execution;
  }

  get review(): ReviewSession | undefined {
    return this.session;
  }

  get checkpointsDir(): string {
    return this.deps.checkpointsDir;
  }

  get journal(): Pick<Journal, 'record'> {
    return this.deps.journal;
  }

  /**
   * Runs a bid of an auction (the newest finished one, its winner by default); resolves with the view when the agent
   * stops. A run that cannot start is shown as an error message with the settings to open.
   */
  async run(target: RunTarget = {}, escalation?: EscalationRun): Promise<ExecutionView | undefined> {
    try {
      return await this.start(target, escalation);
    } catch (e) {
      if (!(e instanceof CannotRunError)) throw e;
      const openSettings = vscode.l10n.t('Open Settings');
      void vscode.window.showErrorMessage(e.message, openSettings).then((c) => (c === openSettings ? vscode.commands.executeCommand('workbench.action.openSettings', e.settings) : undefined));
      return undefined;
    }
  }

  /**
   * The one task-budget rule for a run of a bid (`runBudgetOf`): whether it fits what the task has left, and the
   * agent's dollar cap. Every run checks it here; automatic escalation asks first so it never announces a refused run.
   */
  async runBudget(auctionId: string, bidId: string, ranking: readonly { bidId: string; expectedExecutionUsd?: number }[]): Promise<RunBudget> {
    const { deps } = this;
    return runBudgetOf({
      lines: await deps.ledger.readAll(),
      auctionId,
      bidId,
      limitUsd: deps.config.get('budget.perTask'),
      agentMaxDollars: deps.config.get('agent.maxDollars'),
      ranking,
      // The daily budget binds runs too: a run is capped by what today has left, in local time like the status bar.
      day: { limitUsd: deps.config.get('budget.perDay'), now: new Date(), utcOffsetMinutes: -new Date().getTimezoneOffset() },
    });
  }

  /** As `run`, but a run that cannot start throws a `CannotRunError` (its message says what to fix): the panel shows it. */
  async start(target: RunTarget = {}, escalation?: EscalationRun): Promise<ExecutionView | undefined> {
    const { deps } = this;
    // Right after a reload the earlier window's sessions may still be on their way in from the session log.
    await deps.sessions.whenRestored();
    const resolved = deps.sessions.resolveRun(target);
    if ('refused' in resolved) {
      throw new CannotRunError(
        resolved.refused === 'no-auction' && target.auctionId !== undefined
          ? vscode.l10n.t('That auction is no longer open in this window. Run "SALE: Auction this task" again.')
          : vscode.l10n.t('There is no auction winner to run. Run "SALE: Auction this task" first.'),
      );
    }
    const { session: auction, bid } = resolved;
    const result = auction.result as AuctionResult;
    // One task budget: this run (winner, other bid or escalation) must fit what the task has left, and is capped by it.
    const budget = await this.runBudget(auction.id, bid.id, result.ranking);
    if (!budget.ok) throw new CannotRunError(budget.reason, budget.setting);
    const folder = deps.host.folder();
    if (!folder) throw new CannotRunError(vscode.l10n.t('Open a folder first: the agent works inside a workspace folder.'));
    const spec = (await deps.pool.snapshot()).models.find((m) => m.id === bid.modelId && m.enabled);
    if (!spec) throw new CannotRunError(vscode.l10n.t('{0} is no longer in the model pool; add it back in the "sale.models" setting or run another bid.', bid.modelId));
    if (this.running) {
      this.running.abort.abort();
      deps.log.info('A new run replaces the running one');
    }
    this.session?.dispose();
    this.session = undefined;

    const runId = newId('run', Date.now());
    const abort = new AbortController();
    this.running = { runId, abort };
    const run = auction.startRun(runId, bid, escalation?.escalatedFrom);
    const log = deps.log.topic('agent');
    let view = emptyExecutionView({ runId, auctionId: auction.id, bidId: bid.id, modelId: bid.modelId, startedAt: new Date().toISOString(), attempt: run.attempt, escalatedFrom: escalation?.escalatedFrom ?? null });
    const changeSet = new ChangeSet();
    let ws: Awaited<ReturnType<typeof deps.host.userWorkspace>>;
    try {
      // Inside the try: a workspace that cannot be opened (or a journal that throws) ends the run as failed and
      // frees the controller for the next one, instead of leaving it "running".
      await deps.journal.record({ type: 'run-started', auctionId: auction.id, bidId: bid.id, modelId: bid.modelId, runId, attempt: run.attempt, ...(run.escalatedFrom !== undefined ? { escalatedFrom: run.escalatedFrom } : {}) });
      deps.panel.setExecution(view);
      ws = await deps.host.userWorkspace(folder);
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: {0} is working', bid.modelId), cancellable: true },
        (progress, token) => {
          const sub = token.onCancellationRequested(() => abort.abort());
          return runAgent({
            task: result.task,
            plan: bid.planText,
            // The context this auction was run with: its own session's, never another auction's.
            context: renderContext(auction.context),
            client: deps.pool.clientFor(spec),
            nativeTools: deps.pool.capabilities.peek(spec)?.tools ?? spec.provider !== 'openai-compatible',
            workspace: ws,
            shell: deps.host.shell(ws.root),
            approver: deps.host.approver,
            clock: systemClock,
            calls: deps.calls,
            auctionId: auction.id,
            limits: { maxSteps: deps.config.get('agent.maxSteps'), maxTotalTokens: deps.config.get('agent.maxTokens'), ...(budget.maxDollars === undefined ? {} : { maxDollars: budget.maxDollars }) },
            changeSet,
            ...(escalation ? { priorAttempt: escalation.priorAttempt } : {}),
            signal: abort.signal,
            logger: deps.log,
            onEvent: (e) => {
              if (this.running?.runId !== runId) return;
              view = applyAgentEvent(view, e);
              deps.panel.setExecution(view);
              if (e.type === 'stepStarted') progress.report({ message: vscode.l10n.t('step {0}', e.step) });
              if (e.type === 'toolCall') log.info(`${runId} step ${e.step}: ${e.name}`);
            },
          }).finally(() => {
            sub.dispose();
          });
        },
      );
      log.info(`${runId} ${outcome.outcome.status} after ${outcome.steps} step(s), ${outcome.totalTokens} tokens, ${outcome.dollars === undefined ? 'cost unknown' : `$${outcome.dollars.toFixed(6)}`}`);
      run.status = outcome.outcome.status;
      // What a later attempt learns from if this one fails (bounded here: the session keeps it in memory).
      run.evidence = { summary: outcome.outcome.status === 'finished' ? outcome.outcome.summary : undefined, diff: boundText(attemptDiff(reviewFiles(changeSet.files())), PRIOR_ATTEMPT_BOUNDS.diff, 'head') };
      await deps.journal.record({
        type: 'bid-executed',
        auctionId: auction.id,
        bidId: bid.id,
        modelId: bid.modelId,
        status: outcome.outcome.status,
        staged: changeSet.files().length,
        usage: { inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens },
        ...(outcome.dollars !== undefined ? { dollars: outcome.dollars } : {}),
        attempt: run.attempt,
        ...(run.escalatedFrom !== undefined ? { escalatedFrom: run.escalatedFrom } : {}),
      });
    } finally {
      if (this.running?.runId === runId) this.running = undefined;
      if (run.status === 'running') run.status = 'failed';
    }
    if (deps.panel.state.execution?.runId !== runId) return this.view ?? undefined;
    this.session = new ReviewSession({ panel: deps.panel, journal: deps.journal, log: deps.log, run, auctionId: auction.id, ws, changeSet, proposed: this.proposed, checkpointsDir: deps.checkpointsDir });
    this.session.publish();
    if (view.status === 'failed' && view.error) {
      const showLogs = vscode.l10n.t('Show Logs');
      void vscode.window.showErrorMessage(vscode.l10n.t('The agent stopped with an error: {0}', view.error.message), showLogs).then((c) => (c === showLogs ? deps.showLogs() : undefined));
    } else if (view.status === 'limit') {
      const openSettings = vscode.l10n.t('Open Settings');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('The agent stopped at its {0} limit. Review what it staged, or raise the limit in the sale.agent settings and run it again.', view.limit ?? ''), openSettings)
        .then((c) => (c === openSettings ? vscode.commands.executeCommand('workbench.action.openSettings', 'sale.agent') : undefined));
    }
    return this.view ?? undefined;
  }

  cancel(): void {
    this.running?.abort.abort();
  }

  dispose(): void {
    this.running?.abort.abort();
    this.session?.dispose();
    this.proposed.dispose();
  }
}
