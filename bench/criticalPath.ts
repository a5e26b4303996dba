// The auction's critical path: a full auction through the real provider adapters against the loopback server,
// where every bid, judgement and refinement reply takes the same set latency D. With bids in parallel and each
// bid judged the moment it arrives, the physical limit is one bid round + one jury round (2·D), and with
// refinement + the refined bid's jury, 4·D. The ratio of the measured time to that limit is reported (1.0 = limit).
// Batched judging (each juror scores all bids in one call once they are in) keeps the same limit: the jury round is
// then one call per juror after the last bid, D long. When the engine skips refinement (its adaptive rules), the limit
// of that run is 2·D and `refinementRan` says so, rather than the bench failing.
import { runAuction, type AuctionMemoryPort } from '../src/common/auction';
import { LoopbackServer } from '../test/fixtures/loopback/server';
import { MARKET, marketScript } from '../test/fixtures/market';
import { marketClients } from '../test/fixtures/marketClients';

export interface CriticalPathFigures {
  latencyMs: number;
  /** Which jury the two main ratios time: the shipped batched jury (every pool model judges, one call each). */
  jury: 'batched';
  /** Without refinement: measured / (bid round + jury round). */
  ratioNoRefinement: number;
  /** With refinement, judged per bid (every juror judges every plan in its own call), for comparison. */
  ratioPerBidWithRefinement: number;
  /** With one refinement: measured / (bid + jury + refinement + refined-bid jury rounds). */
  ratioWithRefinement: number;
  /** Per-bid with a jury concurrency limit of 2 (below the 9 + 3 per-bid judgements: jury calls queue). */
  ratioWithRefinementJuryLimit2: number;
  /** Whether the engine ran refinement in the two runs that allow it (it may skip it by its own rules). */
  refinementRan: { withRefinement: boolean; withRefinementJuryLimit2: boolean };
  measuredMs: { noRefinement: number; withRefinement: number; perBidWithRefinement: number; withRefinementJuryLimit2: number };
}

const pastPair: AuctionMemoryPort = {
  contrastivePairs: () =>
    Promise.resolve({
      method: 'lexical',
      pairs: [{ auctionId: 'past-1', pastTask: 'Validate parseConfig', similarity: 0.9, losing: { modelId: 'ollama-qwen', plan: 'rewrite everything' }, winning: { modelId: 'gpt-small', plan: 'guard and test' }, winnerOutcome: 'accepted' }],
    }),
};

async function timeOne(latencyMs: number, refinement: boolean, style: 'batched' | 'per-bid', juryConcurrency?: number): Promise<{ ms: number; refinementRan: boolean }> {
  const server = await LoopbackServer.start(marketScript({ delayMs: latencyMs, refinement, jury: style }));
  try {
    const { clients, capabilities } = await marketClients(server);
    const t0 = performance.now();
    const result = await runAuction(
      {
        auctionId: `bench-${refinement}`,
        task: 'Add input validation to parseConfig and a test for it',
        pool: MARKET.map((m) => m.id),
        refinement: { enabled: refinement },
        jury: { mode: 'all', style },
        ...(juryConcurrency ? { limits: { juryConcurrency } } : {}),
      },
      { clients, capabilities: (id) => capabilities.get(id), calls: { record: () => undefined }, now: () => Date.now(), ...(refinement ? { memory: pastPair } : {}) },
    );
    const ms = performance.now() - t0;
    if (!result.winner) throw new Error('critical-path bench: the auction had no winner');
    return { ms, refinementRan: result.refinement.ran };
  } finally {
    await server.close();
  }
}

export async function benchCriticalPath(latencyMs = 400): Promise<CriticalPathFigures> {
  const noRefinement = await timeOne(latencyMs, false, 'batched');
  const withRefinement = await timeOne(latencyMs, true, 'batched');
  const perBid = await timeOne(latencyMs, true, 'per-bid');
  // Per-bid with 2 jury calls at once: 9 + 3 judgements must queue.
  const withRefinementJuryLimit2 = await timeOne(latencyMs, true, 'per-bid', 2);
  // One bid round + one jury round, plus a refinement round and its jury round when refinement ran.
  const limit = (r: { refinementRan: boolean }) => (r.refinementRan ? 4 : 2) * latencyMs;
  return {
    latencyMs,
    jury: 'batched',
    ratioNoRefinement: noRefinement.ms / limit(noRefinement),
    ratioPerBidWithRefinement: perBid.ms / limit(perBid),
    ratioWithRefinement: withRefinement.ms / limit(withRefinement),
    ratioWithRefinementJuryLimit2: withRefinementJuryLimit2.ms / limit(withRefinementJuryLimit2),
    refinementRan: { withRefinement: withRefinement.refinementRan, withRefinementJuryLimit2: withRefinementJuryLimit2.refinementRan },
    measuredMs: { noRefinement: noRefinement.ms, withRefinement: withRefinement.ms, perBidWithRefinement: perBid.ms, withRefinementJuryLimit2: withRefinementJuryLimit2.ms },
  };
}

if (process.argv[1]?.endsWith('criticalPath.ts')) {
  benchCriticalPath().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => (console.error(e), process.exit(1)));
}
