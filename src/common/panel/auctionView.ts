import { bidOutputTokens } from '../auction/bidding';
import type { AuctionEvent } from '../auction/events';
import { costPerSuccessUsd } from '../auction/costPerSuccess';
import type { AuctionCost, Bid, FailedBid, PhaseCost, ScoreBreakdown } from '../auction/types';
import type { WorkEstimate } from '../auction/workCost';
import type { AuctionView, BidCard, PhaseCostView, PoolMemberView } from '../protocol/auctionView';
import { retrievalNote } from './memoryRetrieval';

/**
 * Folds the engine's auction events into the panel's AuctionView. Pure: the host keeps the view, applies each
 * event the moment it arrives and sends the result; a reloaded panel gets the same view back.
 */

const zeroCost = (): PhaseCostView => ({ calls: 0, inputTokens: 0, outputTokens: 0, usd: 0, unpricedCalls: 0, failedCalls: 0 });

export function emptyAuctionView(auctionId: string, task: string, startedAt: string): AuctionView {
  return {
    auctionId,
    task,
    status: 'running',
    phase: 'bidding',
    startedAt,
    finishedAt: null,
    bidders: [],
    jurors: [],
    decision: { rule: 'score', qualityPreference: 0, ruleFellBack: false },
    cards: [],
    provisionalWinner: null,
    winner: null,
    why: null,
    cost: { bidding: zeroCost(), jury: zeroCost(), refinement: zeroCost(), total: zeroCost(), capUsd: null, overshoots: [] },
    refinement: { ran: false, candidates: [], skipped: [] },
    error: null,
    adaptive: [],
    retrieval: [],
    retrievalNote: null,
  };
}

function blankCard(bidId: string, modelId: string, kind: BidCard['kind'], pool: ReadonlyMap<string, PoolMemberView>): BidCard {
  const member = pool.get(modelId);
  return {
    bidId,
    modelId,
    kind,
    status: 'bidding',
    local: member?.local ?? false,
    priceOutPerMTok: member?.priceOutPerMTok ?? null,
    perRequest: member?.perRequest ?? null,
    plan: null,
    summary: null,
    files: [],
    bidTokens: null,
    entropyNats: null,
    confidence: null,
    judgements: [],
    juryMean: null,
    costTerm: null,
    costMode: null,
    work: null,
    valueTerm: null,
    score: null,
    prediction: null,
    costPerSuccessUsd: null,
    record: null,
    rank: null,
    eligible: true,
    ineligibleReasons: [],
    signals: { entropy: false, jurors: [], record: false },
    imputed: false,
    dollars: null,
    failure: null,
    refines: null,
    learnedFrom: [],
  };
}

function withBid(card: BidCard, bid: Bid): BidCard {
  return {
    ...card,
    status: 'received',
    plan: bid.planText,
    summary: bid.content.summary || null,
    files: bid.content.files,
    // Null (shown as unknown) when the provider reported no usage and no logprobs: never 0 tokens.
    bidTokens: bidOutputTokens(bid) ?? null,
    entropyNats: bid.entropy?.meanNats ?? null,
    confidence: bid.entropy?.confidence ?? null,
    dollars: bid.dollars ?? null,
    refines: bid.refines ?? null,
    learnedFrom: bid.usedAuctions ?? [],
  };
}

function withScore(card: BidCard, b: ScoreBreakdown): BidCard {
  return {
    ...card,
    costTerm: b.cost.term ?? null,
    costMode: b.cost.mode,
    work: b.cost.work ? { usd: b.cost.work.usd, inputTokens: b.cost.work.inputTokens, outputTokens: b.cost.work.outputTokens, basis: workBasis(b.cost.work) } : null,
    valueTerm: b.value.term,
    score: b.score ?? null,
    prediction: b.prediction ? { p: b.prediction.p, low: b.prediction.low, high: b.prediction.high, outcomes: b.prediction.outcomes, basis: b.prediction.basis } : null,
    costPerSuccessUsd: costPerSuccessUsd(b) ?? null,
    record: b.value.record ? { rate: b.value.record.rate, outcomes: b.value.record.outcomes, weight: b.value.record.weight, source: b.value.record.source } : null,
    rank: b.rank,
    juryMean: b.juryMean ?? null,
    eligible: b.eligible,
    ineligibleReasons: b.ineligibleReasons,
    signals: { entropy: b.signals.entropy, jurors: b.signals.jurors, record: b.signals.record ?? false },
    imputed: b.value.imputed,
    confidence: b.value.entropy?.confidence ?? card.confidence,
  };
}

function withFailure(card: BidCard, f: FailedBid): BidCard {
  return { ...card, status: 'failed', failure: { code: f.code, reason: f.reason }, dollars: f.dollars ?? card.dollars, eligible: false };
}

const phaseCost = (p: PhaseCost): PhaseCostView => ({ ...p });
const costView = (c: AuctionCost): AuctionView['cost'] => ({
  bidding: phaseCost(c.bidding),
  jury: phaseCost(c.jury),
  refinement: phaseCost(c.refinement),
  total: phaseCost(c.total),
  capUsd: c.capUsd ?? null,
  overshoots: (c.overshoots ?? []).map((o) => ({ phase: o.phase, modelId: o.modelId, maxTokens: o.maxTokens, outputTokens: o.outputTokens, usd: o.usd ?? null, reservedUsd: o.reservedUsd ?? null })),
});

/** Best first: ranked bids by rank, then bids without a rank yet, then failed bids; ties by id for stability. */
export function sortCards(cards: readonly BidCard[]): BidCard[] {
  const bucket = (c: BidCard) => (c.status === 'failed' ? 2 : c.rank === null ? 1 : 0);
  return [...cards].sort((a, b) => bucket(a) - bucket(b) || (a.rank ?? 0) - (b.rank ?? 0) || (a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0));
}

function upsert(view: AuctionView, bidId: string, make: () => BidCard, change: (c: BidCard) => BidCard): AuctionView {
  const existing = view.cards.find((c) => c.bidId === bidId);
  const next = change(existing ?? make());
  const cards = existing ? view.cards.map((c) => (c.bidId === bidId ? next : c)) : [...view.cards, next];
  return { ...view, cards: sortCards(cards) };
}

/** Applies one engine event to the view and returns the new view (the input is not changed). */
export function applyAuctionEvent(view: AuctionView, e: AuctionEvent, pool: ReadonlyMap<string, PoolMemberView>): AuctionView {
  switch (e.type) {
    case 'auction-started':
      return { ...view, bidders: e.bidders, jurors: e.jurors, startedAt: e.at, decision: { rule: e.weights.rule ?? 'score', qualityPreference: e.weights.qualityPreference ?? 0, ruleFellBack: false } };
    case 'bid-started':
      return upsert(view, e.bidId, () => blankCard(e.bidId, e.modelId, e.kind, pool), (c) => c);
    case 'bid-received':
    case 'refined-bid':
      return upsert(
        { ...view, phase: e.type === 'refined-bid' ? 'refinement' : view.phase === 'bidding' ? 'jury' : view.phase },
        e.bid.id,
        () => blankCard(e.bid.id, e.bid.modelId, e.bid.kind, pool),
        (c) => withBid(c, e.bid),
      );
    case 'bid-failed':
      return upsert(view, e.failure.bidId, () => blankCard(e.failure.bidId, e.failure.modelId, e.failure.kind, pool), (c) => withFailure(c, e.failure));
    case 'judgement-received': {
      const j = e.judgement;
      return upsert(
        view,
        j.bidId,
        () => blankCard(j.bidId, '', 'original', pool),
        (c) => ({
          ...c,
          judgements: [...c.judgements.filter((x) => x.jurorId !== j.jurorId), { jurorId: j.jurorId, score: j.score, rationale: j.rationale, self: j.self }].sort((a, b) =>
            a.jurorId < b.jurorId ? -1 : a.jurorId > b.jurorId ? 1 : 0,
          ),
        }),
      );
    }
    case 'bid-scored':
      return upsert(view, e.breakdown.bidId, () => blankCard(e.breakdown.bidId, e.breakdown.modelId, e.breakdown.kind, pool), (c) => withScore(c, e.breakdown));
    case 'ranking-changed': {
      const rankOf = new Map(e.ranking.map((id, i) => [id, i + 1]));
      return { ...view, cards: sortCards(view.cards.map((c) => (rankOf.has(c.bidId) ? { ...c, rank: rankOf.get(c.bidId) ?? null } : c))) };
    }
    case 'provisional-winner':
      return { ...view, provisionalWinner: e.bidId };
    case 'refinement-started':
      return { ...view, phase: 'refinement', refinement: { ...view.refinement, ran: true, candidates: e.candidates } };
    case 'refinement-skipped':
      return { ...view, refinement: { ...view.refinement, skipped: [...view.refinement.skipped, { modelId: e.modelId ?? null, reason: e.reason }] } };
    case 'memory-retrieved': {
      const retrieval = [...view.retrieval.filter((r) => r.modelId !== e.modelId), { modelId: e.modelId, method: e.method, model: e.model ?? null }];
      return { ...view, retrieval, retrievalNote: retrievalNote(retrieval) ?? null };
    }
    case 'final-winner':
      return { ...view, winner: { bidId: e.bidId, modelId: e.modelId }, why: e.why };
    case 'cost':
      return { ...view, cost: costView(e.cost) };
    case 'done':
    case 'cancelled': {
      // The result is the final word: rebuild every scored card from it so nothing depends on event order.
      const r = e.result;
      const decision = { rule: r.weights.rule ?? 'score', qualityPreference: r.weights.qualityPreference ?? 0, ruleFellBack: r.decision?.fellBack !== undefined };
      let next: AuctionView = { ...view, status: e.type === 'done' ? 'completed' : 'cancelled', phase: 'done', finishedAt: r.finishedAt, cost: costView(r.cost), decision };
      for (const bid of r.bids) next = upsert(next, bid.id, () => blankCard(bid.id, bid.modelId, bid.kind, pool), (c) => withBid(c, bid));
      for (const b of r.ranking) next = upsert(next, b.bidId, () => blankCard(b.bidId, b.modelId, b.kind, pool), (c) => withScore(c, b));
      return {
        ...next,
        winner: r.winner ? { bidId: r.winner.bidId, modelId: r.winner.modelId } : null,
        why: r.why ?? next.why,
        provisionalWinner: r.provisionalWinner?.bidId ?? next.provisionalWinner,
        refinement: { ran: r.refinement.ran, candidates: r.refinement.candidates, skipped: r.refinement.skipped.map((s) => ({ modelId: s.modelId ?? null, reason: s.reason })) },
        // The result's list is the whole of it, in the order the engine decided; the events only showed it early.
        adaptive: (r.adaptive ?? []).map((a) => ({ kind: a.kind, reason: a.reason, dropped: [...a.dropped] })),
      };
    }
    case 'failed':
      return { ...view, status: 'failed', phase: 'done', finishedAt: e.at, error: { code: e.error.code, message: e.error.message, reasons: e.error.reasons } };
    case 'adaptive-skip':
      return { ...view, adaptive: [...view.adaptive, { kind: e.skip.kind, reason: e.skip.reason, dropped: [...e.skip.dropped] }] };
    case 'judgement-failed':
    case 'call-skipped':
      return view;
  }
}

/** What an expected execution cost rests on, in words for the bid card. */
export function workBasis(w: WorkEstimate): string {
  if (w.basis === 'prior') return 'plan-length prior (no past runs of this model)';
  const n = w.runs ?? 0;
  return `mean of ${n} past run${n === 1 ? '' : 's'} of this model${w.similar ? ' on similar tasks' : ''}`;
}
