// The auction's overhead against the work it routes (issue 19): one full auction through the real provider
// adapters against the loopback server, whose replies report MODELLED usage (tokens from the actual request and
// reply, each provider's prompt caching as documented; test/fixtures/loopback/usageModel.ts), set against the
// execution of a typical task from the real market (bench/data/swebench-verified-market; bench/overheadModel.ts).
// The engine decides who bids, who judges and whether refinement runs: nothing here fixes n or n².
//   node --import tsx bench/overhead.ts
import fs from 'node:fs';
import path from 'node:path';
import { runAuction, type AuctionRequest } from '../src/common/auction';
import { auctionSettings } from '../src/vscode/auction/auctionSettings';
import type { Config } from '../src/vscode/config';
import { settingDefaults, type Settings } from '../src/vscode/settingsSchema';
import { renderContext } from '../src/common/auction/prompts';
import type { ModelCallRecord } from '../src/common/ledger/types';
import { parsePool } from '../src/common/providers/poolSchema';
import { probeCapabilities } from '../src/common/providers/probe';
import { tablePrice } from '../src/common/providers/priceTable';
import type { ModelCapabilities } from '../src/common/providers/types';
import { createModelClient } from '../src/node/providers/createModelClient';
import { probeDefaults } from '../test/fixtures/market';
import { LoopbackServer } from '../test/fixtures/loopback/server';
import { DATA_DIR, MODEL_NAMES } from './market/data';
import { OVERHEAD_TASK, overheadContext, overheadPool, overheadResponder, pastAuctions } from './overheadMarket';
import { deriveExecution, EXECUTION_ASSUMPTIONS, executionUsd, medianRun, OVERHEAD_TARGETS, ratio, recordedRuns, within } from './overheadModel';

/**
 * Which auction is measured. `shipped` is the extension's defaults as a user gets them (package.json's
 * `sale.auction.*` defaults through the same `auctionSettings` the extension uses): a jury panel of 3 reading the
 * context's digest, refinement, and the 10% overhead cap, which shrinks the jury and drops refinement to fit. The
 * two others switch the cap off, to show what the jury and refinement cost when they all run: `uncapped` with
 * the digest, `uncapped-full-context` with jurors and refiners reading the whole context (the shipped auction
 * before the digest).
 */
export type OverheadVariant = 'shipped' | 'uncapped' | 'uncapped-full-context';
export const OVERHEAD_VARIANTS: readonly OverheadVariant[] = ['shipped', 'uncapped', 'uncapped-full-context'];

function requestSettings(variant: OverheadVariant): Omit<AuctionRequest, 'auctionId' | 'task' | 'context' | 'pool'> {
  const overrides: Partial<Settings> = variant === 'uncapped-full-context' ? { 'auction.jury.context': 'full', 'auction.refinement.context': 'full' } : {};
  const config = { get: <K extends keyof Settings>(k: K): Settings[K] => overrides[k] ?? settingDefaults[k] } as Config;
  const settings = auctionSettings(config);
  if (variant === 'shipped') return settings;
  // The cap off: no `overhead` at all (a maxOverheadShare setting cannot say "none").
  const { overhead: _off, ...uncapped } = settings;
  return uncapped;
}

interface PhaseFigures {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  usd: number;
}

interface DollarShare {
  modelId: string;
  executionUsd: number;
  /** Auction dollars / execution dollars; null when the execution is free (a local model): no ratio exists. */
  share: number | null;
  pass: boolean;
}

export interface OverheadFigures {
  label: string;
  variant: OverheadVariant;
  /** What the engine dropped or stopped, and why (the result's adaptive lines). */
  adaptive: string[];
  command: string;
  bidders: string[];
  jurors: string[];
  winner: string | null;
  refinementRan: boolean;
  contextChars: number;
  callsByPhase: Record<string, PhaseFigures>;
  auction: PhaseFigures;
  /** Cached input tokens / all input tokens of the auction's calls (Anthropic reads and OpenAI cached tokens). */
  cachedTokenShare: number;
  judgementsParsed: number;
  judgementFailures: number;
  execution: {
    source: string;
    instanceId: string;
    recordedUsd: number;
    apiCalls: number;
    assumptions: typeof EXECUTION_ASSUMPTIONS;
    growthTokensPerCall: number;
    consistent: boolean;
    inputTokens: number;
    cachedInputTokens: number;
    outputTokens: number;
    tokens: number;
  };
  tokenShare: number;
  dollarShare: { winner: DollarShare | null; cheapestPaid: DollarShare; dearest: DollarShare; cheapest: DollarShare; byBidder: Record<string, DollarShare> };
  juryCalls: number;
  juryRounds: number;
  /** Jury calls per jury round; the target is at most one call per bidder (n), not one per (juror, bid) (n²). */
  juryCallsPerRound: number;
  targets: typeof OVERHEAD_TARGETS;
  pass: { tokenShare: boolean; dollarShareWinner: boolean; dollarShareCheapestPaid: boolean; dollarShareDearest: boolean; juryCalls: boolean };
}

const phaseOf = (records: ModelCallRecord[]): PhaseFigures => ({
  calls: records.length,
  inputTokens: records.reduce((s, r) => s + r.usage.inputTokens, 0),
  cachedInputTokens: records.reduce((s, r) => s + r.usage.cachedInputTokens, 0),
  cacheWriteInputTokens: records.reduce((s, r) => s + r.usage.cacheWriteInputTokens, 0),
  outputTokens: records.reduce((s, r) => s + r.usage.outputTokens, 0),
  usd: records.reduce((s, r) => s + (r.dollars ?? 0), 0),
});

/** The median run of Claude Sonnet 4.5 (the pool's Anthropic bidder, same list price), in tokens. */
function typicalExecution() {
  const read = (f: string) => fs.readFileSync(path.join(DATA_DIR, f), 'utf8');
  const run = medianRun(recordedRuns(read('outcomes.csv'), read('tasks.csv'), MODEL_NAMES.sonnet!));
  const price = tablePrice('anthropic', 'claude-sonnet-4-5');
  if (!price) throw new Error('overhead bench: the price table lost claude-sonnet-4-5');
  return deriveExecution(run, price);
}

export async function benchOverhead(variant: OverheadVariant = 'shipped'): Promise<OverheadFigures> {
  const server = await LoopbackServer.start({ default: probeDefaults });
  server.modelUsage().respondWith(overheadResponder);
  try {
    const { models, problems } = parsePool(overheadPool(server));
    if (problems.length) throw new Error(`overhead pool: ${JSON.stringify(problems)}`);
    const clients = models.map((spec) => createModelClient(spec, () => Promise.resolve('sk-loopback')));
    const capabilities = new Map<string, ModelCapabilities>();
    for (const c of clients) capabilities.set(c.spec.id, (await probeCapabilities(c)).capabilities);
    const records: ModelCallRecord[] = [];
    const context = overheadContext();
    const result = await runAuction(
      { ...requestSettings(variant), auctionId: 'bench-overhead', task: OVERHEAD_TASK, context, pool: models.map((m) => m.id) },
      { clients, capabilities: (id) => capabilities.get(id), calls: { record: (r) => records.push(r) }, now: () => Date.now(), memory: pastAuctions },
    );
    if (result.judgements.length === 0) throw new Error('overhead bench: no judgement parsed; update overheadResponder to the jury prompt format');

    const callsByPhase = Object.fromEntries(['bidding', 'jury', 'refinement'].map((p) => [p, phaseOf(records.filter((r) => r.phase === p))]));
    const auction = phaseOf(records);
    const exec = typicalExecution();
    const execTokens = exec.usage.inputTokens + exec.usage.outputTokens;
    const priceOf = (id: string) => models.find((m) => m.id === id)?.price;
    const share = (modelId: string): DollarShare => {
      const usd = executionUsd(exec, priceOf(modelId)) ?? 0;
      const s = ratio(auction.usd, usd);
      return { modelId, executionUsd: usd, share: s ?? null, pass: within(s, OVERHEAD_TARGETS.dollarShare) };
    };
    const bidders = result.bidders;
    const byOutput = [...bidders].sort((a, b) => (priceOf(a)?.outputPerMTok ?? 0) - (priceOf(b)?.outputPerMTok ?? 0));
    const paid = byOutput.filter((id) => (priceOf(id)?.outputPerMTok ?? 0) > 0);
    const byBidder = Object.fromEntries(bidders.map((id) => [id, share(id)]));
    const juryRounds = 1 + (result.refinement.ran ? 1 : 0);
    const juryCalls = callsByPhase.jury!.calls;
    const tokenShare = (auction.inputTokens + auction.outputTokens) / execTokens;
    const winner = result.winner ? byBidder[result.winner.modelId]! : null;
    const cheapestPaid = byBidder[paid[0] ?? byOutput[0]!]!;
    const dearest = byBidder[byOutput.at(-1)!]!;
    return {
      label: 'MODELLED usage (characters / 4, documented prompt caching) on the loopback; execution derived from the real market (median Sonnet 4.5 run)',
      variant,
      adaptive: (result.adaptive ?? []).map((a) => `${a.kind}: ${a.reason}`),
      command: `node --import tsx bench/overhead.ts${variant === 'shipped' ? '' : ` ${variant}`}`,
      bidders,
      jurors: result.jurors,
      winner: result.winner?.modelId ?? null,
      refinementRan: result.refinement.ran,
      contextChars: renderContext(context).length,
      callsByPhase,
      auction,
      cachedTokenShare: auction.inputTokens > 0 ? auction.cachedInputTokens / auction.inputTokens : 0,
      judgementsParsed: result.judgements.length,
      judgementFailures: result.failures.judgements.length,
      execution: {
        source: `${MODEL_NAMES.sonnet} on SWE-bench Verified (mini-swe-agent): the median of its 500 recorded runs by cost`,
        instanceId: exec.run.instanceId,
        recordedUsd: exec.run.costUsd,
        apiCalls: exec.calls,
        assumptions: EXECUTION_ASSUMPTIONS,
        growthTokensPerCall: Math.round(exec.growthTokensPerCall),
        consistent: exec.consistent,
        inputTokens: exec.usage.inputTokens,
        cachedInputTokens: exec.usage.cachedInputTokens,
        outputTokens: exec.usage.outputTokens,
        tokens: execTokens,
      },
      tokenShare,
      dollarShare: { winner, cheapestPaid, dearest, cheapest: byBidder[byOutput[0]!]!, byBidder },
      juryCalls,
      juryRounds,
      juryCallsPerRound: juryCalls / juryRounds,
      targets: OVERHEAD_TARGETS,
      pass: {
        tokenShare: within(tokenShare, OVERHEAD_TARGETS.tokenShare),
        dollarShareWinner: winner?.pass ?? false,
        dollarShareCheapestPaid: cheapestPaid.pass,
        dollarShareDearest: dearest.pass,
        juryCalls: juryCalls <= bidders.length * juryRounds,
      },
    };
  } finally {
    await server.close();
  }
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** Table rows for bench/run.ts's summary. */
export function overheadRows(o: OverheadFigures): [string, string][] {
  const d = o.dollarShare;
  const mark = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  return [
    ['auction overhead, tokens / execution tokens (target ≤ 5%)', `${pct(o.tokenShare)} ${mark(o.pass.tokenShare)} · ${o.auction.inputTokens + o.auction.outputTokens} vs ${o.execution.tokens} tokens · cached ${pct(o.cachedTokenShare)} of auction input`],
    ['auction overhead, $ / execution $ (target ≤ 10%)', `winner ${d.winner?.modelId ?? 'none'} ${pct(d.winner?.share)} ${mark(o.pass.dollarShareWinner)} · cheapest paid ${d.cheapestPaid.modelId} ${pct(d.cheapestPaid.share)} · dearest ${d.dearest.modelId} ${pct(d.dearest.share)}`],
    ['auction jury calls (target ≤ n per round)', `${o.juryCalls} in ${o.juryRounds} round(s), n = ${o.bidders.length}: ${mark(o.pass.juryCalls)} · calls bid/jury/refine ${o.callsByPhase.bidding!.calls}/${o.callsByPhase.jury!.calls}/${o.callsByPhase.refinement!.calls}`],
  ];
}

/** One line for a variant beside the headline: tokens, dollars against each execution, calls. */
export function overheadVariantRow(o: OverheadFigures): [string, string] {
  const d = o.dollarShare;
  return [
    `auction overhead, ${o.variant} (jurors ${o.jurors.join(', ') || 'none'}; refinement ${o.refinementRan ? 'ran' : 'skipped'})`,
    `tokens ${pct(o.tokenShare)} · $ vs winner ${d.winner?.modelId ?? 'none'} ${pct(d.winner?.share)}, cheapest paid ${pct(d.cheapestPaid.share)}, dearest ${pct(d.dearest.share)} · calls bid/jury/refine ${o.callsByPhase.bidding!.calls}/${o.callsByPhase.jury!.calls}/${o.callsByPhase.refinement!.calls}`,
  ];
}

if (process.argv[1]?.endsWith('overhead.ts')) {
  const asked = process.argv[2] as OverheadVariant | undefined;
  if (asked && !OVERHEAD_VARIANTS.includes(asked)) throw new Error(`unknown variant ${asked}; one of ${OVERHEAD_VARIANTS.join(', ')}`);
  benchOverhead(asked).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      for (const [k, v] of [...overheadRows(r), overheadVariantRow(r)]) console.log(`${k}: ${v}`);
    },
    (e: unknown) => (console.error(e), process.exit(1)),
  );
}
