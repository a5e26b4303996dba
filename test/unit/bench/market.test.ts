import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auroc } from '../../../bench/market/auroc';
import { loadMarket, parseCsv, parseJsonl, type TaskView } from '../../../bench/market/data';
import { allCascades, paretoFront, runSale } from '../../../bench/market/experiments';
import { figures, Market, runRouter, type Executor, type Router } from '../../../bench/market/market';
import { POOLS } from '../../../bench/market/prices';
import { customVariant } from '../../../bench/market/run';
import { alwaysRouter, cascadeRouter, KnnRouter, LearnedEscalationRouter, oracle } from '../../../bench/market/routers';
import { QUALITY_SWEEP } from '../../../bench/market/signals';

const data = loadMarket();
const cents = (x: number): number => Math.round(x * 100) / 100;
const MIXED = [...POOLS.mixed!.models];
const SIX = ['opus', 'gemini-3-pro', 'gpt-5.1', 'gpt-5-mini', 'deepseek-v3.2', 'gpt-5-nano'];

// The per-model totals the data README publishes (checked there against the leaderboard's own totals).
const PUBLISHED: Record<string, [number, number]> = {
  opus: [0.744, 360.62],
  'gemini-3-pro': [0.742, 229.98],
  sonnet: [0.706, 279.17],
  'gpt-5.1': [0.66, 153.08],
  'gpt-5': [0.65, 140.19],
  'gpt-5-mini': [0.598, 17.74],
  'deepseek-v3.2': [0.6, 14.04],
  'glm-4.6': [0.554, 48.31],
  'qwen3-coder': [0.554, 123.96],
  'kimi-k2': [0.438, 265.8],
  'gpt-5-nano': [0.348, 19.04],
  'gpt-oss-120b': [0.26, 28.56],
};

describe('real market data', () => {
  it('loads 500 tasks with a problem text and one recorded run per model each', () => {
    assert.equal(data.tasks.length, 500);
    assert.equal(data.models.length, 12);
    assert.ok(data.tasks.every((t) => t.text.length >= 100 && data.outcomes.get(t.id)!.size === 12));
    assert.deepEqual(
      ['<15 min fix', '15 min - 1 hour', '1-4 hours', '>4 hours'].map((d) => data.tasks.filter((t) => t.difficulty === d).length),
      [194, 261, 42, 3],
    );
  });

  it('parses strictly: quotes, wrong column counts, empty fields, a wrong header and bad JSON lines are errors', () => {
    const cols = ['a', 'b'];
    assert.deepEqual(parseCsv('a,b\n1,2\n', cols), [{ a: '1', b: '2' }]);
    assert.throws(() => parseCsv('a,b\n"1,2",3\n', cols), /quoted/);
    assert.throws(() => parseCsv('a,b\n1,2,3\n', cols), /line 2: 3 fields/);
    assert.throws(() => parseCsv('a,b\n1,\n', cols), /empty field/);
    assert.throws(() => parseCsv('a,c\n1,2\n', cols), /header/);
    assert.deepEqual(parseJsonl('{"x":1}\n\n{"x":2}\n'), [{ x: 1 }, { x: 2 }]);
    assert.throws(() => parseJsonl('{"x":1}\n{x}\n'), /JSONL line 2/);
  });
});

describe('real market', () => {
  it('a router that always picks a model reproduces its published totals exactly', async () => {
    const market = new Market(data, data.models);
    for (const [model, [rate, total]] of Object.entries(PUBLISHED)) {
      const f = figures(await runRouter(alwaysRouter(model), market, data.tasks, 1), 1, model);
      assert.equal(f.passAt1, rate, model);
      assert.equal(cents(f.costUsd), total, model);
      assert.equal(f.largestShare, 1);
    }
  });

  it('reproduces the cascades and oracles of the data README', async () => {
    const market = new Market(data, MIXED);
    const cascade = async (models: string[]): Promise<[number, number]> => {
      const f = figures(await runRouter(cascadeRouter(models), market, data.tasks, models.length), models.length, 'opus');
      return [f.resolved, cents(f.costUsd)];
    };
    assert.deepEqual(await cascade(['gpt-5-mini', 'opus']), [0.772, 214.57]);
    assert.deepEqual(await cascade(['deepseek-v3.2', 'gpt-5-mini', 'opus']), [0.794, 174.96]);
    const o6 = oracle(data, SIX, data.tasks, 'opus');
    assert.deepEqual([o6.passAt1, cents(o6.costUsd)], [0.83, 49.69]);
    const o7 = oracle(data, MIXED, data.tasks, 'opus');
    assert.deepEqual([o7.passAt1, cents(o7.costUsd)], [0.84, 49.76]);

    const front = paretoFront((await allCascades(data, MIXED, data.tasks, 'opus')).map((c) => ({ models: c.models.join(','), resolved: c.figures.resolved, costUsd: cents(c.figures.costUsd) })));
    for (const point of [
      { models: 'deepseek-v3.2,gpt-5-mini', resolved: 0.718, costUsd: 23.21 },
      { models: 'deepseek-v3.2,gpt-5-mini,gpt-5.1', resolved: 0.758, costUsd: 88.59 },
      { models: 'deepseek-v3.2,gpt-5-mini,gemini-3-pro', resolved: 0.784, costUsd: 112.27 },
      { models: 'deepseek-v3.2,gpt-5-mini,opus', resolved: 0.794, costUsd: 174.96 },
      { models: 'deepseek-v3.2,gemini-3-pro,opus', resolved: 0.814, costUsd: 248.26 },
    ]) {
      assert.ok(front.some((p) => p.models === point.models && p.resolved === point.resolved && p.costUsd === point.costUsd), `front lacks ${JSON.stringify(point)}`);
    }
  });
});

describe('bandit feedback', () => {
  it('the executor charges a run before it returns the outcome, and refuses runs beyond the limit or outside the pool', () => {
    const market = new Market(data, ['gpt-5-mini', 'opus']);
    const task = data.tasks[0]!;
    const exec = market.executor({ id: task.id, repo: task.repo, text: task.text }, 2);
    const a = exec.run('gpt-5-mini');
    assert.deepEqual(market.ledger, [{ taskId: task.id, modelId: 'gpt-5-mini', costUsd: a.costUsd }]);
    assert.equal(a.resolved, data.outcomes.get(task.id)!.get('gpt-5-mini')!.resolved);
    assert.throws(() => exec.run('sonnet'), /not in the pool/);
    exec.run('opus');
    assert.throws(() => exec.run('opus'), /more than 2 attempts/);
    assert.equal(market.ledger.length, 2);
  });

  it('a router gets only the task text and an executor; what it learns is exactly what it paid for', async () => {
    const tasks = data.tasks.slice(0, 80);
    const seen: string[][] = [];
    const spy: Router = {
      name: 'spy',
      solve(task: TaskView, exec: Executor) {
        seen.push(Object.keys(task).sort(), Object.keys(exec).sort());
        exec.run('gpt-5-mini');
        return Promise.resolve(undefined);
      },
    };
    await runRouter(spy, new Market(data, MIXED), tasks.slice(0, 1), 1);
    assert.deepEqual(seen, [
      ['id', 'repo', 'text'],
      ['attempts', 'maxAttempts', 'pool', 'run'],
    ]);

    for (const make of [(): KnnRouter => new KnnRouter(MIXED, { exploration: 0.2, threshold: 0.6 }, 3), (): LearnedEscalationRouter => new LearnedEscalationRouter(MIXED)]) {
      const router = make();
      const market = new Market(data, MIXED);
      await runRouter(router, market, tasks, 3);
      assert.ok(market.ledger.length >= tasks.length);
      assert.deepEqual(
        router.knowledge.learned,
        market.ledger.map((c) => ({ taskId: c.taskId, modelId: c.modelId })),
        `${router.name} learned something it did not pay for, or missed a run it paid for`,
      );
    }
  });
});

describe('modelled signals and SALE through runAuction', () => {
  it('measures AUROC: 1 for a perfect ranking, 0 for a reversed one, 0.5 for ties', () => {
    assert.equal(auroc([1, 2, 3, 4], [false, false, true, true]), 1);
    assert.equal(auroc([4, 3, 2, 1], [false, false, true, true]), 0);
    assert.equal(auroc([1, 1, 1, 1], [false, true, false, true]), 0.5);
    assert.equal(auroc([1, 2, 2, 3], [false, true, false, true]), 0.875);
  });

  it('the signals are useless at the sweep\'s low end and perfect at its high end, measured on what the engine saw', async () => {
    const pool = [...POOLS.ladder!.models];
    const tasks = data.tasks.slice(0, 80);
    const variant = { name: 'sale', refinement: false, weights: {} };
    const low = await runSale(data, pool, tasks, variant, QUALITY_SWEEP[0], 1, 1);
    const high = await runSale(data, pool, tasks, variant, QUALITY_SWEEP[QUALITY_SWEEP.length - 1]!, 1, 1);
    for (const key of ['juror', 'entropy', 'length', 'value'] as const) {
      assert.ok(Math.abs(low.auroc[key] - 0.5) < 0.1, `${key} at the low end: ${low.auroc[key]}`);
      assert.ok(high.auroc[key] > 0.99, `${key} at the high end: ${high.auroc[key]}`);
    }
    // With perfect signals the auction's first attempt resolves what the oracle resolves.
    const limit = oracle(data, pool, tasks, 'gpt-5.1').passAt1;
    assert.ok(figures(high.records, 1, 'gpt-5.1').passAt1 >= limit - 0.02, `${figures(high.records, 1, 'gpt-5.1').passAt1} vs oracle ${limit}`);
  });

  it('SALE pays for its auction and escalates down its ranking without repeating a model', async () => {
    const pool = [...POOLS.ladder!.models];
    const run = await runSale(data, pool, data.tasks.slice(0, 40), { name: 'sale', refinement: true, weights: {} }, 0.5, 2, 3);
    assert.equal(run.fallbacks, 0);
    for (const r of run.records) {
      assert.ok(r.decisionUsd > 0, 'every auction costs something');
      assert.ok(r.attempts.length >= 1 && r.attempts.length <= 3);
      assert.equal(new Set(r.attempts.map((a) => a.modelId)).size, r.attempts.length);
      // Escalation stops at the first resolved run.
      assert.ok(r.attempts.slice(0, -1).every((a) => !a.resolved));
    }
  });
});

describe('benchmark options', () => {
  it('builds a custom SALE row from --weights and --jury, and none when neither is given', () => {
    assert.equal(customVariant(undefined, undefined), undefined);
    const cheap = customVariant('{"cost":0.00003}', 'cheap')!(MIXED);
    assert.deepEqual(cheap.weights, { cost: 0.00003 });
    assert.deepEqual(cheap.jury, { mode: 'subset', jurors: ['gpt-5-nano', 'deepseek-v3.2', 'gpt-5-mini'] });
    assert.deepEqual(customVariant(undefined, 'opus,sonnet')!(MIXED).jury, { mode: 'subset', jurors: ['opus', 'sonnet'] });
    assert.equal(customVariant('{"jury":2}', 'panel')!(MIXED).jury, undefined);
    assert.deepEqual(customVariant(undefined, 'all')!(MIXED).jury, { mode: 'all' });
  });
});
