import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction';
import { sharedPrefix } from '../../../../src/common/auction/prompts';
import { digestContext } from '../../../../src/common/auction/contextDigest';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { anthropicSpec, claudePrice, KEY, keyFor } from '../providers/support';

const plan = JSON.stringify({ summary: 'Guard the parser', steps: ['add a check', 'add a test'], files: ['src/p.ts'], risks: [], verification: ['npm test'] });
const judgement = JSON.stringify({ score: 4, rationale: 'fine' });

describe('jury prompt caching on the Anthropic wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());

  it('marks only the shared prefix with cache_control, and prices cache reads and writes in the ledger', async () => {
    server.reset();
    server.setDefault([
      { kind: 'chat', when: { contains: 'You are bidding' }, text: plan, usage: { input: 900, output: 80 } },
      { kind: 'chat', when: { contains: 'You are a juror' }, text: judgement, usage: { input: 300, output: 30, cachedInput: 2000, cacheWrite: 500 } },
    ]);
    const client = createModelClient(anthropicSpec(server.url, { id: 'claude', price: claudePrice, roles: ['bidder', 'juror'] }), keyFor(KEY));
    const context = { files: [{ path: 'src/p.ts', content: 'export function parse(s: string) { return s.split("="); }\n'.repeat(40) }] };
    const records: ModelCallRecord[] = [];
    const task = 'Reject malformed lines in parse';
    // Per-bid: one juror sends the same prefix once per bid, so the marker pays off.
    const result = await runAuction(
      { auctionId: 'cache-1', task, context, pool: ['claude'], refinement: { enabled: false }, jury: { mode: 'all', style: 'per-bid' } },
      { clients: [client], capabilities: () => undefined, calls: { record: (r) => records.push(r) }, now: () => Date.now() },
    );
    assert.equal(result.judgements.length, 1);

    const juryRequest = server.requests.find((r) => r.rawBody.includes('You are a juror'))!;
    const content = (juryRequest.body!.messages as { content: { type: string; text: string; cache_control?: unknown }[] }[])[0]!.content;
    assert.equal(content.length, 2);
    assert.deepEqual(content[0]!.cache_control, { type: 'ephemeral' });
    assert.equal(content[0]!.text, sharedPrefix(task, digestContext(context)), 'jurors share the digest of the context (jury.context defaults to digest)');
    assert.equal(content[1]!.cache_control, undefined);
    assert.match(content[1]!.text, /## Proposed plan/);
    assert.equal(typeof juryRequest.body!.system, 'string', 'the system prompt carries no marker of its own');
    // The bid call is sent once per model: no marker there.
    const bidRequest = server.requests.find((r) => r.rawBody.includes('You are bidding'))!;
    assert.ok(!bidRequest.rawBody.includes('cache_control'));

    const jury = records.find((r) => r.phase === 'jury')!;
    const expected = (300 * claudePrice.inputPerMTok + 2000 * claudePrice.cachedInputPerMTok! + 500 * claudePrice.cacheWriteInputPerMTok! + 30 * claudePrice.outputPerMTok) / 1e6;
    assert.ok(Math.abs(jury.dollars! - expected) < 1e-12, `${jury.dollars} vs ${expected}`);
    assert.ok(Math.abs(result.cost.jury.usd - expected) < 1e-12);
  });
});
