import '../shared/zodJitless';
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { panelProtocol, type PanelState } from '../../common/protocol/panel';
import { connectChannel } from '../shared/channel';
import type { Ask } from './actions';
import { AuctionSection } from './components/AuctionSection';
import { ExecutionSection } from './components/ExecutionSection';
import { ContextFiles } from './components/ContextFiles';
import { Notice } from './components/Notice';
import { BudgetLine, PoolStrip } from './components/PoolStrip';
import { type ExpandedBids, expandedIn, toggleBid } from './ranking';

/** What the webview keeps across a reload (VS Code's webview state): the draft task and the expanded bid rows. */
interface ViewState {
  draft: string;
  expanded?: ExpandedBids | null;
}

function App() {
  const [state, setState] = useState<PanelState | null>(null);
  const channel = useMemo(
    () =>
      connectChannel<typeof panelProtocol, ViewState>(panelProtocol, (m) => {
        if (m.type === 'state') setState(m.state);
      }),
    [],
  );
  // The last request the host could not carry out, in its words (a bid that cannot run, a review already closed).
  const [failure, setFailure] = useState<string | null>(null);
  const ask: Ask = useCallback(
    async (method, params) => {
      setFailure(null);
      try {
        return await channel.request(method, params);
      } catch (e) {
        setFailure(e instanceof Error ? e.message : String(e));
        return undefined;
      }
    },
    [channel],
  );
  const [draft, setDraft] = useState(() => channel.getState()?.draft ?? '');
  // Every row starts collapsed, the winner's too: five rows then fit a side bar, and the winner box says why it won.
  const [expanded, setExpanded] = useState<ExpandedBids | null>(() => channel.getState()?.expanded ?? null);
  useEffect(() => channel.setState({ draft, expanded }), [draft, expanded, channel]);

  const submit = (e: Event) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    // Refused (too long, the host could not start it): the text comes back to the box, unless a new one is typed.
    void ask('submitTask', { text }).then((started) => {
      if (started === undefined) setDraft((now) => now || text);
    });
  };

  const task = state?.task ?? null;
  return (
    <div class="panel">
      <form class="task-form" onSubmit={submit} aria-label="New task">
        <label for="task-input" class="label">
          Task
        </label>
        <textarea
          id="task-input"
          rows={3}
          value={draft}
          placeholder="Describe a coding task; every model in the pool will bid a plan for it."
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
          }}
        />
        <ContextFiles files={state?.contextFiles ?? []} post={channel.post} />
        <button type="submit" class="primary" disabled={!draft.trim()} title="Auction this task (Ctrl+Enter)">
          <span class="codicon codicon-law" aria-hidden="true" /> Auction this task
        </button>
      </form>
      {state && <PoolStrip pool={state.pool} />}
      {state && <BudgetLine budget={state.budget} />}
      {state?.notice && <Notice notice={state.notice} post={channel.post} />}
      <section class="current" aria-live="polite" aria-label="Current task">
        {state === null ? (
          <p class="muted" id="status">
            Connecting…
          </p>
        ) : task ? (
          <article class="task-card">
            <h2 class="label">Task</h2>
            <p id="task-text" class="task-text">
              {task.text}
            </p>
            <p class="muted">
              {task.selection ? `From ${task.selection.file}:${task.selection.startLine}-${task.selection.endLine} · ` : ''}
              {new Date(task.receivedAt).toLocaleTimeString()}
            </p>
          </article>
        ) : (
          <p class="muted" id="status">
            No task yet. Run <strong>SALE: Auction this task</strong> or type one above.
          </p>
        )}
      </section>
      {/* Once the winner runs, its steps and the review come first; the auction below is the context. */}
      {state?.execution && <ExecutionSection execution={state.execution} post={channel.post} ask={ask} />}
      {state?.auction && (
        <AuctionSection
          auction={state.auction}
          post={channel.post}
          ask={ask}
          expanded={expandedIn(expanded, state.auction.auctionId)}
          onToggle={(bidId) => {
            const auctionId = state.auction?.auctionId;
            if (auctionId) setExpanded((saved) => toggleBid(saved, auctionId, bidId));
          }}
        />
      )}
      {failure !== null && (
        <div class="action-failure" id="action-failure" role="alert">
          <span class="codicon codicon-error" aria-hidden="true" />
          <p>{failure}</p>
          <button type="button" class="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => setFailure(null)}>
            <span class="codicon codicon-close" aria-hidden="true" />
          </button>
        </div>
      )}
    </div>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
