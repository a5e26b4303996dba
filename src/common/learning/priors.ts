/**
 * What the success predictor believes before a workspace has any outcome of a model: a Beta prior per model
 * family. The shipped table is public benchmark data, labelled as such wherever it shows: each family's resolved
 * rate on SWE-bench Verified in one agent scaffold (mini-swe-agent, "bash-only" leaderboard, 500 tasks; the data
 * set in bench/data/swebench-verified-market, whose README cites its sources). A workspace's tasks and its
 * verdicts (accepted, tests passed) differ from that benchmark's, so the prior is weak: a few outcomes here
 * outweigh it.
 */

/** One family's prior success rate. */
export interface FamilyPrior {
  /** Matched against a normalised model id (lower case, `.`/`_`/spaces as `-`) at `-` boundaries; the longest match wins. */
  family: string;
  rate: number;
}

/** Where the predictor's priors come from, and how much they weigh. */
export interface SuccessPriors {
  /** Family rates; empty for no public prior (every model starts from `neutral`). */
  table: readonly FamilyPrior[];
  /** How the table's rates are named in a prediction's basis (e.g. "public benchmark prior (SWE-bench Verified)"). */
  source: string;
  /** Prior strength in outcomes for a model whose family the table knows. */
  strength: number;
  /** A model the table does not know: the workspace's own success rate when it has `neutral.minOutcomes` outcomes, else `neutral.mean`. */
  neutral: { mean: number; strength: number; minOutcomes: number };
  /** How many of a model's most similar past tasks its task-level estimate uses. */
  similarTasks: number;
  /** The most a model's overall rate here weighs, in outcomes, against its outcomes on similar tasks. */
  maxRateStrength: number;
  /** Prior sd of a juror's weight, in log-odds per Likert point (the ridge that pulls an unproven juror to 0). */
  jurorWeightSd: number;
  /** Prior sd of the entropy confidence's weight, in log-odds per unit of confidence. */
  confidenceWeightSd: number;
}

/**
 * Resolved rates on SWE-bench Verified (mini-swe-agent bash-only leaderboard, 2025-12-10 snapshot): the rows'
 * published totals. Source, cited as its licence asks: SWE-bench leaderboard site, repository
 * SWE-bench/swe-bench.github.io, `data/leaderboards.json` at commit f1176b65 (CC BY-NC 4.0, attribution).
 */
export const PUBLIC_BENCHMARK_TABLE: readonly FamilyPrior[] = [
  { family: 'claude-opus-4-5', rate: 0.744 },
  { family: 'opus-4-5', rate: 0.744 },
  { family: 'gemini-3-pro', rate: 0.742 },
  { family: 'claude-sonnet-4-5', rate: 0.706 },
  { family: 'sonnet-4-5', rate: 0.706 },
  { family: 'gpt-5-1', rate: 0.66 },
  { family: 'gpt-5', rate: 0.65 },
  { family: 'deepseek-v3-2', rate: 0.6 },
  { family: 'gpt-5-mini', rate: 0.598 },
  { family: 'glm-4-6', rate: 0.554 },
  { family: 'qwen3-coder', rate: 0.554 },
  { family: 'kimi-k2', rate: 0.438 },
  { family: 'gpt-5-nano', rate: 0.348 },
  { family: 'gpt-oss-120b', rate: 0.26 },
];

/** The shipped priors: the public benchmark table at the strength of 4 outcomes, 0.5 at 2 for unknown models. */
export const DEFAULT_PRIORS: SuccessPriors = {
  table: PUBLIC_BENCHMARK_TABLE,
  source: 'public benchmark prior (SWE-bench Verified)',
  strength: 4,
  neutral: { mean: 0.5, strength: 2, minOutcomes: 5 },
  similarTasks: 20,
  maxRateStrength: 10,
  jurorWeightSd: 0.5,
  confidenceWeightSd: 2.5,
};

/** Priors without a public table: every model starts from the workspace's rate (or ½). */
export const NEUTRAL_PRIORS: SuccessPriors = { ...DEFAULT_PRIORS, table: [], source: 'neutral prior' };

/** A model id as the table matches it: lower case, with `.`, `_`, `/`, `:` and spaces as `-`. */
export function normaliseModelId(modelId: string): string {
  return modelId.toLowerCase().replace(/[._/:\s]+/g, '-');
}

/** The table's entry for a model: the longest family found in its id at `-` boundaries (so `gpt-5-mini` is not `gpt-5`). */
/**
 * Words that name a smaller (or other) tier of a family: an id with one the family does not name is not that family
 * (`gpt-5.1-codex-mini` is not GPT-5.1, `claude-haiku-4-5` not Sonnet).
 */
const TIER_WORDS = ['mini', 'nano', 'micro', 'tiny', 'small', 'lite', 'flash', 'haiku', 'air'];

export function familyPrior(modelId: string, table: readonly FamilyPrior[]): FamilyPrior | undefined {
  const parts = normaliseModelId(modelId).split('-');
  const id = `-${parts.join('-')}-`;
  let best: FamilyPrior | undefined;
  for (const entry of table) {
    const familyParts = entry.family.split('-');
    const otherTier = parts.some((p) => TIER_WORDS.includes(p) && !familyParts.includes(p));
    if (!otherTier && id.includes(`-${entry.family}-`) && (best === undefined || entry.family.length > best.family.length)) best = entry;
  }
  return best;
}
