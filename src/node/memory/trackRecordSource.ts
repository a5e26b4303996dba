import type { TrackRecordSource } from '../../common/memory/trackRecordPort';
import type { MemoryStore } from './memoryStore';

/** The memory store as the track record reads it: auctions newest first, their lines read back, its retrieval. */
export function trackRecordSourceOf(store: MemoryStore): TrackRecordSource {
  return {
    list: () => store.list(),
    auction: (id) => store.auction(id),
    outcomes: (id) => store.outcomes(id),
    // The auction's id goes with the query, so a query embedding it pays for is charged to that auction.
    similar: (task, k, signal, auctionId) => store.port.similar(task, k, { signal, ...(auctionId === undefined ? {} : { auctionId }) }),
  };
}
