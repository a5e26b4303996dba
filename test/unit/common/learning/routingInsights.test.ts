import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveWeights } from '../../../../src/common/auction/weights';
import { parseCsv } from '../../../../src/common/ledger/csv';
import { insightsToCsv, insightsToJson } from '../../../../src/common/learning/insightsExport';
import { buildRoutingInsights, replayInsight } from '../../../../src/common/learning/routingInsights';
import { fitAuctionOf } from '../../../../src/common/learning/weightFeatures';
import { replayWeights } from '../../../../src/common/learning/weightReplay';
import { RoutingInsights } from '../../../../src/common/protocol/insights';
import { insightsJournal } from '../../../fixtures/memory/journal';

const defaults = resolveWeights(undefined);
const options = { scope: 'demo', now: new Date('2026-11-25T00:00:00.000Z'), weights: { inForce: defaults, fromWorkspace: false, adoptions: [] } };

describe('buildRoutingInsights (the journal fixture, counted by hand)', () => {
  const { insights, observations } = buildRoutingInsights(insightsJournal(), options);

  it('counts auctions and executed bids with a verdict, and validates against the protocol', () => {
    RoutingInsights.parse(insights);
    assert.deepEqual([insights.auctions, insights.observations, insights.successes], [8, 8, 4]);
    assert.deepEqual(insights.range, { from: '2026-11-20T09:12:00.000Z', to: '2026-11-24T16:20:00.000Z' });
    assert.deepEqual(
      observations.map((o) => `${o.auctionId}:${o.modelId}:${o.label}`),
      ['a1:gpt-small:tests-passed', 'a2:claude-large:accepted', 'a3:gpt-small:rejected', 'a4:ollama-qwen:rejected', 'a5:gpt-small:tests-failed', 'a6:claude-large:tests-passed', 'a7:gpt-small:rejected', 'a7:claude-large:accepted'],
    );
  });

  it('gives each model its wins (auctions with a winner only), successes, accepts and test runs', () => {
    const row = (id: string) => {
      const m = insights.models.find((x) => x.modelId === id)!;
      return [m.auctions, `${m.wins.successes}/${m.wins.n}`, `${m.success.successes}/${m.success.n}`, `${m.accept.successes}/${m.accept.n}`, `${m.testsPassed.successes}/${m.testsPassed.n}`];
    };
    // a8 was cancelled: gpt-small and claude-large bid in 8 auctions, but only 7 had a winner.
    assert.deepEqual(row('gpt-small'), [8, '4/7', '1/4', '2/4', '1/2']);
    assert.deepEqual(row('claude-large'), [8, '2/7', '3/3', '3/3', '1/1']);
    assert.deepEqual(row('ollama-qwen'), [7, '1/7', '0/1', '0/1', '0/0']);
    assert.equal(insights.models.find((m) => m.modelId === 'ollama-qwen')!.testsPassed.rate, undefined);
  });

  it('calibrates each juror: claude-large scored every success above every failure', () => {
    const claude = insights.jurors.find((j) => j.jurorId === 'claude-large')!;
    // Successes 4, 5, 5, 4; failures 2, 2, 3, 3: AUROC 1; Brier (0.04 + 0 + 0 + 0.04 + 0.16 + 0.16 + 0.36 + 0.36) / 8.
    assert.equal(claude.auroc?.auc, 1);
    assert.ok(Math.abs(claude.brier! - 0.14) < 1e-12);
    assert.deepEqual([claude.meanScoreSuccess, claude.meanScoreFailure], [4.5, 2.5]);
  });

  it('draws each model\'s cumulative rates over time, one point per auction', () => {
    const gpt = insights.timeline.find((t) => t.modelId === 'gpt-small')!;
    assert.deepEqual(gpt.wins.map((p) => `${p.successes}/${p.n}`), ['1/1', '1/2', '2/3', '2/4', '3/5', '3/6', '4/7']);
    assert.deepEqual(gpt.success.map((p) => `${p.time.slice(0, 10)} ${p.successes}/${p.n}`), ['2026-11-20 1/1', '2026-11-21 1/2', '2026-11-22 1/3', '2026-11-24 1/4']);
    const claude = insights.timeline.find((t) => t.modelId === 'claude-large')!;
    assert.deepEqual(claude.success.map((p) => `${p.successes}/${p.n}`), ['1/1', '2/2', '3/3']);
    assert.deepEqual(claude.testsPassed.map((p) => `${p.successes}/${p.n}`), ['1/1']);
  });

  it('lists expected against actual cost for every run with both, and per model the ratio', () => {
    assert.equal(insights.costPoints.length, 8);
    assert.deepEqual(insights.costPoints.find((p) => p.auctionId === 'a2'), { auctionId: 'a2', bidId: 'a2-claude-large', modelId: 'claude-large', time: '2026-11-20T15:40:00.000Z', expectedUsd: 0.34, actualUsd: 0.41, success: true });
    const cost = insights.models.find((m) => m.modelId === 'claude-large')!.cost!;
    assert.ok(Math.abs(cost.actualOverEstimated! - (0.41 + 0.36 + 0.33) / (3 * 0.34)) < 1e-12);
  });

  it('marks a read that left older auctions out', () => {
    const j = insightsJournal();
    assert.equal(buildRoutingInsights({ ...j, truncated: true }, options).insights.truncated, true);
    assert.deepEqual(buildRoutingInsights({ auctions: [], outcomes: new Map(), truncated: false }, options).insights.range, undefined);
  });
});

describe('replayInsight', () => {
  it('carries the replay of proposed weights against the baseline, as the replay computed it', () => {
    const j = insightsJournal();
    const fitAuctions = j.auctions.map((a) => fitAuctionOf(a, j.outcomes.get(a.id) ?? [], [defaults]));
    assert.ok(fitAuctions.every((a) => a.problem === undefined), 'the fixture is read back through the default weights');
    // Trust only claude-large as a juror: claude-large then wins a3, a4, a5 and a7, away from four known failures.
    const proposed = resolveWeights({ jurors: { 'claude-large': 4, 'gpt-small': 0, 'ollama-qwen': 0 } });
    const replay = replayWeights(fitAuctions, defaults, proposed);
    const view = replayInsight('fit', '2026-11-25T00:00:00.000Z', replay, defaults, proposed);
    assert.equal(view.changed, replay.changed);
    assert.deepEqual([view.changed, view.avoidedFailures, view.lostSuccesses], [4, 4, 0]);
    assert.equal(view.rows.length, 8);
    assert.deepEqual(view.rows.filter((r) => r.changed).map((r) => r.auctionId), replay.rows.filter((r) => r.changed).map((r) => r.auctionId));
    assert.deepEqual(view.proposed.jurors, { 'claude-large': 4, 'gpt-small': 0, 'ollama-qwen': 0 });
    RoutingInsights.parse({ ...buildRoutingInsights(j, options).insights, replay: view });
  });
});

describe('insights exports', () => {
  it('CSV: one row per observation, a column per juror, unknown figures empty', () => {
    const { observations } = buildRoutingInsights(insightsJournal(), options);
    const rows = parseCsv(insightsToCsv(observations));
    assert.deepEqual(rows[0]!.slice(-3), ['jury:claude-large', 'jury:gpt-small', 'jury:ollama-qwen']);
    assert.equal(rows.length, 1 + observations.length);
    const header = rows[0]!;
    const a1 = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    assert.deepEqual([a1.auction_id, a1.model_id, a1.label, a1.success, a1.review, a1.tests_passed, a1.actual_usd, a1['jury:ollama-qwen']], ['a1', 'gpt-small', 'tests-passed', 'true', 'accepted', 'true', '0.0254', '5']);
    const a2 = Object.fromEntries(header.map((h, i) => [h, rows[2]![i]]));
    assert.deepEqual([a2.confidence, a2.tests_passed], ['', '']);
  });

  it('JSON: the insights and the observations', () => {
    const built = buildRoutingInsights(insightsJournal(), options);
    const parsed = JSON.parse(insightsToJson(built.insights, built.observations)) as { insights: unknown; observations: unknown[] };
    RoutingInsights.parse(parsed.insights);
    assert.equal(parsed.observations.length, 8);
  });
});
