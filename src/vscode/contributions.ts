import * as vscode from 'vscode';
import { AUCTION_TASK_COMMAND, registerAuctionTaskCommand } from './commands/auctionTask';
import { PANEL_VIEW_ID, PanelViewProvider } from './panel/panelViewProvider';
import { registerProviderContributions } from './providers/providerContributions';
import type { Services } from './services';

/** Every contribution of the extension, each returning a Disposable. */
export function registerContributions(s: Services): vscode.Disposable[] {
  const panel = new PanelViewProvider(s.context.extensionUri, s.panelModel, s.log.topic('panel'), async (text) => {
    await vscode.commands.executeCommand(AUCTION_TASK_COMMAND, { task: text });
  });
  return [
    panel,
    vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } }),
    registerAuctionTaskCommand(s.panelModel, s.config, s.log.topic('auction')),
    vscode.commands.registerCommand('sale.showLogs', () => s.channel.show()),
    ...registerProviderContributions(s),
  ];
}
