import { rankBids, type ScoringInput } from '../../../../src/common/auction/scoring';
import { resolveWeights, type AuctionWeights } from '../../../../src/common/auction/weights';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type OutcomeFact, type OutcomeLine } from '../../../../src/common/memory/records';

/** A bid as a test describes it: the signals the scorer reads and, when it ran, what happened. */
export interface BidSpec {
  id: string;
  model?: string;
  /** Expected execution dollars (work mode); undefined: unpriced. */
  usd: number | undefined;
  jury: Record<string, number>;
  /** 1 − normalised entropy; undefined: no log-probabilities. */
  confidence?: number;
  /** Outcome facts about this bid, in order. */
  outcomes?: OutcomeFact[];
  /** The track-record rate the auction scored it with (0..1); undefined: the auction had no track record. */
  record?: number;
}

/**
 * The memory lines of one auction, recorded the way the extension records them: the engine's scorer ranks the
 * bids with `weights` and the line keeps each bid's cost and value terms (fromAuction.ts does the same).
 */
export function recorded(id: string, specs: readonly BidSpec[], weights: Partial<AuctionWeights> = {}, time = `2026-01-01T00:00:${id.padStart(2, '0').slice(-2)}Z`): { line: AuctionLine; outcomes: OutcomeLine[] } {
  const w = resolveWeights(weights);
  const jurorIds = [...new Set(specs.flatMap((s) => Object.keys(s.jury)))].sort();
  const inputs: ScoringInput[] = specs.map((s) => ({
    bidId: s.id,
    modelId: s.model ?? s.id,
    kind: 'original',
    bidTokens: 100,
    outputPricePerMTok: undefined,
    entropy: s.confidence === undefined ? undefined : { meanNats: 0.5, normalised: 1 - s.confidence, confidence: s.confidence, positions: 10 },
    judgements: Object.entries(s.jury).map(([jurorId, score]) => ({ jurorId, score })),
    ...(s.usd === undefined ? {} : { expectedExecutionUsd: s.usd }),
    ...(s.record === undefined ? {} : { record: { rate: s.record, outcomes: 3, source: 'neutral prior' } }),
    ineligibleReasons: [],
  }));
  const ranking = rankBids(inputs, w, jurorIds);
  const winner = ranking[0]!.bidId;
  const byId = new Map(ranking.map((r) => [r.bidId, r]));
  const line: AuctionLine = {
    v: MEMORY_SCHEMA_VERSION,
    kind: 'auction',
    id,
    time,
    task: `task ${id}`,
    contextFiles: [],
    pool: specs.map((s) => s.model ?? s.id),
    bids: specs.map((s) => {
      const r = byId.get(s.id)!;
      return {
        bidId: s.id,
        modelId: s.model ?? s.id,
        plan: `plan ${s.id}`,
        tokens: 100,
        ...(s.confidence === undefined ? {} : { entropy: 0.5 }),
        jury: s.jury,
        ...(r.cost.term === undefined ? {} : { cost: r.cost.term }),
        value: r.value.term,
        ...(r.score === undefined ? {} : { score: r.score }),
        ...(r.value.record ? { record: r.value.record.rate } : {}),
        refined: false,
        memoryItemsUsed: [],
        won: s.id === winner,
      };
    }),
    winnerBidId: winner,
  };
  let n = 0;
  const outcomes: OutcomeLine[] = specs.flatMap((s) =>
    (s.outcomes ?? []).map((fact) => ({ v: MEMORY_SCHEMA_VERSION, kind: 'outcome' as const, id: `${id}-o${++n}`, auctionId: id, bidId: s.id, time: `${time.slice(0, -1)}.${String(n).padStart(3, '0')}Z`, fact })),
  );
  return { line, outcomes };
}

export const accepted: OutcomeFact = { type: 'review', files: [{ path: 'a.ts', decision: 'accepted' }] };
export const rejected: OutcomeFact = { type: 'review', files: [{ path: 'a.ts', decision: 'rejected' }] };
export const ran = (dollars: number | undefined): OutcomeFact => ({ type: 'execution-cost', inputTokens: 1000, outputTokens: 100, ...(dollars === undefined ? {} : { dollars }), status: 'finished', staged: 1 });
