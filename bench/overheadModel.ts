// The pure parts of the auction-overhead benchmark (bench/overhead.ts): the execution a typical task needs, derived
// from the real market's recorded runs, and the overhead ratios against the targets.
import { costOf } from '../src/common/providers/pricing';
import type { Price, Usage } from '../src/common/providers/types';
import { emptyUsage } from '../src/common/providers/types';
import { parseCsv } from './market/data';

/** One recorded run of the real market (outcomes.csv) with its task's problem length (tasks.csv). */
export interface RecordedRun {
  instanceId: string;
  costUsd: number;
  apiCalls: number;
  problemChars: number;
}

/** The rows of one model (by its leaderboard name) from outcomes.csv and tasks.csv, as text. */
export function recordedRuns(outcomesCsv: string, tasksCsv: string, modelName: string): RecordedRun[] {
  const chars = new Map(parseCsv(tasksCsv, ['instance_id', 'repo', 'difficulty', 'problem_chars']).map((r) => [r.instance_id!, Number(r.problem_chars)]));
  return parseCsv(outcomesCsv, ['instance_id', 'model', 'resolved', 'cost_usd', 'api_calls'])
    .filter((r) => r.model === modelName)
    .map((r) => {
      const problemChars = chars.get(r.instance_id!);
      if (problemChars === undefined) throw new Error(`tasks.csv has no ${r.instance_id}`);
      return { instanceId: r.instance_id!, costUsd: Number(r.cost_usd), apiCalls: Number(r.api_calls), problemChars };
    });
}

/** The median run by recorded cost: the lower middle one, so it is an actual run (ties broken by instance id). */
export function medianRun(runs: readonly RecordedRun[]): RecordedRun {
  if (runs.length === 0) throw new Error('medianRun: no runs');
  const sorted = [...runs].sort((a, b) => a.costUsd - b.costUsd || a.instanceId.localeCompare(b.instanceId));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * ASSUMPTIONS of the execution model (the data records dollars and API calls per run, not tokens). The scaffold
 * (mini-swe-agent) resends the whole conversation on every call and, for Anthropic models, marks its end with
 * `cache_control` by default, so call k reads calls 1..k−1 from the cache and writes only its new turn.
 */
export interface ExecutionAssumptions {
  /** Visible output per call (a THOUGHT paragraph and one bash command). */
  outputTokensPerCall: number;
  /** The scaffold's system and instance templates, besides the task's own problem text. */
  templateTokens: number;
  charsPerToken: number;
}

export const EXECUTION_ASSUMPTIONS: Readonly<ExecutionAssumptions> = { outputTokensPerCall: 250, templateTokens: 1500, charsPerToken: 4 };

/** A run's tokens, split the way a provider bills them. `usage` follows the port's convention (input includes cached). */
export interface ExecutionProfile {
  run: RecordedRun;
  calls: number;
  /** Tokens of the first call's prompt (templates + problem text). */
  promptTokens: number;
  /** SOLVED from the recorded dollars: tokens the conversation grows by per call (the reply plus the observation). */
  growthTokensPerCall: number;
  usage: Usage;
  /** False when the recorded dollars cannot pay even the assumed output and prompt (growth clamped to the reply). */
  consistent: boolean;
}

/**
 * The run's tokens from its recorded dollars at `price` (the price of the model that ran it), with the prompt of
 * call k = P + (k−1)·g: call 1 writes P to the cache; call k ≥ 2 reads P + (k−2)·g and writes g; every call
 * outputs o. Solving dollars = Σ for g gives the only free quantity; the rest is assumed above.
 */
export function deriveExecution(run: RecordedRun, price: Price, a: ExecutionAssumptions = EXECUTION_ASSUMPTIONS): ExecutionProfile {
  const n = run.apiCalls;
  const P = a.templateTokens + Math.ceil(run.problemChars / a.charsPerToken);
  const o = a.outputTokensPerCall;
  const write = price.cacheWriteInputPerMTok ?? price.inputPerMTok;
  const read = price.cachedInputPerMTok ?? price.inputPerMTok;
  const micro = run.costUsd * 1e6;
  const fixed = n * o * price.outputPerMTok + P * write + (n - 1) * P * read;
  const perG = (n - 1) * write + (read * (n - 1) * (n - 2)) / 2;
  const solved = perG > 0 ? (micro - fixed) / perG : o;
  // The reply itself joins the conversation, so the growth is at least the output.
  const g = Math.max(o, solved);
  const reads = (n - 1) * P + (g * (n - 1) * (n - 2)) / 2;
  const writes = P + (n - 1) * g;
  const usage = emptyUsage();
  usage.inputTokens = Math.round(reads + writes);
  usage.cachedInputTokens = Math.round(reads);
  usage.cacheWriteInputTokens = Math.round(writes);
  usage.outputTokens = n * o;
  return { run, calls: n, promptTokens: P, growthTokensPerCall: g, usage, consistent: solved >= o };
}

/**
 * The same execution's dollars at another model's price. Writes are priced as that provider prices them (OpenAI
 * has no write premium: its price has no `cacheWriteInputPerMTok`, so writes cost plain input).
 */
export function executionUsd(profile: ExecutionProfile, price: Price | undefined): number | undefined {
  return costOf(profile.usage, price);
}

/** a / b, or undefined when b is 0 (a free execution: no ratio exists). */
export function ratio(a: number, b: number): number | undefined {
  return b > 0 ? a / b : undefined;
}

/** The targets (issue 19): auction tokens ≤ 5% and dollars ≤ 10% of execution; n jury calls per round; 1.1×. */
export const OVERHEAD_TARGETS = { tokenShare: 0.05, dollarShare: 0.1, juryCallsPerRound: 'n (bidders)', criticalPath: 1.1 } as const;

/** Pass/fail of one measured figure against its ceiling; an absent figure fails. */
export function within(value: number | undefined, ceiling: number): boolean {
  return value !== undefined && Number.isFinite(value) && value <= ceiling;
}
