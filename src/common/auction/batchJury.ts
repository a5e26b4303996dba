import type { ChatResponse, ModelCapabilities, ModelClient } from '../providers/types';
import { callModel, type CallContext } from './calls';
import { cacheable, judgementFromObject, type ParsedJudgement } from './jury';
import { extractJsonObject, pick } from './looseJson';
import { BATCH_JURY_SYSTEM, batchJuryMessage } from './prompts';
import { BatchJudgementSchema } from './schemas';
import type { AuctionContext, Bid, BidFailureCode, FailedJudgement, Judgement } from './types';

/**
 * Batched judging: one juror scores every bid of a round in one call. The juror sees the bids blind (no model
 * names) under neutral labels (A, B, …) in an order shuffled per juror, seeded by auction id + juror id so a run
 * can be reproduced; the labels map back to bid ids only here.
 */

/** A bid shown to a juror under a label. */
export interface LabelledBid {
  label: string;
  bid: Bid;
}

/** Labels in order of appearance: A…Z, then AA, AB, … */
export function labelAt(i: number): string {
  let n = i;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** The bids in this juror's order (a seeded Fisher–Yates over the bids sorted by id), labelled by position. */
export function labelBids(bids: readonly Bid[], auctionId: string, jurorId: string): LabelledBid[] {
  const order = [...bids].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const random = seededRandom(`${auctionId}\n${jurorId}`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.map((bid, i) => ({ label: labelAt(i), bid }));
}

/** mulberry32 seeded by an FNV-1a hash of the text: small, fast and the same on every platform. */
function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What a batched reply says per label, and what was ignored in it (unknown or repeated labels). */
export type ParsedBatch =
  | { ok: true; byLabel: Map<string, ParsedJudgement>; ignored: string[] }
  | { ok: false; code: BidFailureCode; reason: string };

/**
 * Reads a batched reply: structured output, `{"judgements": [...]}` (or any array of objects with a label), an
 * object keyed by label, or, when the JSON is cut short, every complete `{…"label"…}` entry found in the text.
 * Entries may come in any order. A label that is unknown or given twice is ignored (the first wins) with a reason;
 * a label left out is simply absent, and its bid's judgement fails on its own.
 */
export function parseBatchReply(response: Pick<ChatResponse, 'text' | 'parsed' | 'finishReason'>, labels: readonly string[]): ParsedBatch {
  if (response.finishReason === 'content_filter') return { ok: false, code: 'content-filter', reason: 'the provider filtered the reply' };
  const structured = BatchJudgementSchema.safeParse(response.parsed);
  let entries: unknown[] | undefined;
  if (response.parsed !== undefined && structured.success) entries = structured.data.judgements;
  else {
    const text = response.text ?? '';
    if (!text.trim()) return { ok: false, code: 'empty-reply', reason: 'the juror returned an empty reply' };
    entries = entriesOf(extractJsonObject(text)?.value, labels) ?? scanEntries(text);
  }
  if (!entries?.length) return { ok: false, code: 'unparseable', reason: 'no labelled scores found in the juror\'s reply' };

  const known = new Set(labels);
  const byLabel = new Map<string, ParsedJudgement>();
  const ignored: string[] = [];
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const obj = entry as Record<string, unknown>;
    const label = normaliseLabel(pick(obj, ['label', 'plan', 'planlabel', 'id']));
    if (label === undefined || !known.has(label)) {
      ignored.push(`unknown plan label ${JSON.stringify(pick(obj, ['label', 'plan', 'planlabel', 'id']) ?? null)}`);
      continue;
    }
    if (byLabel.has(label)) {
      ignored.push(`plan ${label} was scored twice; the first score counts`);
      continue;
    }
    byLabel.set(label, judgementFromObject(obj));
  }
  return { ok: true, byLabel, ignored };
}

function entriesOf(value: Record<string, unknown> | undefined, labels: readonly string[]): unknown[] | undefined {
  if (!value) return undefined;
  const list = pick(value, ['judgements', 'judgments', 'scores', 'plans', 'results', 'evaluations']);
  if (Array.isArray(list)) return list as unknown[];
  // {"A": {...}, "B": {...}}
  const keyed = Object.entries(value).filter(([k, v]) => labels.includes(normaliseLabel(k) ?? '') && v && typeof v === 'object');
  if (keyed.length) return keyed.map(([k, v]) => ({ ...(v as Record<string, unknown>), label: k }));
  return pick(value, ['label', 'plan']) !== undefined ? [value] : undefined;
}

/** Complete flat objects that name a label, for a reply whose outer JSON is cut short or broken. */
function scanEntries(text: string): unknown[] {
  const out: unknown[] = [];
  for (const m of text.matchAll(/\{[^{}]*"(?:label|plan)"[^{}]*\}/gi)) {
    const parsed = extractJsonObject(m[0]);
    if (parsed) out.push(parsed.value);
  }
  return out;
}

function normaliseLabel(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(?:plan\s+)?([A-Za-z]{1,3})\s*$/i.exec(v);
  return m?.[1]?.toUpperCase();
}

/** One juror's call over a round's bids. */
export interface BatchJudgeCall {
  juror: ModelClient;
  capabilities: ModelCapabilities | undefined;
  auctionId: string;
  task: string;
  context: AuctionContext | undefined;
  bids: readonly Bid[];
  /** Per bid; the call asks for this many output tokens per bid shown. */
  maxTokensPerBid: number;
  cachePrefix: boolean;
}

export interface BatchOutcome {
  judgements: Judgement[];
  failures: FailedJudgement[];
  /** Unknown or repeated labels the reply carried. */
  ignored: string[];
}

/**
 * Asks one juror to score every bid of the round in one call; charged to the jury phase. The call's usage and
 * dollars are shared evenly across the judgements it produced, so the ledger (one record per call) and the sum
 * over judgements agree.
 */
export async function judgeBatch(ctx: CallContext, call: BatchJudgeCall): Promise<BatchOutcome> {
  const { juror } = call;
  const labelled = labelBids(call.bids, call.auctionId, juror.spec.id);
  const structured = call.capabilities?.structuredOutput === true;
  const message = batchJuryMessage(call.task, call.context, labelled.map((l) => ({ label: l.label, planText: l.bid.planText })), structured);
  const result = await callModel(ctx, juror, 'jury', {
    system: BATCH_JURY_SYSTEM,
    messages: [{ role: 'user', ...cacheable(message, call.cachePrefix) }],
    maxTokens: call.maxTokensPerBid * labelled.length,
    temperature: 0,
    ...(structured ? { responseFormat: { name: 'plan_judgements', schema: BatchJudgementSchema } } : {}),
  });
  const fail = (code: BidFailureCode, reason: string): BatchOutcome => ({
    judgements: [],
    failures: labelled.map((l) => ({ jurorId: juror.spec.id, bidId: l.bid.id, code, reason })),
    ignored: [],
  });
  if (!result.ok) return fail(result.code, result.reason);
  const parsed = parseBatchReply(result.response, labelled.map((l) => l.label));
  if (!parsed.ok) return fail(parsed.code, parsed.reason);

  const out: BatchOutcome = { judgements: [], failures: [], ignored: parsed.ignored };
  const scored = labelled.filter((l) => parsed.byLabel.get(l.label)?.ok).length;
  const share = <T extends number | undefined>(x: T): T => (x === undefined || scored === 0 ? x : ((x / scored) as T));
  const usage = result.response.usage;
  for (const { label, bid } of labelled) {
    const base = { jurorId: juror.spec.id, bidId: bid.id };
    const j = parsed.byLabel.get(label);
    if (!j) {
      out.failures.push({ ...base, code: result.response.finishReason === 'length' ? 'truncated' : 'unparseable', reason: `the reply gave no score for this plan (shown as ${label})` });
    } else if (!j.ok) out.failures.push({ ...base, code: j.code, reason: `plan ${label}: ${j.reason}` });
    else {
      out.judgements.push({
        ...base,
        score: j.score,
        rationale: j.rationale,
        criteria: j.criteria,
        self: juror.spec.id === bid.modelId,
        usage: { ...usage, inputTokens: share(usage.inputTokens), outputTokens: share(usage.outputTokens), cachedInputTokens: share(usage.cachedInputTokens), cacheWriteInputTokens: share(usage.cacheWriteInputTokens), reasoningTokens: share(usage.reasoningTokens) },
        ...(result.dollars === undefined ? {} : { dollars: share(result.dollars) }),
      });
    }
  }
  return out;
}
