import type { ModelClient } from '../providers/types';
import { bidOutputTokens } from './bidding';
import { executionCapReasons, type SpendTracker } from './budget';
import type { BidderReason } from './errors';
import type { EventSink } from './events';
import { predictionFor } from './decision';
import { rankBidsWithDecision, type ScoringInput } from './scoring';
import type { AdaptiveSkip, AuctionResult, AuctionWinner, Bid, FailedBid, FailedJudgement, Judgement, ScoreBreakdown, SkippedCall } from './types';
import type { AuctionWeights, ExecutionEstimateConfig } from './weights';
import { requestUsd } from '../providers/pricing';
import { bidBudgetReasons, keepBackUsd, remainingUsd, type TaskBudget } from '../ledger/taskBudget';
import type { ExecutionTokens } from './executionHistory';
import { expectedWork } from './workCost';
import type { LearnedRecord, ModelTrack } from '../learning/successPredictor';
import type { Logger } from '../log';

/** Fixed facts of one auction the state needs to score and report. */
export interface AuctionFacts {
  auctionId: string;
  task: string;
  startedAt: string;
  weights: AuctionWeights;
  bidders: string[];
  jurors: string[];
  executionCapUsd: number | undefined;
  /** The task's one budget (limit and spend before this auction); the auction's own spend is added as it goes. */
  taskBudget: TaskBudget;
  executionEstimate: ExecutionEstimateConfig;
  refinementEnabled: boolean;
  clientOf: (modelId: string) => ModelClient | undefined;
  /** Where a failing success predictor is reported (once per model). */
  logger?: Logger;
}

/**
 * Everything the auction has gathered so far. Each piece is added the moment it arrives, so a cancelled or failed
 * auction still reports what exists. Results are sorted by id, never by arrival, so the order in which bids come
 * back cannot change the result.
 */
export class AuctionState {
  private readonly bids = new Map<string, Bid>();
  private readonly judgements: Judgement[] = [];
  private readonly failedBids: FailedBid[] = [];
  private readonly failedJudgements: FailedJudgement[] = [];
  private readonly skipped: SkippedCall[] = [];
  private readonly scored = new Set<string>();
  private lastRanking = '';
  /** What past executions used, per model (set once the history port answers; empty until then and without one). */
  private history: Readonly<Record<string, ExecutionTokens>> = {};
  /** The workspace's track record (set once the port answers; undefined until then, without one, or when it failed). */
  private trackRecord: LearnedRecord | undefined;
  private readonly predictionWarned = new Set<string>();
  private readonly adaptive: AdaptiveSkip[] = [];
  readonly refinement: AuctionResult['refinement'];

  constructor(
    private readonly facts: AuctionFacts,
    private readonly events: EventSink,
    private readonly spend: SpendTracker,
  ) {
    this.refinement = { enabled: facts.refinementEnabled, ran: false, candidates: [], skipped: [] };
    const left = remainingUsd(facts.taskBudget);
    // Once bids are in, the auction keeps back the work of the cheapest bid that still fits what its spend so far
    // leaves (calls in flight count at their real cost once back; their worst case is checked by the tracker).
    if (left !== undefined) spend.limitBy(() => left - keepBackUsd(this.allBids().map((b) => this.expectedUsd(b)), left - spend.spentOrHeldUsd()));
  }

  /** The bid's expected work in dollars: this workspace's history for its model, else the plan-length prior. */
  private expectedUsd(bid: Bid): number | undefined {
    return expectedWork(bid.usage, this.facts.clientOf(bid.modelId)?.spec.price, this.history[bid.modelId], this.facts.executionEstimate)?.usd;
  }

  /** The median expected work in dollars over the given bids with a known figure; undefined when none has one. */
  medianExpectedWorkUsd(bids: readonly Bid[]): number | undefined {
    const xs = bids.flatMap((b) => {
      const usd = this.expectedUsd(b);
      return usd === undefined ? [] : [usd];
    });
    if (xs.length === 0) return undefined;
    xs.sort((a, b) => a - b);
    const mid = Math.floor(xs.length / 2);
    return xs.length % 2 ? xs[mid] : (xs[mid - 1]! + xs[mid]!) / 2;
  }

  setExecutionHistory(history: Readonly<Record<string, ExecutionTokens>>): void {
    this.history = history;
  }

  setTrackRecord(record: LearnedRecord | undefined): void {
    this.trackRecord = record;
  }

  /** Whether a track record was loaded (every bid then has a prediction unless the predictor failed for it). */
  hasTrackRecord(): boolean {
    return this.trackRecord !== undefined;
  }

  addBid(bid: Bid): void {
    this.bids.set(bid.id, bid);
    this.events.emit(bid.kind === 'refined' ? { type: 'refined-bid', bid } : { type: 'bid-received', bid });
  }

  addFailedBid(failure: FailedBid): void {
    if (failure.code === 'skipped-budget') this.addSkipped({ phase: failure.kind === 'refined' ? 'refinement' : 'bidding', modelId: failure.modelId, bidId: failure.bidId, reason: failure.reason });
    this.failedBids.push(failure);
    this.events.emit({ type: 'bid-failed', failure });
  }

  addJudgement(judgement: Judgement): void {
    this.judgements.push(judgement);
    this.events.emit({ type: 'judgement-received', judgement });
  }

  addFailedJudgement(failure: FailedJudgement): void {
    if (failure.code === 'skipped-budget') this.addSkipped({ phase: 'jury', modelId: failure.jurorId, bidId: failure.bidId, reason: failure.reason });
    else this.failedJudgements.push(failure);
    this.events.emit({ type: 'judgement-failed', failure });
  }

  private addSkipped(skipped: SkippedCall): void {
    this.skipped.push(skipped);
    this.events.emit({ type: 'call-skipped', skipped });
  }

  /** A bid's judging round is over: score it, and tell the UI if the order of scored bids changed. */
  markScored(bidId: string): void {
    this.scored.add(bidId);
    const ranking = this.rank([...this.scored]);
    const mine = ranking.find((b) => b.bidId === bidId);
    if (mine) this.events.emit({ type: 'bid-scored', breakdown: mine });
    const key = ranking.map((b) => b.bidId).join('\n');
    if (key !== this.lastRanking) {
      this.lastRanking = key;
      this.events.emit({ type: 'ranking-changed', ranking: ranking.map((b) => b.bidId) });
    }
  }

  /** The jurors that will judge (the overhead cap may drop some before the jury starts). */
  setJurors(ids: readonly string[]): void {
    this.facts.jurors = [...ids];
  }

  jurorIds(): readonly string[] {
    return this.facts.jurors;
  }

  /** Records a part of the auction left out on purpose (see adaptive.ts), with its event. */
  addAdaptiveSkip(skip: AdaptiveSkip): void {
    this.adaptive.push(skip);
    this.events.emit({ type: 'adaptive-skip', skip });
  }

  originalBids(): Bid[] {
    return this.allBids().filter((b) => b.kind === 'original');
  }

  /** The ranking over the given bids (all bids by default). */
  rank(ids: readonly string[] = [...this.bids.keys()]): ScoreBreakdown[] {
    return this.rankWithDecision(ids).ranking;
  }

  /** The ranking, and why the expected-utility rule (when asked for) could not rank it. */
  rankWithDecision(ids: readonly string[] = [...this.bids.keys()]): { ranking: ScoreBreakdown[]; fellBack?: string } {
    const inputs = ids.flatMap((id) => {
      const bid = this.bids.get(id);
      return bid ? [this.scoringInput(bid)] : [];
    });
    return rankBidsWithDecision(inputs, this.facts.weights, this.facts.jurors);
  }

  private scoringInput(bid: Bid): ScoringInput {
    const price = this.facts.clientOf(bid.modelId)?.spec.price;
    const work = expectedWork(bid.usage, price, this.history[bid.modelId], this.facts.executionEstimate);
    const expected = work?.usd;
    const judgements = this.judgements.filter((j) => j.bidId === bid.id);
    const prediction = predictionFor(this.trackRecord, { modelId: bid.modelId, judgements, entropy: bid.entropy }, this.warnOnce(bid.modelId));
    const record = recordFor(this.trackRecord, bid.modelId, this.warnOnce(`record of ${bid.modelId}`));
    return {
      bidId: bid.id,
      modelId: bid.modelId,
      kind: bid.kind,
      bidTokens: bidOutputTokens(bid),
      outputPricePerMTok: price?.outputPerMTok,
      ...(price?.perRequest === undefined ? {} : { requestUsd: requestUsd(price) }),
      entropy: bid.entropy,
      judgements,
      ...(work === undefined ? {} : { work }),
      ...(prediction === undefined ? {} : { prediction }),
      ...(record === undefined ? {} : { record }),
      ineligibleReasons: [
        ...executionCapReasons(expected, this.facts.executionCapUsd, price ? 'usage not reported by the provider' : 'price unknown'),
        ...bidBudgetReasons(this.facts.taskBudget, expected, this.spend.spentOrHeldUsd(), price ? 'usage not reported by the provider' : 'price unknown'),
      ],
    };
  }

  /** Reports a failing prediction (or an unusable record) once per model, not at every re-ranking. */
  private warnOnce(key: string): (message: string) => void {
    return (message) => {
      if (this.predictionWarned.has(key)) return;
      this.predictionWarned.add(key);
      this.facts.logger?.warn(message);
    };
  }

  /** Each bidder's reason for having no eligible bid (for NoBidsError). */
  bidderReasons(ranking: readonly ScoreBreakdown[]): BidderReason[] {
    return this.facts.bidders.map((modelId) => {
      const own = ranking.filter((b) => b.modelId === modelId);
      if (own.length) return { modelId, reason: own.flatMap((b) => b.ineligibleReasons).join('; ') || 'ineligible' };
      const failed = this.failedBids.filter((f) => f.modelId === modelId);
      return { modelId, reason: failed.map((f) => `${f.code}: ${f.reason}`).join('; ') || 'no bid' };
    });
  }

  result(status: AuctionResult['status'], finishedAt: string, extra: { ranking: ScoreBreakdown[]; provisionalWinner?: AuctionWinner; winner?: AuctionWinner; why?: string }): AuctionResult {
    const byId = <T>(key: (x: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    return {
      schemaVersion: 1,
      auctionId: this.facts.auctionId,
      task: this.facts.task,
      status,
      startedAt: this.facts.startedAt,
      finishedAt,
      weights: this.facts.weights,
      bidders: [...this.facts.bidders],
      jurors: [...this.facts.jurors],
      bids: this.allBids(),
      ranking: extra.ranking,
      judgements: [...this.judgements].sort(byId((j) => `${j.bidId}\n${j.jurorId}`)),
      ...(extra.provisionalWinner ? { provisionalWinner: extra.provisionalWinner } : {}),
      ...(extra.winner ? { winner: extra.winner } : {}),
      ...(extra.why ? { why: extra.why } : {}),
      refinement: { ...this.refinement, candidates: [...this.refinement.candidates].sort(), skipped: [...this.refinement.skipped].sort(byId((x) => x.modelId ?? '')) },
      failures: {
        bids: [...this.failedBids].sort(byId((f) => f.bidId)),
        judgements: [...this.failedJudgements].sort(byId((f) => `${f.bidId}\n${f.jurorId}`)),
        skipped: [...this.skipped].sort(byId((s) => `${s.phase}\n${s.bidId}\n${s.modelId}`)),
      },
      cost: this.spend.snapshot(),
      ...(this.adaptive.length ? { adaptive: this.adaptive.map((a) => ({ ...a, dropped: [...a.dropped] })) } : {}),
      decision: this.decision(extra.ranking),
    };
  }

  /** The rule that ranked `ranking`, and why the expected-utility rule fell back to the score when it did. */
  private decision(ranking: readonly ScoreBreakdown[]): NonNullable<AuctionResult['decision']> {
    const rule = this.facts.weights.rule ?? 'score';
    const fellBack = rule === 'expected-utility' ? this.rankWithDecision(ranking.map((b) => b.bidId)).fellBack : undefined;
    return { rule, qualityPreference: this.facts.weights.qualityPreference ?? 0, predictions: this.trackRecord !== undefined, ...(fellBack === undefined ? {} : { fellBack }) };
  }

  /** Every usable bid, by id. */
  allBids(): Bid[] {
    return [...this.bids.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * The bidder's track record as the scorer's value signal: its model's estimated success rate in this workspace
 * (`unknownModel` for a model the query did not name). Undefined without a record, or when the rate is not a
 * probability (logged: a bad number must not rank).
 */
export function recordFor(record: LearnedRecord | undefined, modelId: string, warn: (message: string) => void = () => undefined): ScoringInput['record'] {
  if (record === undefined) return undefined;
  // A port is any code (the memory's, a benchmark's): what it answered is checked, not trusted.
  const track: ModelTrack | undefined = record.models[modelId] ?? record.unknownModel;
  const rate: unknown = track?.p;
  if (track === undefined || typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    warn(`track record of ${modelId} ignored in the score: its success rate ${String(rate)} is not in [0, 1]`);
    return undefined;
  }
  return { rate, outcomes: track.outcomes, source: track.prior.source };
}

/** The winner fields of a ranking entry. */
export function winnerOf(b: ScoreBreakdown): AuctionWinner {
  return { bidId: b.bidId, modelId: b.modelId, kind: b.kind, ...(b.score === undefined ? {} : { score: b.score }) };
}
