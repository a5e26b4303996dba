import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionResult, AuctionRequest } from '../../../../src/common/auction/types';
import { bidJson, depsFor, judgeJson, logprobsWith, ScriptedClient, spec, Timeline, type Script } from './scriptedClient';

// These tests assert on the order of call starts and ends on a shared timeline, never on elapsed time.

const rate = (delayMs: number): Script['judge'] => (author) => ({ text: judgeJson({ a: 2, b: 3, c: 4, d: 5 }[author] ?? 1), delayMs });
const request = (pool: string[], over: Partial<AuctionRequest> = {}): AuctionRequest => ({ auctionId: 'p1', task: 'Speed up the build', pool, refinement: { enabled: false }, ...over });

describe('parallelism', () => {
  it('runs all bids at once: every bid starts before any bid ends', async () => {
    const timeline = new Timeline();
    const clients = ['a', 'b', 'c'].map((id, i) => new ScriptedClient(spec(id, i + 1), { delayMs: 15, judge: rate(1) }, timeline));
    await runAuction(request(['a', 'b', 'c'], { jury: { mode: 'none' } }), depsFor(clients));
    const bids = timeline.entries.filter((e) => e.kind === 'bid');
    const firstEnd = bids.findIndex((e) => e.what === 'end');
    assert.equal(bids.slice(0, firstEnd).filter((e) => e.what === 'start').length, 3);
    assert.equal(timeline.maxInFlight('bid'), 3);
  });

  it('per-bid: runs judgements in parallel up to the jury concurrency limit', async () => {
    const timeline = new Timeline();
    const clients = ['a', 'b', 'c'].map((id, i) => new ScriptedClient(spec(id, i + 1), { judge: rate(10) }, timeline));
    await runAuction(request(['a', 'b', 'c'], { limits: { juryConcurrency: 4 }, jury: { mode: 'all', style: 'per-bid' } }), depsFor(clients));
    assert.equal(timeline.entries.filter((e) => e.kind === 'judge' && e.what === 'start').length, 9);
    assert.equal(timeline.maxInFlight('judge'), 4);
  });

  it('honours a jury concurrency of 1', async () => {
    const timeline = new Timeline();
    const clients = ['a', 'b'].map((id, i) => new ScriptedClient(spec(id, i + 1), { judge: rate(2) }, timeline));
    await runAuction(request(['a', 'b'], { limits: { juryConcurrency: 1 } }), depsFor(clients));
    assert.equal(timeline.maxInFlight('judge'), 1);
  });

  it('batched: a jury of three makes three calls in parallel, one per juror, each over every bid', async () => {
    const timeline = new Timeline();
    const clients = ['a', 'b', 'c'].map((id, i) => new ScriptedClient(spec(id, i + 1), { judge: rate(10) }, timeline));
    const result = await runAuction(request(['a', 'b', 'c'], { jury: { mode: 'all' } }), depsFor(clients));
    assert.equal(timeline.entries.filter((e) => e.kind === 'judge' && e.what === 'start').length, 3);
    assert.equal(timeline.maxInFlight('judge'), 3);
    assert.ok(timeline.entries.filter((e) => e.kind === 'judge').every((e) => e.author!.split(',').sort().join() === 'a,b,c'));
    assert.equal(result.judgements.length, 9);
  });

  it('per-bid: judges a bid as soon as it arrives, while slower bids are still in flight', async () => {
    const timeline = new Timeline();
    const clients = [
      new ScriptedClient(spec('a', 1), { bid: { text: bidJson('a'), delayMs: 0 }, judge: rate(1) }, timeline),
      new ScriptedClient(spec('b', 2), { bid: { text: bidJson('b'), delayMs: 40 }, judge: rate(1) }, timeline),
    ];
    await runAuction(request(['a', 'b'], { jury: { mode: 'all', style: 'per-bid' } }), depsFor(clients));
    const e = timeline.entries;
    const firstJudgeOfA = e.findIndex((x) => x.kind === 'judge' && x.what === 'start' && x.author === 'a');
    const endOfB = e.findIndex((x) => x.kind === 'bid' && x.what === 'end' && x.modelId === 'b');
    assert.ok(firstJudgeOfA >= 0 && firstJudgeOfA < endOfB, `judge of a at ${firstJudgeOfA}, b's bid ends at ${endOfB}`);
  });

  it('property: the order of the pool and the order bids arrive in never change the result', async () => {
    const ids = ['a', 'b', 'c', 'd'];
    const essence = (r: AuctionResult) => ({
      winner: r.winner,
      why: r.why,
      ranking: r.ranking,
      bids: r.bids,
      judgements: r.judgements,
      failures: r.failures,
      cost: r.cost,
    });
    let reference: ReturnType<typeof essence> | undefined;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(ids, { minLength: 4 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }), async (order, delays) => {
        const clients = order.map(
          (id) =>
            new ScriptedClient(spec(id, ids.indexOf(id) + 1), {
              bid: { text: JSON.stringify({ summary: `PLAN[${id}]`, steps: ['s'] }), delayMs: delays[ids.indexOf(id)]!, logprobs: logprobsWith(0.6 + ids.indexOf(id) / 10), outputTokens: 100 + 50 * ids.indexOf(id) },
              judge: rate(delays[(ids.indexOf(id) + 1) % 4]!),
            }),
        );
        const deps = depsFor(clients, { capabilities: () => ({ streaming: true, tools: true, structuredOutput: false, logprobs: true, embeddings: false, probedAt: '' }) });
        const result = essence(await runAuction(request(order, { weights: { cost: 2e-3 } }), deps));
        if (!reference) reference = result;
        assert.deepEqual(result, reference);
      }),
      { numRuns: 15 },
    );
  });
});
