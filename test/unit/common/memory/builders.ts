import { MEMORY_SCHEMA_VERSION, type AuctionLine, type MemoryBid, type OutcomeFact, type OutcomeLine } from '../../../../src/common/memory/records';

/** Test data builders: a valid record with whatever the test cares about overridden. */

export function bid(overrides: Partial<MemoryBid> & { modelId: string }): MemoryBid {
  return {
    bidId: `${overrides.modelId}-bid`,
    plan: `plan by ${overrides.modelId}`,
    tokens: 120,
    jury: { [overrides.modelId]: 3 },
    cost: 0.1,
    value: 2,
    score: -1.9,
    refined: false,
    memoryItemsUsed: [],
    won: false,
    ...overrides,
  };
}

/** An auction where `winner` won against `losers`; plans default to "<model> plan for <task>". */
export function auction(id: string, task: string, winner: string, losers: string[], overrides: Partial<AuctionLine> = {}): AuctionLine {
  const bids = [
    bid({ modelId: winner, bidId: `${id}:${winner}`, plan: `${winner} plan for ${task}`, won: true, score: -3 }),
    ...losers.map((m, i) => bid({ modelId: m, bidId: `${id}:${m}`, plan: `${m} plan for ${task}`, won: false, score: -2 + i })),
  ];
  return {
    v: MEMORY_SCHEMA_VERSION,
    kind: 'auction',
    id,
    time: '2026-01-01T00:00:00.000Z',
    task,
    contextFiles: [],
    pool: [winner, ...losers],
    bids,
    winnerBidId: `${id}:${winner}`,
    ...overrides,
  };
}

let seq = 0;
/** An outcome line; without `bidId` it is like a line from before version 2 (about the auction's winner). */
export function outcome(auctionId: string, fact: OutcomeFact, time = `2026-01-02T00:00:${String(seq % 60).padStart(2, '0')}.000Z`, bidId?: string): OutcomeLine {
  seq++;
  return { v: MEMORY_SCHEMA_VERSION, kind: 'outcome', id: `${auctionId}/o${seq}`, auctionId, ...(bidId ? { bidId } : {}), time, fact };
}

export const accepted: OutcomeFact = { type: 'review', files: [{ path: 'src/a.ts', decision: 'accepted' }] };
export const rejected: OutcomeFact = { type: 'review', files: [{ path: 'src/a.ts', decision: 'rejected' }] };

/**
 * A vector as an 'f32' embedding line holds it (little-endian float32, base64). SALE writes 'q8' lines; the
 * reader also accepts 'f32', as another writer of the format may produce it.
 */
export function encodeF32(v: ArrayLike<number>): string {
  return Buffer.from(Float32Array.from(v).buffer).toString('base64');
}
