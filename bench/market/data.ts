// The real market: SWE-bench Verified outcomes and costs of 12 models (bench/data/swebench-verified-market, see its
// README for sources and licences). Strict parsers: the files are simple, so anything unexpected is an error,
// never a silently skipped row.
import fs from 'node:fs';
import path from 'node:path';

export const DATA_DIR = path.resolve(import.meta.dirname, '../data/swebench-verified-market');

/** The human-annotated time a task takes an engineer (OpenAI's SWE-bench Verified annotations). */
export const DIFFICULTIES = ['<15 min fix', '15 min - 1 hour', '1-4 hours', '>4 hours'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** One task as a router may see it: its id, repository and problem text. No outcome is reachable from here. */
export interface TaskView {
  readonly id: string;
  readonly repo: string;
  readonly text: string;
}

export interface MarketTask extends TaskView {
  readonly difficulty: Difficulty;
}

/** One recorded run: did the model resolve the task, and what did the run cost. */
export interface Outcome {
  readonly resolved: boolean;
  readonly costUsd: number;
}

/** The short id a benchmark uses for each model, and the name the leaderboard gives it. */
export const MODEL_NAMES: Readonly<Record<string, string>> = {
  opus: 'Claude 4.5 Opus medium (20251101)',
  'gemini-3-pro': 'Gemini 3 Pro Preview (2025-11-18)',
  sonnet: 'Claude 4.5 Sonnet (20250929)',
  'gpt-5.1': 'GPT-5.1 (2025-11-13) (medium reasoning)',
  'gpt-5': 'GPT-5 (2025-08-07) (medium reasoning)',
  'gpt-5-mini': 'GPT-5 mini (2025-08-07) (medium reasoning)',
  'deepseek-v3.2': 'DeepSeek V3.2 Reasoner',
  'glm-4.6': 'GLM-4.6 (T=1)',
  'qwen3-coder': 'Qwen3-Coder 480B/A35B Instruct',
  'kimi-k2': 'Kimi K2 Instruct',
  'gpt-5-nano': 'GPT-5 nano (2025-08-07) (medium reasoning)',
  'gpt-oss-120b': 'gpt-oss-120b',
};

export interface MarketData {
  /** In the files' (sorted) order. */
  tasks: MarketTask[];
  /** outcomes.get(taskId).get(modelId) */
  outcomes: Map<string, Map<string, Outcome>>;
  models: string[];
}

/**
 * Parses a comma-separated file with a header. Strict on purpose: no quoting is expected (the data has none), so
 * a quote, a wrong column count or a missing header column is an error naming the line.
 */
export function parseCsv(text: string, columns: readonly string[]): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = (lines.shift() ?? '').split(',');
  if (header.join(',') !== columns.join(',')) throw new Error(`CSV header is "${header.join(',')}", expected "${columns.join(',')}"`);
  return lines.map((line, i) => {
    if (line.includes('"')) throw new Error(`CSV line ${i + 2}: quoted fields are not supported`);
    const cells = line.split(',');
    if (cells.length !== columns.length) throw new Error(`CSV line ${i + 2}: ${cells.length} fields, expected ${columns.length}`);
    if (cells.some((c) => c.trim() === '')) throw new Error(`CSV line ${i + 2}: empty field`);
    return Object.fromEntries(columns.map((c, j) => [c, cells[j]!]));
  });
}

/** Parses JSON Lines: one object per non-empty line; a bad line is an error naming it. */
export function parseJsonl(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, i }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (e) {
        throw new Error(`JSONL line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    });
}

function parseBool(s: string, where: string): boolean {
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new Error(`${where}: resolved is "${s}", expected true or false`);
}

function parseCost(s: string, where: string): number {
  const v = Number(s);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${where}: cost "${s}" is not a non-negative number`);
  return v;
}

/** Loads and cross-checks the three files: every task has a problem text, a difficulty and one outcome per model. */
export function loadMarket(dir = DATA_DIR): MarketData {
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  const shortId = new Map(Object.entries(MODEL_NAMES).map(([id, name]) => [name, id]));

  const problems = new Map<string, string>();
  for (const row of parseJsonl(read('problems.jsonl'))) {
    const r = row as { instance_id?: unknown; problem_statement?: unknown };
    if (typeof r.instance_id !== 'string' || typeof r.problem_statement !== 'string') throw new Error('problems.jsonl: a row lacks instance_id or problem_statement');
    problems.set(r.instance_id, r.problem_statement);
  }

  const tasks = parseCsv(read('tasks.csv'), ['instance_id', 'repo', 'difficulty', 'problem_chars']).map((r): MarketTask => {
    const text = problems.get(r.instance_id!);
    if (text === undefined) throw new Error(`tasks.csv: ${r.instance_id} has no problem text`);
    if (!(DIFFICULTIES as readonly string[]).includes(r.difficulty!)) throw new Error(`tasks.csv: ${r.instance_id} has difficulty "${r.difficulty}"`);
    return { id: r.instance_id!, repo: r.repo!, text, difficulty: r.difficulty as Difficulty };
  });

  const outcomes = new Map<string, Map<string, Outcome>>(tasks.map((t) => [t.id, new Map()]));
  const rows = parseCsv(read('outcomes.csv'), ['instance_id', 'model', 'resolved', 'cost_usd', 'api_calls']);
  rows.forEach((r, i) => {
    const where = `outcomes.csv line ${i + 2}`;
    const model = shortId.get(r.model!);
    if (!model) throw new Error(`${where}: unknown model "${r.model}"`);
    const perTask = outcomes.get(r.instance_id!);
    if (!perTask) throw new Error(`${where}: unknown task ${r.instance_id}`);
    if (perTask.has(model)) throw new Error(`${where}: a second row for ${r.instance_id} and ${model}`);
    perTask.set(model, { resolved: parseBool(r.resolved!, where), costUsd: parseCost(r.cost_usd!, where) });
  });
  const models = Object.keys(MODEL_NAMES);
  for (const [id, perTask] of outcomes) {
    if (perTask.size !== models.length) throw new Error(`outcomes.csv: task ${id} has ${perTask.size} models, expected ${models.length}`);
  }
  return { tasks, outcomes, models };
}
