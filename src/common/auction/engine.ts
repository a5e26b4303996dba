import { nullLogger } from '../log';
import type { ModelClient } from '../providers/types';
import { AuctionState, winnerOf } from './auctionState';
import { requestBid, type BidOutcome } from './bidding';
import { SpendTracker } from './budget';
import { AbortFanout, type CallContext } from './calls';
import { createLimiter } from './concurrency';
import { resolveAuction, type ResolvedAuction } from './config';
import { NoBidsError } from './errors';
import { EventSink } from './events';
import { explainWin } from './explain';
import { judgeBid } from './jury';
import { BID_SYSTEM, bidPrompt } from './prompts';
import { refineBid, refinementCandidates } from './refinement';
import type { AuctionDeps, AuctionRequest, AuctionResult, AuctionWinner, Bid } from './types';
import { auctionCapUsd, taskBudget } from '../ledger/taskBudget';
import { loadExecutionHistory } from './workCost';

/**
 * Runs one strategy auction (SALE): bids in parallel, each bid judged as soon as it arrives (jurors in parallel
 * under a concurrency limit), scoring, one refinement pass by cheaper models, the winner and why.
 *
 * Resolves with status 'completed' (winner set) or 'cancelled' (partial results, no winner) and throws
 * NoBidsError when no bid is usable and eligible (the error carries each bidder's reason and the partial result)
 * or InvalidAuctionRequestError for a request that cannot run. Every model call goes to `deps.calls`.
 */
export async function runAuction(request: AuctionRequest, deps: AuctionDeps, signal?: AbortSignal): Promise<AuctionResult> {
  const cfg = resolveAuction(request, deps.clients);
  const logger = (deps.logger ?? nullLogger).topic('auction');
  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });

  const iso = (): string => new Date(deps.now()).toISOString();
  const events = new EventSink(request.auctionId, deps.now, deps.onEvent, logger);
  // One task budget: the auction may spend what is left of it (and no more than its own cap).
  const task = taskBudget(cfg.budget.taskLimitUsd, { spentUsd: cfg.budget.taskSpentUsd ?? 0, executionUsd: 0, unknownPriceCalls: 0 });
  const spend = new SpendTracker(auctionCapUsd(task, cfg.budget.auctionCapUsd));
  const ctx: CallContext = { auctionId: request.auctionId, signal: controller.signal, aborts: new AbortFanout(controller.signal), calls: deps.calls, spend, events, now: deps.now };
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
    },
    events,
    spend,
  );

  try {
    events.emit({ type: 'auction-started', task: request.task, bidders: cfg.bidders.map((b) => b.spec.id), jurors: jurorIds, weights: cfg.weights });
    for (const modelId of cfg.missing) {
      state.addFailedBid({ bidId: `${modelId}#original`, modelId, kind: 'original', code: 'no-client', reason: 'no client is configured for this model' });
    }
    const rounds = new Rounds(ctx, cfg, request, deps, state);
    // Asked once, while the bids are out: no bid is scored before it answers, and it adds no round of its own.
    const historyQuery = { task: request.task, modelIds: cfg.bidders.map((b) => b.spec.id) };
    const history = loadExecutionHistory(deps.executionHistory, historyQuery, controller.signal, logger).then((h) => state.setExecutionHistory(h));

    await Promise.all(
      cfg.bidders.map((client) =>
        rounds.bid(() =>
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
      ),
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
    else {
      const memory = deps.memory;
      const { candidates, skipped } = refinementCandidates(leader, state.originalBids(), cfg.clientOf);
      state.refinement.skipped.push(...skipped);
      for (const s of skipped) events.emit({ type: 'refinement-skipped', ...s });
      if (candidates.length > 0) {
        state.refinement.ran = true;
        state.refinement.candidates = candidates.map((c) => c.client.spec.id);
        events.emit({ type: 'refinement-started', provisionalWinner: leader.bidId, candidates: state.refinement.candidates });
        await Promise.all(
          candidates.map(({ client, ownBid }) =>
            rounds.bid(async () => {
              const outcome = await refineBid(ctx, {
                client,
                capabilities: deps.capabilities(client.spec.id),
                ownBid,
                memory,
                task: request.task,
                context: request.context,
                topK: cfg.refinement.topK,
                maxTokens: cfg.limits.bidMaxTokens,
                logprobsTopK: cfg.limits.logprobsTopK,
              });
              if (outcome.ok !== 'skipped') return outcome;
              state.refinement.skipped.push(outcome.skip);
              events.emit({ type: 'refinement-skipped', ...outcome.skip });
              return undefined;
            }),
          ),
        );
      }
    }
    if (controller.signal.aborted) return finishCancelled(state, events, iso(), provisionalWinner);

    const ranking = state.rank();
    const top = ranking[0];
    if (!top?.eligible) throw new NoBidsError(state.bidderReasons(ranking), state.result('completed', iso(), { ranking }));
    const winner = winnerOf(top);
    const why = explainWin(ranking, state.allBids());
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

/**
 * The two rounds as a pipeline: a bid slot is held only for the bid call, and every usable bid goes straight to
 * the jury, so the critical path is about one bid call plus one jury call, not a sum over models.
 */
class Rounds {
  private readonly bidLimit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly juryLimit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly ctx: CallContext,
    private readonly cfg: ResolvedAuction,
    private readonly request: AuctionRequest,
    private readonly deps: AuctionDeps,
    private readonly state: AuctionState,
  ) {
    this.bidLimit = createLimiter(cfg.limits.bidConcurrency);
    this.juryLimit = createLimiter(cfg.limits.juryConcurrency);
  }

  /** Runs a bid call under the bid limit, records the outcome, and (if usable) judges and scores it. */
  async bid(call: () => Promise<BidOutcome | undefined>): Promise<void> {
    const outcome = await this.bidLimit(call);
    if (!outcome) return;
    if (!outcome.ok) {
      this.state.addFailedBid(outcome.failure);
      return;
    }
    this.state.addBid(outcome.bid);
    await this.judge(outcome.bid);
  }

  private async judge(bid: Bid): Promise<void> {
    await Promise.all(this.cfg.jurors.map((juror) => this.juryLimit(() => this.judgeOne(juror, bid))));
    this.state.markScored(bid.id);
  }

  private async judgeOne(juror: ModelClient, bid: Bid): Promise<void> {
    if (this.ctx.signal.aborted) {
      this.state.addFailedJudgement({ jurorId: juror.spec.id, bidId: bid.id, code: 'cancelled', reason: 'cancelled before the call started' });
      return;
    }
    const outcome = await judgeBid(this.ctx, {
      juror,
      capabilities: this.deps.capabilities(juror.spec.id),
      task: this.request.task,
      context: this.request.context,
      bid,
      maxTokens: this.cfg.limits.judgementMaxTokens,
    });
    if (outcome.ok) this.state.addJudgement(outcome.judgement);
    else this.state.addFailedJudgement(outcome.failure);
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
