import type { LedgerCallEntry, LedgerLine } from './entry';
import { usd } from '../protocol/format';
import { BUDGET_SETTINGS, budgetSpendFrom } from './budget';

/**
 * One task budget (`sale.budget.perTask`): a task is one auction session, and everything it spends counts
 * against the same limit: the auction's bidding, jury and refinement calls, every execution of one of its bids,
 * every escalation (another execution under the same auction id). Nothing here is a second cap: the auction's
 * cap, each bid's eligibility and each run's dollar cap are all "the limit minus what this task has spent".
 *
 * The bound this gives (see docs/AUCTION.md "Budgets"): every call is launched only when what is spent plus the
 * call's reserved worst case fits the limit, so the task's spend exceeds its limit only by what calls cost
 * beyond their reservation (a tokenizer denser than 3 characters per token, a cache write priced above input);
 * once it is over, nothing more runs, so the excess is that of the calls in flight at that moment: one call for
 * a run (the agent makes one call at a time), the calls in flight for an auction.
 */

/** What a task has spent so far, from the ledger's lines with its auction id. */
export interface TaskSpend {
  /** Known dollars over every phase (auction, executions, escalations). */
  spentUsd: number;
  /** Of which execution calls (every run and escalation of the task's bids). */
  executionUsd: number;
  /** Calls of the task whose cost is unknown (no price): `spentUsd` is then a lower bound. */
  unknownPriceCalls: number;
}

/** A task's limit and spend. `limitUsd` undefined (or ≤ 0, or not finite) means the task has no budget. */
export interface TaskBudget {
  limitUsd: number | undefined;
  spent: TaskSpend;
}

/** The per-task budget setting, for the "raise it" step of a refusal. */
export const TASK_BUDGET_SETTING = BUDGET_SETTINGS.task;

const NO_SPEND: TaskSpend = { spentUsd: 0, executionUsd: 0, unknownPriceCalls: 0 };

/**
 * Sums the ledger's call lines of one auction (a task), every phase but `shadow`: a shadow run is SALE measuring
 * its own savings under `sale.shadowRuns.maxDollarsPerRun`, not the task's work, and must not use up its budget.
 */
export function taskSpendFrom(lines: readonly LedgerLine[], auctionId: string): TaskSpend {
  const spend = { ...NO_SPEND };
  for (const l of lines) {
    if (l.kind !== 'call' || l.call.auctionId !== auctionId || l.call.phase === 'shadow') continue;
    const e: LedgerCallEntry = l;
    if (e.dollars === null) {
      spend.unknownPriceCalls += 1;
      continue;
    }
    spend.spentUsd += e.dollars;
    if (e.call.phase === 'execution') spend.executionUsd += e.dollars;
  }
  return spend;
}

/** The task budget from a setting's value (null or undefined: none) and the spend so far (none: a fresh task). */
export function taskBudget(limitUsd: number | null | undefined, spent: TaskSpend = NO_SPEND): TaskBudget {
  return { limitUsd: activeLimit(limitUsd), spent };
}

function activeLimit(limitUsd: number | null | undefined): number | undefined {
  return typeof limitUsd === 'number' && Number.isFinite(limitUsd) && limitUsd > 0 ? limitUsd : undefined;
}

/** Dollars left of the task's budget (never negative), or undefined without a budget. `extraSpentUsd`: spend not yet in the ledger. */
export function remainingUsd(budget: TaskBudget, extraSpentUsd = 0): number | undefined {
  if (budget.limitUsd === undefined) return undefined;
  return Math.max(0, budget.limitUsd - budget.spent.spentUsd - extraSpentUsd);
}

/** The smaller of the caps that are set; undefined when none is. */
export function minCap(...caps: (number | null | undefined)[]): number | undefined {
  const set = caps.filter((c): c is number => typeof c === 'number' && Number.isFinite(c));
  return set.length ? Math.min(...set) : undefined;
}

/**
 * The auction's cap: what is left of the task's budget, and no more than `maxAuctionCostUsd` when that is set.
 * The auction's own keep-back (its jury and refinement calls leave the expected execution cost of the cheapest
 * bid that still fits; see `keepBackUsd`) is applied inside the engine, where the bids are known.
 */
export function auctionCapUsd(budget: TaskBudget, maxAuctionCostUsd?: number | null): number | undefined {
  return minCap(remainingUsd(budget), maxAuctionCostUsd);
}

/**
 * An auction request's budget with its cap also bounded by what the daily budget has left (`sale.budget.perDay`
 * binds every phase of a task, not only the start of an auction). Unchanged without a daily budget.
 */
export function withDayCap<B extends { auctionCapUsd?: number }>(budget: B | undefined, dayLeftUsd: number | undefined): B | { auctionCapUsd: number } | undefined {
  if (dayLeftUsd === undefined) return budget;
  const cap = budget?.auctionCapUsd;
  return { ...budget, auctionCapUsd: cap === undefined ? dayLeftUsd : Math.min(cap, dayLeftUsd) };
}

/**
 * What the auction keeps back, once bids are in, for the work itself: the expected execution cost of the
 * cheapest bid that still fits what is left after the auction's spend and commitments. A jury or refinement call
 * that would eat into it is not launched, so an auction never spends the task's budget down to where no bid it
 * has already received could run. 0 when no bid is known yet or none fits (nothing to keep room for).
 */
export function keepBackUsd(expectedUsd: readonly (number | undefined)[], leftUsd: number): number {
  const fitting = expectedUsd.filter((e): e is number => e !== undefined && e <= leftUsd);
  return fitting.length ? Math.min(...fitting) : 0;
}

/**
 * Why a bid would break the task's budget, as the reasons its card shows (empty when it fits, or without a
 * budget). `auctionSpentUsd` is the auction's own spend not yet in `budget.spent` (the engine's running figure);
 * `unknownWhy` says why an undefined expected cost is unknown. An unknown cost is never taken as $0.
 */
export function bidBudgetReasons(budget: TaskBudget, expectedUsd: number | undefined, auctionSpentUsd = 0, unknownWhy = 'price unknown'): string[] {
  const left = remainingUsd(budget, auctionSpentUsd);
  if (left === undefined || budget.limitUsd === undefined) return [];
  if (expectedUsd === undefined) return [`${unknownWhy}: its expected work cannot be checked against this task's ${usd(budget.limitUsd)} budget`];
  if (expectedUsd <= left) return [];
  return [`expected work ${usd(expectedUsd)} would exceed the ${usd(left)} left of this task's ${usd(budget.limitUsd)} budget`];
}

/** May a bid run now, and with what dollar cap? */
export type RunBudget =
  | { ok: true; /** The agent's dollar cap: min of `agent.maxDollars` and what is left (undefined: none). */ maxDollars: number | undefined }
  | { ok: false; /** A sentence for the user with the figures and the setting to raise. */ reason: string; /** The budget setting that refused the run. */ setting: string };

/** The daily budget (`sale.budget.perDay`) as a run sees it: its limit and what today has spent (every task). */
export interface DayBudget {
  limitUsd: number | null | undefined;
  spentUsd: number;
  /** Calls of today whose cost is unknown: `spentUsd` is then a lower bound. */
  unknownPriceCalls: number;
}

/**
 * Checks a run (the winner, another bid, an escalation) against the task's budget and, when given, the day's:
 * refused when nothing is left or when the bid's expected work would exceed what is left (or is unknown while a
 * budget is set); otherwise the run's dollar cap is the smallest of `agentMaxDollars` and what each budget has
 * left, so the agent stops at the limit whichever budget binds.
 */
export function runBudget(budget: TaskBudget, expectedUsd: number | undefined, agentMaxDollars?: number | null, day?: DayBudget): RunBudget {
  const dayVerdict = day === undefined ? undefined : dayRunBudget(day, expectedUsd);
  if (dayVerdict && !dayVerdict.ok) return dayVerdict;
  const dayLeft = dayVerdict?.maxDollars;
  const left = remainingUsd(budget);
  const cap = minCap(agentMaxDollars, left, dayLeft);
  if (left === undefined || budget.limitUsd === undefined) return { ok: true, maxDollars: cap };
  const atLeast = budget.spent.unknownPriceCalls > 0 ? 'at least ' : '';
  const spent = `This task has spent ${atLeast}${usd(budget.spent.spentUsd)} of its ${usd(budget.limitUsd)} budget`;
  const raise = `Raise ${TASK_BUDGET_SETTING} to run it.`;
  if (left <= 0) return { ok: false, reason: `${spent}; nothing is left for this bid. ${raise}`, setting: TASK_BUDGET_SETTING };
  const reasons = bidBudgetReasons(budget, expectedUsd, 0, 'Its model has no price or its bid reported no usage');
  if (reasons.length > 0) {
    const why = expectedUsd === undefined ? `${reasons[0]}.` : `Its expected work (${usd(expectedUsd)}) would exceed the ${usd(left)} left.`;
    return { ok: false, reason: `${spent}. ${why.charAt(0).toUpperCase()}${why.slice(1)} ${raise}`, setting: TASK_BUDGET_SETTING };
  }
  return { ok: true, maxDollars: cap };
}

/**
 * The day's budget for a run: refused when today's spend has reached the limit or the bid's expected work would
 * exceed what today has left (an unknown expected cost is not refused here: the run's dollar cap still stops it
 * at the limit); otherwise `maxDollars` is what today has left (undefined without a daily budget).
 */
function dayRunBudget(day: DayBudget, expectedUsd: number | undefined): RunBudget {
  const limit = typeof day.limitUsd === 'number' && Number.isFinite(day.limitUsd) && day.limitUsd > 0 ? day.limitUsd : undefined;
  if (limit === undefined) return { ok: true, maxDollars: undefined };
  const left = Math.max(0, limit - day.spentUsd);
  const setting = BUDGET_SETTINGS.day;
  const atLeast = day.unknownPriceCalls > 0 ? 'at least ' : '';
  const spent = `Today's spend (${atLeast}${usd(day.spentUsd)}) `;
  if (left <= 0) return { ok: false, reason: `${spent}has reached the daily budget of ${usd(limit)}; nothing is left for this run. Raise ${setting} to run it.`, setting };
  if (expectedUsd !== undefined && expectedUsd > left) {
    return { ok: false, reason: `${spent}leaves ${usd(left)} of the daily budget of ${usd(limit)}; this bid's expected work (${usd(expectedUsd)}) would exceed it. Raise ${setting} to run it.`, setting };
  }
  return { ok: true, maxDollars: left };
}

/** What `runBudgetOf` reads: the ledger, the settings, and the auction's ranking (each bid's expected work). */
export interface RunBudgetInput {
  lines: readonly LedgerLine[];
  auctionId: string;
  bidId: string;
  /** `sale.budget.perTask`. */
  limitUsd: number | null | undefined;
  /** `sale.agent.maxDollars`. */
  agentMaxDollars: number | null | undefined;
  ranking: readonly { bidId: string; expectedExecutionUsd?: number }[];
  /** `sale.budget.perDay`, and the clock the day is read with (local time: the offset from UTC in minutes). */
  day?: { limitUsd: number | null | undefined; now: Date; utcOffsetMinutes: number };
}

/**
 * The check every run of a task's bid goes through (the winner, another bid, an escalation): the task's spend
 * from the ledger (auction, earlier runs and escalations), the bid's expected work from the auction's ranking.
 */
export function runBudgetOf(input: RunBudgetInput): RunBudget {
  const expected = input.ranking.find((b) => b.bidId === input.bidId)?.expectedExecutionUsd;
  const spend = input.day === undefined ? undefined : budgetSpendFrom(input.lines, input.day);
  const day = input.day === undefined || spend === undefined ? undefined : { limitUsd: input.day.limitUsd, spentUsd: spend.dayUsd, unknownPriceCalls: spend.unknownPriceCalls };
  return runBudget(taskBudget(input.limitUsd, taskSpendFrom(input.lines, input.auctionId)), expected, input.agentMaxDollars, day);
}
