import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BudgetExceededError,
  assertBudgetAllows,
  budgetSpendFrom,
  evaluateBudget,
} from '../../../../src/common/ledger/budget';
import { BIG, SMALL, call } from './fixtures';

const spend = (dayUsd: number, workspaceUsd: number, unknownPriceCalls = 0) => ({ dayUsd, workspaceUsd, unknownPriceCalls });

describe('budgets', () => {
  it('is ok below 80% and with no limits at all', () => {
    assert.equal(evaluateBudget({ perDayUsd: 10 }, spend(7.99, 100)).status, 'ok');
    const none = evaluateBudget({}, spend(1e6, 1e6));
    assert.deepEqual([none.status, none.checks, none.reason], ['ok', [], undefined]);
    assert.equal(evaluateBudget({ perDayUsd: 0, perWorkspaceUsd: -1 }, spend(5, 5)).status, 'ok');
  });
  it('warns at 80% with a reason naming the scope, spend and limit', () => {
    const v = evaluateBudget({ perDayUsd: 10 }, spend(8, 8));
    assert.equal(v.status, 'warn');
    assert.equal(v.reason, "Today's spend ($8.00) is at 80% of the daily budget of $10.00.");
    assert.deepEqual(v.nextStep, { kind: 'raiseBudget', setting: 'sale.budget.perDay' });
  });
  it('blocks at 100% and says how to continue', () => {
    const v = evaluateBudget({ perWorkspaceUsd: 50 }, spend(0, 50));
    assert.equal(v.status, 'block');
    assert.match(v.reason ?? '', /reached the workspace budget of \$50\.00; no new auction will start\. Raise sale\.budget\.perWorkspace/);
    assert.throws(() => assertBudgetAllows(v), (e: unknown) => e instanceof BudgetExceededError && e.code === 'budget-exceeded' && e.nextStep?.kind === 'raiseBudget');
  });
  it('reports the worst scope when several have limits', () => {
    const v = evaluateBudget({ perDayUsd: 10, perWorkspaceUsd: 100 }, spend(10.5, 85));
    assert.equal(v.status, 'block');
    assert.equal(v.nextStep?.kind === 'raiseBudget' && v.nextStep.setting, 'sale.budget.perDay');
    assert.deepEqual(
      v.checks.map((c) => [c.scope, c.status]),
      [
        ['day', 'block'],
        ['workspace', 'warn'],
      ],
    );
    assert.equal(assertBudgetAllows(evaluateBudget({ perWorkspaceUsd: 1 }, spend(0, 0.9))).status, 'warn');
  });
  it('the warning threshold is configurable', () => {
    assert.equal(evaluateBudget({ perDayUsd: 10 }, spend(8, 8), { warnAt: 0.9 }).status, 'ok');
  });
  it('says "at least" when some spend has unknown prices', () => {
    assert.match(evaluateBudget({ perDayUsd: 10 }, spend(9, 9, 3)).reason ?? '', /\(at least \$9\.00\)/);
  });
  it('computes spend per scope from the ledger, failed-but-billed calls included and unknown prices counted', () => {
    const lines = [
      call('small', 'bidding', 1, 0, { price: SMALL, auctionId: 'a', time: '2026-11-20T08:00:00.000Z' }), // 1
      call('big', 'execution', 0.1, 0, { price: BIG, auctionId: 'a', time: '2026-11-20T09:00:00.000Z', ok: false }), // 1
      call('big', 'execution', 1, 0, { price: BIG, auctionId: 'b', time: '2026-11-19T09:00:00.000Z' }), // 10
      call('mystery', 'jury', 1, 0, { auctionId: 'a', time: '2026-11-20T09:00:00.000Z' }),
    ];
    const s = budgetSpendFrom(lines, { now: new Date('2026-11-20T12:00:00.000Z') });
    assert.deepEqual(s, { dayUsd: 2, workspaceUsd: 12, unknownPriceCalls: 1 });
    const tz = budgetSpendFrom(lines, { now: new Date('2026-11-19T23:30:00.000Z'), utcOffsetMinutes: 60 });
    assert.equal(tz.dayUsd, 2);
  });
});
