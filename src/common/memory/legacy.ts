import * as z from 'zod';
import { zodCodec, type LineCodec } from '../storage/lineCodec';
import { MEMORY_SCHEMA_VERSION, MemoryLine, type AuctionLine, type OutcomeLine } from './records';

/**
 * Version 0: the prototype's memory lines, written before lines carried `v`. An auction was one line with the
 * bids' "strategy" text, epoch-millisecond time and no jury breakdown; the user's verdict came later as a
 * whole-auction `feedback` line. They are read and upgraded in memory, never rewritten on disk (nor are version-1
 * lines, upgraded below).
 */
export const LegacyAuctionV0 = z.object({
  type: z.literal('auction'),
  id: z.string().min(1),
  ts: z.number().int().nonnegative(),
  task: z.string(),
  models: z.array(z.string()),
  bids: z.array(
    z.object({
      model: z.string().min(1),
      strategy: z.string(),
      len: z.number().int().nonnegative(),
      cost: z.number().finite(),
      value: z.number().finite(),
      score: z.number().finite(),
      won: z.boolean(),
    }),
  ),
});
export type LegacyAuctionV0 = z.infer<typeof LegacyAuctionV0>;

export const LegacyFeedbackV0 = z.object({
  type: z.literal('feedback'),
  auctionId: z.string().min(1),
  ts: z.number().int().nonnegative(),
  accepted: z.boolean(),
});
export type LegacyFeedbackV0 = z.infer<typeof LegacyFeedbackV0>;

export function upgradeAuctionV0(old: LegacyAuctionV0): AuctionLine {
  const bids = old.bids.map((b, i) => ({
    bidId: `${old.id}#${i}`,
    modelId: b.model,
    plan: b.strategy,
    tokens: b.len,
    jury: {},
    cost: b.cost,
    value: b.value,
    score: b.score,
    refined: false,
    memoryItemsUsed: [],
    won: b.won,
  }));
  const winner = bids.find((b) => b.won);
  return {
    v: MEMORY_SCHEMA_VERSION,
    kind: 'auction',
    id: old.id,
    time: new Date(old.ts).toISOString(),
    task: old.task,
    contextFiles: [],
    pool: old.models,
    bids,
    ...(winner ? { winnerBidId: winner.bidId } : {}),
  };
}

export function upgradeFeedbackV0(old: LegacyFeedbackV0): OutcomeLine {
  return {
    v: MEMORY_SCHEMA_VERSION,
    kind: 'outcome',
    // Deterministic, so the same old line read from two files de-duplicates.
    id: `${old.auctionId}/feedback/${old.ts}`,
    auctionId: old.auctionId,
    time: new Date(old.ts).toISOString(),
    fact: { type: 'review', files: [], overall: old.accepted ? 'accepted' : 'rejected' },
  };
}

/**
 * Version 1 → 2: the shapes are the same; version 2 added `bidId` to outcome lines, which a version-1 outcome
 * lacks. It stays absent: such an outcome is attributed to the auction's winner (see `outcomeBidId`).
 */
export function upgradeV1(raw: { v: 1 } & Record<string, unknown>): unknown {
  return { ...raw, v: MEMORY_SCHEMA_VERSION };
}

/** Brings any known older line to the current shape; current and unknown lines pass through for validation. */
export function upgradeMemoryLine(raw: unknown): { raw: unknown; upgraded: boolean } {
  if (typeof raw !== 'object' || raw === null) return { raw, upgraded: false };
  if ('v' in raw) return raw.v === 1 ? { raw: upgradeV1(raw as { v: 1 }), upgraded: true } : { raw, upgraded: false };
  const type = (raw as { type?: unknown }).type;
  if (type === 'auction') {
    const old = LegacyAuctionV0.parse(raw);
    return { raw: upgradeAuctionV0(old), upgraded: true };
  }
  if (type === 'feedback') {
    const old = LegacyFeedbackV0.parse(raw);
    return { raw: upgradeFeedbackV0(old), upgraded: true };
  }
  return { raw, upgraded: false };
}

/** The codec of memory files: validates version-1 lines and upgrades version-0 lines. */
export const memoryLineCodec: LineCodec<MemoryLine> = zodCodec(MemoryLine, upgradeMemoryLine);
