import type { Journal, JournalFact } from '../journal/journal';
import type { Disposable } from '../lifecycle';
import type { AuctionSessions } from './auctionSession';
import { runsLine, sessionLine, type SessionLine } from './sessionRecord';

/** Where session lines go: the session log (append-only, durable when the promise resolves). */
export interface SessionLogPort {
  append(line: SessionLine): Promise<unknown>;
}

/** The auction a fact is about, when the fact changes what a reloaded window must know of its session. */
function sessionOf(fact: JournalFact): { auctionId: string; line: 'session' | 'runs' } | undefined {
  switch (fact.type) {
    case 'auction-recorded':
      return { auctionId: fact.result.auctionId, line: 'session' };
    case 'run-started':
    case 'bid-executed':
    case 'reviewed':
    case 'undone':
    case 'tests-ran':
      return { auctionId: fact.auctionId, line: 'runs' };
    case 'auction-started':
    case 'shadow-ran':
      return undefined;
  }
}

/** The running persistence: stop it, let it forget auctions, wait for its writes. */
export interface SessionPersistence extends Disposable {
  /**
   * From now on nothing more is written about these auctions (every session this window has now, when `auctionIds`
   * is undefined): the memory's delete and clear forget them, and a later fact must not write their text again.
   */
  forget(auctionIds?: readonly string[]): void;
  /** Settles once every line handed to the log so far is on disk (or failed and was logged). */
  flush(): Promise<void>;
}

/**
 * Keeps the session log in step with the journal: after each recorded fact about an auction or a run of its bids,
 * the session as it now stands (the code that states a fact updates the session first) is appended to the log.
 * So every session line follows a journal fact, and a reloaded window restores what the journal last recorded.
 * A failed write is logged, never thrown: the user's work has happened; only a later reload would miss it.
 */
export function persistSessions(
  journal: Pick<Journal, 'onRecorded'>,
  sessions: AuctionSessions,
  sessionLog: SessionLogPort,
  log: { error(message: string): void },
  now: () => string = () => new Date().toISOString(),
): SessionPersistence {
  const forgotten = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  const listening = journal.onRecorded((fact) => {
    const about = sessionOf(fact);
    const session = about && !forgotten.has(about.auctionId) ? sessions.get(about.auctionId) : undefined;
    if (!about || !session) return;
    const line = about.line === 'session' ? sessionLine(session, now()) : runsLine(session, now());
    if (!line) return;
    const write = sessionLog.append(line).then(
      () => undefined,
      (e: unknown) => log.error(`session log: could not note the ${fact.type} fact of ${about.auctionId}: ${e instanceof Error ? e.message : String(e)}`),
    );
    pending.add(write);
    void write.finally(() => pending.delete(write));
  });
  return {
    dispose: () => listening.dispose(),
    forget: (auctionIds) => {
      for (const id of auctionIds ?? sessions.ids()) forgotten.add(id);
    },
    flush: async () => {
      await Promise.all([...pending]);
    },
  };
}
