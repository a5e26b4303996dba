import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { nullLogger, type Logger } from '../../common/log';
import type { LineCodec } from '../../common/storage/lineCodec';
import { serialized, withFileLock } from './fileLock';
import { emptyReport, parseChunk, type LoadReport } from './jsonlParse';

export type { LoadReport, SkippedLine } from './jsonlParse';

/** Options of a JsonlStore. */
export interface JsonlStoreOptions<T> {
  /** The JSONL file; it and its folder are created on the first append. */
  path: string;
  /** Validates, upgrades and encodes lines. */
  codec: LineCodec<T>;
  log?: Logger;
  /** See LockOptions.staleMs (default 10 s). */
  lockStaleMs?: number;
  /** See LockOptions.timeoutMs (default 30 s). */
  lockTimeoutMs?: number;
}

/**
 * Where a reader stopped in the file: byte offset and line number within the file identified by (dev, ino).
 * A rewrite (clear, delete, compaction) replaces the file by rename, so a changed inode means "read it all again".
 */
export interface Cursor {
  dev: number;
  ino: number;
  offset: number;
  line: number;
}

/** The result of reading a store: records in file order, what was skipped, and where to continue from. */
export interface ReadResult<T> {
  records: T[];
  report: LoadReport;
  cursor: Cursor | undefined;
  /** True when the records are the whole file (first read, or the file was replaced since the cursor). */
  reset: boolean;
}

/**
 * A durable, append-only JSONL file of records of one schema, shared by the memory and the ledger.
 *
 * - `append` returns once the line is on disk (write + fdatasync; the folder is synced after creating the file).
 * - Appends are serialised within the process and, across processes (two VS Code windows), by proper-lockfile;
 *   each append is one `write()` of whole lines, starting with a newline when the file does not end in one (a
 *   torn write from a crash), so a record never continues a broken line.
 * - Reads never fail on content: torn or corrupt lines are skipped, counted in the report, and logged once.
 * - Delete and clear are whole-file rewrites (`rewrite`): the kept lines go to a temporary file in the same
 *   folder, fsynced, then renamed over the original under the lock. A crash leaves either the old or the new
 *   file, never a mix; appenders open the file per append, so none can write into the replaced inode.
 */
export class JsonlStore<T> {
  readonly path: string;
  private readonly codec: LineCodec<T>;
  private readonly log: Logger;
  private readonly lock: { staleMs: number; timeoutMs: number; log: Logger };
  private readonly warned = new Set<string>();
  private dirSynced = false;

  constructor(options: JsonlStoreOptions<T>) {
    this.path = path.resolve(options.path);
    this.codec = options.codec;
    this.log = options.log ?? nullLogger;
    this.lock = { staleMs: options.lockStaleMs ?? 10_000, timeoutMs: options.lockTimeoutMs ?? 30_000, log: this.log };
  }

  /** Appends one record; durable when the promise resolves. */
  append(record: T): Promise<void> {
    return this.appendMany([record]);
  }

  /** Appends records as one write (all or, after a crash, a prefix of whole lines plus at most one torn line). */
  appendMany(records: readonly T[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const text = records.map((r) => JSON.stringify(this.codec.encode ? this.codec.encode(r) : r) + '\n').join('');
    return serialized(this.path, () => this.locked(() => this.appendLocked(text)));
  }

  /** Reads the whole file. */
  load(): Promise<ReadResult<T>> {
    return this.readSince(undefined);
  }

  /**
   * Reads what was appended since `cursor` (by any process), or everything when the cursor is undefined or the
   * file was replaced. Does not take the lock: appends are whole-line writes, and an unfinished last line is
   * left for the next read.
   */
  async readSince(cursor: Cursor | undefined): Promise<ReadResult<T>> {
    const report = emptyReport(this.path);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], report, cursor: undefined, reset: cursor !== undefined };
      throw e;
    }
    try {
      const st = await fh.stat();
      const same = cursor !== undefined && cursor.dev === st.dev && cursor.ino === st.ino && cursor.offset <= st.size;
      const start = same ? cursor.offset : 0;
      const firstLine = same ? cursor.line : 1;
      const length = st.size - start;
      const buf = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const text = buf.toString('utf8', 0, got);
      const parsed = parseChunk(text, firstLine, this.codec, report, false);
      const consumedBytes = Buffer.byteLength(text.slice(0, parsed.consumedChars));
      const tail = text.slice(parsed.consumedChars).trim();
      if (tail !== '') {
        // Counted as skipped now, but not consumed: if another window is still writing it, the next read takes it.
        report.tornTail = true;
        report.skipped++;
        report.lines++;
        report.skippedLines.push({ line: firstLine + parsed.lines, reason: 'unfinished last line (torn write, or still being written)', excerpt: tail.slice(0, 80) });
      }
      this.warnOnce(report);
      return {
        records: parsed.records,
        report,
        cursor: { dev: st.dev, ino: st.ino, offset: start + consumedBytes, line: firstLine + parsed.lines },
        reset: !same,
      };
    } finally {
      await fh.close();
    }
  }

  /**
   * Replaces the file with the records for which `keep` returns true (corrupt lines are dropped too), atomically
   * and under the lock. Returns how many records were kept and dropped.
   */
  rewrite(keep: (record: T) => boolean): Promise<{ kept: number; dropped: number }> {
    return serialized(this.path, () =>
      this.locked(async () => {
        const { records } = await this.readSince(undefined);
        const kept = records.filter(keep);
        await this.replaceWith(kept);
        return { kept: kept.length, dropped: records.length - kept.length };
      }),
    );
  }

  /** Removes every record (an atomic rewrite to an empty file). */
  async clear(): Promise<void> {
    await this.rewrite(() => false);
  }

  /** Writes every readable record to `dest` as JSONL in the current schema version (atomically). */
  async exportTo(dest: string): Promise<number> {
    const { records } = await this.load();
    await writeAtomically(path.resolve(dest), this.serialize(records));
    return records.length;
  }

  /** Parses JSONL text from elsewhere with this store's codec (upgrading old lines); does not append. */
  parseForeign(text: string, origin: string): { records: T[]; report: LoadReport } {
    const report = emptyReport(origin);
    const { records } = parseChunk(text, 1, this.codec, report, true);
    return { records, report };
  }

  private serialize(records: readonly T[]): string {
    return records.map((r) => JSON.stringify(this.codec.encode ? this.codec.encode(r) : r) + '\n').join('');
  }

  private async replaceWith(records: readonly T[]): Promise<void> {
    await writeAtomically(this.path, this.serialize(records));
  }

  /** Takes the cross-process lock; its folder (next to the file) must exist first. */
  private async locked<R>(fn: () => Promise<R>): Promise<R> {
    await fs.mkdir(path.dirname(this.path), { recursive: true });
    return withFileLock(this.path, this.lock, fn);
  }

  private async appendLocked(text: string): Promise<void> {
    const fh = await fs.open(this.path, 'a+');
    try {
      const { size } = await fh.stat();
      let data = Buffer.from(text, 'utf8');
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        // The previous writer died mid-line: start on a fresh line so this record is not glued to the torn one.
        if (last[0] !== 0x0a) data = Buffer.concat([Buffer.from('\n'), data]);
      }
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await fh.write(data, written, data.length - written);
        written += bytesWritten;
      }
      await fh.datasync();
    } finally {
      await fh.close();
    }
    if (!this.dirSynced) {
      await syncDir(path.dirname(this.path));
      this.dirSynced = true;
    }
  }

  /** Logs skipped lines once per store: a reload that finds the same torn line again stays quiet. */
  private warnOnce(report: LoadReport): void {
    const fresh = report.skippedLines.filter((s) => {
      const key = `${s.line}:${s.excerpt}`;
      if (this.warned.has(key)) return false;
      this.warned.add(key);
      return true;
    });
    const first = fresh[0];
    if (first) this.log.warn(`${this.path}: skipped ${report.skipped} torn or corrupt line(s), first new one at line ${first.line} (${first.reason})`);
  }
}

/** Writes `text` to `file` via a temporary sibling, fsync and rename, then syncs the folder. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // Makes a created or renamed entry durable. Not supported on Windows (EPERM/EISDIR); there NTFS journals it.
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // best effort by design, see above
  }
}
