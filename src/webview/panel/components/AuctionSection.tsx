import type { AuctionView } from '../../../common/protocol/auctionView';
import type { ViewToHost } from '../../../common/protocol/panel';
import { usd } from '../format';
import { BidCardView } from './BidCardView';

const phaseLabel: Record<AuctionView['phase'], string> = {
  bidding: 'Models are bidding…',
  jury: 'The jury is scoring the bids…',
  refinement: 'Cheaper models are refining their bids…',
  done: 'Done',
};

/** The live auction: status and cost so far, the winner and why, then every bid card, best first. */
export function AuctionSection({ auction, post }: { auction: AuctionView; post: (m: ViewToHost) => void }) {
  const running = auction.status === 'running';
  const c = auction.cost;
  const unpriced = c.total.unpricedCalls > 0;
  return (
    <section class="auction" aria-label="Auction" aria-busy={running}>
      <div class="status-line" role="status" aria-live="polite">
        <span id="auction-status" data-status={auction.status}>
          {running && <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" />}{' '}
          {auction.status === 'running' ? phaseLabel[auction.phase] : auction.status === 'completed' ? 'Auction complete' : auction.status === 'cancelled' ? 'Auction cancelled' : 'Auction failed'}
        </span>
        <span class="cost-so-far" id="auction-cost" title={`bidding ${usd(c.bidding.usd)} · jury ${usd(c.jury.usd)} · refinement ${usd(c.refinement.usd)}`}>
          {unpriced ? 'at least ' : ''}
          {usd(c.total.usd)} · {c.total.calls} calls
        </span>
        {running && (
          <button type="button" class="secondary" onClick={() => post({ type: 'cancelAuction' })}>
            Cancel
          </button>
        )}
      </div>

      <table class="phase-costs" aria-label="Auction cost by phase">
        <tbody>
          <tr><th scope="row">bidding</th><td>{usd(c.bidding.usd)}</td><td>{c.bidding.calls} calls</td></tr>
          <tr><th scope="row">jury</th><td>{usd(c.jury.usd)}</td><td>{c.jury.calls} calls</td></tr>
          <tr><th scope="row">refinement</th><td>{usd(c.refinement.usd)}</td><td>{c.refinement.calls} calls</td></tr>
        </tbody>
      </table>

      {auction.error && (
        <div class="error-box" role="alert">
          <p>{auction.error.message}</p>
          {auction.error.reasons.length > 0 && (
            <ul>
              {auction.error.reasons.map((r) => (
                <li key={r.modelId}>
                  <strong>{r.modelId}</strong>: {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {auction.winner && (
        <div class="winner-box" id="winner">
          <p class="winner-title">
            <span class="codicon codicon-star-full" aria-hidden="true" /> Winner: <strong id="winner-model">{auction.winner.modelId}</strong>
          </p>
          <p class="decision-line" id="decision">{decisionLine(auction.decision)}</p>
          {auction.why && <p id="why" class="why">{auction.why}</p>}
          <div class="actions">
            <button type="button" class="primary" onClick={() => auction.winner && post({ type: 'runBid', bidId: auction.winner.bidId, auctionId: auction.auctionId })}>
              <span class="codicon codicon-play" aria-hidden="true" /> Run the winner
            </button>
            <button type="button" class="secondary" onClick={() => post({ type: 'reauction' })}>
              <span class="codicon codicon-refresh" aria-hidden="true" /> Re-auction
            </button>
          </div>
        </div>
      )}

      {auction.refinement.ran && <RefinementNote refinement={auction.refinement} cards={auction.cards} />}

      <div class="cards" id="bids" aria-label="Bids, best first">
        {auction.cards.map((card) => (
          <BidCardView
            key={card.bidId}
            card={card}
            byUtility={auction.decision.rule === 'expected-utility' && !auction.decision.ruleFellBack}
            isWinner={auction.winner?.bidId === card.bidId}
            isProvisional={auction.provisionalWinner === card.bidId}
            canRun={!running && auction.status === 'completed'}
            onRun={(bidId) => post({ type: 'runBid', bidId, auctionId: auction.auctionId })}
          />
        ))}
      </div>
    </section>
  );
}

/** Who tried to outbid the leader, and why a candidate did not (no similar past auction, a failure). */
function RefinementNote({ refinement, cards }: { refinement: AuctionView['refinement']; cards: AuctionView['cards'] }) {
  const refined = cards.filter((c) => c.kind === 'refined' && c.status === 'received').map((c) => c.modelId);
  return (
    <p class="muted" id="refinement-note">
      {refined.length > 0 ? `Refinement: ${refined.join(', ')} refined ${refined.length === 1 ? 'its bid' : 'their bids'} from past auctions. ` : 'Refinement: no refined bid. '}
      {refinement.skipped.map((s) => `${s.modelId ?? 'all'}: ${s.reason}`).join('; ')}
    </p>
  );
}

/** Which rule picked the winner (`sale.auction.rule`), in words. */
function decisionLine(d: AuctionView['decision']): string {
  if (d.rule === 'score') return 'Decided by the score (cost − value, lowest wins).';
  if (d.ruleFellBack) return 'Expected utility was asked for, but not every bid had a predicted chance of success: decided by the score.';
  const q = d.qualityPreference;
  const lean = q === 0 ? 'cheapest per success' : q === 1 ? 'best chance of success' : `quality preference ${q.toFixed(2)} (0 = cheapest per success, 1 = best chance of success)`;
  return `Decided by expected utility: ${lean}.`;
}
