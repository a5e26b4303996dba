import * as fs from 'node:fs/promises';
import { isCancellation } from '../../common/errors';
import type { Disposable } from '../../common/lifecycle';
import { nullLogger, type Logger } from '../../common/log';
import { AuctionMemory, embeddingLine, embeddingText } from '../../common/memory/auctionMemory';
import type { Embedder } from '../../common/memory/embedder';
import type { AuctionView } from '../../common/memory/fold';
import { memoryLineCodec } from '../../common/memory/legacy';
import { MemoryIndex } from '../../common/memory/memoryIndex';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type MemoryLine, type OutcomeFact, type OutcomeLine } from '../../common/memory/records';
import type { VectorIndexOptions } from '../../common/memory/retrieval/vectorIndex';
import { assertTeamSafe, sanitizeForTeam } from '../../common/memory/sanitize';
import { newId } from '../../common/taskText';
import { JsonlStore, type Cursor, type LoadReport } from '../storage/jsonlStore';
import { ensureTeamFolder, teamMemoryPath } from './teamMemory';

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
}

/** What the last load or refresh found in each file. */
export interface MemoryLoadReports {
  local: LoadReport;
  team?: LoadReport;
}

interface Source {
  store: JsonlStore<MemoryLine>;
  cursor: Cursor | undefined;
  report: LoadReport | undefined;
}

/**
 * The auction memory on disk: a local JSONL file (plus the optional team file), folded into a MemoryIndex kept
 * in sync with every append, and the AuctionMemoryPort the engine uses (`port`).
 *
 * Local and team lines are merged on read, local first, de-duplicated by id (a local record is the full one;
 * its team copy is sanitised). Lines appended by another window are picked up by `refresh()`.
 */
export class MemoryStore implements Disposable {
  readonly port: AuctionMemory;
  private index: MemoryIndex;
  private readonly local: Source;
  private readonly team: Source | undefined;
  private readonly log: Logger;
  private readonly now: () => Date;

  private constructor(private readonly options: MemoryStoreOptions) {
    this.log = options.log ?? nullLogger;
    this.now = options.now ?? (() => new Date());
    const storeOptions = {
      codec: memoryLineCodec,
      log: this.log,
      ...(options.lockStaleMs !== undefined ? { lockStaleMs: options.lockStaleMs } : {}),
      ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
    };
    this.local = { store: new JsonlStore({ ...storeOptions, path: options.localPath }), cursor: undefined, report: undefined };
    this.team = options.team ? { store: new JsonlStore({ ...storeOptions, path: teamMemoryPath(options.team.repoRoot) }), cursor: undefined, report: undefined } : undefined;
    this.index = new MemoryIndex(options.vectorOptions);
    this.port = this.makePort();
  }

  /** Opens the store and reads both files; never fails on torn or corrupt lines (see `reports`). */
  static async open(options: MemoryStoreOptions): Promise<MemoryStore> {
    const store = new MemoryStore(options);
    if (options.team) await ensureTeamFolder(options.team.repoRoot);
    await store.refresh();
    return store;
  }

  get reports(): MemoryLoadReports {
    const empty = (path: string): LoadReport => ({ path, lines: 0, records: 0, upgraded: 0, skipped: 0, skippedLines: [], tornTail: false });
    return {
      local: this.local.report ?? empty(this.local.store.path),
      ...(this.team ? { team: this.team.report ?? empty(this.team.store.path) } : {}),
    };
  }

  get memoryIndex(): MemoryIndex {
    return this.index;
  }

  /** One auction with its outcome, or undefined. */
  get(auctionId: string): AuctionView | undefined {
    return this.index.state.get(auctionId);
  }

  /** All auctions, newest first (for the memory browser). */
  list(): AuctionView[] {
    return [...this.index.state.all()].sort((a, b) => (a.auction.time < b.auction.time ? 1 : a.auction.time > b.auction.time ? -1 : 0));
  }

  /**
   * Records a finished auction: durable in the local file when this resolves (and in the team file, sanitised,
   * when team memory is on). Its task is then embedded when an embedder is set; an embedding failure is logged
   * and leaves the record to lexical retrieval.
   */
  async recordAuction(auction: AuctionLine, options: { signal?: AbortSignal } = {}): Promise<void> {
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
  async recordOutcome(auctionId: string, fact: OutcomeFact): Promise<OutcomeLine> {
    const at = this.now();
    const line: OutcomeLine = { v: MEMORY_SCHEMA_VERSION, kind: 'outcome', id: newId('out', at.getTime()), auctionId, time: at.toISOString(), fact };
    await this.write(line);
    return line;
  }

  /**
   * Deletes one auction: its lines are removed from the local (and team) file by an atomic rewrite, and a
   * tombstone is appended so a copy arriving later (a git union merge of the team file) stays deleted.
   */
  async delete(auctionId: string): Promise<void> {
    const related = (l: MemoryLine): boolean => (l.kind === 'auction' ? l.id === auctionId : l.auctionId === auctionId);
    for (const source of this.sources()) await source.store.rewrite((l) => !related(l));
    const at = this.now();
    await this.write({ v: MEMORY_SCHEMA_VERSION, kind: 'deleted', id: `${auctionId}/deleted`, auctionId, time: at.toISOString() });
  }

  /**
   * Clears the local memory (an atomic rewrite to an empty file) and, when asked, the team file. Clearing the
   * team file removes the lines for everyone on the next commit; a clone that has not pulled can still bring
   * them back by a merge, which is how git works for any deleted content.
   */
  async clear(options: { team?: boolean } = {}): Promise<void> {
    await this.local.store.clear();
    if (options.team && this.team) await this.team.store.clear();
    await this.reload();
  }

  /**
   * Reads lines appended since the last read, by this or another window; when a file was replaced (a delete or
   * clear in another window), rebuilds the index from both files.
   */
  async refresh(): Promise<void> {
    let replaced = false;
    for (const source of this.sources()) {
      // Lines go straight into the index as they are read; if a file turns out to have been replaced, the
      // index is rebuilt from scratch below, so what was fed from the new file is not counted twice.
      const result = await source.store.readSince(source.cursor, (line) => this.index.ingest(line));
      if (result.reset && source.cursor !== undefined) replaced = true;
      source.cursor = result.cursor;
      source.report = mergeReports(source.report, result.report);
    }
    if (replaced) await this.reload();
  }

  /** Writes every auction and its events (local and team, de-duplicated) to `dest` as JSONL. */
  async exportTo(dest: string): Promise<number> {
    const seen = new Set<string>();
    const lines: MemoryLine[] = [];
    for (const source of this.sources()) {
      for (const l of (await source.store.load()).records) {
        if (seen.has(l.id)) continue;
        seen.add(l.id);
        lines.push(l);
      }
    }
    const scratch = new JsonlStore({ path: dest, codec: memoryLineCodec, log: this.log });
    await fs.rm(scratch.path, { force: true });
    await scratch.appendMany(lines);
    return lines.length;
  }

  /** Imports a JSONL export into the local file, skipping lines already known; older versions are upgraded. */
  async importFrom(src: string): Promise<{ imported: number; duplicates: number; report: LoadReport }> {
    const text = await fs.readFile(src, 'utf8');
    const { records, report } = this.local.store.parseForeign(text, src);
    const known = new Set<string>();
    for (const source of this.sources()) for (const l of (await source.store.load()).records) known.add(l.id);
    const fresh = records.filter((l) => !known.has(l.id) && (known.add(l.id), true));
    await this.local.store.appendMany(fresh);
    for (const line of fresh) this.index.ingest(line);
    return { imported: fresh.length, duplicates: records.length - fresh.length, report };
  }

  /** Embeds up to `limit` auctions that have no vector of the current embedder's model yet. */
  async backfillEmbeddings(options: { limit?: number; batch?: number; signal?: AbortSignal } = {}): Promise<number> {
    const embedder = this.options.embedder?.();
    if (!embedder) return 0;
    const todo = this.index.missingVectors(embedder.model).slice(0, options.limit ?? 500);
    const batch = options.batch ?? 64;
    let done = 0;
    for (let i = 0; i < todo.length; i += batch) {
      const views = todo.slice(i, i + batch);
      const vectors = await embedder.embed(views.map(embeddingText), options.signal ? { signal: options.signal } : {});
      const lines = views.flatMap((v, j) => (vectors[j] ? [embeddingLine(v.auction.id, embedder.model, vectors[j])] : []));
      await this.local.store.appendMany(lines);
      for (const l of lines) this.index.ingest(l);
      done += lines.length;
    }
    return done;
  }

  dispose(): void {
    // Nothing is held open between calls: every append opens, syncs and closes the file.
  }

  private sources(): Source[] {
    return this.team ? [this.local, this.team] : [this.local];
  }

  private async reload(): Promise<void> {
    this.index = new MemoryIndex(this.options.vectorOptions);
    for (const source of this.sources()) {
      source.cursor = undefined;
      source.report = undefined;
    }
    await this.refresh();
  }

  /** Appends a line locally, then its sanitised copy to the team file, then feeds the index. */
  private async write(line: MemoryLine): Promise<void> {
    await this.local.store.append(line);
    if (this.team) {
      const shared = sanitizeForTeam(line);
      if (shared) {
        try {
          assertTeamSafe(shared);
          await this.team.store.append(shared);
        } catch (e) {
          this.log.warn(`not written to the team memory: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    this.index.ingest(line);
  }

  private makePort(): AuctionMemory {
    // The port reads `this.index` per call, because a reload replaces the index.
    return new AuctionMemory(() => this.index, { ...(this.options.embedder ? { embedder: this.options.embedder } : {}), log: this.log });
  }
}

function mergeReports(a: LoadReport | undefined, b: LoadReport): LoadReport {
  if (!a) return b;
  return {
    path: b.path,
    lines: a.lines + b.lines,
    records: a.records + b.records,
    upgraded: a.upgraded + b.upgraded,
    // An unfinished tail seen before is seen again by the next read; count it once.
    skipped: a.skipped - (a.tornTail ? 1 : 0) + b.skipped,
    skippedLines: [...a.skippedLines.filter((s) => !a.tornTail || s !== a.skippedLines[a.skippedLines.length - 1]), ...b.skippedLines].slice(0, 20),
    tornTail: b.tornTail,
  };
}
