import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelAt, labelBids, parseBatchReply } from '../../../../src/common/auction/batchJury';
import type { ParsedJudgement } from '../../../../src/common/auction/jury';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionRequest, Bid } from '../../../../src/common/auction/types';
import { emptyUsage } from '../../../../src/common/providers/types';
import { depsFor, judgeJson, ScriptedClient, shownPlans, spec, winnerModel, type ShownPlan } from './scriptedClient';

const scoreOf = (j: ParsedJudgement | undefined): number | undefined => (j?.ok ? j.score : undefined);
const reply = (text: string, finishReason: 'stop' | 'length' = 'stop') => ({ text, finishReason });
const entry = (label: string, score: number) => ({ label, correctness: score, fit: score, risk: score, verifiability: score, score, rationale: `r${label}` });
const bid = (id: string): Bid => ({ id, modelId: id.split('#')[0]!, kind: 'original', content: { summary: id, steps: [], files: [], risks: [], verification: [] }, planText: `PLAN[${id}]`, parsedVia: 'json', usage: emptyUsage() });

describe('parseBatchReply', () => {
  const labels = ['A', 'B', 'C'];
  it('maps reordered entries to their labels', () => {
    const r = parseBatchReply(reply(JSON.stringify({ judgements: [entry('C', 1), entry('A', 4), entry('B', 2.5)] })), labels);
    assert.ok(r.ok);
    assert.deepEqual([...r.byLabel].map(([l, j]) => [l, scoreOf(j)]).sort(), [['A', 4], ['B', 2.5], ['C', 1]]);
  });
  it('a missing label is simply absent; unknown and duplicate labels are ignored with a reason', () => {
    const r = parseBatchReply(reply(JSON.stringify({ judgements: [entry('B', 3), entry('Z', 5), entry('B', 1)] })), labels);
    assert.ok(r.ok);
    assert.deepEqual([...r.byLabel.keys()], ['B']);
    assert.equal(scoreOf(r.byLabel.get('B')), 3);
    assert.equal(r.ignored.length, 2);
    assert.match(r.ignored.join('\n'), /unknown plan label "Z"/);
    assert.match(r.ignored.join('\n'), /B was scored twice/);
  });
  it('rejects an out-of-range score for that plan only', () => {
    const r = parseBatchReply(reply(JSON.stringify({ judgements: [entry('A', 9), entry('B', 4)] })), labels);
    assert.ok(r.ok);
    assert.equal(r.byLabel.get('A')?.ok, false);
    assert.equal(r.byLabel.get('B')?.ok, true);
  });
  it('reads a reply cut short, an object keyed by label, "Plan B" labels, and structured output', () => {
    const cut = `{"judgements": [${JSON.stringify(entry('A', 4))}, ${JSON.stringify(entry('B', 2))}, {"label": "C", "score": 3, "rationa`;
    const r1 = parseBatchReply(reply(cut, 'length'), labels);
    assert.ok(r1.ok);
    assert.deepEqual([...r1.byLabel.keys()].sort(), ['A', 'B']);
    const r2 = parseBatchReply(reply(JSON.stringify({ A: { score: 4, rationale: 'x' }, C: { score: 1, rationale: 'y' } })), labels);
    assert.ok(r2.ok);
    assert.deepEqual([...r2.byLabel.keys()].sort(), ['A', 'C']);
    const r3 = parseBatchReply(reply(JSON.stringify({ scores: [{ ...entry('x', 2), label: 'Plan b' }] })), labels);
    assert.ok(r3.ok);
    assert.deepEqual([...r3.byLabel.keys()], ['B']);
    const r4 = parseBatchReply({ text: '', finishReason: 'stop', parsed: { judgements: [entry('C', 5)] } }, labels);
    assert.ok(r4.ok);
    assert.equal(scoreOf(r4.byLabel.get('C')), 5);
  });
  it('fails the whole call only when nothing labelled can be read', () => {
    assert.equal(parseBatchReply(reply(''), labels).ok, false);
    assert.equal(parseBatchReply(reply('All plans look fine.'), labels).ok, false);
    assert.equal(parseBatchReply({ text: '', finishReason: 'content_filter' }, labels).ok, false);
  });
});

describe('labelBids', () => {
  it('labels A… in order shown; the same seed gives the same order, and orders differ across jurors', () => {
    assert.deepEqual([0, 1, 25, 26, 27].map(labelAt), ['A', 'B', 'Z', 'AA', 'AB']);
    const bids = ['a#o', 'b#o', 'c#o', 'd#o', 'e#o'].map(bid);
    const x = labelBids(bids, 'auction-1', 'j1').map((l) => l.bid.id);
    assert.deepEqual(labelBids([...bids].reverse(), 'auction-1', 'j1').map((l) => l.bid.id), x);
    const orders = new Set(['j1', 'j2', 'j3', 'j4', 'j5', 'j6'].map((j) => labelBids(bids, 'auction-1', j).map((l) => l.bid.id).join()));
    assert.ok(orders.size > 1);
  });
});

const request = (over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: 'batch-1',
  task: 'Add input validation to the config loader',
  pool: ['a', 'b', 'c', 'd'],
  refinement: { enabled: false },
  weights: { cost: 1e-4 },
  jury: { mode: 'all' },
  ...over,
});

describe('batched jury in the engine', () => {
  it('property: over many seeds, every score lands on the bid it was given for, whatever the shuffled order', async () => {
    const rating: Record<string, number> = { a: 1, b: 2, c: 4, d: 5 };
    for (let seed = 0; seed < 40; seed++) {
      const clients = ['a', 'b', 'c', 'd'].map((id, i) => new ScriptedClient(spec(id, i + 1), { judge: (author) => ({ text: judgeJson(rating[author]!) }) }));
      const result = await runAuction(request({ auctionId: `seed-${seed}` }), depsFor(clients));
      // Early stop may leave some jurors out; every judgement that exists must carry its bid's own rating.
      assert.ok(result.judgements.length >= 4);
      for (const j of result.judgements) assert.equal(j.score, rating[j.bidId.split('#')[0]!], `seed ${seed}: ${j.jurorId} on ${j.bidId}`);
      assert.equal(winnerModel(result), 'd');
    }
  });

  it('jurors see the bids blind, in their own order, and the shared prefix first with identical bytes', async () => {
    const clients = ['a', 'b', 'c', 'd'].map((id, i) => new ScriptedClient(spec(id, i + 1), {}));
    await runAuction(request({ refinement: { enabled: true }, jury: { mode: 'all' } }), depsFor(clients));
    const prompts = clients.map((c) => c.requests.find((r) => r.kind === 'judge')!.request.messages[0]! as { content: string; cacheUpTo?: number });
    const orders = prompts.map((m) => shownPlans(m.content).map((p: ShownPlan) => p.author).join());
    assert.ok(new Set(orders).size > 1, 'every juror saw the same order');
    for (const m of prompts) {
      assert.ok(!/\b[abcd]-model\b/.test(m.content));
      assert.equal(m.content.match(/^<<<BEGIN PLAN /gm)?.length, 4, 'each plan in its own fence');
    }
    // Without memory no second round can read a cache: no marker. The prefix is the same bytes for all.
    assert.ok(prompts.every((m) => m.cacheUpTo === undefined));
    const prefix = prompts[0]!.content.slice(0, prompts[0]!.content.indexOf('## Proposed plans'));
    assert.ok(prefix.startsWith('## Task\n'));
    assert.ok(prompts.every((m) => m.content.startsWith(prefix)));
  });

  it('a juror that leaves a plan out fails that judgement only', async () => {
    const clients = ['a', 'b'].map((id, i) =>
      new ScriptedClient(spec(id, i + 1), { judgeBatch: (plans) => ({ text: JSON.stringify({ judgements: plans.filter((p) => p.author !== 'a').map((p) => ({ label: p.label, score: 4, rationale: 'ok' })) }) }) }),
    );
    const result = await runAuction(request({ pool: ['a', 'b'] }), depsFor(clients));
    assert.ok(result.judgements.every((j) => j.bidId === 'b#original'));
    assert.ok(result.failures.judgements.some((f) => f.bidId === 'a#original' && /no score for this plan/.test(f.reason)));
  });

  it('calls per auction = jurors (n), not n²', async () => {
    for (const n of [2, 3, 5]) {
      const ids = Array.from({ length: n }, (_, i) => `m${i}`);
      // Equal ratings and equal prices: the winner stays open until the last juror, so no early stop.
      const clients = ids.map((id) => new ScriptedClient(spec(id, 1), {}));
      const deps = depsFor(clients);
      await runAuction(request({ pool: ids }), deps);
      assert.equal(deps.records.filter((r) => r.phase === 'jury').length, n);
      const perBid = depsFor(ids.map((id) => new ScriptedClient(spec(id, 1), {})));
      await runAuction(request({ pool: ids, jury: { mode: 'all', style: 'per-bid' } }), perBid);
      assert.equal(perBid.records.filter((r) => r.phase === 'jury').length, n * n);
    }
  });

  it('a slow bidder does not hold the jury: late bids are judged in a round of their own', async () => {
    const clients = [
      new ScriptedClient(spec('a', 1), {}),
      new ScriptedClient(spec('b', 1), {}),
      new ScriptedClient(spec('c', 1), { bid: { text: JSON.stringify({ summary: 'PLAN[c#original]', steps: ['s'], files: [], risks: [], verification: [] }), delayMs: 300 } }),
    ];
    const deps = depsFor(clients);
    const result = await runAuction(request({ pool: ['a', 'b', 'c'], limits: { bidGraceMs: 1 } }), deps);
    const firstRounds = clients.map((c) => shownPlans(c.requests.filter((r) => r.kind === 'judge')[0]!.request.messages[0]!.content).length);
    assert.deepEqual(firstRounds, [2, 2, 2]);
    assert.equal(result.judgements.filter((j) => j.bidId === 'c#original').length, 3);
    assert.ok(result.adaptive?.some((s) => s.kind === 'late-bids' && s.dropped.includes('c#original')));
  });
});
