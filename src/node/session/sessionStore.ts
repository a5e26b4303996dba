import * as path from 'node:path';
import type { Logger } from '../../common/log';
import type { AuctionSession } from '../../common/session/auctionSession';
import { restoreSessions, SessionLine } from '../../common/session/sessionRecord';
import { zodCodec } from '../../common/storage/lineCodec';
import { JsonlStore } from '../storage/jsonlStore';

/** The session log's file in the workspace's storage folder. */
export const SESSION_LOG_FILE = 'sessions.jsonl';

/** How many of the newest auctions a reloaded window gets back. */
export const RESTORED_SESSIONS = 10;

/** The log is compacted at start when it holds more lines than this many per restored session. */
const LINES_PER_SESSION_BEFORE_COMPACTION = 4;

/**
 * The session log on disk (`sessions.jsonl` beside the memory and the ledger): append-only, each line on disk
 * (fdatasync) when `append` resolves; torn lines and lines of a newer version are skipped on read, counted and
 * logged, and the rest restored. At start it is compacted to the lines that state the restored sessions.
 */
export class SessionStore {
  private readonly store: JsonlStore<SessionLine>;

  constructor(
    storageDir: string,
    private readonly log: Logger,
  ) {
    this.store = new JsonlStore({ path: path.join(storageDir, SESSION_LOG_FILE), codec: zodCodec(SessionLine), log });
  }

  get path(): string {
    return this.store.path;
  }

  append(line: SessionLine): Promise<unknown> {
    return this.store.append(line);
  }

  /** The newest `keep` sessions of the log; never rejects (a log that cannot be read restores nothing, and says why). */
  async restore(keep = RESTORED_SESSIONS): Promise<AuctionSession[]> {
    try {
      const { records, report: read } = await this.store.load();
      const { sessions, report } = restoreSessions(records, keep);
      if (read.skipped > 0) this.log.warn(`session log: skipped ${read.skipped} line(s) that are torn, corrupt or from a newer version of SALE (${this.store.path}); the other sessions are restored`);
      if (report.interruptedRuns.length > 0) this.log.info(`session log: ${report.interruptedRuns.length} run(s) were in flight when the window closed and are shown as interrupted: ${report.interruptedRuns.join(', ')}`);
      if (sessions.length > 0) this.log.info(`session log: restored ${sessions.length} auction session(s), the newest ${sessions.at(-1)?.id ?? ''}`);
      if (records.length > LINES_PER_SESSION_BEFORE_COMPACTION * Math.max(1, keep)) await this.compact(records, keep);
      return sessions;
    } catch (e) {
      this.log.error(`session log: could not read ${this.store.path}; earlier auctions cannot be run from this window: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  /**
   * Drops the lines of these auctions from the log (every line it can read when `auctionIds` is undefined), by an
   * atomic rewrite: the memory's delete and clear leave no task or context text behind here either. A line of a
   * newer version of SALE goes too when its `auctionId` is one of them, or on a clear.
   */
  async forget(auctionIds?: readonly string[]): Promise<{ dropped: number }> {
    const ids = auctionIds && new Set(auctionIds);
    const { dropped, keptUndecodable } = await this.store.rewrite(
      (l) => ids !== undefined && !ids.has(l.auctionId),
      (raw) => ids !== undefined && !(typeof raw === 'object' && raw !== null && ids.has(String((raw as { auctionId?: unknown }).auctionId))),
    );
    this.log.info(`session log: forgot ${ids ? `auction(s) ${[...ids].join(', ')}` : 'every auction'}: ${dropped} line(s) dropped${keptUndecodable ? `, ${keptUndecodable} unreadable kept` : ''}`);
    return { dropped };
  }

  /**
   * Rewrites the log to the lines `restore` reads back: for each restored auction its newest `session` and `runs`
   * line. Lines appended since the read (by another window) come after those and are kept.
   */
  private async compact(records: readonly SessionLine[], keep: number): Promise<void> {
    const kept = new Set(restoreSessions(records, keep).sessions.map((s) => s.id));
    const key = (l: SessionLine): string => `${l.kind} ${l.auctionId}`;
    const count = new Map<string, number>();
    for (const l of records) count.set(key(l), (count.get(key(l)) ?? 0) + 1);
    const seen = new Map<string, number>();
    const { kept: lines, dropped } = await this.store.rewrite((l) => {
      const n = (seen.get(key(l)) ?? 0) + 1;
      seen.set(key(l), n);
      const read = count.get(key(l)) ?? 0;
      return n > read || (n === read && kept.has(l.auctionId));
    });
    this.log.info(`session log: compacted to ${lines} line(s), ${dropped} dropped`);
  }
}
