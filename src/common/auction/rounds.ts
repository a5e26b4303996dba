import type { ModelClient } from '../providers/types';
import { winnerSettled } from './adaptive';
import type { AuctionState } from './auctionState';
import { judgeBatch } from './batchJury';
import type { BidOutcome } from './bidding';
import { AbortFanout, type CallContext } from './calls';
import { createLimiter } from './concurrency';
import type { ResolvedAuction } from './config';
import { judgeBid } from './jury';
import type { AuctionDeps, AuctionRequest, Bid } from './types';
import { jurorWeight } from './weights';

/**
 * The bid and jury rounds.
 *
 * Per-bid style: a bid slot is held only for the bid call, and every usable bid goes straight to the jury (one
 * call per juror and bid), so the critical path is about one bid call plus one jury call.
 *
 * Batched style: the jury waits for the bids, but not forever: it starts when every bidder has answered, or
 * `bidGraceMs` after half of them have, whichever comes first; bids that arrive later are judged in a round of
 * their own. Each juror then scores all bids of the round in one call, jurors in parallel, and the round stops
 * early (outstanding calls aborted, their partial spend still charged) once the winner can no longer change.
 * Critical path: one bid round (bounded by the grace) + one jury call.
 */
export class Rounds {
  private readonly bidLimit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly juryLimit: <T>(task: () => Promise<T>) => Promise<T>;
  jurors: ModelClient[];
  /** Bids whose jury round is over: their scores can no longer move. */
  private readonly judged = new Set<string>();

  constructor(
    private readonly ctx: CallContext,
    private readonly cfg: ResolvedAuction,
    private readonly request: AuctionRequest,
    private readonly deps: AuctionDeps,
    private readonly state: AuctionState,
    /** Mark the shared prompt prefix for caching: only when a juror will send it more than once. */
    private readonly cachePrefix: () => boolean,
  ) {
    this.bidLimit = createLimiter(cfg.limits.bidConcurrency);
    this.juryLimit = createLimiter(cfg.limits.juryConcurrency);
    this.jurors = [...cfg.jurors];
  }

  /** Runs bid calls and has their bids judged in the configured style. `beforeJury` runs once, before the first jury call of a batched round. */
  async bids(calls: (() => Promise<BidOutcome | undefined>)[], beforeJury: (bids: Bid[]) => void = () => undefined): Promise<void> {
    if (this.cfg.juryStyle === 'per-bid') {
      await Promise.all(calls.map((c) => this.bidPerBid(c)));
      return;
    }
    const onTime: Bid[] = [];
    const late: Bid[] = [];
    let answered = 0;
    let cutoff = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const cut = (): void => {
      cutoff = true;
      release();
    };
    const all = Promise.all(
      calls.map(async (call) => {
        const outcome = await this.bidLimit(call);
        answered++;
        if (outcome?.ok) {
          this.state.addBid(outcome.bid);
          (cutoff ? late : onTime).push(outcome.bid);
        } else if (outcome) this.state.addFailedBid(outcome.failure);
        if (answered === calls.length) cut();
        else if (!cutoff && timer === undefined && answered * 2 >= calls.length) timer = setTimeout(cut, this.cfg.limits.bidGraceMs);
      }),
    // finally: a step that throws must still release the jury, never leave it waiting for the grace timer.
    ).finally(cut);
    try {
      await released;
      if (timer !== undefined) clearTimeout(timer);
      const firstRound = [...onTime];
      if (firstRound.length) beforeJury(firstRound);
      await Promise.all([
        this.judgeRound(firstRound),
        all.then(async () => {
          if (!late.length) return;
          this.state.addAdaptiveSkip({
            kind: 'late-bids',
            reason: `${late.length} bid${late.length > 1 ? 's' : ''} arrived after the jury had started (${this.cfg.limits.bidGraceMs} ms after half the bidders answered) and ${late.length > 1 ? 'were' : 'was'} judged in a round of ${late.length > 1 ? 'their' : 'its'} own`,
            dropped: late.map((b) => b.id).sort(),
          });
          await this.judgeRound(late);
        }),
      ]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** Per-bid style: runs a bid call under the bid limit, records the outcome, and (if usable) judges and scores it. */
  private async bidPerBid(call: () => Promise<BidOutcome | undefined>): Promise<void> {
    const outcome = await this.bidLimit(call);
    if (!outcome) return;
    if (!outcome.ok) {
      this.state.addFailedBid(outcome.failure);
      return;
    }
    this.state.addBid(outcome.bid);
    await Promise.all(this.jurors.map((juror) => this.juryLimit(() => this.judgeOne(juror, outcome.bid))));
    this.judged.add(outcome.bid.id);
    this.state.markScored(outcome.bid.id);
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
      context: this.cfg.juryContext,
      bid,
      maxTokens: this.cfg.limits.judgementMaxTokens,
      cachePrefix: this.cachePrefix(),
    });
    if (outcome.ok) this.state.addJudgement(outcome.judgement);
    else this.state.addFailedJudgement(outcome.failure);
  }

  /**
   * One batched jury round over `bids`: every juror one call, in parallel. After each juror's reply, if the
   * jurors still out could not change the winner whatever they say, their calls are aborted and the skip
   * recorded. Only this round's bids can still move; earlier rounds' scores are final.
   */
  private async judgeRound(bids: Bid[]): Promise<void> {
    if (!bids.length) return;
    const round = new AbortController();
    const follow = (): void => round.abort();
    if (this.ctx.signal.aborted) round.abort();
    else this.ctx.signal.addEventListener('abort', follow, { once: true });
    const roundCtx: CallContext = { ...this.ctx, signal: round.signal, aborts: new AbortFanout(round.signal) };
    const outstanding = new Set(this.jurors.map((j) => j.spec.id));
    const ids = new Set(bids.map((b) => b.id));
    let stopped = false;
    const cached = this.cachePrefix();
    try {
      await Promise.all(
        this.jurors.map((juror) =>
          this.juryLimit(async () => {
            const outcome = await judgeBatch(roundCtx, {
              juror,
              capabilities: this.deps.capabilities(juror.spec.id),
              auctionId: this.request.auctionId,
              task: this.request.task,
              context: this.cfg.juryContext,
              bids,
              maxTokensPerBid: this.cfg.limits.judgementMaxTokens,
              cachePrefix: cached,
            });
            outstanding.delete(juror.spec.id);
            if (stopped) return;
            for (const j of outcome.judgements) this.state.addJudgement(j);
            for (const f of outcome.failures) this.state.addFailedJudgement(f);
            if (outcome.ignored.length) this.deps.logger?.topic('auction').warn(`juror ${juror.spec.id}: ${outcome.ignored.join('; ')}`);
            if (outstanding.size && !this.ctx.signal.aborted && this.settled(ids, outstanding)) {
              stopped = true;
              const left = [...outstanding].sort();
              this.state.addAdaptiveSkip({
                kind: 'jury-stopped-early',
                reason: `the winner could no longer change whatever ${left.join(', ')} would say, so ${left.length > 1 ? 'their calls were' : 'its call was'} stopped (the spend so far is charged)`,
                dropped: left,
              });
              round.abort();
            }
          }),
        ),
      );
    } finally {
      this.ctx.signal.removeEventListener('abort', follow);
    }
    for (const b of [...bids].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      this.judged.add(b.id);
      this.state.markScored(b.id);
    }
  }

  private settled(roundBids: ReadonlySet<string>, outstanding: ReadonlySet<string>): boolean {
    // The bounds below are on the score. When the expected-utility rule ranks, a juror still out moves the
    // chance of success too, so the jury is never stopped early there.
    if (this.cfg.weights.rule === 'expected-utility' && this.state.hasTrackRecord()) return false;
    const jurorIds = this.state.jurorIds();
    const weightOf = (ids: Iterable<string>): number => [...ids].reduce((s, id) => s + jurorWeight(this.cfg.weights, id, jurorIds), 0);
    const remaining = weightOf(outstanding);
    // A bid of no finished round (a late bid still to be judged) can still get every juror's score.
    const unjudged = weightOf(jurorIds);
    return winnerSettled(this.state.rank(), (bidId) => (roundBids.has(bidId) ? remaining : this.judged.has(bidId) ? 0 : unjudged));
  }
}
