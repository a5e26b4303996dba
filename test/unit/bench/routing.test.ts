import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAssumptions } from '../../../bench/routing/assumptions';
import { benchRouting, formatRoutingTable } from '../../../bench/routing/index';
import { Simulation, type SettingResult } from '../../../bench/routing/simulation';

const a = loadAssumptions();
const LARGEST = 'qwen3-32b';
const SMALLEST = 'qwen3-4b';

/** The pass rate a router would expect if its choice ignored every task's true chances: its shares × each model's own rate. */
function blindMixture(s: SettingResult, router: string): number {
  const r = s.routers[router]!;
  return Object.entries(r.executions).reduce((sum, [id, n]) => sum + (n / r.tasks) * (s.fixedModelPassRates[id] ?? 0), 0);
}

describe('routing simulation', () => {
  it('gives identical results for the same seed, and every router sees the same task stream and draws', async () => {
    const first = await benchRouting({ tasks: 30, seed: 7, sweep: false });
    const second = await benchRouting({ tasks: 30, seed: 7, sweep: false });
    assert.deepEqual(first, second);
    assert.equal(first.kind, 'simulation');
    assert.match(formatRoutingTable(first), /SIMULATION[\s\S]*assumptions\.json/);

    const digests = new Set(Object.values(first.default.routers).map((r) => r.streamDigest));
    assert.equal(digests.size, 1, 'one task stream for all routers');
    assert.equal(Object.keys(first.routers).length, 9);
    // The same success draw per (task, model): a fixed router's pass rate is that model's own pass rate.
    assert.equal(first.default.routers['always-largest']!.passRate, first.default.fixedModelPassRates[LARGEST]);
    assert.equal(first.default.routers['always-smallest']!.passRate, first.default.fixedModelPassRates[SMALLEST]);

    const other = await new Simulation(a, 8, 30).run({ noise: 0, memoryBoost: 0 }, ['always-largest']);
    assert.notEqual(other.routers['always-largest']!.streamDigest, first.default.routers['always-largest']!.streamDigest);
  });

  it('always-largest runs only the largest model and always-smallest never does', async () => {
    const s = await new Simulation(a, 3, 50).run({ noise: 0.25, memoryBoost: 0.1 }, ['always-largest', 'always-smallest']);
    assert.equal(s.routers['always-largest']!.largestShare, 1);
    assert.equal(s.routers['always-smallest']!.largestShare, 0);
    assert.equal(s.routers['always-largest']!.auctionTokenShare, 0);
  });

  it('with useless signals SALE is no better than a blind choice', async () => {
    const n = 120;
    const s = await new Simulation(a, 11, n).run({ noise: 1, memoryBoost: 0 }, ['random', 'sale', 'sale-no-refinement']);
    // With signals independent of the true chances and no memory effect, SALE's choice cannot use the chances:
    // its expected pass@1 is at most the share-weighted mean of the models' own pass rates, and since the cost
    // term and refinement only ever favour cheaper (weaker) models, at most random's. Slack: three standard
    // errors of a pass rate over n tasks (σ ≤ 0.5/√n), and √2 of that for a difference of two rates.
    const se = 0.5 / Math.sqrt(n);
    for (const router of ['sale', 'sale-no-refinement']) {
      const rate = s.routers[router]!.passRate;
      assert.ok(rate <= blindMixture(s, router) + 3 * se, `${router} ${rate} vs blind mixture ${blindMixture(s, router)}`);
      assert.ok(rate <= s.routers.random!.passRate + 3 * Math.SQRT2 * se, `${router} ${rate} vs random ${s.routers.random!.passRate}`);
    }
  });

  it('with informative signals SALE costs less than always-largest when its cost weight matters', async () => {
    const s = await new Simulation(a, 5, 60).run({ noise: 0, memoryBoost: 0 }, ['always-largest', 'sale-price-scaled', 'sale-no-refinement']);
    assert.ok(s.routers['sale-price-scaled']!.cost < s.routers['always-largest']!.cost);
    // With the paper's old default (1e-4 × price × plan) the cost term of this cheap pool was < 0.03 score points
    // and SALE ran the largest model every time. The `work` term prices the pool's price ratios whatever their
    // level, so with the engine's DEFAULT_WEIGHTS a cheaper model now wins where the signals rate it close.
    assert.ok(s.routers['sale-no-refinement']!.largestShare < 1);
  });
});
