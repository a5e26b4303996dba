import * as fs from 'node:fs/promises';
import { isCancellation, throwIfAborted } from '../../common/errors';
import type { Disposable } from '../../common/lifecycle';
import { nullLogger, type Logger } from '../../common/log';
import { AuctionMemory, embeddingLine, embeddingText } from '../../common/memory/auctionMemory';
import type { Embedder } from '../../common/memory/embedder';
import type { AuctionView } from '../../common/memory/fold';
import { memoryLineCodec } from '../../common/memory/legacy';
import { MemoryIndex } from '../../common/memory/memoryIndex';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type MemoryLine, type OutcomeFact, type OutcomeLine } from '../../common/memory/records';
import type { VectorIndexOptions } from '../../common/memory/retrieval/vectorIndex';
import { redactForStorage } from '../../common/memory/sanitize';
import { newId } from '../../common/taskText';
import { JsonlStore, type LineRef, type LoadReport } from '../storage/jsonlStore';
import { LOCAL, MemoryFiles, bodyRef } from './memoryFiles';
import { SnapshotKeeper, readMemorySnapshot, removeStaleSnapshotTemps, type CapturedState } from './memorySnapshot';
import { ensureTeamFolder } from './teamMemory';

/** Options of a MemoryStore. */
export interface MemoryStoreOptions {
  /** The workspace's memory file, normally `<ExtensionContext.storageUri>/memory.jsonl`. */
  localPath: string;
  /** Team memory on: `<repoRoot>/.sale/memory.jsonl` is read with the local file and receives sanitised copies. */
  team?: { repoRoot: string };
  /** The current embedder (none: lexical retrieval only). */
  embedder?: () => Embedder | undefined;
  log?: Logger;
  lockStaleMs?: number;
  lockTimeoutMs?: number;
  vectorOptions?: VectorIndexOptions;
  /** Clock for event times; tests pin it. */
  now?: () => Date;
  /**
   * The index snapshot next to the local file (see memorySnapshot.ts), or false for none. It is written in the
   * background once `everyLines` lines were read or written since the last one (default 2,000): small
   * memories load fast from the files alone.
   */
  snapshot?: false | { path?: string; everyLines?: number };
}

/** Where the snapshot of a memory file goes by default: `memory.jsonl` → `memory.index`. */
export function snapshotPathFor(localPath: string): string {
  return `${localPath.replace(/\.jsonl$/, '')}.index`;
}

/** What the last load or refresh found in each file. */
export interface MemoryLoadReports {
  local: LoadReport;
  team?: LoadReport;
}

/**
 * The auction memory on disk: a local JSONL file (plus the optional team file), folded into a MemoryIndex kept
 * in sync with every append, and the AuctionMemoryPort the engine uses (`port`).
 *
 * Local and team lines are merged on read, local first, de-duplicated by id (a local record is the full one;
 * its team copy is sanitised). Lines appended by another window are picked up by `refresh()`.
 *
 * The index keeps a head of each auction (task, winner, pool) and where its line is; the bids' plans are read
 * from the file when needed (`auction()`, pair selection). A snapshot of the index lets a reload skip parsing
 * the lines it already covers.
 */
export class MemoryStore implements Disposable {
  readonly port: AuctionMemory;
  private index: MemoryIndex;
  private readonly files: MemoryFiles;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly keeper: SnapshotKeeper | undefined;
  private source: 'snapshot' | 'files' = 'files';
  /** Refresh, reload, snapshot capture, delete and clear run one at a time, in order (`exclusive`). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Counts reloads, so that many readers finding stale positions at once cause one reload, not many. */
  private loads = 0;

  private constructor(private readonly options: MemoryStoreOptions) {
    this.log = options.log ?? nullLogger;
    this.now = options.now ?? (() => new Date());
    this.files = new MemoryFiles(
      {
        localPath: options.localPath,
        ...(options.team ? { teamRepoRoot: options.team.repoRoot } : {}),
        ...(options.lockStaleMs !== undefined ? { lockStaleMs: options.lockStaleMs } : {}),
        ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
      },
      this.log,
    );
    this.index = new MemoryIndex(options.vectorOptions);
    const snapshotPath = options.snapshot === false ? undefined : (options.snapshot?.path ?? snapshotPathFor(this.files.local.path));
    this.keeper = snapshotPath ? new SnapshotKeeper(snapshotPath, (options.snapshot || undefined)?.everyLines ?? 2000, () => this.capture(), this.log) : undefined;
    this.port = this.makePort();
  }

  /**
   * Opens the store: from the snapshot plus the lines appended since when there is a usable one, else by
   * reading both files. Never fails on torn or corrupt lines (see `reports`).
   */
  static async open(options: MemoryStoreOptions): Promise<MemoryStore> {
    const store = new MemoryStore(options);
    if (options.team) await ensureTeamFolder(options.team.repoRoot);
    await store.exclusive(() => store.load());
    return store;
  }

  /** Whether the last load started from the snapshot or read every line of the files. */
  get loadedFrom(): 'snapshot' | 'files' {
    return this.source;
  }

  get reports(): MemoryLoadReports {
    return this.files.reports();
  }

  get memoryIndex(): MemoryIndex {
    return this.index;
  }

  /** One auction with its outcome, or undefined. */
  get(auctionId: string): AuctionView | undefined {
    return this.index.state.get(auctionId);
  }

  /**
   * An auction's full line (bids, plans, jury), read from its file. When the bytes there are no longer that
   * line (another window deleted something, git rewrote the team file), the files are read again and it is
   * looked up once more; undefined when it is gone.
   */
  auction(auctionId: string): Promise<AuctionLine | undefined> {
    return this.readBack(`the line of auction ${auctionId}`, async () => {
      const body = this.index.state.body(auctionId);
      if (!body) return { value: undefined };
      const line = 'kind' in body ? body : await this.files.readAt(body);
      return line?.kind === 'auction' && line.id === auctionId ? { value: line } : undefined;
    });
  }

  /** The auction's outcome events in time order, read from the files (like `auction()`). */
  async outcomes(auctionId: string): Promise<OutcomeLine[]> {
    const found = await this.readBack(`the outcome events of auction ${auctionId}`, async () => {
      const events = this.index.state.eventLines(auctionId);
      const lines = await Promise.all(events.map(({ line }) => ('kind' in line ? Promise.resolve(line) : this.files.readAt(line))));
      const ok = lines.filter((l, i): l is OutcomeLine => l?.kind === 'outcome' && l.id === events[i]?.id);
      return ok.length === events.length ? { value: ok } : undefined;
    });
    return found ?? [];
  }

  /**
   * Reads lines back by their positions: `read` gives `{ value }`, or undefined when the bytes there were not
   * the expected lines. Then the files are read again (once, however many readers found stale positions) and
   * `read` tries once more; undefined (logged) when it still fails.
   */
  private async readBack<T>(what: string, read: () => Promise<{ value: T } | undefined>): Promise<T | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const loads = this.loads;
      const found = await read();
      if (found) return found.value;
      if (attempt === 0) await this.reloadUnless(loads);
    }
    this.log.warn(`memory: ${what} could not be read back from the file`);
    return undefined;
  }

  /** Reloads from the files, unless a reload happened since `loads` was read (one reload for many readers). */
  private reloadUnless(loads: number): Promise<void> {
    return this.exclusive(async () => {
      if (loads === this.loads) await this.reloadLocked();
    });
  }

  /** All auctions, newest first (for the memory browser). */
  list(): AuctionView[] {
    return [...this.index.state.all()].sort((a, b) => (a.head.time < b.head.time ? 1 : a.head.time > b.head.time ? -1 : 0));
  }

  /**
   * Records a finished auction: durable in the local file when this resolves (and in the team file, sanitised,
   * when team memory is on). Its task is then embedded when an embedder is set; an embedding failure is logged
   * and leaves the record to lexical retrieval.
   */
  async recordAuction(line: AuctionLine, options: { signal?: AbortSignal } = {}): Promise<void> {
    const auction = redactForStorage(line) as AuctionLine;
    await this.write(auction);
    const embedder = this.options.embedder?.();
    if (!embedder) return;
    try {
      const [vector] = await embedder.embed([auction.task], { auctionId: auction.id, ...(options.signal ? { signal: options.signal } : {}) });
      if (vector) await this.write(embeddingLine(auction.id, embedder.model, vector));
    } catch (e) {
      if (isCancellation(e)) return;
      this.log.warn(`embedding auction ${auction.id} failed; it stays searchable lexically: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Appends one outcome event for an auction (never rewriting the auction line). */
  async recordOutcome(auctionId: string, fact: OutcomeFact, bidId?: string): Promise<OutcomeLine> {
    const at = this.now();
    return this.recordOutcomeLine({ v: MEMORY_SCHEMA_VERSION, kind: 'outcome', id: newId('out', at.getTime()), auctionId, ...(bidId !== undefined ? { bidId } : {}), time: at.toISOString(), fact });
  }

  /** Appends an outcome line built elsewhere (the auction journal), redacted like every other line. */
  async recordOutcomeLine(outcome: OutcomeLine): Promise<OutcomeLine> {
    const line = redactForStorage(outcome) as OutcomeLine;
    await this.write(line);
    return line;
  }

  /**
   * Deletes one auction: its lines are removed from the local (and team) file by an atomic rewrite, and a
   * tombstone is appended so a copy arriving later (a git union merge of the team file) stays deleted.
   */
  async delete(auctionId: string): Promise<void> {
    const related = (l: MemoryLine): boolean => (l.kind === 'auction' ? l.id === auctionId : l.auctionId === auctionId);
    const tombstone: MemoryLine = { v: MEMORY_SCHEMA_VERSION, kind: 'deleted', id: `${auctionId}/deleted`, auctionId, time: this.now().toISOString() };
    // From now on this window writes nothing more about it (an outcome arriving during the rewrite is dropped).
    this.index.ingest(tombstone);
    await this.exclusive(async () => {
      // The snapshot holds the task text too: it goes first (with any being written), so the text is gone from
      // this window's files when this returns.
      await this.keeper?.invalidate();
      // A line of a newer schema stays unless it names the deleted auction (whatever else it holds).
      const namesIt = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && ((raw as { auctionId?: unknown }).auctionId === auctionId || ((raw as { kind?: unknown }).kind === 'auction' && (raw as { id?: unknown }).id === auctionId));
      for (const store of this.files.all()) await store.rewrite((l) => !related(l), (raw) => !namesIt(raw));
      await this.files.append(tombstone);
      // Every position in the rewritten files moved: read them again now, once.
      await this.reloadLocked();
    });
  }

  /**
   * Clears the local memory (an atomic rewrite to an empty file) and, when asked, the team file. Clearing the
   * team file removes the lines for everyone on the next commit; a clone that has not pulled can still bring
   * them back by a merge, which is how git works for any deleted content.
   */
  async clear(options: { team?: boolean } = {}): Promise<void> {
    await this.exclusive(async () => {
      await this.keeper?.invalidate();
      await this.files.local.clear();
      if (options.team) await this.files.team?.clear();
      await this.reloadLocked();
    });
  }

  /**
   * Reads lines appended since the last read, by this or another window; when a file was replaced (a delete or
   * clear in another window), rebuilds the index from both files.
   */
  refresh(): Promise<void> {
    return this.exclusive(() => this.refreshLocked());
  }

  /**
   * Writes the index snapshot now (normally it is written in the background, see `options.snapshot`). Returns
   * false when there is no snapshot path or the files were rewritten meanwhile.
   */
  saveSnapshot(): Promise<boolean> {
    return this.keeper ? this.keeper.write() : Promise.resolve(false);
  }

  /** Writes every auction and its events (local and team, de-duplicated) to `dest` as JSONL. */
  async exportTo(dest: string): Promise<number> {
    const lines = await this.files.loadAll();
    const scratch = new JsonlStore({ path: dest, codec: memoryLineCodec, log: this.log });
    await fs.rm(scratch.path, { force: true });
    await scratch.appendMany(lines);
    return lines.length;
  }

  /** Imports a JSONL export into the local file, skipping lines already known; older versions are upgraded. */
  async importFrom(src: string): Promise<{ imported: number; duplicates: number; report: LoadReport }> {
    const text = await fs.readFile(src, 'utf8');
    const { records, report } = this.files.local.parseForeign(text, src);
    const known = new Set((await this.files.loadAll()).map((l) => l.id));
    const fresh = records.filter((l) => !known.has(l.id) && (known.add(l.id), true)).map(redactForStorage);
    const refs = await this.files.local.appendMany(fresh);
    fresh.forEach((line, i) => this.index.ingest(line, bodyRef(LOCAL, refs[i] as LineRef)));
    this.keeper?.count(fresh.length);
    this.keeper?.maybeWrite();
    return { imported: fresh.length, duplicates: records.length - fresh.length, report };
  }

  /** Embeds up to `limit` auctions without a vector of the embedder's model, `batch` per call; abort stops it. */
  async backfillEmbeddings(options: { limit?: number; batch?: number; signal?: AbortSignal } = {}): Promise<number> {
    const embedder = this.options.embedder?.();
    if (!embedder) return 0;
    const todo = this.index.missingVectors(embedder.model).slice(0, options.limit ?? 500);
    const batch = options.batch ?? 64;
    let done = 0;
    for (let i = 0; i < todo.length; i += batch) {
      throwIfAborted(options.signal);
      const views = todo.slice(i, i + batch);
      const vectors = await embedder.embed(views.map(embeddingText), options.signal ? { signal: options.signal } : {});
      const lines = views.flatMap((v, j) => (vectors[j] ? [embeddingLine(v.head.id, embedder.model, vectors[j])] : []));
      await this.files.local.appendMany(lines);
      for (const l of lines) this.index.ingest(l);
      this.keeper?.count(lines.length);
      done += lines.length;
    }
    return done;
  }

  dispose(): void {
    // Nothing is held open between calls: every append opens, syncs and closes the file. A snapshot being
    // written finishes on its own (or not: it is written by rename, so a cut-off write leaves the old one).
    this.keeper?.dispose();
  }

  /** Runs `fn` after every earlier exclusive operation has finished (whether it succeeded or not). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** First load: the snapshot and the lines after it when it fits the files, else every line. (Exclusive.) */
  private async load(): Promise<void> {
    if (this.keeper) {
      await removeStaleSnapshotTemps(this.keeper.path);
      const loaded = await readMemorySnapshot(
        this.keeper.path,
        this.files.all().map((s) => s.path),
        this.options.vectorOptions,
      );
      if ('index' in loaded) {
        this.index = loaded.index;
        this.files.moveTo(loaded.sources);
        this.source = 'snapshot';
        this.keeper.reset(0);
        await this.refreshLocked();
        return;
      }
      if (loaded.unusable !== 'none yet') this.log.info(`memory: index snapshot not used (${loaded.unusable}); reading the files`);
    }
    await this.reloadLocked();
  }

  /** Reads what was appended since the cursors into the index; a replaced file means a reload. (Exclusive.) */
  private async refreshLocked(): Promise<void> {
    const positions = this.files.current();
    const { replaced } = await this.files.readInto(this.index, positions, () => this.keeper?.count(1));
    if (replaced) {
      // Rewritten since (a delete or clear in another window): whatever was just fed is dropped with the index.
      await this.reloadLocked();
      return;
    }
    this.files.moveTo(positions);
    this.keeper?.maybeWrite();
  }

  /**
   * Reads both files into a new index, and only then replaces the current one, so readers never see a
   * half-loaded memory. (Exclusive.)
   */
  private async reloadLocked(): Promise<void> {
    const index = new MemoryIndex(this.options.vectorOptions);
    let lines = 0;
    const positions = this.files.current(true);
    await this.files.readInto(index, positions, () => lines++);
    this.index = index;
    this.files.moveTo(positions);
    this.source = 'files';
    this.loads++;
    this.keeper?.reset(lines);
    // Lines this window wrote while the files were read went into the old index: read anything after the cursors.
    await this.refreshLocked();
  }

  /** The index and cursors, taken together for a snapshot after reading what is new. */
  private capture(): Promise<CapturedState> {
    return this.exclusive(async () => {
      await this.refreshLocked();
      const keeper = this.keeper as SnapshotKeeper;
      return {
        snapshot: this.index.toSnapshot(),
        sources: this.files.snapshotSources(),
        lines: keeper.lines,
        generation: keeper.generation,
      };
    });
  }

  /** Appends a line locally, feeds the index, then writes its sanitised copy to the team file. */
  private async write(line: MemoryLine): Promise<void> {
    if (line.kind !== 'auction' && line.kind !== 'deleted' && this.index.state.isDeleted(line.auctionId)) return;
    // The index gets the local (full) line before the team copy exists, so a refresh can never index the
    // sanitised copy in its place.
    await this.files.append(line, (ref) => this.index.ingest(line, bodyRef(LOCAL, ref)));
    this.keeper?.count(1);
    this.keeper?.maybeWrite();
  }

  private makePort(): AuctionMemory {
    // The port reads `this.index` per call, because a reload replaces the index.
    return new AuctionMemory(() => this.index, {
      ...(this.options.embedder ? { embedder: this.options.embedder } : {}),
      log: this.log,
      loadAuction: (id) => this.auction(id),
    });
  }
}
