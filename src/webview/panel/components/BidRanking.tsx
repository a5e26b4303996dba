import { useRef, useState } from 'preact/hooks';
import type { BidCard } from '../../../common/protocol/auctionView';
import { type Figure, costFigure, juryFigure, nextRow, pendingText, rowState, scoreFigure, successFigure } from '../ranking';
import { BidCardView } from './BidCardView';

interface Props {
  /** Best first, as the host sorts them. */
  cards: readonly BidCard[];
  winnerId: string | null;
  provisionalId: string | null;
  canRun: boolean;
  /** The ranking was decided by expected utility: the cards lead with cost per success. */
  byUtility?: boolean;
  onRun: (bidId: string) => void;
  expanded: ReadonlySet<string>;
  onToggle: (bidId: string) => void;
}

/**
 * The compact ranking: one row per bid, best first (rank, model, expected cost, predicted success, jury, score), each
 * a disclosure button that expands into the bid's full card. The rows are one tab stop: Up/Down (Home/End) move
 * between them, Enter/Space toggle; the focused row's run button follows it in the tab order.
 */
export function BidRanking({ cards, winnerId, provisionalId, canRun, byUtility = false, onRun, expanded, onToggle }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const active = Math.max(0, cards.findIndex((c) => c.bidId === activeId));

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const target = nextRow(index, e.key, cards.length);
    if (target === null) return;
    e.preventDefault();
    list.current?.querySelectorAll<HTMLButtonElement>('.row-toggle')[target]?.focus();
  };

  return (
    <div class="ranking-box">
      {cards.some((c) => rowState(c) === 'ranked') && (
        // Column titles for sighted users; every cell carries its own label for screen readers.
        <div class="ranking-head" aria-hidden="true">
          <span title="expected execution cost">cost</span>
          <span title="predicted chance of success, with its 90% interval">success</span>
          <span title="mean jury score out of 5">jury</span>
          <span title="C − V, lowest wins">score</span>
        </div>
      )}
      <ol class="ranking" id="bids" aria-label="Bids, best first" ref={list}>
        {cards.map((card, i) => {
          const open = expanded.has(card.bidId);
          const isWinner = winnerId === card.bidId;
          const state = rowState(card);
          const rowId = `row-${card.bidId}`;
          const detailId = `detail-${card.bidId}`;
          const runnable = canRun && card.status === 'received';
          return (
            <li
              key={card.bidId}
              class={`bid-row ${state}${isWinner ? ' winner' : ''}${open ? ' open' : ''}${!card.eligible && state !== 'failed' ? ' ineligible' : ''}`}
              data-bid-id={card.bidId}
              data-model-id={card.modelId}
              data-state={state}
            >
              <div class="row-line">
                <button
                  type="button"
                  class="row-toggle"
                  id={rowId}
                  aria-expanded={open}
                  aria-controls={detailId}
                  tabIndex={i === active ? 0 : -1}
                  onFocus={() => setActiveId(card.bidId)}
                  onKeyDown={(e) => onKeyDown(e, i)}
                  onClick={() => onToggle(card.bidId)}
                >
                  <span class="row-top">
                    <span class={`codicon codicon-chevron-${open ? 'down' : 'right'}`} aria-hidden="true" />
                    <span class="rank">{card.rank ? `#${card.rank}` : '–'}</span>
                    <Mark card={card} isWinner={isWinner} isLeading={!winnerId && provisionalId === card.bidId} />
                    <span class="model" title={card.modelId}>
                      {card.modelId}
                      {card.kind === 'refined' ? ' (refined)' : ''}
                    </span>
                  </span>
                  {state === 'ranked' ? (
                    <span class="row-figures">
                      <FigureCell name="cost" label="cost" figure={costFigure(card)} />
                      <FigureCell name="success" label="success" figure={successFigure(card)} />
                      <FigureCell name="jury" label="jury" figure={juryFigure(card)} />
                      <FigureCell name="score" label="score" figure={scoreFigure(card)} />
                    </span>
                  ) : (
                    <span class="row-figures pending" title={card.failure?.reason}>
                      {state === 'failed' ? (
                        <span class="codicon codicon-error" aria-hidden="true" />
                      ) : (
                        <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" />
                      )}
                      <span class="pending-text">{pendingText(card)}</span>
                    </span>
                  )}
                </button>
                {runnable && (
                  <button
                    type="button"
                    class={`icon-button row-run${isWinner ? ' primary-run' : ''}`}
                    tabIndex={i === active ? 0 : -1}
                    aria-label={isWinner ? `Run the winner, ${card.modelId}` : `Run this bid instead, ${card.modelId}`}
                    title={isWinner ? 'Run the winner' : 'Run this bid instead'}
                    onClick={() => onRun(card.bidId)}
                  >
                    <span class="codicon codicon-play" aria-hidden="true" />
                  </button>
                )}
              </div>
              {open && (
                <div class="bid-detail" id={detailId} role="region" aria-labelledby={rowId}>
                  <BidCardView card={card} byUtility={byUtility} isWinner={isWinner} isProvisional={provisionalId === card.bidId} canRun={canRun} onRun={onRun} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** Winner, leader so far, or ineligible: an icon with its words for screen readers and on hover, never colour alone. */
function Mark({ card, isWinner, isLeading }: { card: BidCard; isWinner: boolean; isLeading: boolean }) {
  if (isWinner) return <Icon name="star-full" cls="mark winner-mark" words="winner" />;
  if (!card.eligible && card.status !== 'failed') {
    return <Icon name="circle-slash" cls="mark ineligible-mark" words={`ineligible: ${card.ineligibleReasons.join('; ') || 'no reason given'}`} />;
  }
  if (isLeading) return <Icon name="star-empty" cls="mark leading-mark" words="leading so far" />;
  return null;
}

function Icon({ name, cls, words }: { name: string; cls: string; words: string }) {
  return (
    <span class={cls} title={words}>
      <span class={`codicon codicon-${name}`} aria-hidden="true" />
      <span class="visually-hidden">{words}</span>
    </span>
  );
}

/** One figure: its label (for screen readers; the column titles show it), the value, and its interval when it has one; the tooltip says what it rests on. */
function FigureCell({ name, label, figure }: { name: string; label: string; figure: Figure }) {
  return (
    <span class={`figure fig-${name}`} title={figure.title}>
      <span class="visually-hidden">{label} </span>
      <span class="fig-value">{figure.text}</span>
      {figure.detail && <span class="fig-detail"> {figure.detail}</span>}
    </span>
  );
}
