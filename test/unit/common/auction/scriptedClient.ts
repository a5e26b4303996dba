// Scripted model clients implementing the ModelClient port: the contract the engine is tested against.
// They answer bid, refinement and jury requests from a script, with optional delays, failures and hangs, and
// log every call's start and end on a shared timeline so tests can assert on overlap, not on wall-clock time.
import { BATCH_JURY_SYSTEM, BID_SYSTEM, JURY_SYSTEM, REFINE_SYSTEM } from '../../../../src/common/auction/prompts';
import type { AuctionDeps, AuctionResult } from '../../../../src/common/auction/types';
import type { AuctionEvent } from '../../../../src/common/auction/events';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import {
  emptyUsage,
  type ChatRequest,
  type ChatResponse,
  type FinishReason,
  type ModelCapabilities,
  type ModelClient,
  type ModelRole,
  type ModelSpec,
  type TokenLogprob,
  unreportedUsage,
} from '../../../../src/common/providers/types';

export type CallKind = 'bid' | 'refine' | 'judge';

export interface Reply {
  text?: string;
  parsed?: unknown;
  outputTokens?: number;
  inputTokens?: number;
  logprobs?: TokenLogprob[];
  /** Answer like a server that reports no token usage (usage `unreported`). */
  unreported?: boolean;
  finishReason?: FinishReason;
  /** Reject with this error instead of answering. */
  error?: Error;
  /** Never settle, and ignore the abort signal (tests that the engine stops waiting anyway). */
  hang?: boolean;
  delayMs?: number;
}

export interface Script {
  bid?: Reply;
  refine?: Reply;
  /** The juror's reply, given the model id of the bid's author (read from the plan's marker) and the bid kind. */
  judge?: (author: string, kind: 'original' | 'refined') => Reply;
  /**
   * A batched juror's reply, given the plans in the order shown (label, author, kind). Without it, the reply is
   * built from `judge` per plan: its JSON with the label added; an error, hang or delay of any plan applies to
   * the whole call, and a plan whose reply is not JSON is left out.
   */
  judgeBatch?: (plans: ShownPlan[]) => Reply;
  /** Delay of every call, unless the reply sets its own. */
  delayMs?: number;
}

export interface ShownPlan {
  label: string;
  author: string;
  kind: 'original' | 'refined';
}

/** The plans of a batched jury prompt, in the order shown, with their labels and authors' markers. */
export function shownPlans(content: string): ShownPlan[] {
  return content
    .split(/^### Plan /m)
    .slice(1)
    .map((section) => ({ label: section.slice(0, section.indexOf('\n')).trim(), author: /PLAN\[([^\]]+)\]/.exec(section)?.[1] ?? '?', kind: section.includes('REFINED') ? 'refined' : 'original' }));
}

/** A batched reply built from per-plan replies (see Script.judgeBatch). */
export function batchFromPerPlan(plans: ShownPlan[], judge: (author: string, kind: 'original' | 'refined') => Reply): Reply {
  const replies = plans.map((p) => ({ p, r: judge(p.author, p.kind) }));
  const special = replies.find(({ r }) => r.error || r.hang);
  if (special) return special.r;
  const entries = replies.flatMap(({ p, r }) => {
    try {
      return [{ label: p.label, ...(JSON.parse(r.text ?? '') as object) }];
    } catch {
      return [];
    }
  });
  const delay = Math.max(0, ...replies.map(({ r }) => r.delayMs ?? 0));
  return { text: JSON.stringify({ judgements: entries }), ...(delay ? { delayMs: delay } : {}) };
}

/** One shared, ordered log of call starts and ends across all clients. */
export class Timeline {
  readonly entries: { at: number; what: 'start' | 'end'; modelId: string; kind: CallKind; author?: string }[] = [];
  private tick = 0;
  log(what: 'start' | 'end', modelId: string, kind: CallKind, author?: string): void {
    this.entries.push({ at: this.tick++, what, modelId, kind, ...(author ? { author } : {}) });
  }
  /** The most calls of this kind that were in flight at once. */
  maxInFlight(kind: CallKind): number {
    let now = 0;
    let max = 0;
    for (const e of this.entries.filter((x) => x.kind === kind)) {
      now += e.what === 'start' ? 1 : -1;
      max = Math.max(max, now);
    }
    return max;
  }
}

export function spec(id: string, outputPerMTok: number | undefined, opts: { roles?: ModelRole[]; inputPerMTok?: number; enabled?: boolean } = {}): ModelSpec {
  return {
    id,
    provider: 'openai-compatible',
    model: `${id}-model`,
    ...(outputPerMTok === undefined ? {} : { price: { inputPerMTok: opts.inputPerMTok ?? outputPerMTok / 4, outputPerMTok, source: 'settings' as const } }),
    roles: opts.roles ?? ['bidder', 'juror'],
    enabled: opts.enabled ?? true,
    local: false,
  };
}

/** A bid reply in the JSON the prompt asks for; the summary carries a marker so jurors can tell whose plan it is. */
export function bidJson(author: string, opts: { steps?: number; extra?: string } = {}): string {
  const steps = Array.from({ length: opts.steps ?? 3 }, (_, i) => `step ${i + 1} of ${author}`);
  return JSON.stringify({ summary: `PLAN[${author}] ${opts.extra ?? ''}`.trim(), steps, files: ['src/a.ts'], risks: ['r'], verification: ['run tests'] });
}

export function judgeJson(score: number): string {
  return JSON.stringify({ correctness: score, fit: score, risk: score, verifiability: score, score, rationale: `rated ${score}` });
}

/** Logprobs whose every position has the sampled token at probability p and one alternative at 1 − p. */
export function logprobsWith(p: number, positions = 10): TokenLogprob[] {
  return Array.from({ length: positions }, (_, i) => ({
    token: `t${i}`,
    logprob: Math.log(p),
    top: [
      { token: `t${i}`, logprob: Math.log(p) },
      { token: `u${i}`, logprob: Math.log(1 - p) },
    ],
  }));
}

export class ScriptedClient implements ModelClient {
  readonly requests: { kind: CallKind; request: ChatRequest }[] = [];

  constructor(
    readonly spec: ModelSpec,
    private readonly script: Script,
    private readonly timeline: Timeline = new Timeline(),
  ) {}

  chat(request: ChatRequest): Promise<ChatResponse> {
    const batched = request.system === BATCH_JURY_SYSTEM;
    const kind: CallKind = request.system === JURY_SYSTEM || batched ? 'judge' : request.system === REFINE_SYSTEM ? 'refine' : request.system === BID_SYSTEM ? 'bid' : fail('unknown request');
    this.requests.push({ kind, request });
    const content = request.messages[0]?.content ?? '';
    const plans = batched ? shownPlans(content) : [];
    const author = kind === 'judge' ? (batched ? plans.map((p) => p.author).join(',') : /PLAN\[([^\]]+)\]/.exec(content)?.[1]) : undefined;
    const bidKind = content.includes('REFINED') ? 'refined' : 'original';
    const judge = this.script.judge ?? (() => ({ text: judgeJson(3) }));
    const reply: Reply =
      kind === 'bid' ? (this.script.bid ?? { text: bidJson(this.spec.id) })
      : kind === 'refine' ? (this.script.refine ?? { text: bidJson(this.spec.id, { extra: 'REFINED' }) })
      : batched ? (this.script.judgeBatch?.(plans) ?? batchFromPerPlan(plans, judge))
      : judge(author ?? '?', bidKind);
    this.timeline.log('start', this.spec.id, kind, author);
    if (reply.hang) return new Promise<ChatResponse>(() => undefined);

    return new Promise<ChatResponse>((resolve, reject) => {
      const finish = (): void => {
        request.signal?.removeEventListener('abort', onAbort);
        this.timeline.log('end', this.spec.id, kind, author);
        if (reply.error) return reject(reply.error);
        resolve({
          text: reply.text ?? '',
          toolCalls: [],
          finishReason: reply.finishReason ?? 'stop',
          usage: reply.unreported ? unreportedUsage() : { ...emptyUsage(), inputTokens: reply.inputTokens ?? 1000, outputTokens: reply.outputTokens ?? 200 },
          ...(reply.logprobs ? { logprobs: reply.logprobs } : {}),
          ...(reply.parsed !== undefined ? { parsed: reply.parsed } : {}),
          latencyMs: 1,
          model: this.spec.model,
        });
      };
      const timer = setTimeout(finish, reply.delayMs ?? this.script.delayMs ?? 0);
      const onAbort = (): void => {
        clearTimeout(timer);
        this.timeline.log('end', this.spec.id, kind, author);
        const e = new Error('aborted');
        e.name = 'AbortError';
        reject(e);
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** Deps over scripted clients that collect calls and events. */
export function depsFor(
  clients: ModelClient[],
  opts: { capabilities?: (id: string) => ModelCapabilities | undefined; memory?: AuctionDeps['memory']; onEvent?: (e: AuctionEvent) => void } = {},
): AuctionDeps & { records: ModelCallRecord[]; events: AuctionEvent[] } {
  const records: ModelCallRecord[] = [];
  const events: AuctionEvent[] = [];
  let t = Date.UTC(2026, 0, 1);
  return {
    clients,
    capabilities: opts.capabilities ?? (() => caps()),
    ...(opts.memory ? { memory: opts.memory } : {}),
    calls: { record: (r) => records.push(r) },
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
    now: () => (t += 1),
    records,
    events,
  };
}

export function caps(over: Partial<ModelCapabilities> = {}): ModelCapabilities {
  return { streaming: true, tools: true, structuredOutput: false, logprobs: false, embeddings: false, probedAt: '2026-01-01T00:00:00Z', ...over };
}

/** The winner's model id, or throws with the ranking for a readable failure. */
export function winnerModel(result: AuctionResult): string {
  if (!result.winner) throw new Error(`no winner: ${JSON.stringify(result.ranking.map((r) => [r.bidId, r.score, r.ineligibleReasons]))}`);
  return result.winner.modelId;
}
