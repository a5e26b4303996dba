import type { ChatResponse, ModelCapabilities, ModelClient } from '../providers/types';
import { callModel, type CallContext } from './calls';
import { extractJsonObject, pick } from './looseJson';
import { JURY_SYSTEM, juryMessage } from './prompts';
import { JudgementSchema } from './schemas';
import type { AuctionContext, Bid, BidFailureCode, FailedJudgement, Judgement, RubricScores } from './types';

export type ParsedJudgement = { ok: true; score: number; rationale: string; criteria: RubricScores } | { ok: false; code: BidFailureCode; reason: string };

const CRITERIA = ['correctness', 'fit', 'risk', 'verifiability'] as const;

/**
 * Reads a juror's reply: structured output, JSON in the text, or a "Score: 4/5" line. Without an overall score the
 * mean of the criteria stands in. A score outside 0..5 is not clamped: the reply is rejected, since a juror that
 * misreads the scale should not be trusted on the number either.
 */
export function parseJudgementReply(response: Pick<ChatResponse, 'text' | 'parsed' | 'finishReason'>): ParsedJudgement {
  if (response.finishReason === 'content_filter') return { ok: false, code: 'content-filter', reason: 'the provider filtered the reply' };
  const structured = JudgementSchema.safeParse(response.parsed);
  if (response.parsed !== undefined && structured.success) {
    const { score, rationale, ...criteria } = structured.data;
    return { ok: true, score, rationale: rationale.trim(), criteria };
  }
  const text = response.text ?? '';
  if (!text.trim()) return { ok: false, code: 'empty-reply', reason: 'the juror returned an empty reply' };

  const json = extractJsonObject(text);
  if (json) return judgementFromObject(json.value);
  const line = /(?:overall|score)[^0-9\n]{0,20}(\d+(?:\.\d+)?)\s*(?:\/\s*5)?/i.exec(text);
  const rationale = text.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (line?.[1]) return withScore(Number(line[1]), {}, rationale);
  return { ok: false, code: 'unparseable', reason: 'no score found in the juror\'s reply' };
}

/** One judgement read from a JSON object (a whole reply, or one entry of a batched reply). */
export function judgementFromObject(value: Record<string, unknown>): ParsedJudgement {
  const criteria: RubricScores = {};
  for (const c of CRITERIA) {
    const v = toNumber(pick(value, [c, c === 'fit' ? 'fittocodebase' : c]));
    if (v !== undefined) criteria[c] = v;
  }
  const rationaleValue = pick(value, ['rationale', 'reason', 'reasoning', 'explanation']);
  const rationale = typeof rationaleValue === 'string' ? rationaleValue.trim() : '';
  return withScore(toNumber(pick(value, ['score', 'overall', 'overallscore', 'total'])), criteria, rationale);
}

function withScore(score: number | undefined, criteria: RubricScores, rationale: string): ParsedJudgement {
  const given = CRITERIA.map((c) => criteria[c]).filter((v): v is number => v !== undefined);
  const overall = score ?? (given.length ? given.reduce((a, b) => a + b, 0) / given.length : undefined);
  if (overall === undefined) return { ok: false, code: 'unparseable', reason: 'the juror gave no score' };
  for (const v of [overall, ...given]) {
    if (!(v >= 0 && v <= 5)) return { ok: false, code: 'invalid', reason: `score ${v} is outside 0–5` };
  }
  return { ok: true, score: overall, rationale, criteria };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*(\/\s*5)?\s*$/.test(v)) return Number.parseFloat(v);
  return undefined;
}

/** One juror's call on one bid. */
export interface JudgeCall {
  juror: ModelClient;
  capabilities: ModelCapabilities | undefined;
  task: string;
  context: AuctionContext | undefined;
  bid: Bid;
  maxTokens: number;
  /** Mark the shared prefix for explicit prompt caching (worth it only when later calls will repeat it). */
  cachePrefix: boolean;
}

/** The message with its cache marker, or without one when no later call will read the cache. */
export function cacheable(message: { content: string; cacheUpTo: number }, cache: boolean): { content: string; cacheUpTo?: number } {
  return cache ? message : { content: message.content };
}

export type JudgeOutcome = { ok: true; judgement: Judgement } | { ok: false; failure: FailedJudgement };

/** Asks one juror to score one bid against the rubric; charged to the auction's jury phase. */
export async function judgeBid(ctx: CallContext, call: JudgeCall): Promise<JudgeOutcome> {
  const { juror, bid } = call;
  const structured = call.capabilities?.structuredOutput === true;
  const base = { jurorId: juror.spec.id, bidId: bid.id };
  const result = await callModel(ctx, juror, 'jury', {
    system: JURY_SYSTEM,
    messages: [{ role: 'user', ...cacheable(juryMessage(call.task, call.context, bid, structured), call.cachePrefix) }],
    maxTokens: call.maxTokens,
    temperature: 0,
    ...(structured ? { responseFormat: { name: 'plan_judgement', schema: JudgementSchema } } : {}),
  });
  if (!result.ok) return { ok: false, failure: { ...base, code: result.code, reason: result.reason } };
  const parsed = parseJudgementReply(result.response);
  if (!parsed.ok) return { ok: false, failure: { ...base, code: parsed.code, reason: parsed.reason } };
  return {
    ok: true,
    judgement: {
      ...base,
      score: parsed.score,
      rationale: parsed.rationale,
      criteria: parsed.criteria,
      self: juror.spec.id === bid.modelId,
      usage: result.response.usage,
      ...(result.dollars === undefined ? {} : { dollars: result.dollars }),
    },
  };
}
