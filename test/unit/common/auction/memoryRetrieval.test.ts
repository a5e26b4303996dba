import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionMemoryPort, ContrastivePair, MemoryRetrieval, PairQuery } from '../../../../src/common/auction/memoryPort';
import { depsFor, judgeJson, ScriptedClient, spec } from './scriptedClient';

/** A memory that answers with fixed pairs and says it found them the given way. */
class RetrievingMemory implements AuctionMemoryPort {
  readonly queries: PairQuery[] = [];
  constructor(
    private readonly pairs: ContrastivePair[],
    private readonly retrieval: MemoryRetrieval,
  ) {}
  contrastivePairs(query: PairQuery): Promise<{ pairs: ContrastivePair[] } & MemoryRetrieval> {
    this.queries.push(query);
    return Promise.resolve({ pairs: this.pairs.slice(0, query.k), ...this.retrieval });
  }
}

const pair: ContrastivePair = {
  auctionId: 'past-1',
  pastTask: 'Validate the settings file',
  similarity: 0.8,
  losing: { modelId: 'small', plan: 'LOSING' },
  winning: { modelId: 'mid', plan: 'WINNING' },
};

function pool() {
  const judge = (author: string, kind: string) => ({ text: judgeJson(kind === 'refined' ? 5 : ({ small: 3, mid: 4, large: 5 }[author] ?? 0)) });
  return [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge }), new ScriptedClient(spec('large', 10), { judge })];
}

const request = { auctionId: 'r1', task: 'Add input validation to the config loader', pool: ['small', 'mid', 'large'], weights: { cost: 1e-3, costMode: 'paper' as const } };

describe('refinement says how the memory found its examples', () => {
  for (const retrieval of [{ method: 'embedding', model: 'emb/e' }, { method: 'lexical' }] as MemoryRetrieval[]) {
    it(`emits memory-retrieved (${retrieval.method}) and asks on behalf of the auction, so a query embedding is charged to it`, async () => {
      const memory = new RetrievingMemory([pair], retrieval);
      const deps = depsFor(pool(), { memory });
      await runAuction(request, deps);
      assert.deepEqual(memory.queries.map((q) => [q.modelId, q.auctionId]), [['small', 'r1']]);
      const found = deps.events.flatMap((e) => (e.type === 'memory-retrieved' ? [e] : []));
      assert.deepEqual(
        found.map((e) => ({ modelId: e.modelId, method: e.method, model: e.model, pairs: e.pairs })),
        [{ modelId: 'small', method: retrieval.method, model: retrieval.model, pairs: 1 }],
      );
    });
  }
});
