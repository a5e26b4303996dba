import { Emitter, type Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import type { CallSink } from '../../common/ledger/types';
import type { Embedder } from '../../common/memory/embedder';
import { embedderFromPool } from '../../common/memory/poolEmbedder';
import type { ModelPoolService, PoolSnapshot } from '../providers/modelPool';

/**
 * The memory's current embedder, kept in step with the pool: a member with the `embedder` role (see
 * `embedderFromPool`), rebuilt whenever the pool changes, so the memory reads it per query and a change takes
 * effect without a reload. `onDidChange` fires when the embedding model changes (the memory then backfills).
 */
export class EmbedderSource implements Disposable {
  private embedder: Embedder | undefined;
  private readonly changed = new Emitter<Embedder | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: Disposable;
  private disposed = false;
  /** Counts pool changes, so the first snapshot, if it resolves after a change, does not undo it. */
  private changes = 0;

  constructor(
    private readonly pool: ModelPoolService,
    private readonly sink: CallSink,
    private readonly log: Logger,
  ) {
    this.subscription = pool.onDidChange((s) => {
      this.changes++;
      this.apply(s);
    });
    // The first snapshot waits for local-server detection: it runs in the background, never in activation.
    void pool.snapshot().then(
      (s) => {
        if (this.changes === 0) this.apply(s);
      },
      (e: unknown) => this.log.warn(`memory: could not read the pool for an embedder: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** The embedder now, or undefined (lexical retrieval). */
  current(): Embedder | undefined {
    return this.embedder;
  }

  private apply(snapshot: PoolSnapshot): void {
    if (this.disposed) return;
    const next = embedderFromPool(snapshot.models, {
      clientFor: (spec) => this.pool.clientFor(spec),
      capabilities: (spec) => this.pool.capabilities.peek(spec),
      sink: this.sink,
    });
    const before = this.embedder?.model;
    // A new client either way: the same model may now have another base URL or key.
    this.embedder = next;
    if (next?.model === before) return;
    this.log.info(next ? `memory: retrieval by embedding with ${next.model}` : 'memory: no model has the embedder role; retrieval is lexical (BM25)');
    this.changed.fire(next);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.changed.dispose();
  }
}
