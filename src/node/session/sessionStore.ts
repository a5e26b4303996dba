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
  private compacting: Promise<unknown> | undefined;

  constructor(
    storageDir: string,
    private readonly log: Logger,
    /** How long a write waits for another window's lock on the log (default: the store's 30 s). */
    options: { lockTimeoutMs?: number } = {},
  ) {
    this.store = new JsonlStore({ path: path.join(storageDir, SESSION_LOG_FILE), codec: zodCodec(SessionLine), log, ...options });
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
      // In the background: the sessions are read, and a compaction that fails (a lock held elsewhere, a rename
      // refused) loses nothing and must not hold up the commands that wait for the restore.
      if (records.length > LINES_PER_SESSION_BEFORE_COMPACTION * Math.max(1, keep)) {
        this.compacting = this.compact(keep).catch((e: unknown) => this.log.warn(`session log: could not compact ${this.store.path} (it stays as it is): ${e instanceof Error ? e.message : String(e)}`));
      }
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
   * line. What to keep is worked out from the lines as read under the rewrite's lock, so lines appended, or a
   * compaction or forget done, by another window since the restore's read are taken into account.
   */
  private async compact(keep: number): Promise<void> {
    const key = (l: SessionLine): string => `${l.kind} ${l.auctionId}`;
    let plan: { kept: Set<string>; newest: Map<string, SessionLine> } | undefined;
    const { kept: lines, dropped } = await this.store.rewrite((l, all) => {
      if (!plan) {
        const newest = new Map<string, SessionLine>();
        for (const r of all) newest.set(key(r), r);
        plan = { kept: new Set(restoreSessions(all, keep).sessions.map((x) => x.id)), newest };
      }
      return plan.newest.get(key(l)) === l && plan.kept.has(l.auctionId);
    });
    this.log.info(`session log: compacted to ${lines} line(s), ${dropped} dropped`);
  }

  /** Settles once a compaction started by `restore` has ended (for tests and an orderly shutdown). */
  async settled(): Promise<void> {
    await this.compacting;
  }
}
