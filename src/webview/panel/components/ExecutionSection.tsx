import { useEffect, useRef } from 'preact/hooks';
import type { ExecutionStepView, ExecutionView } from '../../../common/protocol/executionView';
import type { Ask, Post } from '../actions';
import { tokens, usd } from '../format';
import { ReviewList } from './ReviewList';

const stepIcon: Record<ExecutionStepView['kind'], string> = { text: 'comment', tool: 'tools', read: 'eye', command: 'terminal', edit: 'edit', error: 'error' };

const statusText = (e: ExecutionView): string => {
  switch (e.status) {
    case 'running':
      return e.awaitingApproval ? `${e.modelId} is waiting for your approval` : `${e.modelId} is working… step ${e.steps}`;
    case 'finished':
      return `${e.modelId} finished`;
    case 'limit':
      return `${e.modelId} stopped at the ${e.limit ?? ''} limit`;
    case 'cancelled':
      return 'Run cancelled';
    case 'failed':
      return 'Run failed';
  }
};

/** The winner's run: status and cost so far, every step as it happens, then the review of its edits. */
export function ExecutionSection({ execution, post, ask }: { execution: ExecutionView; post: Post; ask: Ask }) {
  const running = execution.status === 'running';
  const ref = useRef<HTMLElement>(null);
  // A new run scrolls into view: the user just asked for it, and the bids above can be long.
  useEffect(() => ref.current?.scrollIntoView({ block: 'start' }), [execution.runId]);
  return (
    <section class="execution" aria-label="Execution of the winning bid" aria-busy={running} ref={ref}>
      <div class="status-line" role="status" aria-live="polite">
        <span id="execution-status" data-status={execution.status}>
          {running && <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" />} {statusText(execution)}
        </span>
        <span class="cost-so-far" id="execution-cost">
          {tokens(execution.tokens)} tokens · {execution.dollars === null ? 'cost unknown' : usd(execution.dollars)}
        </span>
        {running && (
          <button type="button" class="secondary" id="cancel-execution" onClick={() => post({ type: 'cancelExecution' })}>
            Cancel
          </button>
        )}
      </div>
      {execution.attempt > 1 && (
        <p class="muted small" id="execution-attempt">
          Attempt {execution.attempt}
          {execution.escalatedFrom ? ` · escalated from bid ${execution.escalatedFrom}` : ''}
        </p>
      )}
      {execution.awaitingApproval && (
        <p class="approval" role="alert">
          <span class="codicon codicon-shield" aria-hidden="true" /> Approve or deny in the dialog: <code>{execution.awaitingApproval.command}</code>
        </p>
      )}
      <details class="steps" open={running || execution.files.length === 0}>
        <summary>Steps ({execution.log.length})</summary>
        <ol class="step-list" aria-label="Agent steps">
          {execution.log.map((l, i) => (
            <li key={i} class={`step ${l.kind} ${l.status}`} data-kind={l.kind}>
              <span class={`codicon codicon-${stepIcon[l.kind]}`} aria-hidden="true" />
              <span class="step-label">{l.label}</span>
              {l.status !== 'done' && <span class="badge">{l.status}</span>}
              {l.detail && <span class="step-detail">{l.detail}</span>}
            </li>
          ))}
        </ol>
      </details>
      {execution.summary !== null && (
        <div class="summary">
          <h2 class="label">Summary</h2>
          <p id="execution-summary" class="task-text">
            {execution.summary}
          </p>
        </div>
      )}
      {execution.error && (
        <div class="error-box" role="alert">
          <p>{execution.error.message}</p>
        </div>
      )}
      {(execution.files.length > 0 || execution.outcome) && <ReviewList execution={execution} ask={ask} />}
      {!running && execution.escalation && <EscalationOffer execution={execution} ask={ask} />}
    </section>
  );
}

/** After a failed attempt: the next-ranked bid not tried yet, and the button that runs it (or why there is none). */
function EscalationOffer({ execution, ask }: { execution: ExecutionView; ask: Ask }) {
  const offer = execution.escalation;
  if (!offer) return null;
  return (
    <div class="escalation" id="escalation" role="status">
      <p id="escalation-note">{offer.note}</p>
      {offer.next && (
        <button
          type="button"
          id="try-next-bid"
          title={`Run the bid of ${offer.next.modelId} (attempt ${offer.next.attempt}); its agent is told what failed`}
          onClick={() => void ask('tryNextBid', execution.auctionId ? { auctionId: execution.auctionId } : {})}
        >
          <span class="codicon codicon-debug-restart" aria-hidden="true" /> Try the next bid ({offer.next.modelId})
        </button>
      )}
    </div>
  );
}
