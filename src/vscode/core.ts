// The second bundle, `dist/core.js`: everything SALE does (services, the memory, the ledger, the auction engine,
// every contribution). `extension.ts` stays small so activation is quick, and loads this module with `require`
// right after `activate()` returns, or at once when a command or the API needs it first (see `coreLoader.ts`).
import type * as vscode from 'vscode';
import type { CoreApi } from './api';
import { registerContributions } from './contributions';
import { createServices } from './services';

/** The running core: the API members it answers (all but the activation figures), disposed with the extension. */
export interface Core {
  readonly api: CoreApi;
}

/**
 * Builds the services and registers every contribution, each in isolation (`registerContributions`). Everything
 * it registers is owned by `context.subscriptions`. Throws only when the services cannot be built.
 */
export function startCore(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Core {
  const services = createServices(context, channel);
  context.subscriptions.push(services);
  const { disposables, api } = registerContributions(services);
  context.subscriptions.push(...disposables);
  return { api };
}
