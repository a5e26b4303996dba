import type { Logger } from '../../common/log';
import type { BodyRef } from '../../common/memory/fold';
import { memoryLineCodec } from '../../common/memory/legacy';
import type { MemoryIndex } from '../../common/memory/memoryIndex';
import type { MemoryLine } from '../../common/memory/records';
import { assertTeamSafe, sanitizeForTeam } from '../../common/memory/sanitize';
import { emptyReport, mergeReports } from '../storage/jsonlParse';
import { JsonlStore, type Cursor, type LineRef, type LoadReport } from '../storage/jsonlStore';
import type { SnapshotSource } from './memorySnapshot';
import { teamMemoryPath } from './teamMemory';

/** Where a read of one file stopped, and what it found so far. */
export interface Position {
  cursor: Cursor | undefined;
  report: LoadReport | undefined;
}

/** Index of the local file in `all()` (and in BodyRef.source); the team file, when on, is 1. */
export const LOCAL = 0;
const TEAM = 1;

export function bodyRef(source: number, ref: LineRef): BodyRef {
  return { source, offset: ref.offset, length: ref.length };
}

/**
 * The memory's files, local and (when on) team, and how far each has been read: appends (a sanitised copy to
 * the team file), reads since a position in an order that keeps local lines first, reads of one line by
 * position. The index they feed belongs to the MemoryStore.
 */
export class MemoryFiles {
  readonly local: JsonlStore<MemoryLine>;
  readonly team: JsonlStore<MemoryLine> | undefined;
  private positions: Position[];

  constructor(
    options: { localPath: string; teamRepoRoot?: string; lockStaleMs?: number; lockTimeoutMs?: number },
    private readonly log: Logger,
  ) {
    const storeOptions = {
      codec: memoryLineCodec,
      log,
      ...(options.lockStaleMs !== undefined ? { lockStaleMs: options.lockStaleMs } : {}),
      ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
    };
    this.local = new JsonlStore({ ...storeOptions, path: options.localPath });
    this.team = options.teamRepoRoot !== undefined ? new JsonlStore({ ...storeOptions, path: teamMemoryPath(options.teamRepoRoot) }) : undefined;
    this.positions = this.all().map(() => ({ cursor: undefined, report: undefined }));
  }

  /** The files in source order (local, then team). */
  all(): JsonlStore<MemoryLine>[] {
    return this.team ? [this.local, this.team] : [this.local];
  }

  /** What the reads so far found in each file. */
  reports(): { local: LoadReport; team?: LoadReport } {
    const of = (i: number, store: JsonlStore<MemoryLine>): LoadReport => this.positions[i]?.report ?? emptyReport(store.path);
    return { local: of(LOCAL, this.local), ...(this.team ? { team: of(TEAM, this.team) } : {}) };
  }

  /** A copy of the current positions (to read into an index, then `moveTo`), or fresh ones from the start. */
  current(fromStart = false): Position[] {
    return this.positions.map((p) => (fromStart ? { cursor: undefined, report: undefined } : { ...p }));
  }

  moveTo(positions: readonly Position[]): void {
    this.positions = this.all().map((_, i) => ({ cursor: positions[i]?.cursor, report: positions[i]?.report }));
  }

  /** The files and positions as a snapshot records them. */
  snapshotSources(): SnapshotSource[] {
    return this.all().map((s, i) => ({ path: s.path, cursor: this.positions[i]?.cursor, report: this.positions[i]?.report ?? emptyReport(s.path) }));
  }

  /**
   * Feeds `index` with what each file holds after its position, and moves the positions. The team file is read
   * into a buffer, then the local file once more, and only then the team lines are fed: a line is written
   * locally before its team copy, so the full local line of any team copy read is in the index first (the first
   * copy of an id wins). True in `replaced` when a file was rewritten since its position.
   */
  async readInto(index: MemoryIndex, positions: Position[], counted: () => void): Promise<{ replaced: boolean }> {
    const read = async (i: number, feed: (line: MemoryLine, ref: LineRef) => void): Promise<boolean> => {
      const at = positions[i] as Position;
      const result = await (this.all()[i] as JsonlStore<MemoryLine>).readSince(at.cursor, feed);
      if (result.reset && at.cursor !== undefined) return true;
      at.cursor = result.cursor;
      at.report = mergeReports(at.report, result.report);
      return false;
    };
    const local = (line: MemoryLine, ref: LineRef): void => {
      index.ingest(line, bodyRef(LOCAL, ref));
      counted();
    };
    if (await read(LOCAL, local)) return { replaced: true };
    if (!this.team) return { replaced: false };
    const teamLines: [MemoryLine, LineRef][] = [];
    if (await read(TEAM, (line, ref) => teamLines.push([line, ref]))) return { replaced: true };
    if (await read(LOCAL, local)) return { replaced: true };
    for (const [line, ref] of teamLines) {
      index.ingest(line, bodyRef(TEAM, ref));
      counted();
    }
    return { replaced: false };
  }

  readAt(ref: BodyRef): Promise<MemoryLine | undefined> {
    return this.all()[ref.source]?.readAt(ref) ?? Promise.resolve(undefined);
  }

  /** Appends a line to the local file (then `afterLocal`), and its sanitised copy to the team file. */
  async append(line: MemoryLine, afterLocal?: (ref: LineRef) => void): Promise<LineRef> {
    const ref = await this.local.append(line);
    afterLocal?.(ref);
    if (this.team) {
      const shared = sanitizeForTeam(line);
      if (shared) {
        try {
          assertTeamSafe(shared);
          await this.team.append(shared);
        } catch (e) {
          this.log.warn(`not written to the team memory: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    return ref;
  }

  /** Every line of both files, de-duplicated by id (local first). */
  async loadAll(): Promise<MemoryLine[]> {
    const seen = new Set<string>();
    const lines: MemoryLine[] = [];
    for (const store of this.all()) {
      for (const l of (await store.load()).records) {
        if (seen.has(l.id)) continue;
        seen.add(l.id);
        lines.push(l);
      }
    }
    return lines;
  }
}
