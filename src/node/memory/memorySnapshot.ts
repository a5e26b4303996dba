import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
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
const FORMAT = 1;
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

/**
 * Writes a snapshot of `index` as of `sources`. Returns false (and writes nothing) when a file changed under
 * the cursor in the meantime; the caller tries again later.
 */
export async function writeMemorySnapshot(file: string, index: MemoryIndexSnapshot, sources: readonly SnapshotSource[]): Promise<boolean> {
  const stored: StoredSource[] = [];
  for (const s of sources) {
    const hash = s.cursor ? await tailHash(s.path, s.cursor) : null;
    if (hash === undefined) return false;
    stored.push({ ...s, tailHash: hash });
  }
  const encoder = new TextEncoder();
  const sections = { [META_SECTION]: encoder.encode(JSON.stringify(index.meta)), [TEXT_SECTION]: encoder.encode(index.text), ...index.arrays };
  const sectionBytes = Object.values(sections).map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const header: SnapshotHeader = { format: FORMAT, schema: MEMORY_SCHEMA_VERSION, sources: stored, checksum: checksum(sectionBytes) };
  await writeAtomically(file, pack(MAGIC, header, sections), { sync: false });
  return true;
}

/** A temporary file of a snapshot write this old was left by a window that died while writing. */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes temporary files left next to `file` by snapshot writes that never finished (the window was killed):
 * at 100k auctions each is about 200 MB. Recent ones may belong to another window writing right now.
 */
export async function removeStaleSnapshotTemps(file: string, now = Date.now()): Promise<number> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let removed = 0;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    const st = await fs.stat(full).catch(() => undefined);
    if (st && now - st.mtimeMs > STALE_TEMP_MS) {
      await fs.rm(full, { force: true });
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
