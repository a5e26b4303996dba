import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import { observationsFrom } from '../../../../src/common/learning/observations';
import { jurorCalibration, modelRates } from '../../../../src/common/learning/insights';
import { auctionLineFromResult } from '../../../../src/common/memory/fromAuction';
import { AuctionLine as AuctionLineSchema } from '../../../../src/common/memory/records';
import { accepted, auction, bid, outcome, rejected } from '../memory/builders';
import { bidJson, caps, depsFor, judgeJson, logprobsWith, ScriptedClient, spec } from '../auction/scriptedClient';

describe('observations from memory lines', () => {
  it('one per executed bid with a verdict, with its jury, estimate and its own real cost', () => {
    const a = auction('a1', 'fix the parser', 'big', ['small'], {
      bids: [
        bid({ modelId: 'big', bidId: 'a1:big', won: true, jury: { j1: 4, j2: 5 }, confidence: 0.7, expectedExecutionUsd: 0.5, expectedExecutionTokens: { input: 1000, output: 100 } }),
        bid({ modelId: 'small', bidId: 'a1:small', jury: { j1: 2 } }),
        bid({ modelId: 'mid', bidId: 'a1:mid', jury: { j1: 3 } }),
      ],
    });
    const lines = [
      outcome('a1', { type: 'execution-cost', inputTokens: 900, outputTokens: 80, dollars: 0.4, status: 'finished' }, '2026-01-02T00:00:01.000Z', 'a1:big'),
      outcome('a1', accepted, '2026-01-02T00:00:02.000Z', 'a1:big'),
      outcome('a1', { type: 'tests', passed: true }, '2026-01-02T00:00:03.000Z', 'a1:big'),
      // The user also ran the losing bid: it failed its tests after apply.
      outcome('a1', { type: 'execution-cost', inputTokens: 300, outputTokens: 20, dollars: 0.01 }, '2026-01-02T00:00:04.000Z', 'a1:small'),
      outcome('a1', accepted, '2026-01-02T00:00:05.000Z', 'a1:small'),
      outcome('a1', { type: 'tests', passed: false }, '2026-01-02T00:00:06.000Z', 'a1:small'),
      // The third bid ran but nobody has judged its work yet: no observation.
      outcome('a1', { type: 'execution-cost', inputTokens: 1, outputTokens: 1 }, '2026-01-02T00:00:07.000Z', 'a1:mid'),
      // An outcome of an auction the memory does not have.
      outcome('zz', rejected, '2026-01-02T00:00:08.000Z', 'zz:x'),
    ];
    // Lines arrive out of order: they are folded in time order.
    const obs = observationsFrom([a], [...lines].reverse());
    assert.equal(obs.length, 2);
    const big = obs.find((o) => o.bidId === 'a1:big')!;
    assert.deepEqual(
      { success: big.success, label: big.label, jury: big.jury, confidence: big.confidence, expected: big.expectedExecutionUsd, review: big.review, tests: big.testsPassed, execution: big.execution },
      { success: true, label: 'tests-passed', jury: { j1: 4, j2: 5 }, confidence: 0.7, expected: 0.5, review: 'accepted', tests: true, execution: { inputTokens: 900, outputTokens: 80, dollars: 0.4, runs: 1 } },
    );
    const small = obs.find((o) => o.bidId === 'a1:small')!;
    assert.deepEqual([small.success, small.label, small.review, small.testsPassed, small.execution?.dollars], [false, 'tests-failed', 'accepted', false, 0.01]);

    const rates = modelRates(obs);
    const bigRates = rates.find((r) => r.modelId === 'big')!;
    assert.deepEqual([bigRates.success.successes, bigRates.success.n, bigRates.accept.n, bigRates.testsPassed.successes], [1, 1, 1, 1]);
    assert.deepEqual(bigRates.cost, {
      runs: 1,
      meanEstimatedUsd: 0.5,
      meanActualUsd: 0.4,
      actualOverEstimated: 0.8,
      tokens: { runs: 1, meanEstimatedInput: 1000, meanActualInput: 900, meanEstimatedOutput: 100, meanActualOutput: 80 },
    });
    const j1 = jurorCalibration(obs).find((j) => j.jurorId === 'j1')!;
    assert.deepEqual([j1.observations, j1.auroc?.auc, j1.meanScoreSuccess, j1.meanScoreFailure], [2, 1, 4, 2]);
  });

  it('attributes an outcome line without a bid id (before version 2) to the winner', () => {
    const a = auction('a2', 'task', 'w', ['l']);
    const obs = observationsFrom([a], [outcome('a2', rejected)]);
    assert.deepEqual(obs.map((o) => [o.bidId, o.success]), [['a2:w', false]]);
  });

  it('the memory line of an auction records the bid’s confidence and expected execution cost; older lines still parse', async () => {
    const judge = () => ({ text: judgeJson(4) });
    const clients = [new ScriptedClient(spec('mid', 2), { judge, bid: { text: bidJson('mid'), logprobs: logprobsWith(0.9, 40) } }), new ScriptedClient(spec('large', 10), { judge })];
    const deps = depsFor(clients, { capabilities: (id) => caps({ logprobs: id === 'mid' }) });
    const result = await runAuction({ auctionId: 'x1', task: 'Add validation', pool: ['mid', 'large'], refinement: { enabled: false } }, deps);
    const line = auctionLineFromResult(result, []);
    const mid = line.bids.find((b) => b.modelId === 'mid')!;
    const ranked = result.ranking.find((r) => r.modelId === 'mid')!;
    assert.equal(mid.confidence, result.bids.find((b) => b.modelId === 'mid')!.entropy!.confidence);
    assert.ok(mid.confidence > 0 && mid.confidence < 1);
    assert.equal(mid.expectedExecutionUsd, ranked.expectedExecutionUsd);
    assert.ok(mid.expectedExecutionUsd !== undefined && mid.expectedExecutionUsd > 0);
    assert.deepEqual(mid.expectedExecutionTokens, { input: ranked.cost.work!.inputTokens, output: ranked.cost.work!.outputTokens });
    assert.equal('confidence' in line.bids.find((b) => b.modelId === 'large')!, false, 'no logprobs: no confidence recorded');
    assert.ok(AuctionLineSchema.safeParse(line).success);
    // A line written before these fields existed parses unchanged.
    const old = auction('o1', 'old task', 'w', ['l']);
    assert.ok(AuctionLineSchema.safeParse(JSON.parse(JSON.stringify(old))).success);
  });
});
