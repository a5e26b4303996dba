import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { MARKET, WINNER_ID, expectedAuctionCost, marketScript } from '../../../fixtures/market';
import { marketClients } from '../../../fixtures/marketClients';

describe('a full auction through the real provider adapters on the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start(marketScript({ jury: 'per-bid' }));
  });
  after(async () => {
    await server?.close();
  });

  it('OpenAI format with logprobs, Anthropic format, and a local OpenAI-compatible model bid, judge and rank', async () => {
    const { clients, capabilities } = await marketClients(server);
    assert.equal(capabilities.get('gpt-small')?.logprobs, true);
    assert.equal(capabilities.get('claude-large')?.logprobs, false);
    const calls: ModelCallRecord[] = [];
    const result = await runAuction(
      // Per-bid (the paper's jury): one call per (juror, plan).
      { auctionId: 'wire-1', task: 'Add input validation to parseConfig and a test for it', pool: MARKET.map((m) => m.id), refinement: { enabled: false }, jury: { mode: 'all', style: 'per-bid' } },
      { clients, capabilities: (id) => capabilities.get(id), calls: { record: (c) => calls.push(c) }, now: () => Date.now() },
    );
    assert.equal(result.status, 'completed');
    assert.equal(result.winner?.modelId, WINNER_ID, result.why);
    assert.equal(result.bids.length, 3);
    assert.equal(result.judgements.length, 9);
    const byModel = new Map(result.ranking.map((b) => [b.modelId, b]));
    assert.equal(byModel.get('gpt-small')?.signals.entropy, true);
    assert.equal(byModel.get('ollama-qwen')?.signals.entropy, true);
    assert.equal(byModel.get('claude-large')?.signals.entropy, false);
    const expected = expectedAuctionCost('per-bid');
    assert.ok(Math.abs(result.cost.bidding.usd - expected.bidding) < 1e-12);
    assert.ok(Math.abs(result.cost.jury.usd - expected.jury) < 1e-12);
    assert.equal(calls.filter((c) => c.phase === 'bidding').length, 3);
    assert.equal(calls.filter((c) => c.phase === 'jury').length, 9);
    // Bids asked the OpenAI-format models for logprobs; nobody asked Anthropic for them (its API has none).
    const bidRequests = server.requests.filter((r) => r.rawBody.includes('You are bidding'));
    assert.ok(bidRequests.filter((r) => r.api === 'openai-chat').every((r) => r.body?.logprobs === true));
    assert.ok(bidRequests.some((r) => r.api === 'anthropic-messages'));
  });
});

describe('a full auction with a batched jury through the real provider adapters on the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start(marketScript());
  });
  after(async () => {
    await server?.close();
  });

  it('each juror scores all three plans in one call, in both wire formats, and the same winner comes out', async () => {
    const { clients, capabilities } = await marketClients(server);
    const calls: ModelCallRecord[] = [];
    const result = await runAuction(
      { auctionId: 'wire-batched-1', task: 'Add input validation to parseConfig and a test for it', pool: MARKET.map((m) => m.id), refinement: { enabled: false }, jury: { mode: 'all', style: 'batched' } },
      { clients, capabilities: (id) => capabilities.get(id), calls: { record: (c) => calls.push(c) }, now: () => Date.now() },
    );
    assert.equal(result.status, 'completed');
    assert.equal(result.winner?.modelId, WINNER_ID, result.why);
    assert.deepEqual(result.failures.judgements, []);
    // n jurors, n calls (not n²), and still one judgement per juror and plan, with the scores the per-bid jury gives.
    assert.equal(calls.filter((c) => c.phase === 'jury').length, MARKET.length);
    assert.equal(result.judgements.length, MARKET.length * MARKET.length);
    const authorOf = new Map(result.bids.map((b) => [b.id, b.modelId]));
    for (const j of result.judgements) assert.equal(j.score, MARKET.find((m) => m.id === authorOf.get(j.bidId))?.juryScore, `${j.jurorId} on ${authorOf.get(j.bidId) ?? ''}`);
    const expected = expectedAuctionCost('batched');
    assert.ok(Math.abs(result.cost.bidding.usd - expected.bidding) < 1e-12);
    assert.ok(Math.abs(result.cost.jury.usd - expected.jury) < 1e-12, `jury ${result.cost.jury.usd} = ${expected.jury}`);
    const jury = server.requests.filter((r) => r.rawBody.includes('You are a juror scoring several plans'));
    assert.equal(jury.length, MARKET.length);
    // The Anthropic juror was asked for structured output through its forced tool, and answered through it.
    assert.ok(jury.some((r) => r.api === 'anthropic-messages' && (r.body?.tool_choice as { type?: string } | undefined)?.type === 'tool'));
  });
});
