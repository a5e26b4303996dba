import * as vscode from 'vscode';
import type { PriorAttempt } from '../../common/agent/prompt';
import { SaleError } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { ExecutionView } from '../../common/protocol/executionView';
import type { AuctionSession, AuctionSessions, BidRun } from '../../common/session/auctionSession';
import { chooseNextBid, runFailure, type NextBidChoice, type RunFailure } from '../../common/session/escalation';
import type { Config } from '../config';
import type { PanelModel } from '../panel/panelModel';
import type { ModelPoolService } from '../providers/modelPool';
import type { ExecutionController } from './executionController';

export const TRY_NEXT_BID_COMMAND = 'sale.tryNextBid';
/** Context key: the panel's run failed and a next bid is there to try (the command's `when` clause). */
const CAN_TRY_CONTEXT = 'sale.canTryNextBid';

/** What escalation uses besides the execution controller. */
export interface EscalationDeps {
  sessions: AuctionSessions;
  panel: Pick<PanelModel, 'state' | 'setExecution'>;
  config: Pick<Config, 'get'>;
  pool: Pick<ModelPoolService, 'snapshot'>;
  log: Logger;
}

/** Escalation asked from the panel cannot go on (no failed run, every bid tried): the message says why. */
export class EscalationRefusedError extends SaleError {
  readonly code = 'escalation-refused';
}

const failureWords = (f: RunFailure): string => {
  switch (f) {
    case 'rejected':
      return vscode.l10n.t('This attempt was rejected.');
    case 'tests-failed':
      return vscode.l10n.t('The tests failed after this attempt.');
    case 'undone':
      return vscode.l10n.t('This attempt was undone.');
    case 'run-failed':
      return vscode.l10n.t('This attempt failed.');
  }
};

const choiceWords = (c: NextBidChoice): string =>
  c.because === 'new-model'
    ? vscode.l10n.t('Next: the bid of {0}, ranked #{1}, a model not tried yet for this task.', c.bid.modelId, c.breakdown.rank)
    : vscode.l10n.t('Next: another bid of {0}, ranked #{1} (every other model\'s bid was tried or is ineligible).', c.bid.modelId, c.breakdown.rank);

/**
 * Escalation on failure (beyond the paper): when a run's work is rejected, undone, fails its tests or the run itself
 * fails, the panel offers the next-ranked eligible bid of the same auction not tried yet ("Try the Next Bid"), whose
 * agent is told about the failed attempt. With `sale.escalation.maxAttempts` above 1, failed tests escalate by
 * themselves within the task budget; a rejection is the user's decision and only ever offers the button.
 */
export class Escalation {
  constructor(
    private readonly deps: EscalationDeps,
    private readonly controller: Pick<ExecutionController, 'run' | 'start' | 'runBudget'>,
  ) {}

  /** The panel's run, its session, and whether its work failed. */
  private current(auctionId?: string): { session: AuctionSession; run: BidRun; view: ExecutionView } | undefined {
    const view = this.deps.panel.state.execution;
    const session = this.deps.sessions.get(auctionId ?? view?.auctionId ?? undefined);
    if (!view || !session) return undefined;
    const run = view.auctionId === session.id ? session.run(view.runId) : session.runs.at(-1);
    return run ? { session, run, view } : undefined;
  }

  private async choose(session: AuctionSession, maxAttempts?: number): Promise<ReturnType<typeof chooseNextBid>> {
    const enabled = new Set((await this.deps.pool.snapshot()).models.filter((m) => m.enabled).map((m) => m.id));
    return chooseNextBid(session, { available: (id) => enabled.has(id), ...(maxAttempts !== undefined ? { maxAttempts } : {}) });
  }

  /** Recomputes the escalation offer shown with the panel's run, and the command's context key. */
  async refresh(): Promise<void> {
    await this.deps.sessions.whenRestored();
    const cur = this.current();
    const failure = cur ? runFailure(cur.run) : undefined;
    if (!cur || !failure || cur.view.status === 'running') {
      // Without a session (a run shown from before a reload whose auction could not be restored) no offer can work.
      const view = cur?.view ?? this.deps.panel.state.execution;
      if (view && view.escalation !== null) this.deps.panel.setExecution({ ...view, escalation: null });
      await vscode.commands.executeCommand('setContext', CAN_TRY_CONTEXT, false);
      return;
    }
    const choice = await this.choose(cur.session);
    const view = this.deps.panel.state.execution;
    if (view?.runId !== cur.view.runId) return;
    const escalation =
      'refused' in choice
        ? { next: null, note: `${failureWords(failure)} ${choice.message}` }
        : {
            next: { bidId: choice.bid.id, modelId: choice.bid.modelId, rank: choice.breakdown.rank, attempt: choice.attempt, newModel: choice.because === 'new-model' },
            note: `${failureWords(failure)} ${choiceWords(choice)}`,
          };
    this.deps.panel.setExecution({ ...view, escalation });
    await vscode.commands.executeCommand('setContext', CAN_TRY_CONTEXT, escalation.next !== null);
  }

  /**
   * Runs the next bid of the auction whose run failed (the panel's when `auctionId` is absent). Automatic
   * attempts honour `sale.escalation.maxAttempts` and the task budget; a manual one only needs a bid left. Asked
   * from the panel (`view`), a refusal is thrown (`EscalationRefusedError`, `CannotRunError`) for the panel to show;
   * from the command it is shown as a message.
   */
  async tryNext(auctionId?: string, mode: 'command' | 'automatic' | 'view' = 'command'): Promise<ExecutionView | undefined> {
    const automatic = mode === 'automatic';
    const refuse = (message: string): undefined => {
      if (mode === 'view') throw new EscalationRefusedError(message);
      if (!automatic) void vscode.window.showInformationMessage(message);
      return undefined;
    };
    await this.deps.sessions.whenRestored();
    const cur = this.current(auctionId);
    if (!cur) return refuse(vscode.l10n.t('There is no failed run to escalate from. Run a bid of an auction first.'));
    const choice = await this.choose(cur.session, automatic ? this.deps.config.get('escalation.maxAttempts') : undefined);
    if ('refused' in choice) {
      this.deps.log.info(`escalation of ${cur.session.id}: ${choice.message}`);
      return refuse(choice.message);
    }
    if (automatic) {
      const budget = await this.checkBudget(cur.session.id, choice);
      if (!budget.ok) {
        void vscode.window.showWarningMessage(vscode.l10n.t('SALE did not escalate by itself: {0}', budget.reason ?? ''));
        this.deps.log.info(`escalation of ${cur.session.id} stopped: ${budget.reason ?? ''}`);
        return undefined;
      }
    }
    const failed = cur.session.runs.find((r) => r.bidId === choice.escalatedFrom && runFailure(r)) ?? cur.run;
    const words = choiceWords(choice);
    this.deps.log.info(`escalation of ${cur.session.id}${automatic ? ' (automatic)' : ''}: attempt ${choice.attempt}, bid ${choice.bid.id} of ${choice.bid.modelId} after ${choice.escalatedFrom} failed`);
    void vscode.window.showInformationMessage(automatic ? vscode.l10n.t('The tests failed; SALE is trying the next bid. {0}', words) : vscode.l10n.t('Trying the next bid. {0}', words));
    const target = { auctionId: cur.session.id, bidId: choice.bid.id };
    const escalation = { escalatedFrom: choice.escalatedFrom, priorAttempt: priorAttemptOf(failed) };
    try {
      return await (mode === 'view' ? this.controller.start(target, escalation) : this.controller.run(target, escalation));
    } finally {
      await this.refresh();
    }
  }

  /** After tests ran on an applied run: a failure escalates by itself when `sale.escalation.maxAttempts` > 1. */
  async afterTests(passed: boolean): Promise<void> {
    await this.refresh();
    if (passed || this.deps.config.get('escalation.maxAttempts') <= 1) return;
    await this.tryNext(undefined, 'automatic');
  }

  /**
   * The task budget before an automatic attempt, by the rule every run is checked with (ExecutionController.runBudget,
   * which run applies again): an attempt it would refuse is not announced first.
   */
  private async checkBudget(auctionId: string, choice: NextBidChoice): Promise<{ ok: boolean; reason?: string }> {
    const verdict = await this.controller.runBudget(auctionId, choice.bid.id, [choice.breakdown]);
    return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
  }
}

/** The failed run as the next agent is told about it. */
export function priorAttemptOf(run: BidRun): PriorAttempt {
  const failure = runFailure(run) ?? 'rejected';
  const e = run.evidence;
  return {
    modelId: run.modelId,
    failure,
    // Tests fail only after an apply that wrote files, and nothing undid it: the next agent starts from those edits.
    applied: failure === 'tests-failed' && run.applied === true && !run.undone,
    ...(e?.summary ? { summary: e.summary } : {}),
    ...(e?.diff ? { diff: e.diff } : {}),
    ...(e?.testOutput ? { testOutput: e.testOutput, testCommand: e.testCommand } : {}),
  };
}
