import type { InsightsJournal } from '../../common/learning/routingInsights';
import type { AuctionLine, OutcomeLine } from '../../common/memory/records';
import type { MemoryStore } from './memoryStore';

export interface JournalReadOptions {
  /** Most recent auctions read at most. */
  max: number;
  /** Asked before each auction: true stops the read (it then answers undefined). */
  cancelled?: () => boolean;
  /** Told every 25 auctions how far the read is (1-based index, total). */
  progress?: (index: number, total: number) => void;
}

/**
 * The most recent auctions of the memory with their outcome lines, newest first, for what learns from them (the
 * weight fit, the Routing insights view). Lines another window appended since this one last read are read first.
 */
export async function readJournal(store: MemoryStore, options: JournalReadOptions): Promise<InsightsJournal | undefined> {
  await store.refresh();
  const all = store.list().sort((a, b) => (a.head.time < b.head.time ? 1 : a.head.time > b.head.time ? -1 : 0));
  const views = all.slice(0, options.max);
  const auctions: AuctionLine[] = [];
  const outcomes = new Map<string, OutcomeLine[]>();
  for (const [i, v] of views.entries()) {
    if (options.cancelled?.()) return undefined;
    if (i % 25 === 0) options.progress?.(i + 1, views.length);
    const line = await store.auction(v.head.id);
    if (!line) continue;
    auctions.push(line);
    outcomes.set(line.id, await store.outcomes(line.id));
  }
  return { auctions, outcomes, truncated: all.length > views.length };
}
