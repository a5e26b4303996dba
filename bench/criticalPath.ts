// The auction's critical path: a full auction through the real provider adapters against the loopback server,
// where every bid, judgement and refinement reply takes the same set latency D. With bids in parallel and each
// bid judged the moment it arrives, the physical limit is one bid round + one jury round (2·D), and with
// refinement + the refined bid's jury, 4·D. The ratio of the measured time to that limit is reported (1.0 = limit).
import { runAuction, type AuctionMemoryPort } from '../src/common/auction';
import { LoopbackServer } from '../test/fixtures/loopback/server';
import { MARKET, marketScript } from '../test/fixtures/market';
import { marketClients } from '../test/fixtures/marketClients';

export interface CriticalPathFigures {
  latencyMs: number;
  /** Without refinement: measured / (bid round + jury round). */
  ratioNoRefinement: number;
  /** With one refinement: measured / (bid + jury + refinement + refined-bid jury rounds). */
  ratioWithRefinement: number;
  /** The same with a jury concurrency limit of 4 (below the 9 + 3 judgements: jury calls queue). */
  ratioWithRefinementJuryLimit4: number;
  measuredMs: { noRefinement: number; withRefinement: number; withRefinementJuryLimit4: number };
}

const pastPair: AuctionMemoryPort = {
  contrastivePairs: () =>
    Promise.resolve({
      method: 'lexical',
      pairs: [{ auctionId: 'past-1', pastTask: 'Validate parseConfig', similarity: 0.9, losing: { modelId: 'ollama-qwen', plan: 'rewrite everything' }, winning: { modelId: 'gpt-small', plan: 'guard and test' }, winnerOutcome: 'accepted' }],
    }),
};

async function timeOne(latencyMs: number, refinement: boolean, juryConcurrency?: number): Promise<number> {
  const server = await LoopbackServer.start(marketScript({ delayMs: latencyMs, refinement }));
  try {
    const { clients, capabilities } = await marketClients(server);
    const t0 = performance.now();
    const result = await runAuction(
      {
        auctionId: `bench-${refinement}`,
        task: 'Add input validation to parseConfig and a test for it',
        pool: MARKET.map((m) => m.id),
        refinement: { enabled: refinement },
        // The market fixture scripts one judgement per (juror, plan): per-bid until it scripts batched replies.
        jury: { mode: 'all', style: 'per-bid' },
        ...(juryConcurrency ? { limits: { juryConcurrency } } : {}),
      },
      { clients, capabilities: (id) => capabilities.get(id), calls: { record: () => undefined }, now: () => Date.now(), ...(refinement ? { memory: pastPair } : {}) },
    );
    const ms = performance.now() - t0;
    if (!result.winner) throw new Error('critical-path bench: the auction had no winner');
    if (refinement && !result.refinement.ran) throw new Error('critical-path bench: refinement did not run');
    return ms;
  } finally {
    await server.close();
  }
}

export async function benchCriticalPath(latencyMs = 400): Promise<CriticalPathFigures> {
  const noRefinement = await timeOne(latencyMs, false);
  const withRefinement = await timeOne(latencyMs, true);
  const withRefinementJuryLimit4 = await timeOne(latencyMs, true, 4);
  return {
    latencyMs,
    ratioNoRefinement: noRefinement / (2 * latencyMs),
    ratioWithRefinement: withRefinement / (4 * latencyMs),
    ratioWithRefinementJuryLimit4: withRefinementJuryLimit4 / (4 * latencyMs),
    measuredMs: { noRefinement, withRefinement, withRefinementJuryLimit4 },
  };
}

if (process.argv[1]?.endsWith('criticalPath.ts')) {
  benchCriticalPath().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => (console.error(e), process.exit(1)));
}
