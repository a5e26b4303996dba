import * as vscode from 'vscode';
import { AUCTION_TASK_COMMAND, registerAuctionTaskCommand } from './commands/auctionTask';
import { PANEL_VIEW_ID, PanelViewProvider, type PanelActions } from './panel/panelViewProvider';
import { registerExecutionContributions } from './execution/executionCommands';
import { registerProviderContributions } from './providers/providerContributions';
import { registerMemoryContributions } from './memory/memoryContributions';
import { registerReportContributions } from './report/reportContributions';
import { ONBOARDING_PANEL_COMMANDS, registerOnboardingContributions } from './onboarding/onboardingContributions';
import type { SaleApi } from './api';
import type { Services } from './services';

/** Every contribution of the extension, each returning a Disposable, and the API `activate()` returns. */
export function registerContributions(s: Services): { disposables: vscode.Disposable[]; api: Omit<SaleApi, 'activationMs'> } {
  const execution = registerExecutionContributions(s);
  const actions: PanelActions = {
    submitTask: async (text) => {
      await vscode.commands.executeCommand(AUCTION_TASK_COMMAND, { task: text, source: 'panel' });
    },
    cancelAuction: () => s.auctions.cancel(),
    reauction: async () => {
      const task = s.panelModel.state.task;
      if (task) await s.auctions.start(task, s.lastContext ?? {});
    },
    runBid: async (bidId) => {
      await vscode.commands.executeCommand('sale.runBid', { bidId });
    },
    addContextFiles: async () => {
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
      s.panelModel.setContextFiles([...new Set([...s.panelModel.state.contextFiles, ...inside])].sort());
    },
    removeContextFile: (path) => s.panelModel.setContextFiles(s.panelModel.state.contextFiles.filter((p) => p !== path)),
    runCommand: async (command) => {
      const id = {
        setApiKey: 'sale.setApiKey',
        testConnections: 'sale.testConnections',
        showLogs: 'sale.showLogs',
        openSettings: 'workbench.action.openSettings',
        showCostReport: 'sale.showCostReport',
        retry: 'sale.reauction',
        ...ONBOARDING_PANEL_COMMANDS,
      }[command];
      await vscode.commands.executeCommand(id, ...(command === 'openSettings' ? ['@ext:sale-dev.sale-vscode'] : []));
    },
    execution: execution.handle,
  };
  const panel = new PanelViewProvider(s.context.extensionUri, s.panelModel, s.log.topic('panel'), actions);
  const memory = registerMemoryContributions(s);
  const api: Omit<SaleApi, 'activationMs'> = {
    storageDir: s.storageDir,
    whenPanelReady: () => panel.whenReady(),
    panelState: () => s.panelModel.state,
    lastAuctionResult: () => s.auctions.result,
    memoryAuctions: async () => {
      const store = await s.memory.store();
      await store.refresh();
      return store.list().map((v) => ({ id: v.head.id, task: v.head.task, winnerModelId: v.head.winner?.modelId, bids: v.head.bidCount, label: v.label }));
    },
    ledgerLines: () => s.ledger.readAll().then((lines) => [...lines]),
    memoryBrowserItems: async () =>
      (await memory.tree.getChildren()).map((i) => ({ id: i.view.head.id, label: typeof i.label === 'string' ? i.label : (i.label?.label ?? ''), description: typeof i.description === 'string' ? i.description : '' })),
    memoryOutcomes: async (auctionId) => (await (await s.memory.store()).outcomes(auctionId)).map((o) => o.fact),
  };
  const disposables = [
    panel,
    vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }),
    registerAuctionTaskCommand(s),
    vscode.commands.registerCommand('sale.reauction', () => actions.reauction()),
    vscode.commands.registerCommand('sale.cancelAuction', () => s.auctions.cancel()),
    vscode.commands.registerCommand('sale.showLogs', () => s.channel.show()),
    ...registerProviderContributions(s),
    ...registerReportContributions(s),
    ...registerOnboardingContributions(s),
    ...memory.disposables,
    ...execution.disposables,
  ];
  return { disposables, api };
}
