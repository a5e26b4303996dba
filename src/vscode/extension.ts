// The extension's entry, `dist/extension.js`: kept small on purpose. It registers every command as a stub and
// returns; the core (`dist/core.js`: services, the memory, the ledger, the SDKs, every contribution) is loaded just
// after `activate()` returns, or at once by the first command or API call that needs it (`coreLoader.ts`).
import path from 'node:path';
import * as vscode from 'vscode';
import type { SaleApi } from './api';
import { CoreLoader, lazyApi, type CoreModule } from './coreLoader';

/** When this bundle was evaluated (after its few small imports): activation time is measured from here. */
const loadedAt = performance.now();
let loader: CoreLoader | undefined;

/**
 * Registers a stub for every command package.json declares and schedules the core; never throws (a core that fails
 * to start is reported then). Commands the core registers without declaring them (the review actions) are called by
 * the core itself, so they need no stub.
 */
export function activate(context: vscode.ExtensionContext): SaleApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('SALE', { log: true });
  context.subscriptions.push(channel);
  const declared = ((context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
  // Not bundled into this file: `dist/core.js` is its own esbuild entry, loaded by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireCore = () => require(path.join(__dirname, 'core.js')) as CoreModule;
  loader = new CoreLoader(context, channel, requireCore, declared);
  context.subscriptions.push(loader);
  loader.loadSoon();
  const ended = performance.now();
  channel.info(`SALE ${String((context.extension.packageJSON as { version?: string }).version)} activated in ${(ended - loadedAt).toFixed(1)} ms (activate() ${(ended - started).toFixed(1)} ms); the core loads next`);
  return lazyApi(loader, { activationMs: ended - loadedAt, activateMs: ended - started });
}

export function deactivate(): void {
  loader = undefined;
}
