import type { TrackRecordSource } from '../../common/memory/trackRecordPort';
import type { MemoryStore } from './memoryStore';

/** The memory store as the track record reads it: auctions newest first, their lines read back, its retrieval. */
export function trackRecordSourceOf(store: MemoryStore): TrackRecordSource {
  return {
    list: () => store.list(),
    auction: (id) => store.auction(id),
    outcomes: (id) => store.outcomes(id),
    similar: (task, k, signal) => store.port.similar(task, k, { signal }),
  };
}
