import * as vscode from 'vscode';
import { fetchProbe } from '../../node/providers/httpProbe';
import type { Services } from '../services';
import { registerApiKeyCommands } from './apiKeyCommands';
import { ApiKeyStore } from './apiKeyStore';
import { ModelPoolService } from './modelPool';
import { registerTestConnectionsCommand } from './testConnections';

/**
 * The provider layer's contributions: the key store, the pool service and the commands that use them.
 * The pool service is built here for now; when the auction engine needs it, it moves into Services.
 */
export function registerProviderContributions(s: Services): vscode.Disposable[] {
  const log = s.log.topic('providers');
  const keys = new ApiKeyStore(s.context.secrets, s.context.globalState);
  const pool = new ModelPoolService(s.config, keys, fetchProbe, s.context.globalState, log);
  // A typo in sale.models is shown when it is made, not when an auction quietly runs without that model.
  const problems = pool.onDidChange((snapshot) => {
    const first = snapshot.problems[0];
    if (!first) return;
    const open = vscode.l10n.t('Open Settings');
    const where = first.id ?? `#${first.index + 1}`;
    void vscode.window
      .showWarningMessage(vscode.l10n.t('sale.models: model {0} was skipped: {1}', where, first.message), open)
      .then((c) => (c === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'sale.models') : undefined));
  });
  return [keys, pool, problems, ...registerApiKeyCommands(keys, pool, log), registerTestConnectionsCommand(pool, log)];
}
