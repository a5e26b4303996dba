// The pool models as the auction engine sees them in the benchmark: ModelClients that answer the engine's real
// bid, refinement and jury prompts (recognised by their system prompt) with MODELLED signals (signals.ts) and
// token usage priced at list prices (prices.ts). The engine computes every dollar of the auction itself.
import { BATCH_JURY_SYSTEM, BID_SYSTEM, JURY_SYSTEM, REFINE_SYSTEM } from '../../src/common/auction/prompts';
import { emptyUsage, type ChatRequest, type ChatResponse, type ModelClient, type ModelSpec } from '../../src/common/providers/types';
import { logprobsFor } from '../routing/simClient';
import { AUCTION_TOKENS, LIST_PRICES, reasoningTokens } from './prices';
import { bidKey, confidenceOf, juryScoreOf, latent, planTokensOf } from './signals';

/** One signal the environment drew, with the outcome it was drawn from (for the AUROC measurement). */
export interface SignalDraw {
  resolved: boolean;
  kind: 'original' | 'refined';
  confidence: number;
  planTokens: number;
  juryScores: number[];
}

interface BidTruth {
  modelId: string;
  kind: 'original' | 'refined';
  resolved: boolean;
  key: string;
}

/**
 * The environment side of the auction: it knows the recorded outcomes (the signals are modelled from them) and is
 * never handed to a router. One scene per router run; auctions run one at a time.
 */
export class AuctionScene {
  private task: { id: string } | undefined;
  private readonly bids = new Map<string, BidTruth>();
  private serial = 0;
  /** Every bid's drawn signals, by reference, for the AUROC measurement. */
  readonly draws = new Map<string, SignalDraw>();

  constructor(
    readonly seed: number,
    readonly quality: number,
    private readonly resolvedOf: (taskId: string, modelId: string) => boolean,
  ) {}

  begin(taskId: string): void {
    this.task = { id: taskId };
    this.bids.clear();
  }

  taskId(): string {
    if (!this.task) throw new Error('no task is being auctioned');
    return this.task.id;
  }

  register(modelId: string, kind: 'original' | 'refined'): { ref: string; truth: BidTruth } {
    const ref = `[[bid-${++this.serial}]]`;
    const taskId = this.taskId();
    const truth: BidTruth = { modelId, kind, resolved: this.resolvedOf(taskId, modelId), key: bidKey(taskId, modelId, kind) };
    this.bids.set(ref, truth);
    return { ref, truth };
  }

  truthOf(ref: string): BidTruth | undefined {
    return this.bids.get(ref);
  }

  /** The recorded outcome behind a bid's plan text, for the AUROC measurement only. */
  resolvedOfPlan(planText: string): boolean | undefined {
    const ref = /\[\[bid-\d+\]\]/.exec(planText)?.[0];
    return ref ? this.bids.get(ref)?.resolved : undefined;
  }
}

const REF = /\[\[bid-\d+\]\]/;

export class MarketModelClient implements ModelClient {
  readonly spec: ModelSpec;

  constructor(
    modelId: string,
    private readonly scene: AuctionScene,
  ) {
    const price = LIST_PRICES[modelId];
    if (!price) throw new Error(`no list price for ${modelId}`);
    this.spec = {
      id: modelId,
      provider: 'openai-compatible',
      model: modelId,
      price: { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, source: 'settings' },
      roles: ['bidder', 'juror'],
      enabled: true,
      local: false,
    };
  }

  chat(request: ChatRequest): Promise<ChatResponse> {
    const prompt = request.messages.map((m) => m.content).join('\n');
    if (request.system === JURY_SYSTEM) return Promise.resolve(this.judge(prompt, request.reasoningEffort));
    if (request.system === BATCH_JURY_SYSTEM) return Promise.resolve(this.judgeBatch(prompt, request.reasoningEffort));
    if (request.system === BID_SYSTEM) return Promise.resolve(this.bid(prompt, 'original', request.reasoningEffort));
    if (request.system === REFINE_SYSTEM) return Promise.resolve(this.bid(prompt, 'refined', request.reasoningEffort));
    return Promise.reject(new Error('the benchmark model got a prompt it does not know'));
  }

  private bid(prompt: string, kind: 'original' | 'refined', effort: ChatRequest['reasoningEffort']): ChatResponse {
    const { scene } = this;
    const { ref, truth } = scene.register(this.spec.id, kind);
    const planTokens = planTokensOf(latent(scene.seed, scene.quality, truth.resolved, truth.key, 'length'), AUCTION_TOKENS.planTokens);
    const confidence = confidenceOf(latent(scene.seed, scene.quality, truth.resolved, truth.key, 'entropy'));
    scene.draws.set(ref, { resolved: truth.resolved, kind, confidence, planTokens, juryScores: [] });
    const text = JSON.stringify({
      summary: `Plan ${ref}`,
      steps: ['reproduce the issue', 'fix the code', 'run the tests'],
      files: ['src/module.py'],
      risks: ['breaking callers'],
      verification: ['the failing test passes'],
    });
    const output = planTokens + reasoningTokens(this.spec.id, 'bid', effort);
    return this.reply(text, prompt, output, logprobsFor(confidence, 16));
  }

  private judge(prompt: string, effort: ChatRequest['reasoningEffort']): ChatResponse {
    const { scene } = this;
    const ref = REF.exec(prompt.slice(prompt.lastIndexOf('## Proposed plan')))?.[0];
    const truth = ref ? scene.truthOf(ref) : undefined;
    if (!ref || !truth) return this.reply('I cannot find the plan to judge.', prompt, 10);
    const score = juryScoreOf(latent(scene.seed, scene.quality, truth.resolved, truth.key, `juror:${this.spec.id}`));
    scene.draws.get(ref)?.juryScores.push(score);
    const text = JSON.stringify({ correctness: score, fit: score, risk: score, verifiability: score, score, rationale: `Overall ${score} of 5.` });
    return this.reply(text, prompt, AUCTION_TOKENS.judgementTokens + reasoningTokens(this.spec.id, 'judgement', effort));
  }

  /**
   * A batched jury call: every plan under its label (`### Plan A` …), each scored from the same modelled draw a
   * per-bid call would give (one latent per juror and bid), in one reply; output tokens per plan as per-bid.
   */
  private judgeBatch(prompt: string, effort: ChatRequest['reasoningEffort']): ChatResponse {
    const { scene } = this;
    const blocks = prompt.split(/^### Plan ([A-Z]+)\n/m);
    const judgements: Record<string, unknown>[] = [];
    for (let i = 1; i + 1 < blocks.length; i += 2) {
      const label = blocks[i]!;
      const ref = REF.exec(blocks[i + 1]!)?.[0];
      const truth = ref ? scene.truthOf(ref) : undefined;
      if (!ref || !truth) continue;
      const score = juryScoreOf(latent(scene.seed, scene.quality, truth.resolved, truth.key, `juror:${this.spec.id}`));
      scene.draws.get(ref)?.juryScores.push(score);
      judgements.push({ label, correctness: score, fit: score, risk: score, verifiability: score, score, rationale: `Overall ${score} of 5.` });
    }
    if (judgements.length === 0) return this.reply('I cannot find the plans to judge.', prompt, 10);
    return this.reply(JSON.stringify({ judgements }), prompt, judgements.length * AUCTION_TOKENS.judgementTokens + reasoningTokens(this.spec.id, 'judgement', effort));
  }

  private reply(text: string, prompt: string, outputTokens: number, logprobs?: ChatResponse['logprobs']): ChatResponse {
    return {
      text,
      toolCalls: [],
      finishReason: 'stop',
      usage: { ...emptyUsage(), inputTokens: AUCTION_TOKENS.contextTokens + Math.ceil(prompt.length / 4), outputTokens },
      ...(logprobs ? { logprobs } : {}),
      latencyMs: 0,
      model: this.spec.model,
    };
  }
}
