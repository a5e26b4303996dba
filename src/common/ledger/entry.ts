import * as z from 'zod';
import { AuctionOutcomeSchema } from '../protocol/outcomes';
import { costOf } from '../providers/pricing';
import { redactSecrets } from '../secretPatterns';
import { zodCodec, type LineCodec } from '../storage/lineCodec';
import type { Price, Usage } from '../providers/types';
import type { CallPhase, CallSink, ModelCallRecord } from './types';

/**
 * The ledger's line format. The ledger is an append-only JSONL file (stored by the generic durable JSONL store in
 * src/node); every line is one `LedgerLine` carrying a schema version `v`:
 *
 * - `kind: 'call'`: one model call (`LedgerCallEntry`), written once when the call finishes, billed or not.
 * - `kind: 'auction'`: one fact about an auction (`AuctionFact`): its task, pool, winner, executor, outcome.
 *   An auction's facts arrive over time (started, winner chosen, executed, user decided), so several lines may
 *   share an `auctionId`; readers merge them in file order, a later defined field replacing an earlier one.
 *
 * Nothing here touches disk: this module only defines, builds and parses lines.
 */

/** Version 2 added `bidId` to auction facts (the bid an execution or outcome fact is about); see `upgradeLedgerLine`. */
export const LEDGER_SCHEMA_VERSION = 2;

const nonNegInt = z.number().int().nonnegative();

export const UsageSchema = z.object({
  inputTokens: nonNegInt,
  outputTokens: nonNegInt,
  cachedInputTokens: nonNegInt,
  cacheWriteInputTokens: nonNegInt,
  reasoningTokens: nonNegInt,
  /** The provider reported no usage (the counts are a lower bound); absent on older lines, which were reported. */
  unreported: z.literal(true).optional(),
  /** The counts come from the model's own tokenizer (VS Code's Language Model API reports no usage). */
  counted: z.literal(true).optional(),
  /** Billed requests, for request-priced models; absent on per-token calls. */
  requests: nonNegInt.optional(),
}) satisfies z.ZodType<Usage>;

export const PriceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
  cacheWriteInputPerMTok: z.number().nonnegative().optional(),
  perRequest: z.number().nonnegative().optional(),
  multiplier: z.number().nonnegative().optional(),
  source: z.enum(['default-table', 'settings', 'local']),
  asOf: z.string().optional(),
}) satisfies z.ZodType<Price>;

// `shadow` (a shadow run) arrived within version 2: an older version cannot decode such a line and keeps it verbatim
// as a newer-schema line (jsonlStore), which is what it should do with spend it cannot attribute.
export const CALL_PHASES = ['bidding', 'jury', 'refinement', 'embedding', 'execution', 'probe', 'shadow'] as const satisfies readonly CallPhase[];
export const CallPhaseSchema = z.enum(CALL_PHASES);

export const ModelCallRecordSchema = z.object({
  time: z.iso.datetime({ offset: true }),
  auctionId: z.string().min(1).optional(),
  phase: CallPhaseSchema,
  modelId: z.string().min(1),
  model: z.string(),
  local: z.boolean(),
  usage: UsageSchema,
  price: PriceSchema.optional(),
  dollars: z.number().nonnegative().optional(),
  latencyMs: z.number().nonnegative(),
  ok: z.boolean(),
  errorCode: z.string().optional(),
}) satisfies z.ZodType<ModelCallRecord>;

/** Where the dollars of a call came from; `unknown` means no price was known and the call has no dollar figure. */
export const PriceSourceSchema = z.enum(['default-table', 'settings', 'local', 'recorded', 'unknown']);
export type PriceSource = z.infer<typeof PriceSourceSchema>;

/**
 * One model call as a ledger line. `dollars` is null, never 0, when the price is unknown; `priceSource` says which
 * price produced the figure (`recorded`: the caller supplied dollars without a price, e.g. a provider-reported cost).
 */
export const LedgerCallEntrySchema = z.object({
  v: z.literal(LEDGER_SCHEMA_VERSION),
  kind: z.literal('call'),
  call: ModelCallRecordSchema,
  priceSource: PriceSourceSchema,
  dollars: z.number().nonnegative().nullable(),
});
/** One model call as stored in the ledger (see `LedgerCallEntrySchema`). */
export type LedgerCallEntry = z.infer<typeof LedgerCallEntrySchema>;

export { AUCTION_OUTCOMES, AuctionOutcomeSchema, type AuctionOutcome } from '../protocol/outcomes';

/** A pool model's id and price at auction time, so the counterfactual uses the prices the auction saw. */
export const PoolModelSchema = z.object({
  modelId: z.string().min(1),
  model: z.string().optional(),
  price: PriceSchema.optional(),
});
export type PoolModel = z.infer<typeof PoolModelSchema>;

/** How a shadow run ended: its tests passed or failed, there was no test to run, or it did not finish. */
export const ShadowResultSchema = z.enum(['passed', 'failed', 'no-tests', 'cancelled', 'error']);
export type ShadowResult = z.infer<typeof ShadowResultSchema>;

/**
 * A fact about one auction. Every field but the id and time is optional: the engine appends a fact when the
 * auction starts (task, pool), when the winner is chosen, when execution ends, and when the user decides.
 */
export const AuctionFactSchema = z.object({
  v: z.literal(LEDGER_SCHEMA_VERSION),
  kind: z.literal('auction'),
  auctionId: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  /** A one-line summary of the task (the engine truncates; no file contents). */
  task: z.string().max(2_000).optional(),
  pool: z.array(PoolModelSchema).optional(),
  winnerModelId: z.string().min(1).optional(),
  /** The model that ran the execution (normally the winner). */
  executedBy: z.string().min(1).optional(),
  /**
   * The bid that was executed, on facts about an execution and its outcome (written since version 2). A fact from
   * version 1 has none: its execution and outcome are the winner's, the only bid that version could run.
   */
  bidId: z.string().min(1).optional(),
  /**
   * On an execution fact: which executed bid of the auction it was (1: the first try, 2 and up: escalations), and
   * the failed bid it escalated from. Optional fields added within version 2; absent, the execution is a first try.
   */
  attempt: z.number().int().positive().optional(),
  escalatedFrom: z.string().min(1).optional(),
  outcome: AuctionOutcomeSchema.optional(),
  /**
   * A shadow run's result: the reference model executed the task in a throw-away worktree and the test command ran
   * there. Its calls are in the ledger under the `shadow` phase. An older version reads the fact without it.
   */
  shadow: z.object({ modelId: z.string().min(1), result: ShadowResultSchema }).optional(),
});
/** One fact about an auction (see `AuctionFactSchema`). */
export type AuctionFact = z.infer<typeof AuctionFactSchema>;

export const LedgerLineSchema = z.discriminatedUnion('kind', [LedgerCallEntrySchema, AuctionFactSchema]);
/** Any line of the ledger file. */
export type LedgerLine = z.infer<typeof LedgerLineSchema>;

/**
 * Turns a model call into its ledger line. Dollars: the record's own figure when present, else usage x price,
 * else null (unknown). A failed call keeps its usage and is priced like any other: the provider billed it.
 */
export function toCallEntry(record: ModelCallRecord): LedgerCallEntry {
  const computed = record.dollars ?? costOf(record.usage, record.price);
  const priceSource: PriceSource = record.price ? record.price.source : record.dollars !== undefined ? 'recorded' : 'unknown';
  return {
    v: LEDGER_SCHEMA_VERSION,
    kind: 'call',
    call: ModelCallRecordSchema.parse(record),
    priceSource,
    dollars: computed ?? null,
  };
}

/**
 * A CallSink that turns every model call into a ledger line and hands it to `append` (the durable JSONL store).
 * A record that does not validate (a bug in an adapter) goes to `onInvalid` instead of throwing into the engine.
 */
export function ledgerCallSink(append: (line: LedgerCallEntry) => void, onInvalid: (error: unknown, record: ModelCallRecord) => void): CallSink {
  return {
    record(call) {
      let line: LedgerCallEntry;
      try {
        line = toCallEntry(call);
      } catch (e) {
        onInvalid(e, call);
        return;
      }
      append(line);
    },
  };
}

/** Builds an auction fact line; the time defaults to now. */
export function auctionFact(fact: Omit<AuctionFact, 'v' | 'kind' | 'time'> & { time?: string }): AuctionFact {
  // The task is the user's text: a key pasted into it is not kept.
  const task = fact.task === undefined ? {} : { task: redactSecrets(fact.task) };
  return AuctionFactSchema.parse({ ...fact, ...task, v: LEDGER_SCHEMA_VERSION, kind: 'auction', time: fact.time ?? new Date().toISOString() });
}

/**
 * Brings a version-1 line to version 2 (the shapes are the same; v2 only added the optional `bidId`); other lines
 * pass through for validation, so a line from a newer version is still refused.
 */
export function upgradeLedgerLine(raw: unknown): { raw: unknown; upgraded: boolean } {
  if (typeof raw === 'object' && raw !== null && (raw as { v?: unknown }).v === 1) return { raw: { ...raw, v: LEDGER_SCHEMA_VERSION }, upgraded: true };
  return { raw, upgraded: false };
}

/** The codec of ledger files: validates current lines and upgrades version-1 lines. */
export const ledgerLineCodec: LineCodec<LedgerLine> = zodCodec(LedgerLineSchema, upgradeLedgerLine);

/** One JSONL line (no trailing newline) for a ledger line; validated before it is written. */
export function serializeLedgerLine(line: LedgerLine): string {
  return JSON.stringify(LedgerLineSchema.parse(line));
}

/** A line the reader could not use, with its 1-based line number and why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/** The result of reading ledger text: the lines that parsed, and the ones skipped (a torn last line, a newer version). */
export interface ParsedLedger {
  lines: LedgerLine[];
  skipped: SkippedLine[];
}

/**
 * Parses ledger JSONL text. Never throws: a line that is not JSON or does not validate (a torn last line after a
 * crash, a line from a newer version) is skipped and reported. Blank lines are ignored.
 */
export function parseLedgerJsonl(text: string): ParsedLedger {
  const lines: LedgerLine[] = [];
  const skipped: SkippedLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      skipped.push({ line: i + 1, reason: 'not valid JSON (torn line?)' });
      return;
    }
    const r = ledgerLineCodec.decode(json);
    if (r.ok) lines.push(r.value);
    else skipped.push({ line: i + 1, reason: r.error.split('\n')[0] ?? 'invalid line' });
  });
  return { lines, skipped };
}
