// No `vscode` import here: unit tests read this file under plain Node to check it against package.json.

/**
 * Every setting, declared once with its type. `package.json` documents each of them; a unit test checks the
 * two lists agree.
 */
export interface Settings {
  'task.selectionPreviewChars': number;
  /** The model pool as the user wrote it; validated by parsePool (src/common/providers/poolSchema.ts). */
  models: unknown[];
  /** Look for Ollama, LM Studio, llama.cpp and vLLM on their default ports. */
  'localServers.detect': boolean;
  'auction.weights.cost': number;
  /** What the cost term prices: the expected execution relative to the pool (`work`) or the paper's plan price. */
  'auction.costMode': 'work' | 'paper';
  /** How the winner is picked: the paper's cost − value score, or expected cost per success from real outcomes. */
  'auction.rule': 'score' | 'expected-utility';
  /** 0..1, for the expected-utility rule: 0 = cheapest per success, 1 = best chance of success. */
  'auction.qualityPreference': number;
  'auction.weights.entropy': number;
  'auction.weights.jury': number;
  /** w_j by juror model id, replacing their equal share of the jury total; written by the weight fit. */
  'auction.weights.jurors': Record<string, number>;
  /** w_r: weight of the bidder's track record (its model's success rate here) in the value term; never fitted. */
  'auction.weights.record': number;
  'auction.jury.mode': 'panel' | 'all' | 'subset' | 'none';
  'auction.jury.jurors': string[];
  'auction.jury.concurrency': number;
  'auction.jury.style': 'batched' | 'per-bid';
  /** What jurors read of the context: its digest (the default) or all of it. */
  'auction.jury.context': 'digest' | 'full';
  'auction.maxOverheadShare': number;
  'auction.refinement.enabled': boolean;
  'auction.refinement.topK': number;
  'auction.refinement.context': 'digest' | 'full';
  /** What the auction's own calls ask reasoning models for; `default` sends nothing. Validated by the engine. */
  'auction.reasoningEffort': 'default' | 'minimal' | 'low' | 'medium' | 'high';
  'auction.maxAuctionCost': number | null;
  'auction.maxExecutionCost': number | null;
  'budget.perTask': number | null;
  'budget.perDay': number | null;
  'budget.perWorkspace': number | null;
  'memory.team': boolean;
  /** Empty: detected from the workspace's files (src/common/workspace/testCommand.ts). */
  'agent.testCommand': string;
  /** Model calls the winning agent may make in one run. */
  'agent.maxSteps': number;
  /** Input + output tokens of one agent run. */
  'agent.maxTokens': number;
  /** Dollars of one agent run; null: no cap (the token cap still applies). */
  'agent.maxDollars': number | null;
  /** Executed bids per task SALE may run by itself after failed tests; 1: escalation only on request. */
  'escalation.maxAttempts': number;
  /** Share (0..1) of accepted auctions whose reference model also runs the task in a throw-away worktree; 0: off. */
  'shadowRuns.share': number;
  /** Dollars one shadow run may spend (its agent's cap). */
  'shadowRuns.maxDollarsPerRun': number;
}

export const SETTINGS_SECTION = 'sale';

export const settingDefaults: Settings = {
  'task.selectionPreviewChars': 80,
  models: [],
  'localServers.detect': true,
  'auction.weights.cost': 0.4,
  'auction.costMode': 'work',
  'auction.rule': 'score',
  'auction.qualityPreference': 0,
  'auction.weights.entropy': 1,
  'auction.weights.jury': 4,
  'auction.weights.jurors': {},
  'auction.weights.record': 2,
  'auction.jury.mode': 'panel',
  'auction.jury.jurors': [],
  'auction.jury.concurrency': 16,
  'auction.jury.style': 'batched',
  'auction.jury.context': 'digest',
  'auction.maxOverheadShare': 0.1,
  'auction.refinement.enabled': true,
  'auction.refinement.topK': 3,
  'auction.refinement.context': 'digest',
  'auction.reasoningEffort': 'low',
  'auction.maxAuctionCost': null,
  'auction.maxExecutionCost': null,
  'budget.perTask': null,
  'budget.perDay': null,
  'budget.perWorkspace': null,
  'memory.team': false,
  'agent.testCommand': '',
  'agent.maxSteps': 40,
  'agent.maxTokens': 1_000_000,
  'agent.maxDollars': null,
  'escalation.maxAttempts': 1,
  'shadowRuns.share': 0,
  'shadowRuns.maxDollarsPerRun': 0.5,
};

