import * as vscode from 'vscode';
import { createServices, type Services } from './services';
import type { SaleApi } from './api';
import { registerContributions } from './contributions';

/** When the bundle started evaluating: activation time is measured from here. */
const loadedAt = performance.now();
let services: Services | undefined;

/** The composition root: build services, register contributions. A failure is shown with "Show Logs". */
export function activate(context: vscode.ExtensionContext): SaleApi | undefined {
  const channel = vscode.window.createOutputChannel('SALE', { log: true });
  context.subscriptions.push(channel);
  try {
    services = createServices(context, channel);
    const { disposables, api } = registerContributions(services);
    context.subscriptions.push(services, ...disposables);
    const activationMs = performance.now() - loadedAt;
    services.log.info(`SALE ${String((context.extension.packageJSON as { version?: string }).version)} activated in ${activationMs.toFixed(1)} ms`);
    return { ...api, activationMs };
  } catch (e) {
    channel.error(e instanceof Error ? e : String(e));
    const showLogs = vscode.l10n.t('Show Logs');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('SALE could not start: {0}', e instanceof Error ? e.message : String(e)), showLogs)
      .then((choice) => (choice === showLogs ? channel.show() : undefined));
    return undefined;
  }
}

export function deactivate(): void {
  services = undefined;
}
