// The market of the auction-overhead benchmark (bench/overhead.ts): four bidders at list prices from the shipped
// price table, a realistic code context from this repository's own sources, and a loopback responder that writes
// each bid and judgement from what the request holds (so it answers per-bid and batched jury prompts alike).
import fs from 'node:fs';
import path from 'node:path';
import type { AuctionContext, AuctionMemoryPort } from '../src/common/auction';
import type { ChatReply, RecordedRequest, Reply } from '../test/fixtures/loopback/types';

const root = path.resolve(import.meta.dirname, '..');

/** One bidder: a model name the price table knows (or a local server), and the jury score its plan earns. */
export interface OverheadBidder {
  id: string;
  provider: 'openai' | 'anthropic' | 'openai-compatible';
  model: string;
  local: boolean;
  /** Reasoning models refuse logprobs (OpenAI); the loopback then returns none, as they do. */
  logprobs: boolean;
  /** The overall score every juror gives this bidder's plan (0–5). */
  score: number;
}

/**
 * An Anthropic frontier model, an OpenAI model with logprobs, a cheap OpenAI reasoning model and a free local
 * model. Scores are plausible, not measured: the frontier plans are rated best, the local one lowest.
 */
export const OVERHEAD_BIDDERS: readonly OverheadBidder[] = [
  { id: 'sonnet', provider: 'anthropic', model: 'claude-sonnet-4-5', local: false, logprobs: false, score: 4.5 },
  { id: 'gpt-4.1', provider: 'openai', model: 'gpt-4.1', local: false, logprobs: true, score: 4 },
  { id: 'gpt-5-mini', provider: 'openai', model: 'gpt-5-mini', local: false, logprobs: false, score: 4 },
  { id: 'qwen-local', provider: 'openai-compatible', model: 'qwen2.5-coder:7b', local: true, logprobs: true, score: 2.5 },
];

/** `sale.models` entries: no price given, so the shipped table prices them (and a local server is free). */
export function overheadPool(server: { url: string; openaiBaseUrl: string }): unknown[] {
  return OVERHEAD_BIDDERS.map((b) => ({
    id: b.id,
    provider: b.provider,
    baseUrl: b.provider === 'anthropic' ? server.url : server.openaiBaseUrl,
    model: b.model,
    local: b.local,
    roles: ['bidder', 'juror', 'executor'],
  }));
}

export const OVERHEAD_TASK =
  'Make the per-call timeout of jury calls a setting (default 60 s), pass it through the auction config to every judgement call, and add a unit test that a juror slower than the timeout is reported as a failed judgement while the others still count.';

/** Real source files of this repository (each over 6,000 characters), 4,950 characters of each: with their headings, about the prompt builder's 20,000-character limit. */
export const CONTEXT_FILES = ['src/common/auction/engine.ts', 'src/common/auction/types.ts', 'src/common/auction/scoring.ts', 'src/common/auction/budget.ts'];

export function overheadContext(chars = 4_950): AuctionContext {
  return {
    files: CONTEXT_FILES.map((f) => ({ path: f, content: fs.readFileSync(path.join(root, f), 'utf8').slice(0, chars) })),
  };
}

/** One past auction for refinement (a workspace with history), so the engine may run it if its rules say so. */
export const pastAuctions: AuctionMemoryPort = {
  contrastivePairs: () =>
    Promise.resolve({
      method: 'lexical',
      pairs: [
        {
          auctionId: 'past-1',
          pastTask: 'Make the bid timeout configurable',
          similarity: 0.8,
          losing: { modelId: 'qwen-local', plan: 'Rewrite the engine around a new scheduler.' },
          winning: { modelId: 'gpt-5-mini', plan: 'Add the setting, thread it through config, test a slow bidder.' },
          winnerOutcome: 'accepted',
        },
      ],
    }),
};

const marker = (id: string) => `plan-by-${id}`;

/** A plan of about 250 words, the length the bid prompt asks for. */
function planOf(b: OverheadBidder, refined: boolean): string {
  return JSON.stringify({
    summary: `Add a jury call timeout setting and thread it to every judgement call (${marker(b.id)}${refined ? '-refined' : ''}).`,
    steps: [
      'Declare sale.auction.juryTimeoutSeconds in package.json with a markdownDescription and a default of 60, and type it in src/vscode/settingsSchema.ts.',
      'Add juryTimeoutMs to AuctionLimits in src/common/auction/types.ts and its default to DEFAULT_LIMITS in config.ts, so requests without it keep working.',
      'In jury.ts, give every judgement call a child AbortSignal that fires after the timeout, through the same call wrapper that charges the spend, so a timed-out call is still recorded in the ledger.',
      'Report a timed-out judgement as a FailedJudgement with code timeout and leave it out of the score; the value term already renormalises over the signals present.',
      'Read the setting in the composition root and pass it in the AuctionRequest limits.',
      'Add a unit test with a loopback juror that answers after the timeout and two that answer at once: the slow one is a failed judgement, the bid is scored on the other two.',
    ],
    files: ['package.json', 'src/vscode/settingsSchema.ts', 'src/common/auction/types.ts', 'src/common/auction/config.ts', 'src/common/auction/jury.ts', 'test/unit/common/auction/jury.test.ts'],
    risks: ['A timeout shorter than a local model needs would drop every local juror', 'An aborted stream may still be billed: its usage must be kept'],
    verification: ['Run the auction unit tests and the typecheck', 'Check the ledger records the timed-out call'],
  });
}

function judgementOf(score: number, id: string): Record<string, unknown> {
  return { correctness: score, fit: score, risk: score, verifiability: score, score, rationale: `The plan ${id} is scored ${score}: it names the files and how to check the work.` };
}

/**
 * The reply to a bid, refinement or judgement request, written from the request itself; undefined for anything
 * else (the capability probe falls through to the scripted defaults). A request naming one plan gets the per-bid
 * judgement object; one naming several (batched judging) gets one entry per plan, in the order they appear.
 * NOTE: the batched reply format here is a best guess at the engine's; check `result.failures.judgements` after a
 * change of the jury prompt (the benchmark fails when no judgement parses).
 */
export function overheadResponder(req: RecordedRequest): Reply | undefined {
  const raw = req.rawBody;
  const bidder = OVERHEAD_BIDDERS.find((b) => b.model === req.model);
  if (!bidder || (req.api !== 'openai-chat' && req.api !== 'anthropic-messages')) return undefined;
  const noLogprobs = !bidder.logprobs || req.api === 'anthropic-messages';
  if (raw.includes('You are bidding')) {
    const refined = raw.includes('You bid on this task before');
    const reply: ChatReply = { kind: 'chat', text: planOf(bidder, refined), noLogprobs };
    return reply;
  }
  if (!raw.includes('juror')) return undefined;
  // A batched jury prompt shows each plan under `### Plan <label>`; a per-bid one shows one plan. Each plan's summary
  // ends with "(plan-by-<id>)" or "(plan-by-<id>-refined)".
  const text = promptText(req.body);
  const blocks = text.split(/^### Plan ([A-Z]+)\n/m);
  const labelled = blocks.length > 1 ? Array.from({ length: (blocks.length - 1) / 2 }, (_, i) => ({ label: blocks[2 * i + 1]!, body: blocks[2 * i + 2]! })) : [{ label: undefined, body: text }];
  const scored = labelled.flatMap(({ label, body }) => {
    const name = /\((plan-by-[\w.:-]+?)\)/.exec(body)?.[1];
    if (!name) return [];
    const refined = name.endsWith('-refined');
    const author = OVERHEAD_BIDDERS.find((b) => marker(b.id) === (refined ? name.slice(0, -'-refined'.length) : name));
    return author ? [{ ...(label ? { label } : {}), ...judgementOf(refined ? Math.min(5, author.score + 0.5) : author.score, name) }] : [];
  });
  const reply = blocks.length > 1 ? JSON.stringify({ judgements: scored }) : JSON.stringify(scored[0] ?? {});
  return { kind: 'chat', text: reply, noLogprobs };
}

/** The text of every message of a request body (OpenAI or Anthropic shape; string or content blocks). */
function promptText(body: unknown): string {
  const messages = (body as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return messages
    .map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : '')).join('') : ''))
    .join('\n');
}
