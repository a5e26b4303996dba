import { costOf } from '../providers/pricing';
import { addUsage, emptyUsage, type Usage } from '../providers/types';
import type { AuctionFact, AuctionOutcome, LedgerCallEntry, LedgerLine, ShadowResult } from './entry';
import { largestModel, type ReferenceModel } from './reference';

/**
 * Savings you can trust: what each auction's route cost against what always using the reference model would have
 * cost on that task, claimed only where it is honest to claim one.
 *
 * - The reference is the dearest model of the pool **recorded with the auction when it ran** (its prices then),
 *   never today's pool: adding a pricier model later changes no past figure. An auction with no recorded pool has
 *   no reference and claims nothing.
 * - Every execution of the auction counts (the winner, a losing bid the user ran, every escalation), and so does
 *   the auction's own spend: the route's cost is everything spent on the task.
 * - A saving is claimed only for work that was accepted (wholly or in part): a rejected, undone or failed run is
 *   spend with no saving, shown as such.
 * - The counterfactual is **measured** when the reference model itself ran the task (on this auction, or in a
 *   shadow run whose tests passed: a `shadow` fact for the reference, its calls under the `shadow` phase);
 *   otherwise it is **estimated** from the accepted run's real token usage priced at the reference's prices (an
 *   estimate: another model may need more or fewer tokens). A shadow run whose tests failed or did not run measures
 *   nothing about "always the reference would have worked", so the figure stays an estimate.
 * - A shadow run's own calls are not part of the route's spend (the user would not have paid them without SALE's
 *   measuring); they are reported apart (`shadow`).
 * - Regret, where known: what the executions cost beyond the cheapest run on this task known to have worked.
 */
export interface AuctionSavings {
  auctionId: string;
  /** The reference recorded with the auction; undefined when the auction recorded no priced pool. */
  reference: ReferenceModel | undefined;
  /** Known dollars of every call of the auction (auction phases and every execution), shadow runs excluded. */
  spentUsd: number;
  /** Some call's dollars are unknown: `spentUsd` is a lower bound. */
  spentIsLowerBound: boolean;
  /** Each executed model's runs on this auction, in the order they started, with their verdict. */
  runs: RunSpend[];
  verdict: 'accepted' | 'not-accepted' | 'undecided';
  /** What always using the reference would have cost on this task; undefined when no saving is claimed. */
  counterfactualUsd: number | undefined;
  basis: 'measured' | 'estimated' | undefined;
  /** counterfactual − spent; undefined unless the work was accepted and there is a counterfactual. Can be < 0. */
  savingsUsd: number | undefined;
  /** Execution dollars beyond the cheapest run known to have worked; undefined when no run is known to have worked. */
  regretUsd: number | undefined;
  /** The auction's shadow run of the reference, if one was recorded: its latest result and its own spend. */
  shadow: ShadowSpend | undefined;
}

export interface ShadowSpend {
  modelId: string;
  result: ShadowResult;
  /** Known dollars of the auction's `shadow`-phase calls. */
  spentUsd: number;
  spentIsLowerBound: boolean;
}

export interface RunSpend {
  modelId: string;
  executionUsd: number;
  usage: Usage;
  /** The latest outcome recorded for this model's run on the auction, if any. */
  outcome: AuctionOutcome | undefined;
}

export interface SavingsSummary {
  auctions: AuctionSavings[];
  /** Σ savings over accepted auctions with a measured counterfactual, and how many auctions that is. */
  measured: { savingsUsd: number; auctions: number };
  /** Σ savings over accepted auctions with an estimated counterfactual, and how many. */
  estimated: { savingsUsd: number; auctions: number };
  /** Known spend on auctions whose work was not accepted (or not decided): spend with no saving. */
  unsavedSpendUsd: number;
  /** Auctions without a recorded priced pool: they claim nothing. */
  withoutReference: number;
  /** Auctions whose work was not accepted (or not decided): `unsavedSpendUsd` rests on them. */
  unsavedAuctions: number;
  /** Shadow runs recorded, how many passed their tests, and their own known dollars (never in a saving). */
  shadow: { runs: number; passed: number; spentUsd: number };
}

const ACCEPTED: ReadonlySet<AuctionOutcome> = new Set(['accepted', 'partially-accepted']);
const NOT_ACCEPTED: ReadonlySet<AuctionOutcome> = new Set(['rejected', 'undone', 'failed']);

/** The savings of every auction in the ledger lines (file order), and their sums. Pure. */
export function honestSavings(lines: readonly LedgerLine[]): SavingsSummary {
  const calls = new Map<string, LedgerCallEntry[]>();
  const facts = new Map<string, AuctionFact[]>();
  for (const l of lines) {
    if (l.kind === 'call') {
      const id = l.call.auctionId;
      if (id !== undefined) calls.set(id, [...(calls.get(id) ?? []), l]);
    } else facts.set(l.auctionId, [...(facts.get(l.auctionId) ?? []), l]);
  }
  const ids = [...new Set([...facts.keys(), ...calls.keys()])];
  const auctions = ids.map((id) => auctionSavings(id, calls.get(id) ?? [], facts.get(id) ?? []));
  const sum = (xs: AuctionSavings[]): number => xs.reduce((s, a) => s + (a.savingsUsd ?? 0), 0);
  const measured = auctions.filter((a) => a.savingsUsd !== undefined && a.basis === 'measured');
  const estimated = auctions.filter((a) => a.savingsUsd !== undefined && a.basis === 'estimated');
  return {
    auctions,
    measured: { savingsUsd: sum(measured), auctions: measured.length },
    estimated: { savingsUsd: sum(estimated), auctions: estimated.length },
    unsavedSpendUsd: auctions.filter((a) => a.verdict !== 'accepted').reduce((s, a) => s + a.spentUsd, 0),
    withoutReference: auctions.filter((a) => !a.reference).length,
    unsavedAuctions: auctions.filter((a) => a.verdict !== 'accepted').length,
    shadow: {
      runs: auctions.filter((a) => a.shadow).length,
      passed: auctions.filter((a) => a.shadow?.result === 'passed').length,
      spentUsd: auctions.reduce((s, a) => s + (a.shadow?.spentUsd ?? 0), 0),
    },
  };
}

function auctionSavings(auctionId: string, allCalls: readonly LedgerCallEntry[], facts: readonly AuctionFact[]): AuctionSavings {
  const pool = facts.flatMap((f) => f.pool ?? []);
  const reference = largestModel(pool);
  const calls = allCalls.filter((c) => c.call.phase !== 'shadow');
  const spentUsd = calls.reduce((s, c) => s + (c.dollars ?? 0), 0);
  const spentIsLowerBound = calls.some((c) => c.dollars === null);
  const shadow = shadowOf(allCalls, facts);
  const runs = runsOf(calls, facts);
  const verdict = runs.some((r) => r.outcome !== undefined && ACCEPTED.has(r.outcome))
    ? 'accepted'
    : runs.length > 0 && runs.every((r) => r.outcome !== undefined && NOT_ACCEPTED.has(r.outcome))
      ? 'not-accepted'
      : 'undecided';
  const worked = runs.filter((r) => r.outcome !== undefined && ACCEPTED.has(r.outcome));
  const cheapestWorked = worked.length ? Math.min(...worked.map((r) => r.executionUsd)) : undefined;
  const regretUsd = cheapestWorked === undefined ? undefined : runs.reduce((s, r) => s + r.executionUsd, 0) - cheapestWorked;

  let counterfactualUsd: number | undefined;
  let basis: AuctionSavings['basis'];
  if (reference && verdict === 'accepted') {
    const own = runs.find((r) => r.modelId === reference.modelId);
    // A shadow run measures only when it ran the reference recorded with the auction, passed, and every call is priced.
    const measuredShadow = shadow && shadow.modelId === reference.modelId && shadow.result === 'passed' && !shadow.spentIsLowerBound;
    if (own) {
      counterfactualUsd = own.executionUsd;
      basis = 'measured';
    } else if (measuredShadow) {
      counterfactualUsd = shadow.spentUsd;
      basis = 'measured';
    } else {
      const accepted = worked[worked.length - 1];
      const estimate = accepted ? costOf(accepted.usage, reference.price) : undefined;
      if (estimate !== undefined) {
        counterfactualUsd = estimate;
        basis = 'estimated';
      }
    }
  }
  return {
    auctionId,
    reference,
    spentUsd,
    spentIsLowerBound,
    runs,
    verdict,
    counterfactualUsd,
    basis,
    savingsUsd: counterfactualUsd === undefined ? undefined : counterfactualUsd - spentUsd,
    regretUsd,
    shadow,
  };
}

/** The auction's latest shadow fact with the dollars of its `shadow`-phase calls; undefined when none was recorded. */
function shadowOf(calls: readonly LedgerCallEntry[], facts: readonly AuctionFact[]): ShadowSpend | undefined {
  const fact = facts.reduce<AuctionFact['shadow']>((last, f) => f.shadow ?? last, undefined);
  if (!fact) return undefined;
  const own = calls.filter((c) => c.call.phase === 'shadow');
  return {
    modelId: fact.modelId,
    result: fact.result,
    spentUsd: own.reduce((s, c) => s + (c.dollars ?? 0), 0),
    spentIsLowerBound: own.some((c) => c.dollars === null),
  };
}

/** Execution calls grouped by model (one run per executed model), with each model's latest recorded outcome. */
function runsOf(calls: readonly LedgerCallEntry[], facts: readonly AuctionFact[]): RunSpend[] {
  const runs = new Map<string, RunSpend>();
  for (const c of calls) {
    if (c.call.phase !== 'execution') continue;
    const run = runs.get(c.call.modelId) ?? { modelId: c.call.modelId, executionUsd: 0, usage: emptyUsage(), outcome: undefined };
    run.executionUsd += c.dollars ?? 0;
    run.usage = addUsage(run.usage, c.call.usage);
    runs.set(c.call.modelId, run);
  }
  for (const f of facts) {
    if (f.outcome === undefined) continue;
    // Version-1 facts have no bid id: their outcome is the executor's (or the winner's, the only bid it could run);
    // a fact naming no model is about the auction's first run, as the report's auction row reads it.
    const modelId = f.executedBy ?? (f.bidId ? f.bidId.split('#')[0] : undefined) ?? f.winnerModelId ?? lastWinner(facts) ?? runs.keys().next().value;
    const run = modelId === undefined ? undefined : runs.get(modelId);
    if (run) run.outcome = f.outcome;
  }
  return [...runs.values()];
}

function lastWinner(facts: readonly AuctionFact[]): string | undefined {
  return facts.reduce<string | undefined>((w, f) => f.executedBy ?? f.winnerModelId ?? w, undefined);
}
