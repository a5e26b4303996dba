import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import type { PanelCommandName } from '../../common/protocol/panel';
import type { AuctionSessions } from '../../common/session/auctionSession';
import type { AuctionController } from '../auction/auctionController';
import { auctionTask, type AuctionTaskDeps } from '../commands/auctionTask';
import type { ExecutionPanelHandlers } from '../execution/executionCommands';
import { ONBOARDING_PANEL_COMMANDS } from '../onboarding/onboardingContributions';
import type { PanelModel } from './panelModel';
import type { PanelHandlers } from './panelViewProvider';

/** What the panel's buttons use: the auctions, the sessions, the panel's own state, and the execution part. */
export interface PanelHandlerDeps extends AuctionTaskDeps {
  auctions: Pick<AuctionController, 'start' | 'cancel'>;
  sessions: Pick<AuctionSessions, 'whenRestored' | 'get'>;
  panel: Pick<PanelModel, 'state' | 'setTask' | 'setContextFiles'>;
  /** The execution contribution's handlers; undefined when it did not register (its buttons then say so). */
  execution(): ExecutionPanelHandlers | undefined;
  log: Logger;
}

/** The VS Code command each notice button runs. */
const NOTICE_COMMANDS: Record<PanelCommandName, string> = {
  setApiKey: 'sale.setApiKey',
  testConnections: 'sale.testConnections',
  showLogs: 'sale.showLogs',
  openSettings: 'workbench.action.openSettings',
  showCostReport: 'sale.showCostReport',
  retry: 'sale.reauction',
  ...ONBOARDING_PANEL_COMMANDS,
};

/**
 * Auctions again the task of the auction the panel shows, with that auction's context (its session, restored after a
 * reload); else the panel's task alone. Resolves once it has started, with the auction's end (`done`); undefined
 * when there is no task.
 */
export async function reauction(deps: Pick<PanelHandlerDeps, 'sessions' | 'panel' | 'auctions' | 'log'>): Promise<{ done: Promise<void> } | undefined> {
  await deps.sessions.whenRestored();
  const shown = deps.sessions.get(deps.panel.state.auction?.auctionId);
  const task = shown?.task ?? deps.panel.state.task;
  if (!task) return undefined;
  const done = deps.auctions.start(task, shown?.context ?? {}).then(
    () => undefined,
    (e: unknown) => deps.log.error(e instanceof Error ? e : String(e)),
  );
  return { done };
}

/** The panel's handlers: each button's typed request or command calls the controllers directly. */
export function panelHandlers(deps: PanelHandlerDeps): PanelHandlers {
  const execution = (): ExecutionPanelHandlers => {
    const handlers = deps.execution();
    if (!handlers) throw new Error(vscode.l10n.t('Running and reviewing bids is not available: that part of SALE did not start (see "SALE: Show Logs").'));
    return handlers;
  };
  return {
    commands: {
      cancelAuction: () => deps.auctions.cancel(),
      cancelExecution: (c) => execution().commands.cancelExecution(c),
      runCommand: async ({ command }) => {
        await vscode.commands.executeCommand(NOTICE_COMMANDS[command], ...(command === 'openSettings' ? ['@ext:sale-dev.sale-vscode'] : []));
      },
      addContextFiles: () => addContextFiles(deps.panel),
      removeContextFile: ({ path }) => deps.panel.setContextFiles(deps.panel.state.contextFiles.filter((p) => p !== path)),
    },
    requests: {
      submitTask: async ({ text }) => ({ taskId: (await auctionTask(deps, text, { source: 'panel' })).id }),
      reauction: async () => {
        if (!(await reauction(deps))) throw new Error(vscode.l10n.t('There is no task to auction again. Type one above.'));
        return null;
      },
      runBid: (p) => execution().requests.runBid(p),
      tryNextBid: (p) => execution().requests.tryNextBid(p),
      reviewDecision: (p) => execution().requests.reviewDecision(p),
      reviewAll: (p) => execution().requests.reviewAll(p),
      openDiff: (p) => execution().requests.openDiff(p),
      editProposal: (p) => execution().requests.editProposal(p),
      applyAccepted: (p) => execution().requests.applyAccepted(p),
      undoLastAuction: (p) => execution().requests.undoLastAuction(p),
      runTests: (p) => execution().requests.runTests(p),
    },
  };
}

/** Asks for files inside the workspace and adds them to the panel's context files. */
async function addContextFiles(panel: PanelHandlerDeps['panel']): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFolders: false,
    ...(folder ? { defaultUri: folder.uri } : {}),
    openLabel: vscode.l10n.t('Add as Context'),
    title: vscode.l10n.t('Files the bidders should see'),
  });
  if (!picked?.length) return;
  const inside = picked.filter((u) => vscode.workspace.getWorkspaceFolder(u)).map((u) => vscode.workspace.asRelativePath(u, false));
  if (inside.length < picked.length) void vscode.window.showWarningMessage(vscode.l10n.t('Only files inside the workspace can be context; {0} outside it were left out.', picked.length - inside.length));
  panel.setContextFiles([...new Set([...panel.state.contextFiles, ...inside])].sort());
}
