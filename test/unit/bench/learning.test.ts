import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadMarket } from '../../../bench/market/data';
import { heldOutCalibration } from '../../../bench/market/learning';
import { CalibratedSaleRouter, PredictorRouter, publicPriorsFor } from '../../../bench/market/learnedRouters';
import { figures, Market, runRouter } from '../../../bench/market/market';
import { POOLS } from '../../../bench/market/prices';
import { AuctionScene, MarketModelClient } from '../../../bench/market/saleClient';
import { familyPrior } from '../../../src/common/learning/priors';

const data = loadMarket();
const LADDER = [...POOLS.ladder!.models];
const MIXED = [...POOLS.mixed!.models];

describe('learning on the real market (bench/market/learning.ts)', () => {
  it('the predictor router learns exactly the runs it paid for, and q moves it from cheap to strong models', async () => {
    const tasks = data.tasks.slice(0, 120);
    const runs: Record<number, Record<string, number>> = {};
    for (const q of [0, 1]) {
      const router = new PredictorRouter(LADDER, q, 7);
      const market = new Market(data, LADDER);
      const records = await runRouter(router, market, tasks, 1);
      assert.deepEqual(
        router.observations.map((o) => [o.auctionId, o.modelId, o.success]),
        market.ledger.map((c) => [c.taskId, c.modelId, data.outcomes.get(c.taskId)!.get(c.modelId)!.resolved]),
      );
      assert.equal(router.predictions.length, tasks.length);
      runs[q] = figures(records, 1, 'gpt-5.1').runs;
    }
    const strong = (r: Record<string, number>): number => (r['gpt-5'] ?? 0) + (r['gpt-5.1'] ?? 0);
    assert.ok(strong(runs[1]!) > strong(runs[0]!), `q=1 ran the strong models more: ${JSON.stringify(runs)}`);
  });

  it('SALE with learned calibration learns from its executed bids through the memory path, jury scores included', async () => {
    const scene = new AuctionScene(5, 2, (t, m) => data.outcomes.get(t)!.get(m)!.resolved);
    const router = new CalibratedSaleRouter(LADDER, LADDER.map((id) => new MarketModelClient(id, scene)), 0.5, 5, undefined, (id) => scene.begin(id));
    const market = new Market(data, LADDER);
    await runRouter(router, market, data.tasks.slice(0, 12), 1);
    assert.equal(router.fallbacks, 0);
    assert.equal(router.observations.length, 12);
    assert.deepEqual(
      router.observations.map((o) => [o.auctionId, o.modelId, o.success]),
      market.ledger.map((c) => [c.taskId, c.modelId, data.outcomes.get(c.taskId)!.get(c.modelId)!.resolved]),
    );
    assert.ok(router.observations.every((o) => Object.keys(o.jury).length > 0 && o.confidence !== undefined && o.expectedExecutionUsd !== undefined));
  });

  it('held-out calibration: the predictor beats a constant rate on Brier score', () => {
    const [shipped, rateOnly, constant] = heldOutCalibration(data, LADDER, data.tasks.slice(0, 150));
    assert.equal(shipped!.predictions, 150 * LADDER.length);
    assert.ok(shipped!.brier < constant!.brier && rateOnly!.brier < constant!.brier, `${shipped!.brier} ${rateOnly!.brier} ${constant!.brier}`);
  });

  it('the public prior maps every bench model onto the shipped table', () => {
    const priors = publicPriorsFor(MIXED);
    assert.deepEqual(
      MIXED.map((m) => familyPrior(m, priors.table)?.rate),
      [0.348, 0.6, 0.598, 0.66, 0.742, 0.706, 0.744],
    );
  });
});
