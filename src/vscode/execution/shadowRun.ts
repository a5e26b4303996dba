import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { runAgent } from '../../common/agent/loop';
import type { CommandApprover } from '../../common/agent/ports';
import { systemClock } from '../../common/agent/ports';
import { renderContext } from '../../common/auction/prompts';
import type { Journal, JournalFact } from '../../common/journal/journal';
import type { PoolModel, ShadowResult } from '../../common/ledger/entry';
import { decideShadowRun, type ShadowPlan } from '../../common/ledger/shadowPlan';
import type { CallSink } from '../../common/ledger/types';
import type { Logger } from '../../common/log';
import { reviewLabel } from '../../common/protocol/outcomes';
import type { AuctionSessions } from '../../common/session/auctionSession';
import { createShadowWorktree, writeProposals } from '../../node/agent/shadowWorktree';
import type { Config } from '../config';
import type { ModelPoolService } from '../providers/modelPool';
import type { AgentHost } from './agentHost';

export const CANCEL_SHADOW_RUN_COMMAND = 'sale.cancelShadowRun';
const TEST_TIMEOUT_MS = 10 * 60_000;
const TEST_MAX_OUTPUT_BYTES = 200_000;

/** The shadow agent runs no command: it works unattended, so nothing may ask the user or run behind their back. */
const refuseCommands: CommandApprover = { trusted: false, approve: () => Promise.resolve('deny') };

/** What shadow runs use: the sessions and journal, the pool, the ledger's sink, the settings and the agent host. */
export interface ShadowRunDeps {
  sessions: Pick<AuctionSessions, 'get'>;
  journal: Pick<Journal, 'record' | 'onRecorded'>;
  pool: Pick<ModelPoolService, 'snapshot' | 'clientFor' | 'capabilities'>;
  /** The ledger's sink; a shadow run's calls go there under the `shadow` phase. */
  calls: CallSink;
  config: Pick<Config, 'get'>;
  host: Pick<AgentHost, 'folder' | 'trusted' | 'detachedWorkspace' | 'shell' | 'testCommand'>;
  log: Logger;
}

/**
 * Shadow runs (opt-in, sampled, budgeted; `sale.shadowRuns.*`): after the user accepts the work of a bid that is
 * not the auction's reference model's, the reference also does the task in a throw-away git worktree outside the
 * user's tree, and the test command runs there. Its calls go to the ledger under the `shadow` phase, its result
 * as a `shadow-ran` fact: a passing run turns that auction's estimated saving into a measured one.
 *
 * One run at a time, in the background: a status bar item shows it and cancels it; failures are logged, never
 * shown as a modal. The only dialog is the one-time confirmation of the test command.
 */
export class ShadowRunner implements vscode.Disposable {
  /** The pool recorded with each auction of this window (from its `auction-started` fact). */
  private readonly pools = new Map<string, PoolModel[]>();
  /** Test commands the user allowed for shadow runs in this window (asked once per command). */
  private readonly approved = new Set<string>();
  private readonly skipped = new Set<string>();
  private running: AbortController | undefined;
  /** Reviews being decided on (between the accepted review and the run's start, or its skip). */
  private starting = 0;
  private readonly status: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly s: ShadowRunDeps,
    private readonly draw: () => number = Math.random,
  ) {
    this.status = vscode.window.createStatusBarItem('sale.shadowRun', vscode.StatusBarAlignment.Left, 0);
    this.status.name = vscode.l10n.t('SALE shadow run');
    this.status.command = CANCEL_SHADOW_RUN_COMMAND;
    this.subscriptions.push(
      this.status,
      vscode.commands.registerCommand(CANCEL_SHADOW_RUN_COMMAND, () => this.cancel()),
      s.journal.onRecorded((fact) => this.onFact(fact)),
    );
  }

  cancel(): void {
    this.running?.abort();
  }

  /** The user's "Run shadow tests" for this command, given ahead of the dialog (see `SaleApi.approveShadowTests`). */
  approveTests(command: string): void {
    this.skipped.delete(command);
    this.approved.add(command);
  }

  /** Resolves when no shadow run is going on (now, or once the current one has recorded its result). */
  async idle(): Promise<void> {
    while (this.running || this.starting > 0) await new Promise((r) => setTimeout(r, 50));
  }

  dispose(): void {
    this.cancel();
    for (const d of this.subscriptions) d.dispose();
  }

  private onFact(fact: JournalFact): void {
    if (fact.type === 'auction-started') this.pools.set(fact.auctionId, fact.pool);
    if (fact.type !== 'reviewed') return;
    const label = reviewLabel(fact.files);
    if (label !== 'accepted' && label !== 'partially-accepted') return;
    this.starting += 1;
    void this.maybeRun(fact.auctionId, fact.bidId, fact.modelId)
      .catch((e: unknown) => this.s.log.error(`shadow run of ${fact.auctionId} failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (this.starting -= 1));
  }

  /** Decides, asks for the test command once, then runs; resolves with the recorded result (undefined when none ran). */
  async maybeRun(auctionId: string, bidId: string, acceptedModelId: string): Promise<ShadowResult | undefined> {
    const log = this.s.log.topic('shadow');
    const share = this.s.config.get('shadowRuns.share');
    if (!(share > 0) || this.running) return undefined;
    const session = this.s.sessions.get(auctionId);
    const result = session?.result;
    if (!session || !result) return undefined;
    const snapshot = await this.s.pool.snapshot();
    const decision = decideShadowRun({
      pool: this.pools.get(auctionId),
      acceptedModelId,
      acceptedBid: session.bid(bidId),
      bids: result.bids,
      share,
      draw: this.draw(),
      runnable: (id) => snapshot.models.some((m) => m.id === id && m.enabled),
    });
    if ('skip' in decision) {
      log.info(`no shadow run for ${auctionId}: ${decision.skip}`);
      return undefined;
    }
    const folder = this.s.host.folder();
    if (!folder || !this.s.host.trusted) {
      log.info(`no shadow run for ${auctionId}: ${folder ? 'the workspace is not trusted' : 'no folder'}`);
      return undefined;
    }
    const chosen = await this.s.host.testCommand(folder);
    if (!chosen) {
      log.info(`no shadow run for ${auctionId}: no test command, so the run could measure nothing`);
      return undefined;
    }
    if (!(await this.testsAllowed(chosen.command, folder))) return undefined;
    return this.run(auctionId, decision.run, chosen.command, folder, renderContext(session.context), result.task);
  }

  /** The user's once-per-command consent to run the test command in shadow worktrees. */
  private async testsAllowed(command: string, folder: string): Promise<boolean> {
    if (this.approved.has(command)) return true;
    if (this.skipped.has(command)) return false;
    const run = vscode.l10n.t('Run shadow tests');
    const skip = vscode.l10n.t('Skip');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Measure this saving with a shadow run?'),
      {
        modal: true,
        detail: vscode.l10n.t(
          "The auction's reference model will do the same task in a throw-away copy of {0} (outside your folder), then SALE runs:\n\n{1}\n\nthere. It costs real money (sale.shadowRuns.maxDollarsPerRun). Asked once per test command in this window.",
          folder,
          command,
        ),
      },
      run,
      skip,
    );
    (choice === run ? this.approved : this.skipped).add(command);
    return choice === run;
  }

  private async run(auctionId: string, plan: ShadowPlan, command: string, folder: string, context: string, task: string): Promise<ShadowResult> {
    const log = this.s.log.topic('shadow');
    const abort = new AbortController();
    this.running = abort;
    const modelId = plan.reference.modelId;
    this.status.text = `$(sync~spin) ${vscode.l10n.t('SALE shadow run: {0}', modelId)}`;
    this.status.tooltip = vscode.l10n.t('Measuring the saving of this auction with {0} in a throw-away worktree. Click to cancel.', modelId);
    this.status.show();
    let outcome: ShadowResult = 'error';
    const shadow = await createShadowWorktree(folder, path.join(os.tmpdir(), 'sale-shadow')).catch((e: unknown) => {
      log.warn(`shadow worktree for ${auctionId} not created: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    try {
      if (!shadow) return outcome;
      const spec = (await this.s.pool.snapshot()).models.find((m) => m.id === modelId && m.enabled);
      if (!spec) return outcome;
      const sink = this.s.calls;
      const calls: CallSink = { record: (c) => sink.record({ ...c, phase: 'shadow' }) };
      const ws = await this.s.host.detachedWorkspace(shadow.folder);
      const agent = await runAgent({
        task,
        plan: plan.plan.planText,
        context,
        client: this.s.pool.clientFor(spec),
        nativeTools: this.s.pool.capabilities.peek(spec)?.tools ?? spec.provider !== 'openai-compatible',
        workspace: ws,
        shell: this.s.host.shell(ws.root),
        approver: refuseCommands,
        clock: systemClock,
        calls,
        auctionId,
        limits: { maxSteps: this.s.config.get('agent.maxSteps'), maxTotalTokens: this.s.config.get('agent.maxTokens'), maxDollars: this.s.config.get('shadowRuns.maxDollarsPerRun') },
        signal: abort.signal,
        logger: this.s.log,
      });
      log.info(`shadow run of ${auctionId} by ${modelId}: ${agent.outcome.status}, ${agent.changeSet.files().length} file(s), ${agent.dollars === undefined ? 'cost unknown' : `$${agent.dollars.toFixed(6)}`}`);
      if (agent.outcome.status === 'cancelled' || abort.signal.aborted) return (outcome = 'cancelled');
      if (agent.outcome.status !== 'finished') return (outcome = 'failed');
      await writeProposals(shadow.folder, agent.changeSet.files());
      const tests = await this.s.host.shell(ws.root).run({ command, cwd: '.', timeoutMs: TEST_TIMEOUT_MS, maxOutputBytes: TEST_MAX_OUTPUT_BYTES, signal: abort.signal });
      if (abort.signal.aborted) return (outcome = 'cancelled');
      outcome = tests.exitCode === 0 && !tests.timedOut ? 'passed' : 'failed';
      log.info(`shadow tests of ${auctionId}: ${command} → ${outcome}`);
      return outcome;
    } catch (e) {
      log.warn(`shadow run of ${auctionId} stopped: ${e instanceof Error ? e.message : String(e)}`);
      return outcome;
    } finally {
      await shadow?.dispose();
      this.running = undefined;
      this.status.hide();
      await this.s.journal.record({ type: 'shadow-ran', auctionId, modelId, result: outcome });
    }
  }
}

/** Registers the shadow runner (it listens to the journal; idle while `sale.shadowRuns.share` is 0). */
export function registerShadowRuns(s: ShadowRunDeps): { runner: ShadowRunner; disposables: vscode.Disposable[] } {
  const runner = new ShadowRunner(s);
  return { runner, disposables: [runner] };
}
