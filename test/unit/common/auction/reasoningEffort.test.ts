// The auction's own calls ask reasoning models for little reasoning: what effort each request the engine makes carries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reasoningEffortOf } from '../../../../src/common/auction/config';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionMemoryPort, ContrastivePair } from '../../../../src/common/auction/memoryPort';
import { BATCH_JURY_SYSTEM, JURY_SYSTEM } from '../../../../src/common/auction/prompts';
import type { AuctionRequest, JuryStyle } from '../../../../src/common/auction/types';
import { collectingLogger } from '../../node/providers/support';
import { depsFor, judgeJson, ScriptedClient, spec, type Script } from './scriptedClient';

/** Jurors: small 3, mid 4, large 5, a refined plan 5; with w_c = 1e-3 mid leads and small (cheaper) refines. */
function pool() {
  const judge: Script['judge'] = (author, kind) => ({ text: judgeJson(kind === 'refined' ? 5 : ({ small: 3, mid: 4, large: 5 }[author] ?? 0)) });
  return [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge }), new ScriptedClient(spec('large', 10), { judge })];
}

const pair: ContrastivePair = {
  auctionId: 'past-1',
  pastTask: 'Validate the settings file',
  similarity: 0.8,
  losing: { modelId: 'small', plan: 'LOSING-PLAN' },
  winning: { modelId: 'mid', plan: 'WINNING-PLAN' },
  winnerOutcome: 'accepted',
};
const memory: AuctionMemoryPort = { contrastivePairs: (q) => Promise.resolve({ pairs: [pair].slice(0, q.k), method: 'lexical' }) };

const request = (style: JuryStyle, over: Partial<AuctionRequest> = {}): AuctionRequest => ({
  auctionId: `effort-${style}`,
  task: 'Add input validation to the config loader',
  pool: ['small', 'mid', 'large'],
  weights: { cost: 1e-3, costMode: 'paper' },
  jury: { mode: 'all', style },
  refinement: { enabled: true, topK: 1 },
  ...over,
});

/** Every request the pool received, by kind (`judge` split into its two styles by the system prompt). */
function requestsOf(clients: ScriptedClient[]) {
  return clients.flatMap((c) => c.requests.map((r) => ({ kind: r.kind === 'judge' ? (r.request.system === BATCH_JURY_SYSTEM ? 'judge-batched' : r.request.system === JURY_SYSTEM ? 'judge-per-bid' : '?') : r.kind, request: r.request })));
}

describe('the reasoning effort of the auction\'s calls', () => {
  for (const style of ['batched', 'per-bid'] as const) {
    it(`asks for low effort on every bid, ${style} jury and refinement call when the request names none`, async () => {
      const clients = pool();
      const result = await runAuction(request(style), depsFor(clients, { memory }));
      assert.equal(result.winner?.kind, 'refined', 'the refinement ran and its bid won');
      const sent = requestsOf(clients);
      const kinds = new Set(sent.map((s) => s.kind));
      assert.deepEqual([...kinds].sort(), ['bid', `judge-${style}`, 'refine'].sort());
      for (const s of sent) assert.equal(s.request.reasoningEffort, 'low', `${s.kind} carries the effort`);
    });
  }

  it('asks for the effort the request names', async () => {
    const clients = pool();
    await runAuction(request('per-bid', { reasoningEffort: 'minimal' }), depsFor(clients, { memory }));
    const sent = requestsOf(clients);
    assert.ok(sent.length > 0);
    assert.deepEqual([...new Set(sent.map((s) => s.request.reasoningEffort))], ['minimal']);
  });

  it('sends nothing at all for `default`, so each provider reasons at its own default', async () => {
    const clients = pool();
    await runAuction(request('batched', { reasoningEffort: 'default' }), depsFor(clients, { memory }));
    const sent = requestsOf(clients);
    assert.deepEqual([...new Set(sent.map((s) => s.kind))].sort(), ['bid', 'judge-batched', 'refine']);
    for (const s of sent) assert.equal('reasoningEffort' in s.request, false, `${s.kind} has no effort field`);
  });

  it('asks for low effort, with a warning, when the request names an unknown value (a hand-edited setting)', async () => {
    const clients = pool();
    const logger = collectingLogger();
    const result = await runAuction(request('batched', { reasoningEffort: 'extreme' as never, refinement: { enabled: false } }), { ...depsFor(clients), logger });
    assert.equal(result.status, 'completed');
    assert.deepEqual([...new Set(requestsOf(clients).map((s) => s.request.reasoningEffort))], ['low']);
    assert.equal(logger.lines.filter((l) => l.startsWith('warn ') && l.includes('"extreme"')).length, 1);
  });
});

describe('reasoningEffortOf', () => {
  it('resolves the auction\'s effort: absent is low, default is none, a known effort is itself, anything else is low', () => {
    const logger = collectingLogger();
    assert.equal(reasoningEffortOf(undefined, logger), 'low');
    assert.equal(reasoningEffortOf('default', logger), undefined);
    for (const e of ['minimal', 'low', 'medium', 'high'] as const) assert.equal(reasoningEffortOf(e, logger), e);
    assert.equal(logger.lines.length, 0, 'no warning for a value in the list');
    for (const odd of ['none', 'xhigh', 'LOW', '', 3, null]) assert.equal(reasoningEffortOf(odd, logger), 'low', JSON.stringify(odd));
    assert.equal(logger.lines.filter((l) => l.startsWith('warn ')).length, 6);
  });
});
