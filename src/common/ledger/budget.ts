import { type NextStep, SaleError } from '../errors';
import type { LedgerCallEntry, LedgerLine } from './entry';
import { dayOf } from './spend';
import { usd } from '../protocol/format';

/**
 * The budgets checked before an auction starts: per day and per workspace (all time), in US dollars. A limit that
 * is undefined, 0 or negative means "no budget". At `warnAt` (80%) of a limit the verdict is `warn`; at 100% it is
 * `block`: no auction starts. The per-task budget is not checked here (before an auction nothing of its task is
 * spent): it bounds what a task's auction and runs may spend, and which bids are eligible, in `taskBudget.ts`.
 */
export interface BudgetLimits {
  perDayUsd?: number;
  perWorkspaceUsd?: number;
}

export type BudgetScope = 'day' | 'workspace';

/** The setting that holds each budget's limit, for the "raise the budget" step. */
export const BUDGET_SETTINGS: Readonly<Record<BudgetScope | 'task', string>> = {
  task: 'sale.budget.perTask',
  day: 'sale.budget.perDay',
  workspace: 'sale.budget.perWorkspace',
};

/** Known spend so far in each scope. `unknownPriceCalls` > 0 means every figure is a lower bound. */
export interface BudgetSpend {
  dayUsd: number;
  workspaceUsd: number;
  unknownPriceCalls: number;
}

export type BudgetStatus = 'ok' | 'warn' | 'block';

/** One scope's check. */
export interface BudgetCheck {
  scope: BudgetScope;
  limitUsd: number;
  spentUsd: number;
  /** spent / limit. */
  share: number;
  status: BudgetStatus;
  setting: string;
}

/** The verdict over every scope with a limit: the worst status, and a reason ready to show when not `ok`. */
export interface BudgetVerdict {
  status: BudgetStatus;
  checks: BudgetCheck[];
  /** A sentence for the user naming the scope, the spend and the limit; undefined when `ok`. */
  reason?: string;
  /** What the user can do: raise the budget setting of the worst scope; undefined when `ok`. */
  nextStep?: NextStep;
}

/** Options of the evaluators. */
export interface BudgetOptions {
  /** Share of a limit at which to warn; defaults to 0.8. */
  warnAt?: number;
}

const SCOPE_WORDS: Readonly<Record<BudgetScope, { spend: string; budget: string }>> = {
  day: { spend: "Today's spend", budget: 'daily budget' },
  workspace: { spend: "This workspace's spend", budget: 'workspace budget' },
};
const RANK: Readonly<Record<BudgetStatus, number>> = { ok: 0, warn: 1, block: 2 };


function limitsOf(limits: BudgetLimits): { scope: BudgetScope; limitUsd: number }[] {
  const all: [BudgetScope, number | undefined][] = [
    ['day', limits.perDayUsd],
    ['workspace', limits.perWorkspaceUsd],
  ];
  return all.flatMap(([scope, limit]) => (limit !== undefined && Number.isFinite(limit) && limit > 0 ? [{ scope, limitUsd: limit }] : []));
}

function spentIn(spend: BudgetSpend, scope: BudgetScope): number {
  return scope === 'day' ? spend.dayUsd : spend.workspaceUsd;
}

/**
 * Evaluates the spend so far against the limits: may an auction start? `block` at or above 100% of any limit,
 * `warn` at or above `warnAt`, else `ok`. The reason names the worst scope (ties: day, then workspace).
 */
export function evaluateBudget(limits: BudgetLimits, spend: BudgetSpend, options: BudgetOptions = {}): BudgetVerdict {
  const warnAt = options.warnAt ?? 0.8;
  const checks: BudgetCheck[] = limitsOf(limits).map(({ scope, limitUsd }) => {
    const spentUsd = spentIn(spend, scope);
    const share = spentUsd / limitUsd;
    const status: BudgetStatus = share >= 1 ? 'block' : share >= warnAt ? 'warn' : 'ok';
    return { scope, limitUsd, spentUsd, share, status, setting: BUDGET_SETTINGS[scope] };
  });
  const worst = checks.reduce<BudgetCheck | undefined>((w, c) => (!w || RANK[c.status] > RANK[w.status] ? c : w), undefined);
  if (!worst || worst.status === 'ok') return { status: 'ok', checks };
  const words = SCOPE_WORDS[worst.scope];
  const atLeast = spend.unknownPriceCalls > 0 ? 'at least ' : '';
  const pct = Math.floor(worst.share * 100);
  const reason =
    worst.status === 'block'
      ? `${words.spend} (${atLeast}${usd(worst.spentUsd)}) has reached the ${words.budget} of ${usd(worst.limitUsd)}; no new auction will start. Raise ${worst.setting} to continue.`
      : `${words.spend} (${atLeast}${usd(worst.spentUsd)}) is at ${pct}% of the ${words.budget} of ${usd(worst.limitUsd)}.`;
  return { status: worst.status, checks, reason, nextStep: { kind: 'raiseBudget', setting: worst.setting } };
}

/** The typed error an auction start throws when the budget verdict is `block`. */
export class BudgetExceededError extends SaleError {
  readonly code = 'budget-exceeded';
  constructor(readonly verdict: BudgetVerdict) {
    super(verdict.reason ?? 'Budget exceeded', verdict.nextStep ? { nextStep: verdict.nextStep } : undefined);
  }
}

/** Throws BudgetExceededError when the verdict blocks; returns the verdict otherwise (the caller may show a warn). */
export function assertBudgetAllows(verdict: BudgetVerdict): BudgetVerdict {
  if (verdict.status === 'block') throw new BudgetExceededError(verdict);
  return verdict;
}

/**
 * The spend so far in each scope, from ledger lines: the calls of `now`'s day in the given offset (day), and every
 * call (workspace). Unknown-price calls add nothing and are counted.
 */
export function budgetSpendFrom(lines: readonly LedgerLine[], at: { now: Date; utcOffsetMinutes?: number }): BudgetSpend {
  const today = dayOf(at.now.toISOString(), at.utcOffsetMinutes ?? 0);
  const spend: BudgetSpend = { dayUsd: 0, workspaceUsd: 0, unknownPriceCalls: 0 };
  for (const l of lines) {
    if (l.kind !== 'call') continue;
    const e: LedgerCallEntry = l;
    if (e.dollars === null) {
      spend.unknownPriceCalls += 1;
      continue;
    }
    spend.workspaceUsd += e.dollars;
    if (dayOf(e.call.time, at.utcOffsetMinutes ?? 0) === today) spend.dayUsd += e.dollars;
  }
  return spend;
}
