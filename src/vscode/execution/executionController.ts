import path from 'node:path';
import * as vscode from 'vscode';
import { ChangeSet } from '../../common/agent/changeSet';
import { runAgent } from '../../common/agent/loop';
import { systemClock } from '../../common/agent/ports';
import { renderContext } from '../../common/auction/prompts';
import type { Disposable } from '../../common/lifecycle';
import { applyAgentEvent, emptyExecutionView } from '../../common/panel/executionView';
import type { ExecutionView } from '../../common/protocol/executionView';
import { newId } from '../../common/taskText';
import { FsWorkspace } from '../../node/agent/fsWorkspace';
import { NodeShell } from '../../node/agent/shell';
import type { Services } from '../services';
import { ModalCommandApprover } from './approver';
import { EditorAwareWorkspace } from './editorWorkspace';
import { ProposedDocuments } from './proposedDocuments';
import { ReviewSession } from './reviewSession';

/** Something the user must fix before a run can start; shown as an error message. */
class CannotRunError extends Error {}

/**
 * Runs the winning bid (or another bid of the last auction) as an agent over the first workspace folder, with a
 * cancellable progress notification, streaming its steps into the panel; then hands the staged edits to a
 * ReviewSession (per-file and per-hunk decisions, diff, apply with a checkpoint, undo). One run at a time.
 */
export class ExecutionController implements Disposable {
  private running: { runId: string; abort: AbortController } | undefined;
  private session: ReviewSession | undefined;
  private readonly alwaysApproved = new Set<string>();
  readonly proposed: ProposedDocuments;

  constructor(private readonly s: Services) {
    this.proposed = new ProposedDocuments((runId, p) => (this.session?.runId === runId ? this.session.proposedText(p) : undefined));
  }

  get view(): ExecutionView | null {
    return this.s.panelModel.state.execution;
  }

  get review(): ReviewSession | undefined {
    return this.session;
  }

  get checkpointsDir(): string {
    return path.join((this.s.context.storageUri ?? this.s.context.globalStorageUri).fsPath, 'checkpoints');
  }

  /** Runs a bid of the last auction (its winner by default); resolves with the view when the agent stops. */
  async run(bidId?: string): Promise<ExecutionView | undefined> {
    try {
      return await this.runChecked(bidId);
    } catch (e) {
      if (!(e instanceof CannotRunError)) throw e;
      const openSettings = vscode.l10n.t('Open Settings');
      void vscode.window.showErrorMessage(e.message, openSettings).then((c) => (c === openSettings ? vscode.commands.executeCommand('workbench.action.openSettings', 'sale.models') : undefined));
      return undefined;
    }
  }

  private async runChecked(bidId?: string): Promise<ExecutionView | undefined> {
    const { s } = this;
    const result = s.auctions.result;
    const id = bidId ?? result?.winner?.bidId;
    const bid = result?.bids.find((b) => b.id === id);
    if (!result || !bid) throw new CannotRunError(vscode.l10n.t('There is no auction winner to run. Run "SALE: Auction this task" first.'));
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (!folder) throw new CannotRunError(vscode.l10n.t('Open a folder first: the agent works inside a workspace folder.'));
    const spec = (await s.pool.snapshot()).models.find((m) => m.id === bid.modelId && m.enabled);
    if (!spec) throw new CannotRunError(vscode.l10n.t('{0} is no longer in the model pool; add it back in the "sale.models" setting or run another bid.', bid.modelId));
    if (this.running) {
      this.running.abort.abort();
      this.s.log.info('A new run replaces the running one');
    }
    this.session?.dispose();
    this.session = undefined;

    const runId = newId('run', Date.now());
    const abort = new AbortController();
    this.running = { runId, abort };
    const log = s.log.topic('agent');
    let view = emptyExecutionView({ runId, auctionId: result.auctionId, bidId: bid.id, modelId: bid.modelId, startedAt: new Date().toISOString() });
    s.panelModel.setExecution(view);
    const ws = new EditorAwareWorkspace(await FsWorkspace.open(folder.uri.fsPath));
    const maxDollars = s.config.get('agent.maxDollars');
    const changeSet = new ChangeSet();
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: {0} is working', bid.modelId), cancellable: true },
        (progress, token) => {
          const sub = token.onCancellationRequested(() => abort.abort());
          return runAgent({
            task: result.task,
            plan: bid.planText,
            context: s.lastContext ? renderContext(s.lastContext) : undefined,
            client: s.pool.clientFor(spec),
            nativeTools: s.pool.capabilities.peek(spec)?.tools ?? spec.provider !== 'openai-compatible',
            workspace: ws,
            shell: new NodeShell({ root: ws.root }),
            approver: new ModalCommandApprover(this.alwaysApproved),
            clock: systemClock,
            calls: s.ledger.sink,
            auctionId: result.auctionId,
            limits: { maxSteps: s.config.get('agent.maxSteps'), maxTotalTokens: s.config.get('agent.maxTokens'), ...(typeof maxDollars === 'number' ? { maxDollars } : {}) },
            changeSet,
            signal: abort.signal,
            logger: s.log,
            onEvent: (e) => {
              if (this.running?.runId !== runId) return;
              view = applyAgentEvent(view, e);
              s.panelModel.setExecution(view);
              if (e.type === 'stepStarted') progress.report({ message: vscode.l10n.t('step {0}', e.step) });
              if (e.type === 'toolCall') log.info(`${runId} step ${e.step}: ${e.name}`);
            },
          }).finally(() => {
            sub.dispose();
          });
        },
      );
      log.info(`${runId} ${outcome.outcome.status} after ${outcome.steps} step(s), ${outcome.totalTokens} tokens, ${outcome.dollars === undefined ? 'cost unknown' : `$${outcome.dollars.toFixed(6)}`}`);
      s.ledger.recordFact({ auctionId: result.auctionId, executedBy: bid.modelId, ...(outcome.outcome.status === 'cancelled' ? { outcome: 'cancelled' } : outcome.outcome.status === 'failed' && changeSet.files().length === 0 ? { outcome: 'failed' } : {}) });
      await this.recordOutcome(result.auctionId, {
        type: 'execution-cost',
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        ...(outcome.dollars !== undefined ? { dollars: outcome.dollars } : {}),
      });
    } finally {
      if (this.running?.runId === runId) this.running = undefined;
    }
    if (this.s.panelModel.state.execution?.runId !== runId) return this.view ?? undefined;
    this.session = new ReviewSession({ s, runId, auctionId: result.auctionId, modelId: bid.modelId, bidId: bid.id, ws, changeSet, proposed: this.proposed, checkpointsDir: this.checkpointsDir, recordOutcome: (a, f) => this.recordOutcome(a, f) });
    this.session.publish();
    if (view.status === 'failed' && view.error) {
      const showLogs = vscode.l10n.t('Show Logs');
      void vscode.window.showErrorMessage(vscode.l10n.t('The agent stopped with an error: {0}', view.error.message), showLogs).then((c) => (c === showLogs ? s.channel.show() : undefined));
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

  /** Records an outcome in the auction memory; a failure is logged, never lost silently, never fatal. */
  async recordOutcome(auctionId: string, fact: Parameters<Services['memory']['recordOutcome']>[1]): Promise<void> {
    try {
      await this.s.memory.recordOutcome(auctionId, fact);
    } catch (e) {
      this.s.log.error(`Could not record the ${fact.type} outcome of ${auctionId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    this.running?.abort.abort();
    this.session?.dispose();
    this.proposed.dispose();
  }
}
