import type * as vscode from 'vscode';
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
  return [keys, pool, ...registerApiKeyCommands(keys, pool, log), registerTestConnectionsCommand(pool, log)];
}
