import type * as vscode from 'vscode';
import { Emitter, type Disposable } from '../../common/lifecycle';

const SECRET_PREFIX = 'sale.apiKey/';
const INDEX_KEY = 'sale.apiKeys.index';

/**
 * API keys in VS Code's SecretStorage, one per provider endpoint (see providerKeyOf). SecretStorage cannot list
 * its keys, so the provider keys that have a secret are indexed in globalState; the index holds endpoint names
 * only, never a key. Nothing here logs.
 */
export class ApiKeyStore implements Disposable {
  private readonly changed = new Emitter<string>();
  /** Fires with the provider key whose secret was set or removed (in this window or another). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire(e.key.slice(SECRET_PREFIX.length));
    });
  }

  async get(providerKey: string): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_PREFIX + providerKey);
    return key || undefined;
  }

  async set(providerKey: string, apiKey: string): Promise<void> {
    const trimmed = apiKey.trim();
    if (!trimmed) throw new Error('An empty API key cannot be stored');
    await this.secrets.store(SECRET_PREFIX + providerKey, trimmed);
    await this.state.update(INDEX_KEY, [...new Set([...this.storedProviderKeys(), providerKey])]);
  }

  async delete(providerKey: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + providerKey);
    await this.state.update(
      INDEX_KEY,
      this.storedProviderKeys().filter((k) => k !== providerKey),
    );
  }

  /** The provider keys that have a stored secret (as far as this machine's index knows). */
  storedProviderKeys(): string[] {
    const v = this.state.get<unknown>(INDEX_KEY);
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
