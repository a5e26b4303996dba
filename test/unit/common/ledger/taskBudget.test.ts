import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputTokenBound, runAgent } from '../../../../src/common/agent/loop';
import { runAuction } from '../../../../src/common/auction/engine';
import { NoBidsError } from '../../../../src/common/auction/errors';
import type { AuctionResult } from '../../../../src/common/auction/types';
import { toCallEntry, type LedgerLine } from '../../../../src/common/ledger/entry';
import {
  auctionCapUsd,
  bidBudgetReasons,
  keepBackUsd,
  remainingUsd,
  runBudget,
  runBudgetOf,
  taskBudget,
  taskSpendFrom,
  withDayCap,
} from '../../../../src/common/ledger/taskBudget';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { emptyUsage, type ChatRequest, type ChatResponse } from '../../../../src/common/providers/types';
import { call as toolCall, FixedApprover, fixedClock, MemoryWorkspace, RecordingShell, ScriptedClient as AgentClient } from '../agent/fakes';
import { bidJson, depsFor, judgeJson, ScriptedClient, spec, winnerModel } from '../auction/scriptedClient';
import { BIG, SMALL, call } from './fixtures';
import { usd } from '../../../../src/common/protocol/format';

const spent = (spentUsd: number, unknownPriceCalls = 0) => ({ spentUsd, executionUsd: 0, unknownPriceCalls });

describe('the task budget', () => {
  it('sums every phase of its own auction from the ledger (auction, runs, escalations), counting unknown prices', () => {
    const lines: LedgerLine[] = [
      call('small', 'bidding', 0.01, 0, { price: SMALL, auctionId: 'a' }), // $0.01
      call('small', 'jury', 0.02, 0, { price: SMALL, auctionId: 'a' }), // $0.02
      call('big', 'execution', 0.01, 0.001, { price: BIG, auctionId: 'a' }), // $0.14 (first run)
      call('big', 'execution', 0.001, 0, { price: BIG, auctionId: 'a' }), // $0.01 (escalation)
      call('big', 'execution', 1, 1, { price: BIG, auctionId: 'other' }), // another task
      call('mystery', 'execution', 1, 1, { auctionId: 'a' }), // no price
      call('big', 'shadow', 1, 1, { price: BIG, auctionId: 'a' }), // SALE measuring its savings: not the task's spend
    ];
    const s = taskSpendFrom(lines, 'a');
    assert.ok(Math.abs(s.spentUsd - 0.18) < 1e-12);
    assert.ok(Math.abs(s.executionUsd - 0.15) < 1e-12);
    assert.equal(s.unknownPriceCalls, 1);
  });

  it('has no limit when the setting is empty, zero or negative, and never a negative remainder', () => {
    for (const none of [null, undefined, 0, -1, Number.NaN]) {
      assert.equal(remainingUsd(taskBudget(none, spent(5))), undefined);
      assert.deepEqual(bidBudgetReasons(taskBudget(none), 100), []);
      assert.deepEqual(runBudget(taskBudget(none, spent(5)), 100, 2), { ok: true, maxDollars: 2 });
    }
    assert.equal(remainingUsd(taskBudget(1, spent(1.5))), 0);
  });

  it('caps the auction at what is left, and no higher than its own cap', () => {
    assert.equal(auctionCapUsd(taskBudget(1, spent(0.25))), 0.75);
    assert.equal(auctionCapUsd(taskBudget(1, spent(0.25)), 0.1), 0.1);
    assert.equal(auctionCapUsd(taskBudget(null), 0.1), 0.1);
    assert.equal(auctionCapUsd(taskBudget(null)), undefined);
  });

  it('keeps back the work of the cheapest bid that still fits, or nothing', () => {
    assert.equal(keepBackUsd([0.5, 0.2, undefined, 0.9], 0.6), 0.2);
    assert.equal(keepBackUsd([0.7, 0.9], 0.6), 0);
    assert.equal(keepBackUsd([], 0.6), 0);
  });

  it('makes a bid ineligible when its expected work exceeds what is left after the auction, naming the figures', () => {
    const b = taskBudget(1, spent(0));
    assert.deepEqual(bidBudgetReasons(b, 0.3, 0.7), []); // reaching the limit exactly is allowed
    assert.deepEqual(bidBudgetReasons(b, 0.42, 0.7), ["expected work $0.42 would exceed the $0.30 left of this task's $1.00 budget"]);
    assert.match(bidBudgetReasons(b, undefined, 0, 'price unknown')[0] ?? '', /^price unknown: .*\$1\.00 budget/);
  });

  it('refuses a run that would break the budget, with the setting to raise, and caps an allowed run by what is left', () => {
    const b = taskBudget(1, spent(0.7));
    const refused = runBudget(b, 0.42, 5);
    assert.ok(!refused.ok);
    assert.match(refused.reason, /spent \$0\.70 of its \$1\.00 budget\. Its expected work \(\$0\.42\) would exceed the \$0\.30 left\. Raise sale\.budget\.perTask/);
    const ok = runBudget(b, 0.2, 5);
    assert.ok(ok.ok && Math.abs((ok.maxDollars ?? 0) - 0.3) < 1e-12);
    assert.deepEqual(runBudget(b, 0.2, 0.1), { ok: true, maxDollars: 0.1 });
    const empty = runBudget(taskBudget(1, spent(1)), 0, 5);
    assert.ok(!empty.ok && /nothing is left/.test(empty.reason));
    const unknown = runBudget(taskBudget(1, spent(0.1, 2)), undefined, 5);
    assert.ok(!unknown.ok && /at least \$0\.10.*no price or its bid reported no usage/.test(unknown.reason));
  });

  it('binds a run to the daily budget too: refused when today is spent or the work would exceed it, capped by what today has left', () => {
    const free = taskBudget(null);
    const reached = runBudget(free, 0.1, 5, { limitUsd: 25, spentUsd: 25.5, unknownPriceCalls: 0 });
    assert.ok(!reached.ok);
    assert.equal(reached.setting, 'sale.budget.perDay');
    assert.match(reached.reason, /^Today's spend \(\$25\.50\) has reached the daily budget of \$25\.00; .*Raise sale\.budget\.perDay/);
    const tooBig = runBudget(free, 3.67, 5, { limitUsd: 25, spentUsd: 23.44, unknownPriceCalls: 1 });
    assert.ok(!tooBig.ok && /\(at least \$23\.44\) leaves \$1\.56 .*expected work \(\$3\.67\)/.test(tooBig.reason));
    // The smallest of the agent's cap, the task's remainder and the day's remainder caps the run.
    const capped = runBudget(taskBudget(1, spent(0.2)), 0.1, 5, { limitUsd: 25, spentUsd: 24.5, unknownPriceCalls: 0 });
    assert.ok(capped.ok && Math.abs((capped.maxDollars ?? 0) - 0.5) < 1e-12);
    const taskBinds = runBudget(taskBudget(1, spent(0.7)), 0.1, 5, { limitUsd: 25, spentUsd: 20, unknownPriceCalls: 0 });
    assert.ok(taskBinds.ok && Math.abs((taskBinds.maxDollars ?? 0) - 0.3) < 1e-12);
    // An unknown expected cost is still capped at the day's limit rather than refused by it.
    assert.deepEqual(runBudget(free, undefined, null, { limitUsd: 10, spentUsd: 4, unknownPriceCalls: 0 }), { ok: true, maxDollars: 6 });
    // Without a daily budget nothing changes; a refusal of the task budget names its own setting.
    for (const limitUsd of [null, undefined, 0]) assert.deepEqual(runBudget(free, 100, 2, { limitUsd, spentUsd: 1e6, unknownPriceCalls: 0 }), { ok: true, maxDollars: 2 });
    const task = runBudget(taskBudget(1, spent(1)), 0, 5, { limitUsd: 25, spentUsd: 0, unknownPriceCalls: 0 });
    assert.ok(!task.ok && task.setting === 'sale.budget.perTask');
  });

  it('bounds the auction\'s cap by what the daily budget has left, and leaves it alone without one', () => {
    assert.deepEqual(withDayCap({ auctionCapUsd: 0.5, taskLimitUsd: 1 }, 0.2), { auctionCapUsd: 0.2, taskLimitUsd: 1 });
    assert.deepEqual(withDayCap({ auctionCapUsd: 0.1 }, 0.2), { auctionCapUsd: 0.1 });
    assert.deepEqual(withDayCap(undefined, 0.2), { auctionCapUsd: 0.2 });
    assert.deepEqual(withDayCap({ auctionCapUsd: 0.3, taskLimitUsd: 1 }, 0), { auctionCapUsd: 0, taskLimitUsd: 1 });
    const untouched = { auctionCapUsd: 0.5 };
    assert.equal(withDayCap(untouched, undefined), untouched);
  });

  it('reads today\'s spend for the daily budget from the ledger, every task counted', () => {
    const lines = [
      call('small', 'jury', 0.5, 0, { price: SMALL, auctionId: 'a', time: '2026-11-20T09:00:00.000Z' }), // $0.50 today, this task
      call('small', 'execution', 1, 0, { price: SMALL, auctionId: 'b', time: '2026-11-20T10:00:00.000Z' }), // $1 today, another task
      call('small', 'execution', 5, 0, { price: SMALL, auctionId: 'c', time: '2026-11-19T10:00:00.000Z' }), // yesterday
    ];
    const input = { lines, auctionId: 'a', bidId: 'y', limitUsd: null, agentMaxDollars: null, ranking: [{ bidId: 'y', expectedExecutionUsd: 0.2 }] };
    const day = { limitUsd: 2, now: new Date('2026-11-20T12:00:00.000Z'), utcOffsetMinutes: 0 };
    assert.deepEqual(runBudgetOf({ ...input, day }), { ok: true, maxDollars: 0.5 });
    assert.equal(runBudgetOf({ ...input, day: { ...day, limitUsd: 1.5 } }).ok, false);
    assert.deepEqual(runBudgetOf(input), { ok: true, maxDollars: undefined });
  });

  it('reads the bid\'s expected work from the ranking and the spend from the ledger', () => {
    const lines = [call('small', 'jury', 0.5, 0, { price: SMALL, auctionId: 'a' })]; // $0.50
    const ranking = [{ bidId: 'x', expectedExecutionUsd: 0.6 }, { bidId: 'y', expectedExecutionUsd: 0.4 }];
    const input = { lines, auctionId: 'a', limitUsd: 1, agentMaxDollars: null, ranking };
    assert.equal(runBudgetOf({ ...input, bidId: 'x' }).ok, false);
    assert.deepEqual(runBudgetOf({ ...input, bidId: 'y' }), { ok: true, maxDollars: 0.5 });
    assert.equal(runBudgetOf({ ...input, bidId: 'missing' }).ok, false);
  });
});

const judge = (author: string) => ({ text: judgeJson({ small: 3, mid: 4, large: 5 }[author] ?? 0) });
const pool = () => [new ScriptedClient(spec('small', 0.5), { judge }), new ScriptedClient(spec('mid', 2), { judge }), new ScriptedClient(spec('large', 10), { judge })];
const request = (taskLimitUsd: number) => ({ auctionId: 'a', task: 'Rename the helper', pool: ['small', 'mid', 'large'], refinement: { enabled: false },
  // Per-bid judging (every juror judges every bid in its own call): the figures below were computed for it.
  jury: { mode: 'all' as const, style: 'per-bid' as const }, budget: { taskLimitUsd, taskSpentUsd: 0 } });

describe('the task budget in the auction', () => {
  // Expected work: small $0.003875, mid $0.0155, large $0.0775. The full auction costs $0.0225.
  it('makes a bid whose work would not fit after the auction\'s spend ineligible, with the reason on its ranking entry', async () => {
    const deps = depsFor(pool());
    const result = await runAuction(request(0.08), deps);
    assert.equal(winnerModel(result), 'mid');
    const large = result.ranking.find((r) => r.modelId === 'large')!;
    assert.equal(large.eligible, false);
    const left = 0.08 - result.cost.total.usd;
    assert.deepEqual(large.ineligibleReasons, [`expected work $0.0775 would exceed the ${usd(left)} left of this task's $0.08 budget`]);
    // The same figure with a larger budget leaves large eligible: the reason is the task budget, nothing else.
    assert.equal(winnerModel(await runAuction(request(0.2), depsFor(pool()))), 'large');
  });

  it('keeps room for the cheapest bid\'s work: jury calls that would eat into it are skipped', async () => {
    // Replies of 40 input tokens (under every prompt's bound, so no call costs more than reserved): the whole
    // auction costs $0.0105 and small's work $0.002075, so a $0.012 budget cannot pay for both.
    const lean = (id: string, price: number) => new ScriptedClient(spec(id, price), { bid: { text: bidJson(id), inputTokens: 40 }, judge: (a) => ({ ...judge(a), inputTokens: 40 }) });
    const result = await runAuction(request(0.012), depsFor([lean('small', 0.5), lean('mid', 2), lean('large', 10)]));
    assert.equal(winnerModel(result), 'small');
    const small = result.ranking.find((r) => r.modelId === 'small')!;
    assert.equal(small.eligible, true);
    assert.ok(result.failures.skipped.some((s) => s.phase === 'jury' && /kept for the cheapest bid's work/.test(s.reason)));
    assert.ok(result.cost.total.usd + small.expectedExecutionUsd! <= 0.012 + 1e-12);
  });

  it('fails with every bidder\'s task-budget reason when no bid\'s work fits', async () => {
    const err = await runAuction(request(0.0015), depsFor(pool())).catch((e: unknown) => e);
    assert.ok(err instanceof NoBidsError);
    assert.ok(err.result.cost.total.usd <= 0.0015);
  });
});

/** A small deterministic generator (seeded), so every failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A task run end to end through the real engine and the real agent loop: the auction, then the winner, then
 * escalations down the ranking, each run checked with `runBudgetOf` and capped by it, every call in one ledger.
 * `density` > 1 makes the executor's provider report more input tokens than the agent's bound (3 characters per
 * token) allows for: the only way a call can cost more than the agent reserved for it.
 */
async function runTask(seed: number, density: number): Promise<{ limit: number; lines: LedgerLine[]; runs: number; refused: number }> {
  const r = rng(seed);
  const limit = 0.03 + r() * 0.3;
  const records: ModelCallRecord[] = [];
  const sink = { record: (c: ModelCallRecord) => records.push(c) };
  const clients = ['small', 'mid', 'large'].map((id, i) => new ScriptedClient(spec(id, [0.5, 2, 10][i]), { bid: { text: bidJson(id, { steps: 2 + Math.floor(r() * 6) }), inputTokens: 40, outputTokens: 40 + Math.floor(r() * 300) }, judge: (a) => ({ ...judge(a), inputTokens: 40, outputTokens: 60 }) }));
  const deps = { ...depsFor(clients), calls: sink };
  let result: AuctionResult;
  try {
    result = await runAuction(request(limit), deps);
  } catch (e) {
    if (e instanceof NoBidsError) return { limit, lines: records.map(toCallEntry), runs: 0, refused: 0 };
    throw e;
  }
  let runs = 0;
  let refused = 0;
  for (const entry of result.ranking.slice(0, 3)) {
    const budget = runBudgetOf({ lines: records.map(toCallEntry), auctionId: 'a', bidId: entry.bidId, limitUsd: limit, agentMaxDollars: r() < 0.3 ? 0.05 : null, ranking: result.ranking });
    if (!budget.ok) {
      refused++;
      continue;
    }
    runs++;
    const client = clients.find((c) => c.spec.id === entry.modelId)!;
    const reply = (req: ChatRequest): ChatResponse => ({
      text: '',
      toolCalls: [toolCall('read_file', { path: 'a.ts' })],
      finishReason: 'tool_calls',
      usage: { ...emptyUsage(), inputTokens: Math.ceil(inputTokenBound(req.system ?? '', req.messages, req.tools) * density), outputTokens: Math.max(1, Math.floor((req.maxTokens ?? 1) * r())) },
      latencyMs: 1,
      model: 'm',
    });
    await runAgent({
      task: 't',
      plan: 'p',
      client: new AgentClient(Array.from({ length: 40 }, () => reply), client.spec),
      nativeTools: true,
      workspace: MemoryWorkspace.of({ 'a.ts': 'x'.repeat(2000 + Math.floor(r() * 20000)) }),
      shell: new RecordingShell(),
      approver: new FixedApprover(true, 'once'),
      clock: fixedClock,
      calls: sink,
      auctionId: 'a',
      limits: { maxSteps: 40, ...(budget.maxDollars === undefined ? {} : { maxDollars: budget.maxDollars }) },
    });
  }
  return { limit, lines: records.map(toCallEntry), runs, refused };
}

describe('the task budget holds across auction + executions + escalations (property)', () => {
  it('never exceeds the limit when every call costs at most what was reserved for it', async () => {
    let ran = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { limit, lines, runs } = await runTask(seed, 1);
      ran += runs;
      const total = taskSpendFrom(lines, 'a').spentUsd;
      assert.ok(total <= limit + 1e-12, `seed ${seed}: spent ${total} of ${limit}`);
    }
    assert.ok(ran >= 60, `only ${ran} runs: the property would be empty`);
  });

  it('exceeds it, when a provider counts more tokens than reserved, by at most the one call in flight, and runs nothing after', async () => {
    let crossed = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { limit, lines } = await runTask(seed, 4);
      const dollars = lines.flatMap((l) => (l.kind === 'call' && l.dollars !== null ? [l.dollars] : []));
      let sum = 0;
      const crossing = dollars.findIndex((d) => (sum += d) > limit + 1e-12);
      if (crossing === -1) continue;
      crossed++;
      assert.equal(crossing, dollars.length - 1, `seed ${seed}: ${dollars.length - 1 - crossing} call(s) ran after the budget was spent`);
      assert.ok(sum - dollars[crossing]! <= limit + 1e-12);
    }
    assert.ok(crossed > 0, 'no case crossed the limit: the bound was never exercised');
  });
});
