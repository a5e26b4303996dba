import * as vscode from 'vscode';
import { AUCTION_TASK_COMMAND, registerAuctionTaskCommand } from './commands/auctionTask';
import { PANEL_VIEW_ID, PanelViewProvider } from './panel/panelViewProvider';
import type { SaleApi } from './api';
import type { Services } from './services';

/** Every contribution of the extension, each returning a Disposable, and the API `activate()` returns. */
export function registerContributions(s: Services): { disposables: vscode.Disposable[]; api: Omit<SaleApi, 'activationMs'> } {
  const panel = new PanelViewProvider(s.context.extensionUri, s.panelModel, s.log.topic('panel'), async (text) => {
    await vscode.commands.executeCommand(AUCTION_TASK_COMMAND, { task: text });
  });
  const api: Omit<SaleApi, 'activationMs'> = { whenPanelReady: () => panel.whenReady(), panelState: () => s.panelModel.state };
  const disposables = [
    panel,
    vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }),
    registerAuctionTaskCommand(s.panelModel, s.config, s.log.topic('auction')),
    vscode.commands.registerCommand('sale.showLogs', () => s.channel.show()),
  ];
  return { disposables, api };
}
