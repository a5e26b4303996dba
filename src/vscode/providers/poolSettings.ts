import * as vscode from 'vscode';
import { mergePoolScopes, type PoolScope, type ScopedEntry } from '../../common/onboarding/poolEdits';
import { SETTINGS_SECTION } from '../settingsSchema';

const KEY = 'models';

/**
 * `sale.models` read from both scopes and written to one. VS Code would let a workspace's list hide the user's
 * whole list; SALE joins them (mergePoolScopes), so a model added to a workspace comes on top of the user's own.
 * In an untrusted workspace the workspace's list is ignored: a cloned repository must not choose where the
 * user's code is sent (package.json also lists the setting under `restrictedConfigurations`).
 */
export class PoolSettings {
  /** Every entry with the scope it came from. */
  entries(): ScopedEntry[] {
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>(KEY);
    return mergePoolScopes(inspected?.globalValue, this.workspaceAllowed() ? inspected?.workspaceValue : undefined);
  }

  /** The raw pool as the parser takes it. */
  merged(): unknown[] {
    return this.entries().map((e) => e.raw);
  }

  /** One scope's list as written there. */
  list(scope: PoolScope): unknown[] {
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>(KEY);
    const v = scope === 'user' ? inspected?.globalValue : inspected?.workspaceValue;
    return Array.isArray(v) ? v : [];
  }

  /** Whether models can be written to (and read from) the workspace: a folder is open and trusted. */
  workspaceAllowed(): boolean {
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 0 && vscode.workspace.isTrusted;
  }

  async write(scope: PoolScope, list: unknown[]): Promise<void> {
    // An emptied list is removed from that scope rather than left as `[]` in the user's JSON.
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .update(KEY, list.length ? list : undefined, scope === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace);
  }
}
