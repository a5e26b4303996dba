import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionMemoryPort, ContrastivePair, PairQuery } from '../../../../src/common/auction/memoryPort';
import type { AuctionRequest } from '../../../../src/common/auction/types';
import { depsFor, judgeJson, ScriptedClient, spec, winnerModel, type Script } from './scriptedClient';

/** Jurors: small 3, mid 4, large 5; a refined plan by `refinedScore`. With w_c = 1e-3 mid is the provisional winner. */
function pool(refinedScore: number, extra: Record<string, Script> = {}) {
  const judge: Script['judge'] = (author, kind) => ({ text: judgeJson(kind === 'refined' ? refinedScore : ({ small: 3, tiny: 2, mid: 4, large: 5 }[author] ?? 0)) });
  return [
    new ScriptedClient(spec('small', 0.5), { judge, ...extra.small }),
    new ScriptedClient(spec('mid', 2), { judge, ...extra.mid }),
    new ScriptedClient(spec('large', 10), { judge, ...extra.large }),
  ];
}

class FakeMemory implements AuctionMemoryPort {
  readonly queries: PairQuery[] = [];
  constructor(private readonly pairs: ContrastivePair[]) {}
  contrastivePairs(query: PairQuery): Promise<{ pairs: ContrastivePair[]; method: 'embedding' | 'lexical' }> {
    this.queries.push(query);
    return Promise.resolve({ pairs: this.pairs.slice(0, query.k), method: 'lexical' });
  }
}

const pair = (auctionId: string): ContrastivePair => ({
  auctionId,
  pastTask: 'Validate the settings file',
  similarity: 0.8,
  losing: { modelId: 'small', plan: 'LOSING-PLAN-TEXT' },
  winning: { modelId: 'mid', plan: 'WINNING-PLAN-TEXT' },
  winnerOutcome: 'accepted',
});

const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: 'r1',
  task: 'Add input validation to the config loader',
  pool: ['small', 'mid', 'large'],
  weights: { cost: 1e-3, costMode: 'paper' },
  ...over,
});

describe('refinement', () => {
  it('lets only models cheaper than the provisional winner outbid, and a refined bid can win', async () => {
    const clients = pool(5);
    const memory = new FakeMemory([pair('past-1'), pair('past-2'), pair('past-1')]);
    const deps = depsFor(clients, { memory });
    const result = await runAuction(request({ refinement: { enabled: true, topK: 3 } }), deps);

    assert.equal(result.provisionalWinner?.modelId, 'mid');
    assert.deepEqual(memory.queries.map((q) => [q.modelId, q.k, q.task]), [['small', 3, request().task]]);
    assert.deepEqual(clients.map((c) => c.requests.filter((r) => r.kind === 'refine').length), [1, 0, 0]);
    const prompt = clients[0]!.requests.find((r) => r.kind === 'refine')!.request.messages[0]!.content;
    assert.match(prompt, /LOSING-PLAN-TEXT[\s\S]*WINNING-PLAN-TEXT/);
    assert.match(prompt, /Your earlier bid on this task[\s\S]*PLAN\[small\]/);

    assert.equal(result.winner?.kind, 'refined');
    assert.equal(winnerModel(result), 'small');
    const refined = result.bids.find((b) => b.kind === 'refined')!;
    assert.deepEqual(refined.usedAuctions, ['past-1', 'past-2']);
    assert.equal(refined.refines, 'small#original');
    assert.equal(result.judgements.filter((j) => j.bidId === refined.id).length, 3);
    assert.equal(result.ranking.length, 4);
    assert.deepEqual(result.refinement, { enabled: true, ran: true, candidates: ['small'], skipped: [] });
    assert.equal(deps.records.filter((r) => r.phase === 'refinement').length, 1);
    assert.ok(result.cost.refinement.usd > 0);
    assert.match(result.why!, /refined bid that learned from 2 past auctions/);

    const types = deps.events.map((e) => e.type);
    const i = (t: string) => types.indexOf(t as never);
    assert.ok(i('provisional-winner') < i('refinement-started') && i('refinement-started') < i('refined-bid') && i('refined-bid') < i('final-winner'));
  });

  it('a refiner reads the digest by default, says its earlier bid read the files, and reads the whole context when asked', async () => {
    const body = '  const raw = readSecretBody(path);';
    const context = { files: [{ path: 'src/config.ts', content: ['export function loadConfig(path: string) {', body, '  return raw;', '}'].join('\n') }] };
    const refinePromptOf = async (refinementContext?: 'digest' | 'full') => {
      const clients = pool(5);
      await runAuction(request({ context, refinement: { enabled: true, topK: 3, ...(refinementContext ? { context: refinementContext } : {}) } }), depsFor(clients, { memory: new FakeMemory([pair('p')]) }));
      const bid = clients[0]!.requests.find((r) => r.kind === 'bid')!.request.messages[0]!.content;
      const refine = clients[0]!.requests.find((r) => r.kind === 'refine')!.request.messages[0]!.content;
      return { bid, refine };
    };
    const digest = await refinePromptOf();
    assert.ok(digest.bid.includes(body), 'the bid read the whole file');
    assert.ok(!digest.refine.includes(body), 'the refiner reads the outline only');
    assert.ok(digest.refine.includes('1: export function loadConfig(path: string) {'));
    assert.match(digest.refine, /earlier bid on this task \(written from the whole files/);
    const full = await refinePromptOf('full');
    assert.ok(full.refine.includes(body));
    assert.doesNotMatch(full.refine, /written from the whole files/);
  });

  it('keeps the provisional winner when the refined bid scores worse', async () => {
    const result = await runAuction(request(), depsFor(pool(1), { memory: new FakeMemory([pair('p')]) }));
    assert.equal(result.winner?.bidId, 'mid#original');
    assert.ok(result.ranking.some((r) => r.kind === 'refined'));
  });

  it('asks nobody when the provisional winner is the cheapest model', async () => {
    const clients = [new ScriptedClient(spec('small', 0.5), { judge: () => ({ text: judgeJson(5) }) }), new ScriptedClient(spec('mid', 2), { judge: (a) => ({ text: judgeJson(a === 'small' ? 5 : 1) }) })];
    const memory = new FakeMemory([pair('p')]);
    const result = await runAuction(request({ pool: ['small', 'mid'] }), depsFor(clients, { memory }));
    assert.equal(winnerModel(result), 'small');
    assert.equal(memory.queries.length, 0);
    assert.equal(result.refinement.ran, false);
    assert.deepEqual(result.refinement.skipped, [{ reason: 'no bidder is cheaper than the provisional winner' }]);
  });

  it('can be switched off', async () => {
    const clients = pool(5);
    const memory = new FakeMemory([pair('p')]);
    const result = await runAuction(request({ refinement: { enabled: false } }), depsFor(clients, { memory }));
    assert.equal(memory.queries.length, 0);
    assert.equal(clients[0]!.requests.filter((r) => r.kind === 'refine').length, 0);
    assert.deepEqual(result.refinement.skipped, [{ reason: 'refinement is switched off' }]);
  });

  it('is skipped (and says so) without memory or without similar past auctions', async () => {
    const noMemory = await runAuction(request(), depsFor(pool(5)));
    assert.deepEqual(noMemory.refinement.skipped, [{ reason: 'no auction memory is available' }]);
    const deps = depsFor(pool(5), { memory: new FakeMemory([]) });
    const empty = await runAuction(request(), deps);
    assert.deepEqual(empty.refinement.skipped, [{ modelId: 'small', reason: 'no similar past auctions in memory' }]);
    assert.equal(empty.winner?.bidId, 'mid#original');
    assert.ok(deps.events.some((e) => e.type === 'refinement-skipped' && e.modelId === 'small'));
  });

  it('reports a refined bid that fails and keeps the original result', async () => {
    const result = await runAuction(request(), depsFor(pool(5, { small: { refine: { text: 'no idea' } } }), { memory: new FakeMemory([pair('p')]) }));
    assert.equal(result.winner?.bidId, 'mid#original');
    assert.deepEqual(result.failures.bids.map((f) => [f.bidId, f.code]), [['small#refined', 'unparseable']]);
  });
});
