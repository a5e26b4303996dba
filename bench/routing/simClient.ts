import { BID_SYSTEM, JURY_SYSTEM, REFINE_SYSTEM } from '../../src/common/auction/prompts';
import { emptyUsage, type ChatRequest, type ChatResponse, type ModelClient, type ModelSpec, type TokenLogprob } from '../../src/common/providers/types';
import type { Assumptions } from './assumptions';
import { clamp, keyedUniform } from './random';
import type { PoolModel, SimTask } from './tasks';

/** What the memory writes into a contrastive pair when the past winner's work passed; refiners look for it. */
export const PASSED_OUTCOME = 'tests-passed';
const PASSED_IN_PROMPT = `What happened to the winner's work: ${PASSED_OUTCOME}`;

/** The bid behind an opaque reference: what a simulated juror needs to score it. */
interface BidTruth {
  modelId: string;
  kind: 'original' | 'refined';
  chance: number;
}

/**
 * The state one router's auctions share: the task being auctioned (set before each auction, which run one at a
 * time), the simulation's knobs, and the true chance behind every bid of the current auction.
 */
export class Scene {
  current: SimTask | undefined;
  private readonly bids = new Map<string, BidTruth>();
  private serial = 0;

  constructor(
    readonly a: Assumptions,
    readonly seed: number,
    /** 0 = signals track the true chance, 1 = useless. */
    readonly noise: number,
    /** Added to a refiner's chance when its prompt shows a past winner whose work passed. */
    readonly memoryBoost: number,
  ) {}

  begin(task: SimTask): void {
    this.current = task;
    this.bids.clear();
  }

  task(): SimTask {
    if (!this.current) throw new Error('no task is being auctioned');
    return this.current;
  }

  /** Registers a bid and returns the opaque reference its plan carries (jurors never learn the author). */
  register(truth: BidTruth): string {
    const ref = `ref:${++this.serial}`;
    this.bids.set(ref, truth);
    return ref;
  }

  truthOf(ref: string): BidTruth | undefined {
    return this.bids.get(ref);
  }

  /** The true chance of the current task's bid by this model and kind, with the memory effect for refinements. */
  chanceOf(modelId: string, kind: 'original' | 'refined', sawPass: boolean): number {
    const base = this.task().chance[modelId] ?? 0;
    return kind === 'refined' && sawPass ? Math.min(0.99, base + this.memoryBoost) : base;
  }

  /** A signal of the true chance p: exact at noise 0, an independent uniform at noise 1. */
  signal(p: number, z: number): number {
    return (1 - this.noise) * p + this.noise * z;
  }

  draw(...key: (string | number)[]): number {
    return keyedUniform(this.seed, this.task().index, ...key);
  }
}

/**
 * A simulated pool model. It answers the engine's bid, refinement and jury prompts (recognised by their system
 * prompt) with replies in the JSON the prompts ask for, logprobs whose entropy encodes its confidence, and token
 * usage from the assumptions. Every number it returns is a noisy function of the true chance of the bid.
 */
export class SimModelClient implements ModelClient {
  readonly spec: ModelSpec;

  constructor(
    model: PoolModel,
    private readonly scene: Scene,
  ) {
    this.spec = {
      id: model.id,
      provider: 'openai-compatible',
      model: model.id,
      price: { inputPerMTok: model.pricePerMTok, outputPerMTok: model.pricePerMTok, source: 'settings' },
      roles: ['bidder', 'juror'],
      enabled: true,
      local: true,
    };
  }

  chat(request: ChatRequest): Promise<ChatResponse> {
    const prompt = request.messages.map((m) => m.content).join('\n');
    if (request.system === JURY_SYSTEM) return Promise.resolve(this.judge(prompt));
    if (request.system === BID_SYSTEM) return Promise.resolve(this.bid(prompt, 'original'));
    if (request.system === REFINE_SYSTEM) return Promise.resolve(this.bid(prompt, 'refined'));
    return Promise.reject(new Error('the simulated model got a prompt it does not know'));
  }

  private bid(prompt: string, kind: 'original' | 'refined'): ChatResponse {
    const { scene, spec } = this;
    const a = scene.a;
    const task = scene.task();
    const p = scene.chanceOf(spec.id, kind, prompt.includes(PASSED_IN_PROMPT));
    const ref = scene.register({ modelId: spec.id, kind, chance: p });
    // Longer plans predict likelier failure (the paper); the length is a signal of (1 - p) under the same noise.
    const lengthSignal = scene.signal(1 - p, scene.draw('length', spec.id, kind));
    const outputTokens = Math.round(a.bidOutputTokensByBand.value[task.band]! * (1 + a.bidLengthFailureCoupling.value * lengthSignal));
    const confidence = clamp(scene.signal(p, scene.draw('entropy', spec.id, kind)), 0.01, 0.99);
    const text = JSON.stringify({
      summary: `Plan ${ref} for the ${task.family} task`,
      steps: ['read the relevant code', `make the ${task.family} change`, 'run the tests'],
      files: [`src/${task.family}.ts`],
      risks: ['breaking callers'],
      verification: ['unit tests'],
    });
    return this.reply(text, prompt, outputTokens, logprobsFor(confidence, a.logprobPositions.value));
  }

  private judge(prompt: string): ChatResponse {
    const { scene, spec } = this;
    const ref = /ref:\d+/.exec(prompt)?.[0];
    const truth = ref ? scene.truthOf(ref) : undefined;
    if (!truth) return this.reply('I cannot find the plan to judge.', prompt, 10);
    // Half of the misjudgement is shared by all jurors of a bid (the plan "looks" good or bad), half is the juror's.
    const z = 0.5 * scene.draw('jury-bid', truth.modelId, truth.kind) + 0.5 * scene.draw('jury', truth.modelId, truth.kind, spec.id);
    const score = Math.round(5 * clamp(scene.signal(truth.chance, z), 0, 1));
    const text = JSON.stringify({ correctness: score, fit: score, risk: score, verifiability: score, score, rationale: `Overall ${score} of 5.` });
    return this.reply(text, prompt, scene.a.judgementOutputTokens.value);
  }

  private reply(text: string, prompt: string, outputTokens: number, logprobs?: TokenLogprob[]): ChatResponse {
    const context = this.scene.a.contextTokensByBand.value[this.scene.task().band]!;
    return {
      text,
      toolCalls: [],
      finishReason: 'stop',
      usage: { ...emptyUsage(), inputTokens: context + Math.ceil(prompt.length / 4), outputTokens },
      ...(logprobs ? { logprobs } : {}),
      latencyMs: 0,
      model: this.spec.model,
    };
  }
}

/**
 * Top-2 logprobs at every position with the sampled token at probability q, where q is chosen so that the
 * engine's normalised entropy H(q) / ln 2 equals 1 − confidence.
 */
export function logprobsFor(confidence: number, positions: number): TokenLogprob[] {
  const target = 1 - confidence;
  let lo = 0.5;
  let hi = 1 - 1e-12;
  // Binary entropy falls monotonically from 1 (q = 0.5) to 0 (q = 1): bisect.
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binaryEntropy(mid) > target) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  return Array.from({ length: positions }, (_, i) => ({
    token: `t${i}`,
    logprob: Math.log(q),
    top: [
      { token: `t${i}`, logprob: Math.log(q) },
      { token: `u${i}`, logprob: Math.log(1 - q) },
    ],
  }));
}

function binaryEntropy(q: number): number {
  return (-q * Math.log(q) - (1 - q) * Math.log(1 - q)) / Math.LN2;
}
