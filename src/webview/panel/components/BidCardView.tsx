import { useState } from 'preact/hooks';
import type { BidCard } from '../../../common/protocol/auctionView';
import { firstLines, fixed, percent, price, recordText, recordTitle, tokens, usd } from '../format';
import { PredictionView } from './PredictionView';

interface Props {
  card: BidCard;
  /** The expected-utility rule ranked this auction: its terms (cost per success) lead the numbers. */
  byUtility?: boolean;
  isWinner: boolean;
  isProvisional: boolean;
  canRun: boolean;
  onRun: (bidId: string) => void;
}

/** One bid: who bid, every number behind its rank, the plan (collapsed to its first lines), and a run button. */
export function BidCardView({ card, byUtility = false, isWinner, isProvisional, canRun, onRun }: Props) {
  const [expanded, setExpanded] = useState(false);
  const plan = card.plan ? firstLines(card.plan, 4) : null;
  const planId = `plan-${card.bidId}`;
  const title = `${card.modelId}${card.kind === 'refined' ? ' (refined)' : ''}`;
  return (
    <article
      class={`bid-card${isWinner ? ' winner' : ''}${card.status === 'failed' ? ' failed' : ''}${!card.eligible && card.status !== 'failed' ? ' ineligible' : ''}`}
      aria-label={`Bid by ${title}${card.rank ? `, rank ${card.rank}` : ''}${isWinner ? ', winner' : ''}`}
      data-bid-id={card.bidId}
      data-model-id={card.modelId}
    >
      <header class="bid-head">
        <span class="rank" title="Rank">
          {card.rank ? `#${card.rank}` : card.status === 'bidding' ? <span class="codicon codicon-loading codicon-modifier-spin" aria-label="bidding" /> : '–'}
        </span>
        <span class="model">{card.modelId}</span>
        <span class={`badge ${card.local ? 'local' : 'remote'}`}>{card.local ? 'local' : 'remote'}</span>
        {card.kind === 'refined' && <span class="badge refined" title={card.learnedFrom.length ? `Learned from ${card.learnedFrom.join(', ')}` : 'Refined with auction memory'}>refined</span>}
        {isWinner && <span class="badge win"><span class="codicon codicon-star-full" aria-hidden="true" /> winner</span>}
        {!isWinner && isProvisional && <span class="badge provisional">leading</span>}
        <span class="price">{price(card)}</span>
      </header>

      {card.status === 'failed' && card.failure && (
        <p class="failure" role="status">
          <span class="codicon codicon-error" aria-hidden="true" /> {card.failure.reason}
        </p>
      )}

      {card.status !== 'failed' && (
        <dl class="numbers">
          {byUtility && <div><dt>cost per success</dt><dd class="cost-per-success" title="expected work ÷ predicted chance of success">{card.costPerSuccessUsd !== null ? usd(card.costPerSuccessUsd) : 'unknown'}</dd></div>}
          {card.prediction && <div><dt>success</dt><dd class="success-p">{percent(card.prediction.p)}</dd></div>}
          <div><dt>score</dt><dd class="score">{fixed(card.score, 4)}</dd></div>
          <div><dt>cost C</dt><dd title={card.costMode === 'paper' ? 'paper mode: output price × plan tokens' : 'w_c × log10(expected work / cheapest bid’s)'}>{fixed(card.costTerm, 4)}</dd></div>
          <div><dt>expected work</dt><dd class="work" title={card.work ? card.work.basis : 'unknown: no price, or no usage reported'}>{card.work ? usd(card.work.usd) : 'unknown'}</dd></div>
          <div><dt>value V</dt><dd>{fixed(card.valueTerm, 3)}{card.imputed ? '*' : ''}</dd></div>
          <div><dt>bid tokens</dt><dd>{bidTokens(card)}</dd></div>
          <div><dt>entropy</dt><dd title={card.confidence !== null ? `confidence ${fixed(card.confidence, 3)}` : 'no logprobs from this provider'}>{card.entropyNats !== null ? `${fixed(card.entropyNats, 3)} nats` : 'n/a'}</dd></div>
          <div><dt>jury</dt><dd>{card.juryMean !== null ? `${fixed(card.juryMean, 1)}/5` : '—'}</dd></div>
          {card.record && <div><dt>record</dt><dd class="record" title={recordTitle(card.record)}>{recordText(card.record)}</dd></div>}
          <div><dt>bid cost</dt><dd>{usd(card.dollars)}</dd></div>
        </dl>
      )}

      {card.judgements.length > 0 && (
        <ul class="jurors" aria-label="Jury scores">
          {card.judgements.map((j) => (
            <li key={j.jurorId} title={j.rationale} class="juror">
              {j.jurorId}
              {j.self ? ' (self)' : ''}: <strong>{j.score}</strong>
            </li>
          ))}
        </ul>
      )}

      {card.status !== 'failed' && (
        <p class="signals">
          signals: {[card.signals.entropy ? 'entropy' : null, card.signals.jurors.length ? `jury (${card.signals.jurors.length})` : null, card.signals.record ? 'record' : null, 'cost'].filter(Boolean).join(' + ')}
          {card.imputed ? ' · * value imputed (no signal)' : ''}
        </p>
      )}

      {card.status !== 'failed' && card.prediction && <PredictionView prediction={card.prediction} costPerSuccessUsd={card.costPerSuccessUsd} bidId={card.bidId} />}

      {card.status !== 'failed' && card.work && (
        <p class="work-basis">
          expected work {usd(card.work.usd)}: {tokens(Math.round(card.work.inputTokens))} input + {tokens(Math.round(card.work.outputTokens))} output tokens, {card.work.basis}
        </p>
      )}

      {!card.eligible && card.ineligibleReasons.length > 0 && <p class="ineligible-reason">Ineligible: {card.ineligibleReasons.join('; ')}</p>}

      {plan && (
        <div class="plan">
          <pre id={planId} class="plan-text">{expanded ? card.plan : plan.head}</pre>
          {plan.cut && (
            <button type="button" class="link" aria-expanded={expanded} aria-controls={planId} onClick={() => setExpanded(!expanded)}>
              {expanded ? 'Show less' : 'Show the whole plan'}
            </button>
          )}
        </div>
      )}

      {card.files.length > 0 && <p class="files">files: {card.files.join(', ')}</p>}

      {canRun && card.status === 'received' && (
        <div class="actions">
          <button type="button" class={isWinner ? 'primary' : 'secondary'} onClick={() => onRun(card.bidId)}>
            <span class="codicon codicon-play" aria-hidden="true" /> {isWinner ? 'Run the winner' : 'Run this bid instead'}
          </button>
        </div>
      )}
    </article>
  );
}

/** A received bid without a token count: its provider reported no usage (and no logprobs), so it is unknown, never 0. */
function bidTokens(card: BidCard): string {
  return card.status === 'received' && card.bidTokens === null ? 'unknown' : tokens(card.bidTokens);
}
