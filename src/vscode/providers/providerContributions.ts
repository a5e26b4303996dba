import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import type { ApiKeyStore } from './apiKeyStore';
import { registerApiKeyCommands } from './apiKeyCommands';
import { registerAskConsentCommand } from './lmModels';
import type { ModelPoolService } from './modelPool';
import { registerTestConnectionsCommand } from './testConnections';

/** What the provider commands use: the key store, the pool and the log. */
export interface ProviderContributionDeps {
  keys: ApiKeyStore;
  pool: ModelPoolService;
  log: Logger;
}

/** The provider layer's commands: API keys and the connection test. */
export function registerProviderContributions(s: ProviderContributionDeps): vscode.Disposable[] {
  const log = s.log.topic('providers');
  // A typo in sale.models is shown when it is made, not when an auction quietly runs without that model.
  const problems = s.pool.onDidChange((snapshot) => {
    const first = snapshot.problems[0];
    if (!first) return;
    const open = vscode.l10n.t('Open Settings');
    const where = first.id ?? `#${first.index + 1}`;
    void vscode.window
      .showWarningMessage(vscode.l10n.t('sale.models: model {0} was skipped: {1}', where, first.message), open)
      .then((c) => (c === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'sale.models') : undefined));
  });
  const lm = s.pool.lm ? [registerAskConsentCommand(s.pool.lm)] : [];
  return [problems, ...registerApiKeyCommands(s.keys, s.pool, log), registerTestConnectionsCommand(s.pool, log), ...lm];
}
