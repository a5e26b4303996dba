import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadMarket } from '../../../bench/market/data';
import { oracle } from '../../../bench/market/routers';
import { POOLS } from '../../../bench/market/prices';
import { bestWithin, signalLimit, signalNames } from '../../../bench/market/signalLimit';

const data = loadMarket();
const MIXED = [...POOLS.mixed!.models];
const SIGNALS = signalNames(['gpt-5-nano', 'deepseek-v3.2', 'gpt-5-mini']);

describe('signal limit (a generous reference policy reading the modelled signals)', () => {
  it('with useless signals and the rates known, chance alone picks the best model on every task', () => {
    const limit = signalLimit(data, MIXED, data.tasks, 0, SIGNALS, [1], 'known');
    const chanceOnly = limit.points.find((p) => p.lambda === 0)!;
    // Opus resolves 74.4% of the tasks, the pool's best rate (Gemini 3 Pro 74.2%).
    assert.equal(chanceOnly.passAt1.mean, 0.744);
    assert.ok(Math.abs(chanceOnly.executionUsd.mean - 360.62) < 0.01);
  });

  it('with near-perfect signals it approaches the oracle, and costs fall as λ grows', () => {
    const limit = signalLimit(data, MIXED, data.tasks, 12, SIGNALS, [1], 'known');
    const best = Math.max(...limit.points.map((p) => p.passAt1.mean));
    const o = oracle(data, MIXED, data.tasks, 'opus');
    const oraclePass = o.records.filter((r) => r.attempts[0]?.resolved).length / data.tasks.length;
    assert.ok(best <= oraclePass + 1e-9, `the limit ${best} cannot beat the oracle ${oraclePass}`);
    assert.ok(best >= oraclePass - 0.01, `the limit ${best} should reach the oracle ${oraclePass}`);
    const costs = limit.points.map((p) => p.executionUsd.mean);
    assert.ok(costs[costs.length - 1]! < costs[0]! / 5, 'the dearest λ point is far dearer than the cheapest');
  });

  it('without the rates it does worse than with them at the published quality, at the same budget', () => {
    const known = signalLimit(data, MIXED, data.tasks, 0.5, SIGNALS, [1, 2], 'known');
    const unknown = signalLimit(data, MIXED, data.tasks, 0.5, SIGNALS, [1, 2], 'pool');
    assert.ok(bestWithin(known, 180, 0)!.passAt1.mean > bestWithin(unknown, 180, 0)!.passAt1.mean);
  });

  it('bestWithin keeps execution plus auction within the budget, and says when nothing fits', () => {
    const limit = signalLimit(data, MIXED, data.tasks, 0.5, SIGNALS, [1, 2], 'known');
    for (const auction of [0, 20, 60]) {
      const p = bestWithin(limit, 150, auction)!;
      assert.ok(p.executionUsd.max + auction <= 150, 'within the budget in every seed');
      assert.ok(limit.points.every((q) => q.executionUsd.max + auction > 150 || q.passAt1.mean <= p.passAt1.mean));
    }
    assert.equal(bestWithin(limit, 5, 0), undefined);
  });
});

describe('signal limit, rates learned from its own runs', () => {
  it('learning the rates from its own runs does worse than knowing them, better than the best cheap model alone', () => {
    const at = (prior: 'known' | 'learned'): number => bestWithin(signalLimit(data, MIXED, data.tasks, 0.5, SIGNALS, [1, 2, 3], prior), 180, 0)!.passAt1.mean;
    const [known, learned] = [at('known'), at('learned')];
    assert.ok(learned < known, `learned ${learned} < known ${known}`);
    assert.ok(learned > 0.6, `learned ${learned} beats always DeepSeek (60.0%)`);
  });

  it('a second, independent bid per model is worth something', () => {
    const one = bestWithin(signalLimit(data, MIXED, data.tasks, 0.5, SIGNALS, [1, 2], 'known', 1), 180, 0)!.passAt1.mean;
    const two = bestWithin(signalLimit(data, MIXED, data.tasks, 0.5, SIGNALS, [1, 2], 'known', 2), 180, 0)!.passAt1.mean;
    assert.ok(two > one, `two draws ${two} > one ${one}`);
  });
});
