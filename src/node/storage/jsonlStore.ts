import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { nullLogger, type Logger } from '../../common/log';
import type { LineCodec } from '../../common/storage/lineCodec';
import { serialized, withFileLock } from './fileLock';
import { countLine, decodeLine, decodeUtf8, emptyReport, INVALID_UTF8, parseChunk, type LoadReport } from './jsonlParse';

export type { LoadReport, SkippedLine } from './jsonlParse';

/** Bytes read per chunk when loading. */
const READ_CHUNK = 4 * 1024 * 1024;

const NEWLINE = Buffer.from('\n');

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

/** Where one line sits in the file: byte offset and byte length (without the newline). */
export interface LineRef {
  offset: number;
  length: number;
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

  /** Appends one record; durable when the promise resolves. Returns where its line landed. */
  async append(record: T): Promise<LineRef> {
    return (await this.appendMany([record]))[0] as LineRef;
  }

  /**
   * Appends records as one write (all or, after a crash, a prefix of whole lines plus at most one torn line).
   * Returns where each line landed, in order (valid until the file is rewritten).
   */
  async appendMany(records: readonly T[]): Promise<LineRef[]> {
    if (records.length === 0) return [];
    const lines = records.map((r) => Buffer.from(JSON.stringify(this.codec.encode ? this.codec.encode(r) : r) + '\n', 'utf8'));
    const start = await serialized(this.path, () => this.locked(() => this.appendLocked(Buffer.concat(lines))));
    let offset = start;
    return lines.map((l) => {
      const ref = { offset, length: l.length - 1 };
      offset += l.length;
      return ref;
    });
  }

  /**
   * Reads the one record at `ref` (from `readSince` or `append`). Undefined when the file is gone or the bytes
   * there are not a whole valid record (the file was rewritten since): the caller re-reads the file then.
   */
  async readAt(ref: LineRef): Promise<T | undefined> {
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const buf = Buffer.allocUnsafe(ref.length);
      const { bytesRead } = await fh.read(buf, 0, ref.length, ref.offset);
      if (bytesRead !== ref.length) return undefined;
      const text = decodeUtf8(buf);
      if (text === undefined) return undefined;
      const decoded = decodeLine(text.trim(), this.codec);
      return decoded.ok ? decoded.value : undefined;
    } finally {
      await fh.close();
    }
  }

  /** Reads the whole file. */
  load(): Promise<ReadResult<T>> {
    return this.readSince(undefined);
  }

  /**
   * Reads what was appended since `cursor` (by any process), or everything when the cursor is undefined or the
   * file was replaced. Does not take the lock: appends are whole-line writes, and an unfinished last line is
   * left for the next read. The file is read in chunks; with `onRecord`, records are handed over one by one and
   * not collected (`records` is then empty), so a large file never sits in memory twice.
   */
  async readSince(cursor: Cursor | undefined, onRecord?: (record: T, ref: LineRef) => void): Promise<ReadResult<T>> {
    const report = emptyReport(this.path);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], report, cursor: undefined, reset: cursor !== undefined };
      throw e;
    }
    const records: T[] = [];
    const deliver = onRecord ?? ((r: T): void => void records.push(r));
    try {
      const st = await fh.stat();
      const same = cursor !== undefined && cursor.dev === st.dev && cursor.ino === st.ino && cursor.offset <= st.size;
      let offset = same ? cursor.offset : 0;
      let line = same ? cursor.line : 1;
      let readPos = offset;
      let carry = Buffer.alloc(0);
      while (readPos < st.size) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, st.size - readPos));
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, readPos);
        if (bytesRead === 0) break;
        readPos += bytesRead;
        const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        const lastNl = data.lastIndexOf(0x0a);
        if (lastNl === -1) {
          carry = data;
          continue;
        }
        // Whole lines only, each decoded from its own bytes: a multi-byte character split across chunks is never
        // cut, and every record knows its byte position (for reading it again later without a full load).
        let pos = 0;
        while (pos <= lastNl) {
          const nl = data.indexOf(0x0a, pos);
          const text = decodeUtf8(data.subarray(pos, nl));
          const trimmed = text === undefined ? data.toString('latin1', pos, Math.min(nl, pos + 80)) : text.trim();
          if (trimmed !== '') {
            const decoded = text === undefined ? { ok: false as const, error: INVALID_UTF8 } : decodeLine(trimmed, this.codec);
            const record = countLine(decoded, trimmed, line, report);
            if (record !== undefined) deliver(record, { offset: offset + pos, length: nl - pos });
          }
          pos = nl + 1;
          line++;
        }
        offset += lastNl + 1;
        carry = data.subarray(lastNl + 1);
      }
      // A tail that is not valid UTF-8 (a write torn inside a character, or broken bytes) is never taken.
      const tailText = decodeUtf8(carry);
      const tail = tailText ?? carry.toString('latin1');
      if (tail.trim() !== '') {
        const parsed = tailText === undefined ? undefined : parseChunk(tail, line, this.codec, report, false);
        if (parsed && parsed.consumedChars === tail.length) {
          // A whole record that lost its newline: take it.
          for (const r of parsed.records) deliver(r, { offset, length: carry.length });
          offset += carry.length;
          line += parsed.lines;
        } else {
          // Counted as skipped now, but not consumed: if another window is still writing it, the next read takes it.
          report.tornTail = true;
          report.skipped++;
          report.lines++;
          report.skippedLines.push({ line, reason: 'unfinished last line (torn write, or still being written)', excerpt: tail.trim().slice(0, 80) });
        }
      }
      this.warnOnce(report);
      return { records, report, cursor: { dev: st.dev, ino: st.ino, offset, line }, reset: !same };
    } finally {
      await fh.close();
    }
  }

  /**
   * Replaces the file with the records for which `keep` returns true, atomically and under the lock. `keep` also
   * gets every record this version can read, as read under the lock (a choice that depends on the other lines,
   * such as a compaction's, is made on what is really there). A line that is JSON but does not decode (a newer
   * schema: another window, a teammate's newer version) is not this version's to judge: it is kept byte for byte,
   * in place, unless `keepUndecodable` (given its parsed JSON) says otherwise; a line that is not valid UTF-8 is
   * asked about with `undefined`. Lines that are not JSON at all (torn, corrupt) are dropped. Returns the counts.
   */
  rewrite(keep: (record: T, all: readonly T[]) => boolean, keepUndecodable: (raw: unknown) => boolean = () => true): Promise<{ kept: number; dropped: number; keptUndecodable: number }> {
    return serialized(this.path, () =>
      this.locked(async () => {
        let bytes: Buffer;
        try {
          bytes = await fs.readFile(this.path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          bytes = Buffer.alloc(0);
        }
        type Line = { record: T } | { raw: unknown; bytes: Uint8Array };
        const lines: Line[] = [];
        for (let pos = 0; pos < bytes.length; ) {
          const nl = bytes.indexOf(0x0a, pos);
          const end = nl === -1 ? bytes.length : nl;
          const lineBytes = bytes.subarray(pos, end);
          pos = end + 1;
          const text = decodeUtf8(lineBytes);
          if (text === undefined) {
            // Not valid UTF-8: not this version's to "repair"; kept byte for byte unless asked otherwise.
            lines.push({ raw: undefined, bytes: Buffer.concat([lineBytes, NEWLINE]) });
            continue;
          }
          const trimmed = text.trim();
          if (!trimmed) continue;
          const decoded = decodeLine(trimmed, this.codec);
          if (decoded.ok) {
            lines.push({ record: decoded.value });
            continue;
          }
          try {
            lines.push({ raw: JSON.parse(trimmed) as unknown, bytes: Buffer.from(`${trimmed}\n`, 'utf8') });
          } catch {
            // torn or corrupt: nothing anyone can read
          }
        }
        const all = lines.flatMap((l) => ('record' in l ? [l.record] : []));
        const out: Uint8Array[] = [];
        let kept = 0;
        let dropped = 0;
        let keptUndecodable = 0;
        for (const line of lines) {
          if ('record' in line) {
            if (keep(line.record, all)) {
              out.push(Buffer.from(this.serialize([line.record]), 'utf8'));
              kept++;
            } else dropped++;
          } else if (keepUndecodable(line.raw)) {
            out.push(line.bytes);
            keptUndecodable++;
          } else dropped++;
        }
        await writeAtomically(this.path, out);
        if (keptUndecodable > 0) this.log.info(`${this.path}: kept ${keptUndecodable} line(s) this version cannot read (a newer schema, or bytes that are not UTF-8) through a rewrite`);
        return { kept, dropped, keptUndecodable };
      }),
    );
  }

  /** Removes every record this version can read (an atomic rewrite); lines of a newer schema stay. */
  async clear(): Promise<{ keptUndecodable: number }> {
    return this.rewrite(() => false);
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

  /** Writes `data` at the end of the file and returns the offset its first byte landed at. */
  private async appendLocked(text: Buffer): Promise<number> {
    const fh = await fs.open(this.path, 'a+');
    let start: number;
    try {
      const { size } = await fh.stat();
      let data = text;
      start = size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        // The previous writer died mid-line: start on a fresh line so this record is not glued to the torn one.
        if (last[0] !== 0x0a) {
          data = Buffer.concat([Buffer.from('\n'), data]);
          start++;
        }
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
    return start;
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

/**
 * Writes `data` to `file` via a temporary sibling and rename, then syncs the folder. With `sync` (the default)
 * the data is fsynced before the rename; a cache that is checked on read may skip it. With `commit`, asked
 * just before the rename: false drops the temporary file and leaves `file` alone (the result is then false).
 */
export async function writeAtomically(file: string, data: string | readonly Uint8Array[], options: { sync?: boolean; commit?: () => boolean } = {}): Promise<boolean> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      if (typeof data === 'string') await fh.writeFile(data, 'utf8');
      // writeFile on a handle writes all of it from the current position, so the parts follow each other.
      else for (const part of data) await fh.writeFile(part);
      if (options.sync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    if (options.commit && !options.commit()) {
      await fs.rm(tmp, { force: true });
      return false;
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
  return true;
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
