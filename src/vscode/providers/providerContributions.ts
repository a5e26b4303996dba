import type * as vscode from 'vscode';
import type { Services } from '../services';
import { registerApiKeyCommands } from './apiKeyCommands';
import { registerTestConnectionsCommand } from './testConnections';

/** The provider layer's commands: API keys and the connection test. The key store and pool live in Services. */
export function registerProviderContributions(s: Services): vscode.Disposable[] {
  const log = s.log.topic('providers');
  return [...registerApiKeyCommands(s.keys, s.pool, log), registerTestConnectionsCommand(s.pool, log)];
}
