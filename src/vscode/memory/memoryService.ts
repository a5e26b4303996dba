import path from 'node:path';
import * as vscode from 'vscode';
import type { AuctionMemoryPort, ContrastivePair, MemoryRetrieval, PairQuery } from '../../common/auction';
import { Emitter, type Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import type { Embedder } from '../../common/memory/embedder';
import type { AuctionLine, OutcomeLine } from '../../common/memory/records';
import { memoryTrackRecord } from '../../common/memory/trackRecordPort';
import type { TrackRecordPort } from '../../common/learning/successPredictor';
import { MemoryStore } from '../../node/memory/memoryStore';
import { trackRecordSourceOf } from '../../node/memory/trackRecordSource';
import type { Config } from '../config';

/** Past auctions embedded per backfill (after activation or an embedder change), and per embedding call. */
const BACKFILL_CAP = 500;
const BACKFILL_BATCH = 32;

/**
 * The workspace's auction memory for the VS Code side: opened lazily from the extension's workspace storage (and
 * the repository's `.sale/` folder when team memory is on), the engine's memory port, and where the auction
 * journal's memory lines are appended. A torn or corrupt line is reported once in the log, never fatal.
 */
export class MemoryService implements Disposable {
  private opening: Promise<MemoryStore> | undefined;
  private warmUpTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new Emitter<void>();
  private readonly forgetters = new Set<(auctionIds?: readonly string[]) => Promise<void>>();
  /** Fires after this window recorded an auction or an outcome. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: Disposable[];
  /** The engine's port; it opens the store on first use. */
  readonly port: AuctionMemoryPort = {
    contrastivePairs: async (query: PairQuery): Promise<{ pairs: ContrastivePair[] } & MemoryRetrieval> => (await this.store()).port.contrastivePairs(query),
  };

  /** The backfill running now, if any, and for which embedding model (a backfill for another one cancels it). */
  private backfilling: { model: string; abort: AbortController; done: Promise<number> } | undefined;

  /**
   * This workspace's record of real outcomes for the auction's success predictions (bounded: see
   * trackRecordPort.ts); it opens the store on first use.
   */
  readonly trackRecord: TrackRecordPort = memoryTrackRecord(async () => trackRecordSourceOf(await this.store()));

  constructor(
    private readonly storageDir: string,
    private readonly config: Config,
    private readonly log: Logger,
    /** The current embedder, read per query and per recorded auction (none: lexical retrieval only). */
    private readonly embedder?: () => Embedder | undefined,
  ) {
    this.subscriptions = [
      config.onDidChange((keys) => {
        if (keys.includes('memory.team')) void this.reopen();
      }),
      // Team memory waits for trust: once granted, open again with it.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (this.config.get('memory.team')) void this.reopen();
      }),
    ];
  }

  /** The open store (opened on first use). */
  store(): Promise<MemoryStore> {
    if (!this.opening) {
      const opening = this.open();
      this.opening = opening;
      // A failed open (a read-only folder, a lock held too long) is tried again on the next use, not kept.
      opening.catch(() => {
        if (this.opening === opening) this.opening = undefined;
      });
    }
    return this.opening;
  }

  /**
   * Opens the store in the background a moment after activation, so the first auction does not wait for it (a
   * large memory without a snapshot takes seconds to read). Activation itself never waits.
   */
  warmUp(delayMs = 2000): void {
    const timer = setTimeout(() => {
      this.store().then(
        () => this.backfillEmbeddings(),
        (e: unknown) => this.log.error(`memory: could not open: ${e instanceof Error ? e.message : String(e)}`),
      );
    }, delayMs);
    this.warmUpTimer = timer;
  }

  private async open(): Promise<MemoryStore> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    // Team memory reads and writes the repository's `.sale/` folder: only in a trusted workspace.
    const teamWanted = this.config.get('memory.team') && folder?.scheme === 'file';
    if (teamWanted && !vscode.workspace.isTrusted) this.log.info('memory: team memory is off until the workspace is trusted');
    const team = teamWanted && vscode.workspace.isTrusted ? { repoRoot: folder.fsPath } : undefined;
    const started = Date.now();
    const store = await MemoryStore.open({ localPath: path.join(this.storageDir, 'memory.jsonl'), ...(team ? { team } : {}), ...(this.embedder ? { embedder: this.embedder } : {}), log: this.log });
    const r = store.reports;
    this.log.info(
      `memory: ${store.list().length} auctions loaded in ${Date.now() - started} ms from the ${store.loadedFrom === 'snapshot' ? 'index snapshot and new lines' : 'files'} (${r.local.skipped} unreadable lines skipped${r.team ? `, team file ${r.team.records} records` : ''})`,
    );
    if (r.local.skipped > 0) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('SALE skipped {0} unreadable line(s) of the auction memory (a crash mid-write or a hand edit); the rest loaded.', r.local.skipped),
      );
    }
    return store;
  }

  private async reopen(): Promise<void> {
    const old = this.opening;
    this.opening = undefined;
    (await old?.catch(() => undefined))?.dispose();
  }

  /**
   * Embeds, in the background, up to BACKFILL_CAP past auctions that have no vector of the current embedder's
   * model yet (after activation and when the embedder changes), so retrieval by embedding sees the older
   * auctions too. A call for another model cancels a running one; for the same model it joins it. Failures are
   * logged; retrieval then stays lexical for the auctions without a vector. Resolves with how many were embedded.
   */
  backfillEmbeddings(): Promise<number> {
    const model = this.embedder?.()?.model;
    if (this.backfilling && this.backfilling.model === model) return this.backfilling.done;
    this.backfilling?.abort.abort();
    this.backfilling = undefined;
    if (model === undefined) return Promise.resolve(0);
    const run = new AbortController();
    const done = this.store()
      .then((store) => store.backfillEmbeddings({ limit: BACKFILL_CAP, batch: BACKFILL_BATCH, signal: run.signal }))
      .then(
        (n) => {
          if (n > 0) this.log.info(`memory: embedded ${n} past auction(s) for retrieval by embedding`);
          return n;
        },
        (e: unknown) => {
          if (!run.signal.aborted) this.log.warn(`memory: embedding past auctions failed; they stay searchable lexically: ${e instanceof Error ? e.message : String(e)}`);
          return 0;
        },
      )
      .finally(() => {
        if (this.backfilling?.abort === run) this.backfilling = undefined;
      });
    this.backfilling = { model, abort: run, done };
    return done;
  }

  /** Appends an auction line (from the journal); the store also embeds its task when an embedder is set. */
  async appendAuction(line: AuctionLine): Promise<void> {
    await (await this.store()).recordAuction(line);
    this.changed.fire();
  }

  /**
   * Adds a store that keeps task text of auctions too (the session log): a delete or clear of the memory resolves
   * only once it has forgotten them as well, and its failure is the command's failure.
   */
  addForgetter(forget: (auctionIds?: readonly string[]) => Promise<void>): Disposable {
    this.forgetters.add(forget);
    return { dispose: () => this.forgetters.delete(forget) };
  }

  /** Deletes one auction from the memory and from every store that forgets with it; then the views refresh. */
  async deleteAuction(auctionId: string): Promise<void> {
    try {
      await (await this.store()).delete(auctionId);
      await Promise.all([...this.forgetters].map((f) => f([auctionId])));
    } finally {
      this.changed.fire();
    }
  }

  /** Clears the whole memory of this workspace and every store that forgets with it; then the views refresh. */
  async clear(): Promise<void> {
    try {
      await (await this.store()).clear();
      await Promise.all([...this.forgetters].map((f) => f()));
    } finally {
      this.changed.fire();
    }
  }

  /** Tells the views that read the memory (its tree, Routing insights) that it changed: a delete, an import, a clear. */
  notifyChanged(): void {
    this.changed.fire();
  }

  /** Appends an outcome line (from the journal). */
  async appendOutcome(line: OutcomeLine): Promise<void> {
    await (await this.store()).recordOutcomeLine(line);
    this.changed.fire();
  }

  dispose(): void {
    if (this.warmUpTimer) clearTimeout(this.warmUpTimer);
    this.backfilling?.abort.abort();
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
    void this.opening?.then((s) => s.dispose(), () => undefined);
  }
}
