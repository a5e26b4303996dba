import { type LedgerCallEntry, toCallEntry } from '../../../../src/common/ledger/entry';
import type { CallPhase } from '../../../../src/common/ledger/types';
import type { Price } from '../../../../src/common/providers/types';

/** Prices used across the ledger unit tests (dollars per million tokens). */
export const SMALL: Price = { inputPerMTok: 1, outputPerMTok: 4, source: 'default-table', asOf: '2026-11-01' };
export const BIG: Price = { inputPerMTok: 10, outputPerMTok: 40, source: 'default-table', asOf: '2026-11-01' };
export const LOCAL: Price = { inputPerMTok: 0, outputPerMTok: 0, source: 'local' };

/** A call entry with round numbers: `inM`/`outM` are millions of tokens so dollars equal price x tokens. */
export function call(
  modelId: string,
  phase: CallPhase,
  inM: number,
  outM: number,
  opts: { price?: Price; auctionId?: string; time?: string; ok?: boolean; local?: boolean; cachedM?: number } = {},
): LedgerCallEntry {
  return toCallEntry({
    time: opts.time ?? '2026-11-20T10:00:00.000Z',
    ...(opts.auctionId === undefined ? {} : { auctionId: opts.auctionId }),
    phase,
    modelId,
    model: `${modelId}-wire`,
    local: opts.local ?? false,
    usage: {
      inputTokens: Math.round(inM * 1_000_000),
      outputTokens: Math.round(outM * 1_000_000),
      cachedInputTokens: Math.round((opts.cachedM ?? 0) * 1_000_000),
      cacheWriteInputTokens: 0,
      reasoningTokens: 0,
    },
    ...(opts.price ? { price: opts.price } : {}),
    latencyMs: 100,
    ok: opts.ok ?? true,
    ...(opts.ok === false ? { errorCode: 'server-error' } : {}),
  });
}
