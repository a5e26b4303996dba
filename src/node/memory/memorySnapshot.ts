import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../common/log';
import { MemoryIndex, type MemoryIndexSnapshot } from '../../common/memory/memoryIndex';
import { MEMORY_SCHEMA_VERSION } from '../../common/memory/records';
import type { VectorIndexOptions } from '../../common/memory/retrieval/vectorIndex';
import { pack, unpack } from '../../common/storage/binaryPack';
import { writeAtomically, type Cursor, type LoadReport } from '../storage/jsonlStore';

/**
 * The memory's index snapshot: the folded state, the BM25 index and the vector indexes as of a position in each
 * memory file, so a reload reads the snapshot plus the lines appended since instead of parsing every line again.
 *
 * It is a cache: the JSONL files stay the truth. A snapshot is used only when, for every file, the same file
 * (device and inode: a delete or clear replaces it) still holds the same bytes just before the recorded
 * position (a hash of the last 4 KiB), and its own checksum matches; anything else means "load from the files"
 * and the stale snapshot is removed. It is written atomically (temporary file and rename).
 */

const MAGIC = 'SALEMIX1';
/** 2: vector indexes carry their half-norms. */
const FORMAT = 2;
/** Bytes before a source's recorded position that must be unchanged for the snapshot to count. */
const TAIL_BYTES = 4096;

/** One memory file as the snapshot saw it. */
export interface SnapshotSource {
  path: string;
  /** Undefined when the file did not exist yet. */
  cursor: Cursor | undefined;
  report: LoadReport;
}

interface StoredSource extends SnapshotSource {
  tailHash: string | null;
}

interface SnapshotHeader {
  format: number;
  schema: number;
  sources: StoredSource[];
  /** sha256 of every section's bytes, in order (the index's JSON part is the first section). */
  checksum: string;
}

/** The sections holding the index's JSON part (outcomes, terms, ids) and its text, so the checksum covers them. */
const META_SECTION = 'index.meta';
const TEXT_SECTION = 'index.text';

/** Hash of the bytes just before `cursor.offset` in the file, or undefined when it is no longer the same file. */
async function tailHash(file: string, cursor: Cursor): Promise<string | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = await fh.stat();
    if (st.dev !== cursor.dev || st.ino !== cursor.ino || st.size < cursor.offset) return undefined;
    const from = Math.max(0, cursor.offset - TAIL_BYTES);
    const buf = Buffer.alloc(cursor.offset - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    if (bytesRead !== buf.length) return undefined;
    return createHash('sha256').update(buf).digest('hex');
  } finally {
    await fh.close();
  }
}

function checksum(parts: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Past this size `fs.readFile` cannot read the snapshot back (about 1M auctions): it is not written. */
const MAX_SNAPSHOT_BYTES = 2 ** 31 - 1;

/**
 * Writes a snapshot of `index` as of `sources`. Returns false (and leaves no snapshot of this state) when a
 * file changed under the cursor meanwhile or `isCurrent` turns false before or right after the rename (the
 * memory files are being rewritten: a delete must leave no copy of the deleted text).
 */
export async function writeMemorySnapshot(file: string, index: MemoryIndexSnapshot, sources: readonly SnapshotSource[], isCurrent: () => boolean = () => true): Promise<boolean> {
  const stored: StoredSource[] = [];
  for (const s of sources) {
    const hash = s.cursor ? await tailHash(s.path, s.cursor) : null;
    if (hash === undefined) return false;
    stored.push({ ...s, tailHash: hash });
  }
  const encoder = new TextEncoder();
  const sections = { [META_SECTION]: encoder.encode(JSON.stringify(index.meta)), [TEXT_SECTION]: encoder.encode(index.text), ...index.arrays };
  const sectionBytes = Object.values(sections).map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const size = sectionBytes.reduce((n, b) => n + b.byteLength, 0);
  if (size > MAX_SNAPSHOT_BYTES) throw new Error(`the index snapshot would be ${(size / 2 ** 30).toFixed(1)} GiB, more than can be read back`);
  const header: SnapshotHeader = { format: FORMAT, schema: MEMORY_SCHEMA_VERSION, sources: stored, checksum: checksum(sectionBytes) };
  if (!(await writeAtomically(file, pack(MAGIC, header, sections), { sync: false, commit: isCurrent }))) return false;
  if (!isCurrent()) {
    // Made stale while the rename was in flight: take it back.
    await fs.rm(file, { force: true });
    return false;
  }
  return true;
}

/** A temporary file of a snapshot write this old was left by a window that died while writing. */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes temporary files left next to `file` by snapshot writes that never finished (the window was killed):
 * at 100k auctions each is about 200 MB. Recent ones may belong to another window writing right now.
 */
export async function removeStaleSnapshotTemps(file: string, olderThanMs = STALE_TEMP_MS): Promise<number> {
  const now = Date.now();
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let removed = 0;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    const st = await fs.stat(full).catch(() => undefined);
    if (st && now - st.mtimeMs >= olderThanMs) {
      // A cache's clean-up must never stop the memory from opening (EPERM, EBUSY on Windows).
      await fs.rm(full, { force: true }).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}

/** A snapshot that fits the files as they are now. */
export interface LoadedSnapshot {
  index: MemoryIndex;
  sources: SnapshotSource[];
}

/**
 * Reads the snapshot for `paths` (the memory files in store order). Returns the index and each file's cursor
 * and report, or a reason it cannot be used (missing, stale, corrupt, another version); a stale or corrupt
 * snapshot file is removed.
 */
export async function readMemorySnapshot(file: string, paths: readonly string[], vectorOptions: VectorIndexOptions = {}): Promise<LoadedSnapshot | { unusable: string }> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    return { unusable: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'none yet' : `unreadable (${(e as Error).message})` };
  }
  const reject = async (why: string): Promise<{ unusable: string }> => {
    await fs.rm(file, { force: true }).catch(() => undefined);
    return { unusable: why };
  };
  try {
    const unpacked = unpack(MAGIC, data);
    const header = unpacked.meta as SnapshotHeader;
    if (header.format !== FORMAT || header.schema !== MEMORY_SCHEMA_VERSION) return await reject('written by another version');
    if (header.sources.length !== paths.length || header.sources.some((s, i) => s.path !== paths[i])) return await reject('made for other memory files');
    for (const s of header.sources) {
      if (!s.cursor) continue;
      if ((await tailHash(s.path, s.cursor)) !== s.tailHash) return await reject(`${s.path} changed since`);
    }
    const { [META_SECTION]: metaBytes, [TEXT_SECTION]: textBytes, ...arrays } = unpacked.sections();
    if (!(metaBytes instanceof Uint8Array) || !(textBytes instanceof Uint8Array)) return await reject('index sections are missing');
    const sectionBytes = [metaBytes, textBytes, ...Object.values(arrays)].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    if (checksum(sectionBytes) !== header.checksum) return await reject('checksum mismatch');
    const decoder = new TextDecoder();
    const meta = JSON.parse(decoder.decode(metaBytes)) as MemoryIndexSnapshot['meta'];
    const index = MemoryIndex.fromSnapshot({ meta, text: decoder.decode(textBytes), arrays }, vectorOptions);
    return { index, sources: header.sources.map(({ path, cursor, report }) => ({ path, cursor, report })) };
  } catch (e) {
    return reject(`corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** What the store hands over for a snapshot, taken in one go under its exclusive section. */
export interface CapturedState {
  snapshot: MemoryIndexSnapshot;
  sources: SnapshotSource[];
  /** The keeper's line count at the capture (see SnapshotKeeper.count). */
  lines: number;
  /** The keeper's generation at the capture. */
  generation: number;
}

/**
 * When and how a store's snapshot is written: in the background once `everyLines` lines came in, one write at
 * a time, never from a state older than the last rewrite of the memory files (`invalidate`), and backing off
 * after a failure (a full disk must not cost a 200 MB write per new line).
 */
export class SnapshotKeeper {
  private pendingLines = 0;
  private gen = 0;
  private writing: Promise<boolean> | undefined;
  private fileWrite: Promise<unknown> | undefined;
  private disposed = false;

  constructor(
    readonly path: string,
    private readonly everyLines: number,
    private readonly capture: () => Promise<CapturedState>,
    private readonly log: Logger,
  ) {}

  get lines(): number {
    return this.pendingLines;
  }

  get generation(): number {
    return this.gen;
  }

  /** `n` more lines came into the index since the state the last snapshot holds. */
  count(n: number): void {
    this.pendingLines += n;
  }

  /** After a load: `n` lines are not in any snapshot. */
  reset(n: number): void {
    this.pendingLines = n;
  }

  /** Starts a background write when enough came in (and none is running). */
  maybeWrite(): void {
    if (this.disposed || this.writing || this.pendingLines < this.everyLines) return;
    this.write().catch((e: unknown) => this.log.warn(`memory: could not write the index snapshot: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Writes a snapshot now, after any write in progress; false when it was made stale meanwhile. */
  async write(): Promise<boolean> {
    while (this.writing) await this.writing.catch(() => false);
    const run = this.run();
    this.writing = run;
    try {
      return await run;
    } finally {
      if (this.writing === run) this.writing = undefined;
    }
  }

  /**
   * The memory files are about to be rewritten (delete, clear): no snapshot of them may remain, not even one
   * being written right now or a temporary file. Call it inside the store's exclusive section.
   */
  async invalidate(): Promise<void> {
    this.gen++;
    await this.fileWrite?.catch(() => undefined);
    await fs.rm(this.path, { force: true });
    await removeStaleSnapshotTemps(this.path, 0);
  }

  dispose(): void {
    this.disposed = true;
  }

  private async run(): Promise<boolean> {
    const captured = await this.capture();
    if (captured.generation !== this.gen) return false;
    const current = (): boolean => captured.generation === this.gen;
    const file = writeMemorySnapshot(this.path, captured.snapshot, captured.sources, current);
    this.fileWrite = file;
    let ok = false;
    try {
      ok = await file;
    } finally {
      this.fileWrite = undefined;
      // Written: what came in after the capture is still pending. Not written (stale, or an error): wait for
      // another `everyLines` before trying again.
      this.pendingLines = ok ? Math.max(0, this.pendingLines - captured.lines) : 0;
    }
    return ok;
  }
}
