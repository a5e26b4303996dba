import * as vscode from 'vscode';
import type { Decision } from '../../common/agent/changeSet';
import type { Checkpoint } from '../../common/agent/checkpoint';
import { SaleError } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { CommandHandlers, RequestHandlers } from '../../common/protocol/channel';
import type { ExecutionView, RunReply, executionRequests } from '../../common/protocol/executionView';
import type { PanelProtocol } from '../../common/protocol/panel';
import { deleteCheckpoint, listCheckpoints, restoreCheckpoint } from '../../node/agent/gitCheckpoint';
import type { AgentHost } from './agentHost';
import { Escalation, TRY_NEXT_BID_COMMAND } from './escalation';
import { ExecutionController, type ExecutionDeps } from './executionController';
import { parseCheckpointLabel, ReviewClosedError, type ApplyReport } from './reviewSession';
import { RUN_TESTS_COMMAND, runTestsAfterApply } from './runTests';
import { runTestsOptionsFromCommand } from './runTestsArgs';

export const RUN_BID_COMMAND = 'sale.runBid';

/** `sale.runBid` arguments: the auction (the newest finished one when absent) and its bid (the winner when absent). */
export interface RunBidArgs {
  auctionId?: string;
  bidId?: string;
}
export const UNDO_LAST_AUCTION_COMMAND = 'sale.undoLastAuction';

/** What the execution and review commands use: the controller's ports, and whether SALE runs under its own tests. */
export interface ExecutionContributionDeps extends ExecutionDeps {
  /** The whole agent host: the tests after an apply need its trust and test command too. */
  host: AgentHost;
  /** SALE's own test harness (`ExtensionMode.Test`): `sale.runTests` may then skip its confirmation. */
  testMode: boolean;
}

/** Shows an error from a review action as a message with a next step (the logs), never as a stack. */
function report(s: Pick<ExecutionDeps, 'log' | 'showLogs'>, e: unknown): void {
  const message = e instanceof SaleError ? e.message : vscode.l10n.t('SALE could not do that: {0}', e instanceof Error ? e.message : String(e));
  s.log.error(e instanceof Error ? e : String(e));
  const showLogs = vscode.l10n.t('Show Logs');
  void vscode.window.showErrorMessage(message, showLogs).then((c) => (c === showLogs ? s.showLogs() : undefined));
}

/** For the panel's requests: an error that is not SALE's own is logged with its stack and answered in the same words as `report`. */
async function viewGuarded<T>(s: Pick<ExecutionDeps, 'log'>, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof SaleError) throw e;
    s.log.error(e instanceof Error ? e : String(e));
    throw new Error(vscode.l10n.t('SALE could not do that: {0}', e instanceof Error ? e.message : String(e)), { cause: e });
  }
}

async function guarded<T>(s: Pick<ExecutionDeps, 'log' | 'showLogs'>, f: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    report(s, e);
    return undefined;
  }
}

/**
 * "Undo last auction": restores the newest checkpoint of the workspace folder byte for byte, then forgets it (so a
 * second undo goes one apply further back). When a file was changed after this window applied it, asks first:
 * the undo would overwrite that newer text.
 */
async function undoLastAuction(s: { host: Pick<ExecutionDeps['host'], 'folder'>; sessions: ExecutionDeps['sessions']; log: Logger }, controller: ExecutionController): Promise<Checkpoint | undefined> {
  const folder = s.host.folder();
  if (!folder) return undefined;
  // An undo right after a reload marks the restored run as undone, so its next bid is offered.
  await s.sessions.whenRestored();
  const [latest] = await listCheckpoints(folder, controller.checkpointsDir);
  if (!latest) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is nothing to undo: SALE has not applied any edits in this folder.'));
    return undefined;
  }
  const session = controller.review;
  const applied = session?.lastApply?.checkpointId === latest.id ? session.lastApply : undefined;
  if (applied) {
    const changed: string[] = [];
    for (const [p, fp] of applied.fingerprints) if ((await session?.fingerprint(p)) !== fp) changed.push(p);
    if (changed.length > 0) {
      const overwrite = vscode.l10n.t('Undo Anyway');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('You changed {0} after SALE applied the edits. Undo puts back the text from before the apply and loses those changes.', changed.join(', ')),
        { modal: true },
        overwrite,
      );
      if (choice !== overwrite) return undefined;
    }
  }
  if (!applied) {
    // This window cannot tell whether the files changed since that apply (another window, or before a reload):
    // say exactly what undo will put back, and let the user decide.
    const restore = vscode.l10n.t('Restore');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Undo restores {0} to their state before SALE applied edits on {1}. Any changes made to them since are lost.', latest.files.map((f) => f.path).join(', '), new Date(latest.createdAt).toLocaleString()),
      { modal: true },
      restore,
    );
    if (choice !== restore) return undefined;
  }
  await restoreCheckpoint(latest);
  await deleteCheckpoint(latest);
  const files = latest.files.map((f) => f.path);
  s.log.info(`undo: restored ${files.join(', ')} from checkpoint ${latest.id}`);
  if (latest.label) {
    // The bid whose work it was: from the checkpoint's label (an older checkpoint names only the auction, and the
    // journal then records no bid: the outcome is the winner's, as it was then).
    const { auctionId, bidId } = parseCheckpointLabel(latest.label);
    // The session first: the journal's fact is what the session log notes the run's state after.
    const run = s.sessions.get(auctionId)?.runWithCheckpoint(latest.id);
    if (run) run.undone = true;
    await controller.journal.record({ type: 'undone', auctionId, ...(bidId !== undefined ? { bidId } : {}), files });
  }
  if (applied) session?.markUndone();
  void vscode.window.showInformationMessage(vscode.l10n.t('SALE restored {0} file(s) as they were before the edits were applied.', files.length));
  return latest;
}

/** The panel's execution and review buttons: a handler per command and request of the panel's protocol. */
export interface ExecutionPanelHandlers {
  commands: Pick<CommandHandlers<PanelProtocol>, 'cancelExecution'>;
  requests: Pick<RequestHandlers<PanelProtocol>, 'runBid' | keyof typeof executionRequests>;
}

/** A run as the panel's request is answered: the run as it ended (or the newer run that replaced it). */
function runReply(view: ExecutionView | undefined): RunReply {
  return view ? { runId: view.runId, status: view.status } : null;
}

/** The execution and review commands, and the panel's handlers for its execution buttons. */
export function registerExecutionContributions(s: ExecutionContributionDeps): { disposables: vscode.Disposable[]; panel: ExecutionPanelHandlers } {
  const controller = new ExecutionController(s);
  const escalation = new Escalation(s, controller);
  // After a reload the panel shows the last run again: its offer is recomputed once its session is restored.
  void escalation.refresh().catch((e: unknown) => s.log.error(e instanceof Error ? e : String(e)));
  // Every step that can decide a run's fate (its end, the apply, the undo) recomputes the escalation offer.
  const thenRefresh = async <T>(p: Promise<T>): Promise<T> => {
    const r = await p;
    await escalation.refresh();
    return r;
  };
  const session = () => {
    const r = controller.review;
    if (!r) throw new ReviewClosedError('none');
    return r;
  };
  const decide = (a: { path: string; decision: Decision; hunk?: number }) => guarded(s, () => session().decide(a.path, a.decision, a.hunk));
  const decideAll = (a: { decision: Decision }) => guarded(s, () => session().decideAll(a.decision));
  const openDiff = (a: { path: string }) => guarded(s, () => session().openDiff(a.path));
  const editProposal = (a: { path: string }) => guarded(s, () => session().editProposal(a.path));
  const apply = (): Promise<ApplyReport | undefined> => thenRefresh(guarded(s, () => session().apply()));
  const undo = () => thenRefresh(guarded(s, () => undoLastAuction(s, controller)));
  const testsThenEscalate = async (options?: Parameters<typeof runTestsAfterApply>[2]) => {
    const result = await runTestsAfterApply(s, controller, options);
    if (result) await escalation.afterTests(result.passed);
    return result;
  };
  // The command's run: the test result is returned even when the escalation after it fails (that is shown on its own).
  const runTests = async (options?: Parameters<typeof runTestsAfterApply>[2]) => {
    const result = await guarded(s, () => runTestsAfterApply(s, controller, options));
    if (result) await guarded(s, () => escalation.afterTests(result.passed));
    return result;
  };
  const tryNextBid = (a?: { auctionId?: unknown }) => guarded(s, () => escalation.tryNext(typeof a?.auctionId === 'string' ? a.auctionId : undefined));
  // The panel's requests: a failure is answered (the panel shows it beside the button), not shown as a message.
  const forView = <T>(f: () => T | Promise<T>) => viewGuarded(s, f);
  const panel: ExecutionPanelHandlers = {
    commands: { cancelExecution: () => controller.cancel() },
    requests: {
      runBid: (a) => forView(async () => runReply(await thenRefresh(controller.start(a)))),
      tryNextBid: (a) => forView(async () => runReply(await escalation.tryNext(a.auctionId, 'view'))),
      reviewDecision: (a) =>
        forView(() => {
          session().decide(a.path, a.decision, a.hunk);
          return null;
        }),
      reviewAll: (a) =>
        forView(() => {
          session().decideAll(a.decision);
          return null;
        }),
      openDiff: (a) =>
        forView(async () => {
          await session().openDiff(a.path);
          return null;
        }),
      editProposal: (a) =>
        forView(async () => {
          await session().editProposal(a.path);
          return null;
        }),
      applyAccepted: () =>
        forView(async () => {
          const { written, conflicts } = await thenRefresh(session().apply());
          return { written, conflicts };
        }),
      undoLastAuction: () =>
        forView(async () => {
          const restored = await thenRefresh(undoLastAuction(s, controller));
          return restored ? { restored: restored.files.map((f) => f.path) } : null;
        }),
      runTests: () =>
        forView(async () => {
          const result = await testsThenEscalate();
          return result ? { command: result.command, passed: result.passed } : null;
        }),
    },
  };
  const disposables: vscode.Disposable[] = [
    controller,
    vscode.commands.registerCommand(RUN_BID_COMMAND, (a?: RunBidArgs) =>
      thenRefresh(guarded(s, () => controller.run({ auctionId: typeof a?.auctionId === 'string' ? a.auctionId : undefined, bidId: typeof a?.bidId === 'string' ? a.bidId : undefined }))),
    ),
    vscode.commands.registerCommand(TRY_NEXT_BID_COMMAND, tryNextBid),
    vscode.commands.registerCommand('sale.cancelExecution', () => controller.cancel()),
    vscode.commands.registerCommand('sale.review.decide', decide),
    vscode.commands.registerCommand('sale.review.decideAll', decideAll),
    vscode.commands.registerCommand('sale.review.openDiff', openDiff),
    vscode.commands.registerCommand('sale.review.editProposal', editProposal),
    vscode.commands.registerCommand('sale.applyAccepted', apply),
    vscode.commands.registerCommand(UNDO_LAST_AUCTION_COMMAND, undo),
    vscode.commands.registerCommand(RUN_TESTS_COMMAND, (a?: unknown) => runTests(runTestsOptionsFromCommand(a, s.testMode))),
  ];
  return { disposables, panel };
}
