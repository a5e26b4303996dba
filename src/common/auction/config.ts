import { nullLogger, type Logger } from '../log';
import type { ModelClient, ModelSpec, ReasoningEffort } from '../providers/types';
import { InvalidAuctionRequestError } from './errors';
import { choosePanel } from './adaptive';
import { digestContext } from './contextDigest';
import type { AuctionBudget, AuctionContext, AuctionLimits, AuctionReasoningEffort, AuctionRequest, JuryConfig, JuryStyle, RefinementConfig } from './types';
import { DEFAULT_EXECUTION_ESTIMATE, resolveWeights, type AuctionWeights, type ExecutionEstimateConfig } from './weights';

export const DEFAULT_LIMITS: Readonly<AuctionLimits> = Object.freeze({
  bidMaxTokens: 800,
  judgementMaxTokens: 300,
  // The paper asks every bidder at once. A batched jury is one call per juror; per-bid judging is O(|A|²) calls,
  // so it is throttled: at 16, a pool of four judges every bid at once, and larger pools queue.
  bidConcurrency: 16,
  juryConcurrency: 16,
  logprobsTopK: 5,
  bidGraceMs: 15_000,
});

/** The default jury: the three cheapest juror-role models, each scoring all bids in one call. */
export const DEFAULT_JURY: Readonly<JuryConfig> = Object.freeze({ mode: 'panel', size: 3 });
export const DEFAULT_PANEL_SIZE = 3;

export const DEFAULT_REFINEMENT: Readonly<RefinementConfig> = Object.freeze({ enabled: true, topK: 3, context: 'digest' });

/**
 * What the auction's calls ask reasoning models for when the request names nothing. A plan of under 300 words
 * and a jury score need little thought; at their default (`medium`) OpenAI's GPT-5 and o-series models spend hidden
 * reasoning tokens on each, billed as output and counted against the call's `maxTokens`. `low` is the one value
 * every OpenAI reasoning model takes.
 */
export const DEFAULT_REASONING_EFFORT: ReasoningEffort = 'low';
export const AUCTION_REASONING_EFFORTS: readonly AuctionReasoningEffort[] = ['default', 'minimal', 'low', 'medium', 'high'];

/** A request with every default filled in and the pool resolved to clients. */
export interface ResolvedAuction {
  weights: AuctionWeights;
  limits: AuctionLimits;
  refinement: RefinementConfig;
  budget: AuctionBudget;
  executionEstimate: ExecutionEstimateConfig;
  jury: JuryConfig;
  juryStyle: JuryStyle;
  /** The context as the jurors read it: the request's, or its digest (contextDigest.ts). */
  juryContext: AuctionContext | undefined;
  /** The context as a refiner reads it: the digest unless `refinement.context` is 'full'. */
  refinementContext: AuctionContext | undefined;
  /** Asked of reasoning models on every bid, jury and refinement call; undefined: nothing is sent (`default`). */
  reasoningEffort: ReasoningEffort | undefined;
  /** The overhead cap as asked for (validated); the engine turns it into dollars (engine.ts `capOverhead`). */
  overhead: AuctionRequest['overhead'];
  /** Enabled pool models with the bidder role, cheapest first (so a tight cap spends on the cheap ones first). */
  bidders: ModelClient[];
  /** Pool ids with no client: reported as failed bids. */
  missing: string[];
  jurors: ModelClient[];
  clientOf: (modelId: string) => ModelClient | undefined;
}

export function resolveAuction(
  request: AuctionRequest,
  clients: readonly ModelClient[] | ((modelId: string) => ModelClient | undefined),
  logger: Logger = nullLogger,
): ResolvedAuction {
  if (!request.task.trim()) throw new InvalidAuctionRequestError('the task is empty');
  if (request.pool.length === 0) throw new InvalidAuctionRequestError('the pool is empty');
  const clientOf = typeof clients === 'function' ? clients : lookupOf(clients);
  const limits = { ...DEFAULT_LIMITS, ...defined(request.limits) };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isFinite(v) || v < (k === 'logprobsTopK' ? 0 : 1)) throw new InvalidAuctionRequestError(`limit ${k} must be a positive number, got ${v}`);
  }
  const budget = request.budget ?? {};
  for (const [k, v] of Object.entries(budget)) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new InvalidAuctionRequestError(`budget ${k} must be ≥ 0, got ${String(v)}`);
  }

  const ids = [...new Set(request.pool)];
  const missing = ids.filter((id) => !clientOf(id));
  const pool = ids.flatMap((id) => {
    const c = clientOf(id);
    return c && c.spec.enabled ? [c] : [];
  });
  const bidders = pool.filter((c) => c.spec.roles.includes('bidder')).sort(byPriceThenId);

  const jury = request.jury ?? DEFAULT_JURY;
  let jurors: ModelClient[] = [];
  if (jury.mode === 'all') jurors = pool.filter((c) => c.spec.roles.includes('juror'));
  else if (jury.mode === 'panel') {
    const size = jury.size ?? DEFAULT_PANEL_SIZE;
    if (!Number.isInteger(size) || size < 1) throw new InvalidAuctionRequestError(`jury panel size must be a whole number ≥ 1, got ${size}`);
    jurors = choosePanel(pool.filter((c) => c.spec.roles.includes('juror')), size);
  }
  else if (jury.mode === 'subset') {
    jurors = [...new Set(jury.jurors)].map((id) => {
      const c = clientOf(id);
      if (!c) throw new InvalidAuctionRequestError(`juror ${id} is not a configured model`);
      return c;
    });
  }
  jurors.sort((a, b) => (a.spec.id < b.spec.id ? -1 : 1));

  const refinement = { ...DEFAULT_REFINEMENT, ...defined(request.refinement) };
  const digest = jury.context === 'full' && refinement.context === 'full' ? undefined : digestContext(request.context);
  return {
    weights: resolveWeights(request.weights),
    limits,
    refinement,
    budget,
    executionEstimate: { ...DEFAULT_EXECUTION_ESTIMATE, ...defined(request.executionEstimate) },
    jury,
    juryStyle: jury.style ?? 'batched',
    juryContext: jury.context === 'full' ? request.context : digest,
    refinementContext: refinement.context === 'full' ? request.context : digest,
    reasoningEffort: reasoningEffortOf(request.reasoningEffort, logger),
    overhead: validOverhead(request.overhead),
    bidders,
    missing,
    jurors,
    clientOf,
  };
}

/**
 * The effort the auction's calls carry. A value outside the list (a hand-edited setting) must not stop every
 * auction, and sending it would only earn a 400 per model: the default is used and the log says so.
 */
export function reasoningEffortOf(asked: unknown, logger: Logger = nullLogger): ReasoningEffort | undefined {
  if (asked === undefined) return DEFAULT_REASONING_EFFORT;
  if (asked === 'default') return undefined;
  if ((AUCTION_REASONING_EFFORTS as readonly unknown[]).includes(asked)) return asked as ReasoningEffort;
  logger.warn(`reasoning effort ${JSON.stringify(asked)} is not one of ${AUCTION_REASONING_EFFORTS.join(', ')}: asking for ${DEFAULT_REASONING_EFFORT}`);
  return DEFAULT_REASONING_EFFORT;
}

function validOverhead(o: AuctionRequest['overhead']): AuctionRequest['overhead'] {
  if (o && (!(o.maxShare >= 0) || (o.expectedExecutionUsd !== undefined && !(o.expectedExecutionUsd >= 0)))) throw new InvalidAuctionRequestError('overhead maxShare and expectedExecutionUsd must be ≥ 0');
  return o;
}

function lookupOf(clients: readonly ModelClient[]): (id: string) => ModelClient | undefined {
  const map = new Map(clients.map((c) => [c.spec.id, c]));
  return (id) => map.get(id);
}

function byPriceThenId(a: ModelClient, b: ModelClient): number {
  const p = (s: ModelSpec): number => s.price?.outputPerMTok ?? Number.POSITIVE_INFINITY;
  return p(a.spec) - p(b.spec) || (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0);
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
