import { nullLogger } from '../log';
import { callBoundUsd, couldOvertake, fitRefiners, shrinkToCap } from './adaptive';
import { AuctionState, winnerOf } from './auctionState';
import { requestBid } from './bidding';
import { SpendTracker } from './budget';
import { AbortFanout, type CallContext } from './calls';
import { resolveAuction, type ResolvedAuction } from './config';
import { NoBidsError } from './errors';
import { EventSink } from './events';
import { explainWin } from './explain';
import { BATCH_JURY_SYSTEM, BID_SYSTEM, REFINE_SYSTEM, bidPrompt, sharedPrefix } from './prompts';
import { refineBid, refinementCandidates } from './refinement';
import { Rounds } from './rounds';
import type { AuctionDeps, AuctionRequest, AuctionResult, AuctionWinner, Bid } from './types';
import { auctionCapUsd, taskBudget } from '../ledger/taskBudget';
import { loadExecutionHistory } from './workCost';
import { loadTrackRecord } from './decision';
import { usd } from '../protocol/format';

/**
 * Runs one strategy auction (SALE): bids in parallel, a jury round (batched: each juror scores all bids in one
 * call, see rounds.ts; per-bid: each bid judged as it arrives), scoring, one refinement pass by cheaper models
 * that could still win, the winner and why. Under an overhead cap the jury and refinement shrink first.
 *
 * Resolves with status 'completed' (winner set) or 'cancelled' (partial results, no winner) and throws
 * NoBidsError when no bid is usable and eligible (the error carries each bidder's reason and the partial result)
 * or InvalidAuctionRequestError for a request that cannot run. Every model call goes to `deps.calls`.
 */
export async function runAuction(request: AuctionRequest, deps: AuctionDeps, signal?: AbortSignal): Promise<AuctionResult> {
  const logger = (deps.logger ?? nullLogger).topic('auction');
  const cfg = resolveAuction(request, deps.clients, logger);
  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });

  const iso = (): string => new Date(deps.now()).toISOString();
  const events = new EventSink(request.auctionId, deps.now, deps.onEvent, logger);
  // One task budget: the auction may spend what is left of it (and no more than its own cap).
  const task = taskBudget(cfg.budget.taskLimitUsd, { spentUsd: cfg.budget.taskSpentUsd ?? 0, executionUsd: 0, unknownPriceCalls: 0 });
  const spend = new SpendTracker(auctionCapUsd(task, cfg.budget.auctionCapUsd));
  const ctx: CallContext = {
    auctionId: request.auctionId,
    signal: controller.signal,
    aborts: new AbortFanout(controller.signal),
    calls: deps.calls,
    spend,
    events,
    now: deps.now,
    // Every bid, jury and refinement call asks reasoning models for this effort; the winner's run never does.
    ...(cfg.reasoningEffort === undefined ? {} : { reasoningEffort: cfg.reasoningEffort }),
  };
  const jurorIds = cfg.jurors.map((j) => j.spec.id);
  const state = new AuctionState(
    {
      auctionId: request.auctionId,
      task: request.task,
      startedAt: iso(),
      weights: cfg.weights,
      bidders: [...cfg.bidders.map((b) => b.spec.id), ...cfg.missing].sort(),
      jurors: jurorIds,
      executionCapUsd: cfg.budget.executionCapUsd,
      taskBudget: task,
      executionEstimate: cfg.executionEstimate,
      refinementEnabled: cfg.refinement.enabled,
      clientOf: cfg.clientOf,
      logger,
    },
    events,
    spend,
  );

  try {
    events.emit({ type: 'auction-started', task: request.task, bidders: cfg.bidders.map((b) => b.spec.id), jurors: jurorIds, weights: cfg.weights });
    for (const modelId of cfg.missing) {
      state.addFailedBid({ bidId: `${modelId}#original`, modelId, kind: 'original', code: 'no-client', reason: 'no client is configured for this model' });
    }
    let refinementDropped = false;
    const rounds = new Rounds(ctx, cfg, request, deps, state, () => cfg.juryStyle === 'per-bid' || (cfg.refinement.enabled && deps.memory !== undefined && !refinementDropped));
    const capOverhead = (bids: readonly Bid[] | undefined): void => {
      // The host's estimate when it gave one; else, once bids are in, the median of their expected work (this
      // workspace's history of each model, else the plan-length prior): what the winner's run will likely cost.
      const o = cfg.overhead;
      const expected = o?.expectedExecutionUsd ?? (bids ? state.medianExpectedWorkUsd(bids) : undefined);
      if (!o || expected === undefined) return;
      const capUsd = o.maxShare * expected;
      const plan = shrinkToCap(overheadBounds(cfg, request, rounds, spend.spentUsd(), bids, deps.memory !== undefined, capUsd));
      if (!plan.reason) return;
      refinementDropped = plan.dropRefinement;
      rounds.jurors = rounds.jurors.filter((j) => plan.keepJurors.includes(j.spec.id));
      state.setJurors(rounds.jurors.map((j) => j.spec.id).sort());
      state.addAdaptiveSkip({ kind: 'overhead-cap', reason: plan.reason, dropped: [...plan.dropJurors, ...(plan.dropRefinement ? ['refinement'] : [])] });
    };
    // Per-bid judging starts as the first bid arrives, so the cap is applied up front on the bids' worst case.
    if (cfg.juryStyle === 'per-bid') {
      // Per-bid judging has no bids to estimate from when it must decide: without the host's estimate, no cap.
      if (cfg.overhead && cfg.overhead.expectedExecutionUsd === undefined) logger.info('overhead cap not applied: per-bid judging starts before any bid gives an execution estimate');
      capOverhead(undefined);
    }

    // Asked once, while the bids are out: no bid is scored before it answers, and it adds no round of its own.
    const historyQuery = { task: request.task, modelIds: cfg.bidders.map((b) => b.spec.id) };
    const executionHistory = loadExecutionHistory(deps.executionHistory, historyQuery, controller.signal, logger).then((h) => state.setExecutionHistory(h));
    // The track record likewise (the jurors as configured: the overhead cap may drop some later, never add).
    const modelNames = Object.fromEntries(cfg.bidders.map((b) => [b.spec.id, b.spec.model]));
    const trackRecord = loadTrackRecord(deps.trackRecord, { ...historyQuery, jurorIds, modelNames, auctionId: request.auctionId }, controller.signal, logger).then((r) => state.setTrackRecord(r));
    const history = Promise.all([executionHistory, trackRecord]);

    await rounds.bids(
      cfg.bidders.map((client) => () =>
        requestBid(ctx, {
          bidId: `${client.spec.id}#original`,
          kind: 'original',
          client,
          capabilities: deps.capabilities(client.spec.id),
          system: BID_SYSTEM,
          prompt: (structured) => bidPrompt(request.task, request.context, structured),
          maxTokens: cfg.limits.bidMaxTokens,
          logprobsTopK: cfg.limits.logprobsTopK,
        }).then(async (outcome) => {
          await history;
          return outcome;
        }),
      ),
      (bids) => capOverhead(bids),
    );
    await history;
    if (controller.signal.aborted) return finishCancelled(state, events, iso());

    const provisionalRanking = state.rank();
    const leader = provisionalRanking[0];
    if (!leader?.eligible) throw new NoBidsError(state.bidderReasons(provisionalRanking), state.result('completed', iso(), { ranking: provisionalRanking }));
    const provisionalWinner = winnerOf(leader);
    events.emit({ type: 'provisional-winner', bidId: leader.bidId, modelId: leader.modelId, ...(leader.score === undefined ? {} : { score: leader.score }) });

    if (!cfg.refinement.enabled) state.refinement.skipped.push({ reason: 'refinement is switched off' });
    else if (!deps.memory) state.refinement.skipped.push({ reason: 'no auction memory is available' });
    else if (refinementDropped && (cfg.overhead?.expectedExecutionUsd !== undefined || leader.expectedExecutionUsd === undefined)) {
      state.refinement.skipped.push({ reason: 'dropped to stay under the overhead cap' });
    } else {
      const memory = deps.memory;
      const found = refinementCandidates(leader, state.originalBids(), cfg.clientOf);
      const skipped = [...found.skipped];
      // A candidate whose best possible score (perfect value, same cost term) cannot beat the leader is not asked.
      // When the expected-utility rule ranks, a perfect jury score also raises the chance of success, which the
      // score's bound does not see: no candidate is ruled out there.
      const hopeless = found.candidates.filter((c) => {
        if (cfg.weights.rule === 'expected-utility' && state.hasTrackRecord()) return false;
        const own = provisionalRanking.find((b) => b.bidId === c.ownBid.id);
        return own !== undefined && leader.score !== undefined && !couldOvertake(own, leader.score);
      });
      let candidates = found.candidates.filter((c) => !hopeless.includes(c));
      for (const c of hopeless) skipped.push({ modelId: c.client.spec.id, reason: 'cannot overtake the provisional winner even with a perfect jury score' });
      if (refinementDropped && candidates.length) {
        // Dropped up front on the median bid's expected work: fitted again at the provisional winner's.
        const capUsd = cfg.overhead!.maxShare * leader.expectedExecutionUsd!;
        const bounds = refinementBounds(cfg, request, rounds, deps.memory !== undefined);
        const fit = fitRefiners(candidates.map((c) => ({ id: c.client.spec.id, boundUsd: bounds.refiner(c.client) })), bounds.juryFor, capUsd - spend.spentUsd());
        candidates = candidates.filter((c) => fit.keep.includes(c.client.spec.id));
        for (const id of fit.drop) skipped.push({ modelId: id, reason: 'does not fit under the overhead cap' });
        state.addAdaptiveSkip({
          kind: 'overhead-cap',
          // With nothing left out this entry takes back the one above that dropped refinement up front.
          reason: `${fit.keep.length && !fit.drop.length ? 'refinement runs after all: ' : ''}at ${leader.modelId}'s expected work (${usd(leader.expectedExecutionUsd)}) the cap is ${usd(capUsd)}: ${fit.keep.length ? `refinement by ${fit.keep.join(', ')} fits` : 'no refiner fits'}${fit.drop.length ? `, ${fit.drop.join(', ')} left out` : ''}`,
          dropped: [...fit.drop].sort(),
        });
      }
      if (hopeless.length) {
        state.addAdaptiveSkip({
          kind: 'refinement',
          reason: `${hopeless.map((c) => c.client.spec.id).join(', ')} could not overtake ${leader.modelId} even with a perfect jury score (cost term minus the most value it could get is not below its score)`,
          dropped: hopeless.map((c) => c.client.spec.id).sort(),
        });
      }
      state.refinement.skipped.push(...skipped);
      for (const sk of skipped) events.emit({ type: 'refinement-skipped', ...sk });
      if (candidates.length > 0) {
        state.refinement.ran = true;
        state.refinement.candidates = candidates.map((c) => c.client.spec.id);
        events.emit({ type: 'refinement-started', provisionalWinner: leader.bidId, candidates: state.refinement.candidates });
        await rounds.bids(
          candidates.map(({ client, ownBid }) => async () => {
            const outcome = await refineBid(ctx, {
              client,
              capabilities: deps.capabilities(client.spec.id),
              ownBid,
              memory,
              task: request.task,
              context: cfg.refinementContext,
              contextIsDigest: cfg.refinement.context !== 'full',
              topK: cfg.refinement.topK,
              maxTokens: cfg.limits.bidMaxTokens,
              logprobsTopK: cfg.limits.logprobsTopK,
            });
            if (outcome.ok !== 'skipped') return outcome;
            state.refinement.skipped.push(outcome.skip);
            events.emit({ type: 'refinement-skipped', ...outcome.skip });
            return undefined;
          }),
        );
      }
    }
    if (controller.signal.aborted) return finishCancelled(state, events, iso(), provisionalWinner);

    const { ranking, fellBack } = state.rankWithDecision();
    const top = ranking[0];
    if (!top?.eligible) throw new NoBidsError(state.bidderReasons(ranking), state.result('completed', iso(), { ranking }));
    const winner = winnerOf(top);
    const why = explainWin(ranking, state.allBids(), { rule: cfg.weights.rule ?? 'score', qualityPreference: cfg.weights.qualityPreference ?? 0, ...(fellBack === undefined ? {} : { fellBack }) });
    events.emit({ type: 'final-winner', bidId: winner.bidId, modelId: winner.modelId, kind: winner.kind, ...(winner.score === undefined ? {} : { score: winner.score }), why });
    const result = state.result('completed', iso(), { ranking, provisionalWinner, winner, why });
    events.emit({ type: 'done', result });
    return result;
  } catch (e) {
    if (e instanceof NoBidsError) {
      events.emit({ type: 'failed', error: { code: e.code, message: e.message, reasons: e.reasons } });
    } else {
      logger.error(e instanceof Error ? e : String(e));
      events.emit({ type: 'failed', error: { code: 'internal', message: e instanceof Error ? e.message : String(e), reasons: [] } });
    }
    throw e;
  } finally {
    signal?.removeEventListener('abort', forwardAbort);
  }
}

function finishCancelled(state: AuctionState, events: EventSink, at: string, provisionalWinner?: AuctionWinner): AuctionResult {
  const ranking = state.rank();
  const leader = ranking[0];
  const provisional = provisionalWinner ?? (leader?.eligible ? winnerOf(leader) : undefined);
  const result = state.result('cancelled', at, { ranking, ...(provisional ? { provisionalWinner: provisional } : {}) });
  events.emit({ type: 'cancelled', result });
  return result;
}

/** Rough size of one plan in characters when the bids are not in yet: the output allowance at 4 characters a token. */
const PLAN_CHARS_PER_TOKEN = 4;
/** Characters of fence, label and format text around each plan in a jury prompt. */
const FENCE_CHARS = 700;

/**
 * The worst cases the overhead cap is checked against (the spend tracker's bound: prompt characters / 3 input
 * tokens and the whole output allowance): each juror's jury round over the bids, and the refinement round
 * (every bidder but the dearest refines, with its memory pairs, and every juror judges the refined bids).
 */
function overheadBounds(cfg: ResolvedAuction, request: AuctionRequest, rounds: Rounds, spentUsd: number, bids: readonly Bid[] | undefined, hasMemory: boolean, capUsd: number) {
  const prefix = sharedPrefix(request.task, request.context).length;
  const planChars = (n: number): number => n * cfg.limits.bidMaxTokens * PLAN_CHARS_PER_TOKEN;
  const nBids = bids?.length ?? cfg.bidders.length;
  const allPlans = bids ? bids.reduce((s, b) => s + b.planText.length, 0) : planChars(nBids);
  const refiners = cfg.bidders.slice(0, -1);
  const { refiner, juryFor } = refinementBounds(cfg, request, rounds, hasMemory);
  const refinement = cfg.refinement.enabled && hasMemory && refiners.length ? sumOrUndefined([...refiners.map(refiner), juryFor(refiners.length)]) : undefined;
  return {
    capUsd,
    spentUsd: bids ? spentUsd : spentUsd + (sumOrUndefined(cfg.bidders.map((b) => callBoundUsd(b.spec.price, BID_SYSTEM.length + prefix, cfg.limits.bidMaxTokens))) ?? 0),
    jurors: rounds.jurors.map((j) => ({ id: j.spec.id, boundUsd: juryRoundBound(cfg, request, j, nBids, allPlans) })),
    // An unpriced refiner cannot be bounded: refinement then counts as unaffordable.
    refinementBoundUsd: refinement === undefined && cfg.refinement.enabled && hasMemory && refiners.length ? Number.POSITIVE_INFINITY : refinement,
  };
}

/** The worst case of one refiner's call, and of the second jury round over `k` refined plans (every kept juror). */
function refinementBounds(cfg: ResolvedAuction, request: AuctionRequest, rounds: Rounds, hasMemory: boolean) {
  const prefix = sharedPrefix(request.task, cfg.refinementContext).length;
  const planChars = (n: number): number => n * cfg.limits.bidMaxTokens * PLAN_CHARS_PER_TOKEN;
  return {
    refiner: (r: Rounds['jurors'][number]): number | undefined =>
      hasMemory ? callBoundUsd(r.spec.price, REFINE_SYSTEM.length + prefix + planChars(1) * (1 + 2 * cfg.refinement.topK), cfg.limits.bidMaxTokens) : undefined,
    juryFor: (k: number): number | undefined => sumOrUndefined(rounds.jurors.map((j) => juryRoundBound(cfg, request, j, k, planChars(k)))),
  };
}

/** The worst case of one juror's round over `n` plans of `chars` characters in all, in the configured style. */
function juryRoundBound(cfg: ResolvedAuction, request: AuctionRequest, juror: Rounds['jurors'][number], n: number, chars: number): number | undefined {
  // Jurors read the digest by default (contextDigest.ts): their calls are bounded on what they are sent.
  const juryPrefix = sharedPrefix(request.task, cfg.juryContext).length;
  return cfg.juryStyle === 'per-bid'
    ? sumOrUndefined(Array.from({ length: n }, () => callBoundUsd(juror.spec.price, BATCH_JURY_SYSTEM.length + juryPrefix + chars / Math.max(1, n) + FENCE_CHARS, cfg.limits.judgementMaxTokens)))
    : callBoundUsd(juror.spec.price, BATCH_JURY_SYSTEM.length + juryPrefix + chars + FENCE_CHARS * n, cfg.limits.judgementMaxTokens * n);
}

function sumOrUndefined(xs: readonly (number | undefined)[]): number | undefined {
  return xs.some((x) => x === undefined) ? undefined : xs.reduce<number>((s, x) => s + (x ?? 0), 0);
}
