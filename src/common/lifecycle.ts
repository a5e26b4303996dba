/** A thing that holds a resource until it is disposed. Mirrors `vscode.Disposable` without importing it. */
export interface Disposable {
  dispose(): void;
}

/** Owns disposables and disposes them together, newest first. Adding to a disposed store disposes at once. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.add(item);
    }
    return item;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of [...this.items].reverse()) {
      try {
        item.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose');
  }
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/** A listener registration function in the `onDidX` style of VS Code. */
export type Event<T> = (listener: (e: T) => void) => Disposable;

/** A minimal event emitter whose `event` can be handed out while `fire` stays private to the owner. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** One named part of the extension that registers commands, views or providers. */
export interface Contribution {
  readonly name: string;
  register(): Disposable[];
}

/**
 * Registers each contribution on its own: one that throws is logged with its name and left out, the others still
 * register. A bug in one view must not take the whole extension down. Returns what registered and what failed.
 */
export function registerEach(contributions: readonly Contribution[], log: { error(message: string): void }): { disposables: Disposable[]; failed: string[] } {
  const disposables: Disposable[] = [];
  const failed: string[] = [];
  for (const c of contributions) {
    try {
      disposables.push(...c.register());
    } catch (e) {
      failed.push(c.name);
      log.error(`The ${c.name} contribution failed to register; the rest of SALE still works: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  return { disposables, failed };
}
