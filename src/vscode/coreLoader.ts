import * as vscode from 'vscode';
import type { ActivationFigures, CoreApi, SaleApi } from './api';
import type { Core } from './core';

/** What `dist/core.js` exports (`core.ts`). */
export interface CoreModule {
  startCore(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Core;
}

/**
 * Holds SALE's place until the core (`dist/core.js`) is loaded: every command of the extension is registered at
 * once as a stub, so it is available at activation; the first call of any of them (or of the API) loads and
 * starts the core synchronously, then runs the real command. Loading removes the stubs in the same synchronous
 * step, before the core registers the real commands, so no call falls between the two.
 */
export class CoreLoader implements vscode.Disposable {
  private core: Core | undefined;
  private failure: Error | undefined;
  private stubs: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Milliseconds loading (`require`) and starting the core took, once it has. */
  loadMs: number | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly channel: vscode.LogOutputChannel,
    private readonly requireCore: () => CoreModule,
    private readonly commandIds: readonly string[],
  ) {
    this.stubs = this.registerStubs();
  }

  /** A stub per command: it loads the core and runs the real command, or says why the core could not start. */
  private registerStubs(): vscode.Disposable[] {
    return this.commandIds.map((id) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        if (this.load()) return vscode.commands.executeCommand(id, ...args);
        this.showFailure();
        return undefined;
      }),
    );
  }

  /** Loads the core when the host has a moment (after `activate()` has returned), unless something needed it first. */
  loadSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (!this.load()) this.showFailure();
    }, 0);
  }

  /** The running core, loading and starting it first if needed; undefined when that failed (logged once). */
  load(): Core | undefined {
    if (this.core || this.failure) return this.core;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const started = performance.now();
    try {
      const mod = this.requireCore();
      for (const stub of this.stubs) stub.dispose();
      this.stubs = [];
      this.core = mod.startCore(this.context, this.channel);
      this.loadMs = performance.now() - started;
      this.channel.info(`SALE core loaded and started in ${this.loadMs.toFixed(1)} ms`);
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.channel.error(this.failure);
      // The core failed after the stubs were removed (its services could not be built, before it registered any
      // command): put them back, so every command still answers with the reason instead of "command not found".
      if (this.stubs.length === 0) this.stubs = this.registerStubs();
    }
    return this.core;
  }

  /** The core's API members; throws (with the reason) when the core could not start. */
  api(): CoreApi {
    const core = this.load();
    if (!core) throw new Error(`SALE could not start: ${this.failure?.message ?? 'unknown error'}`);
    return core.api;
  }

  private showFailure(): void {
    const showLogs = vscode.l10n.t('Show Logs');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('SALE could not start: {0}', this.failure?.message ?? ''), showLogs)
      .then((choice) => (choice === showLogs ? this.channel.show() : undefined));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const stub of this.stubs) stub.dispose();
    this.stubs = [];
  }
}

/**
 * The API `activate()` returns before the core is loaded: the activation figures are its own, every other member
 * is the core's, read on first use (which loads the core). `then` is absent, so the host does not take the API for
 * a promise and load the core while activating.
 */
export function lazyApi(loader: CoreLoader, figures: Omit<ActivationFigures, 'coreLoadMs'>): SaleApi {
  const own: ActivationFigures = {
    ...figures,
    get coreLoadMs() {
      return loader.loadMs;
    },
  };
  return new Proxy(own as SaleApi, {
    get: (target, key, receiver) => {
      if (key in target) return Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string' || key === 'then') return undefined;
      return loader.api()[key as keyof CoreApi];
    },
  });
}
