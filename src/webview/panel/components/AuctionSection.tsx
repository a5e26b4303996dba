import type { AuctionView } from '../../../common/protocol/auctionView';
import type { Ask, Post } from '../actions';
import { usd } from '../format';
import { BidRanking } from './BidRanking';
import { MemoryRetrievalNote } from './MemoryRetrievalNote';

const phaseLabel: Record<AuctionView['phase'], string> = {
  bidding: 'Models are bidding…',
  jury: 'The jury is scoring the bids…',
  refinement: 'Cheaper models are refining their bids…',
  done: 'Done',
};

interface Props {
  auction: AuctionView;
  post: Post;
  ask: Ask;
  /** The bids whose rows are expanded into their full cards. */
  expanded: ReadonlySet<string>;
  onToggle: (bidId: string) => void;
}

/** The live auction: status and cost so far, the compact ranking of the bids (each row opens its full card), then the winner and why. */
export function AuctionSection({ auction, post, ask, expanded, onToggle }: Props) {
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

      <OvershootNotice cost={c} />

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

      <BidRanking
        cards={auction.cards}
        winnerId={auction.winner?.bidId ?? null}
        provisionalId={auction.provisionalWinner}
        canRun={!running && auction.status === 'completed'}
        byUtility={auction.decision.rule === 'expected-utility' && !auction.decision.ruleFellBack}
        onRun={(bidId) => void ask('runBid', { bidId, auctionId: auction.auctionId })}
        expanded={expanded}
        onToggle={onToggle}
      />

      {auction.winner && (
        <div class="winner-box" id="winner">
          <p class="winner-title">
            <span class="codicon codicon-star-full" aria-hidden="true" /> Winner: <strong id="winner-model">{auction.winner.modelId}</strong>
          </p>
          <p class="decision-line" id="decision">{decisionLine(auction.decision)}</p>
          {auction.why && <p id="why" class="why">{auction.why}</p>}
          <div class="actions">
            <button type="button" class="primary" onClick={() => auction.winner && void ask('runBid', { bidId: auction.winner.bidId, auctionId: auction.auctionId })}>
              <span class="codicon codicon-play" aria-hidden="true" /> Run the winner
            </button>
            <button type="button" class="secondary" onClick={() => void ask('reauction', {})}>
              <span class="codicon codicon-refresh" aria-hidden="true" /> Re-auction
            </button>
          </div>
        </div>
      )}

      <AdaptiveNotes adaptive={auction.adaptive} />
      {auction.refinement.ran && <RefinementNote refinement={auction.refinement} cards={auction.cards} />}
      <MemoryRetrievalNote note={auction.retrievalNote} />
    </section>
  );
}

const adaptiveLabel: Record<AuctionView['adaptive'][number]['kind'], string> = {
  'overhead-cap': 'Overhead cap',
  'jury-stopped-early': 'Jury stopped early',
  refinement: 'Refinement skipped',
  'late-bids': 'Late bids',
};

/** What the auction left out to keep its own cost down, and why: the panel's account of every adaptive skip. */
function AdaptiveNotes({ adaptive }: { adaptive: AuctionView['adaptive'] }) {
  if (adaptive.length === 0) return null;
  return (
    <section class="adaptive-notes" id="adaptive-notes" aria-label="What the auction left out to save cost">
      <h3>What the auction left out to save cost</h3>
      <ul>
        {adaptive.map((a, i) => (
          <li key={i} data-kind={a.kind}>
            <strong>{adaptiveLabel[a.kind]}</strong>: {a.reason}
          </li>
        ))}
      </ul>
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

/**
 * Says when a provider did not keep to the limits SALE set: a call that wrote past its output cap or cost more
 * than was reserved for it, and an auction that ended over its cap because of such calls. Nothing when all kept.
 */
function OvershootNotice({ cost }: { cost: AuctionView['cost'] }) {
  const overCap = cost.capUsd !== null && cost.total.usd > cost.capUsd * (1 + 1e-9);
  if (!overCap && cost.overshoots.length === 0) return null;
  const ignoredCap = cost.overshoots.some((o) => o.outputTokens > o.maxTokens);
  return (
    <div class="notice warning" id="auction-overshoot" role="alert">
      <p>
        <span class="codicon codicon-warning" aria-hidden="true" /> {overCap ? `This auction spent ${usd(cost.total.usd)}, over its cap of ${usd(cost.capUsd)}.` : 'A call went past the limits SALE set.'}
      </p>
      <ul>
        {cost.overshoots.map((o, i) => (
          <li key={i}>
            <strong>{o.modelId}</strong> ({o.phase}){' '}
            {o.outputTokens > o.maxTokens
              ? `wrote ${o.outputTokens.toLocaleString('en-US')} output tokens against a limit of ${o.maxTokens.toLocaleString('en-US')}${o.usd !== null ? `; the call cost ${usd(o.usd)}` : ''}`
              : `cost ${usd(o.usd)}: its prompt counted more tokens than SALE estimated`}
            {o.reservedUsd !== null ? ` (at most ${usd(o.reservedUsd)} was reserved for it)` : ''}.
          </li>
        ))}
      </ul>
      {ignoredCap && <p>Its server did not keep to the output limit. Consider taking this model out of the bidder and juror roles (SALE: Manage Models).</p>}
    </div>
  );
}

/** Which rule picked the winner (`sale.auction.rule`), in words. */
function decisionLine(d: AuctionView['decision']): string {
  if (d.rule === 'score') return 'Decided by the score (cost − value, lowest wins).';
  if (d.ruleFellBack) return 'Expected utility was asked for, but the bids lacked predicted chances of success to compare: decided by the score (the reason is in "why").';
  const q = d.qualityPreference;
  const lean = q === 0 ? 'cheapest per success' : q === 1 ? 'best chance of success' : `quality preference ${q.toFixed(2)} (0 = cheapest per success, 1 = best chance of success)`;
  return `Decided by expected utility: ${lean}.`;
}
