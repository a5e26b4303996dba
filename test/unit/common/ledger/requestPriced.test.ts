import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpendTracker, expectedExecutionUsd } from '../../../../src/common/auction/budget';
import { runAuction } from '../../../../src/common/auction/engine';
import { DEFAULT_EXECUTION_ESTIMATE } from '../../../../src/common/auction/weights';
import { auctionFact, parseLedgerJsonl, serializeLedgerLine, toCallEntry, type LedgerLine, type PoolModel } from '../../../../src/common/ledger/entry';
import { buildCostReport } from '../../../../src/common/ledger/report';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { costOf, isFree, premiumRequestsOf } from '../../../../src/common/providers/pricing';
import { emptyUsage, unreportedUsage, type Price, type Usage } from '../../../../src/common/providers/types';
import { bidJson, depsFor, judgeJson, ScriptedClient, spec, winnerModel, type Script } from '../auction/scriptedClient';
import { BIG, call } from './fixtures';

/** A Copilot-like model: $0.04 per premium request, `multiplier` premium requests per call, no token price. */
const perRequest = (multiplier: number): Price => ({ inputPerMTok: 0, outputPerMTok: 0, perRequest: 0.04, multiplier, source: 'settings' });
const counted = (over: Partial<Usage> = {}): Usage => ({ ...emptyUsage(), inputTokens: 1200, outputTokens: 300, counted: true, requests: 1, ...over });
const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} ≈ ${b}`);

function lmRecord(over: Partial<ModelCallRecord> = {}): ModelCallRecord {
  return { time: '2026-11-20T10:00:00.000Z', phase: 'bidding', modelId: 'copilot', model: 'gpt-4.1', local: false, usage: counted(), price: perRequest(3), latencyMs: 5, ok: true, ...over };
}

describe('the request-priced cost of one call', () => {
  it('is billed requests × dollars per request × multiplier, whatever the tokens', () => {
    close(costOf(counted(), perRequest(1)), 0.04);
    close(costOf(counted({ outputTokens: 90_000 }), perRequest(3)), 0.12);
    close(costOf(counted({ requests: 4 }), perRequest(0.33)), 4 * 0.04 * 0.33);
    assert.equal(premiumRequestsOf(counted({ requests: 4 }), perRequest(0.33)), 4 * 0.33);
  });
  it('stays known when the API reported no usage: the request count is what is billed', () => {
    close(costOf({ ...unreportedUsage(), requests: 1 }, perRequest(1)), 0.04);
    assert.equal(costOf(unreportedUsage(), { inputPerMTok: 1, outputPerMTok: 1, source: 'settings' }), undefined, 'a per-token model without usage stays unknown');
  });
  it('charges nothing for a call refused before it reached the model, and is never free while it consumes requests', () => {
    assert.equal(costOf(emptyUsage(), perRequest(1)), 0);
    assert.equal(isFree(perRequest(1)), false);
    assert.equal(isFree(perRequest(0)), true, 'a 0× model consumes no premium requests');
  });
});

describe('request-priced calls in the ledger', () => {
  it('records the dollars and keeps the request count and the counted mark through a write and read', () => {
    const entry = toCallEntry(lmRecord());
    close(entry.dollars ?? undefined, 0.12);
    assert.equal(entry.priceSource, 'settings');
    const back = parseLedgerJsonl(serializeLedgerLine(entry)).lines[0];
    assert.equal(back?.kind, 'call');
    if (back?.kind !== 'call') return;
    assert.equal(back.call.usage.requests, 1);
    assert.equal(back.call.usage.counted, true);
    assert.equal(back.call.price?.multiplier, 3);
  });
});

describe('request-priced calls in the cost report', () => {
  const lines: LedgerLine[] = [
    toCallEntry(lmRecord({ auctionId: 'a1' })),
    toCallEntry(lmRecord({ auctionId: 'a1', phase: 'jury', usage: { ...unreportedUsage(), requests: 1 } })),
    toCallEntry(lmRecord({ auctionId: 'a1', phase: 'execution', usage: counted({ requests: 2 }) })),
    call('big', 'bidding', 0.001, 0.001, { price: BIG, auctionId: 'a1' }),
  ];

  it('adds premium requests and their dollars to the totals, the model row and the auction', () => {
    const r = buildCostReport(lines, { scope: 't', now: new Date('2026-11-21T00:00:00Z') });
    assert.equal(r.totals.premiumRequests, (1 + 1 + 2) * 3);
    close(r.totals.knownUsd, 4 * 0.12 + (0.001 * 10 + 0.001 * 40));
    assert.equal(r.totals.unknownPriceCalls, 0, 'no request-priced call is unknown');
    const copilot = r.byModel.find((m) => m.modelId === 'copilot');
    assert.equal(copilot?.premiumRequests, 12);
    close(copilot?.knownUsd, 0.48);
    assert.equal(r.auctions[0]?.spend.premiumRequests, 12);
  });

  const decided = (pool: PoolModel[]): LedgerLine[] => [auctionFact({ auctionId: 'a1', pool }), ...lines, auctionFact({ auctionId: 'a1', executedBy: 'copilot', outcome: 'accepted' })];

  it('uses a per-token reference when the recorded pool has one, and prices request-priced executions at its token price', () => {
    const r = buildCostReport(decided([{ modelId: 'copilot', model: 'gpt-4.1', price: perRequest(3) }, { modelId: 'big', price: BIG }]), { scope: 't' });
    assert.equal(r.auctions[0]?.referenceModelId, 'big');
    assert.equal(r.auctions[0]?.basis, 'estimated');
    close(r.auctions[0]?.counterfactualUsd ?? undefined, (1200 * 10 + 300 * 40) / 1e6);
  });

  it('falls back to the dearest request-priced model, and then never counts an execution as $0', () => {
    const r = buildCostReport(decided([{ modelId: 'cheap', price: perRequest(0.33) }, { modelId: 'copilot', model: 'gpt-4.1', price: perRequest(3) }]), { scope: 't' });
    assert.equal(r.auctions[0]?.referenceModelId, 'copilot');
    // The reference ran itself: measured, its two billed requests at $0.12.
    assert.equal(r.auctions[0]?.basis, 'measured');
    close(r.auctions[0]?.counterfactualUsd ?? undefined, 2 * 0.12);
  });
});

describe("the auction's cost term for request-priced models", () => {
  // mid: C = 1e-4 × $2/Mtok × 200 tokens = 0.04, rated 4 → score −3.96. copilot rated 5: at 1× its request costs
  // $0.04, C = 1e-4 × 0.04 × 10⁶ = 4 → score −1, so mid wins; were its request counted as $0, it would win at −5.
  const rating: Record<string, number> = { mid: 4, copilot: 5 };
  const judge: Script['judge'] = (author) => ({ text: judgeJson(rating[author] ?? 0) });
  const pool = (multiplier: number) => [
    new ScriptedClient(spec('mid', 2), { judge }),
    new ScriptedClient({ ...spec('copilot', 0), provider: 'vscode-lm', price: perRequest(multiplier) }, { judge, bid: { text: bidJson('copilot'), unreported: true } }),
  ];
  const request = { auctionId: 'r1', task: 'Add input validation', pool: ['mid', 'copilot'], weights: { cost: 1e-4, costMode: 'paper' as const }, refinement: { enabled: false } };

  it('charges the request in micro-dollars, so a premium request is not free', async () => {
    const deps = depsFor(pool(1));
    const result = await runAuction(request, deps);
    const copilot = result.ranking.find((b) => b.modelId === 'copilot');
    assert.equal(copilot?.cost.known, true);
    close(copilot?.cost.term, 4);
    assert.equal(copilot?.cost.requestUsd, 0.04);
    assert.equal(winnerModel(result), 'mid');
    const billed = deps.records.filter((r) => r.modelId === 'copilot');
    assert.ok(billed.length >= 2, 'it bid and judged');
    for (const r of billed) close(r.dollars, 0.04);
  });

  it('lets a 0× model (no premium requests) win on value', async () => {
    const result = await runAuction(request, depsFor(pool(0)));
    assert.equal(winnerModel(result), 'copilot');
  });

  it('reserves a request under the auction cap and expects requestsPerExecution requests for execution', () => {
    const spend = new SpendTracker(0.05);
    assert.equal(spend.reserve(perRequest(1), 100, 100).ok, true);
    assert.equal(spend.reserve(perRequest(1), 100, 100).ok, false, 'two reserved requests at $0.04 exceed a $0.05 cap');
    close(expectedExecutionUsd(counted(), perRequest(2), DEFAULT_EXECUTION_ESTIMATE), DEFAULT_EXECUTION_ESTIMATE.requestsPerExecution * 0.08);
    close(expectedExecutionUsd(unreportedUsage(), perRequest(2), DEFAULT_EXECUTION_ESTIMATE), DEFAULT_EXECUTION_ESTIMATE.requestsPerExecution * 0.08);
  });
});
