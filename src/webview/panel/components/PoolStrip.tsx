import type { PoolMemberView } from '../../../common/protocol/auctionView';
import type { PanelBudget } from '../../../common/protocol/panel';
import { poolPrice, usd } from '../format';

/** Today's spend and the budgets that apply, in one line. */
export function BudgetLine({ budget }: { budget: PanelBudget | null }) {
  if (!budget) return null;
  const limits = [
    budget.perTask !== null ? `${usd(budget.perTask)} per task` : null,
    budget.perDay !== null ? `${usd(budget.perDay)} per day` : null,
    budget.perWorkspace !== null ? `${usd(budget.perWorkspace)} for this workspace` : null,
  ].filter(Boolean);
  return (
    <p class="muted budget" id="budget">
      <span class="codicon codicon-credit-card" aria-hidden="true" /> Spent today: {usd(budget.spentToday)} · {limits.length ? `budget ${limits.join(', ')}` : 'no budget set'}
    </p>
  );
}

/** The models that will bid: local or remote, price, and which signals each supports. */
export function PoolStrip({ pool }: { pool: PoolMemberView[] }) {
  if (pool.length === 0) return null;
  const practice = pool.filter((m) => m.practice).length;
  return (
    <details class="pool" open={practice > 0}>
      <summary>
        Pool: {pool.length} model{pool.length === 1 ? '' : 's'} ({pool.filter((m) => m.local).length} local)
        {practice > 0 && (
          <span class="practice-note">
            {' '}
            · {practice === pool.length ? 'all' : practice} practice: scripted replies from a local test server, not real models
          </span>
        )}
      </summary>
      <ul aria-label="Pool">
        {pool.map((m) => (
          <li key={m.id}>
            <strong>{m.id}</strong> <span class={`badge ${m.local ? 'local' : 'remote'}`}>{m.local ? 'local' : 'remote'}</span>{' '}
            {m.practice && (
              <>
                <span class="badge practice" title="Scripted replies from SALE's local test server, not a real model">
                  practice
                </span>{' '}
              </>
            )}
            {m.provider === 'vscode-lm' && (
              <>
                <span class="badge vscode-lm" title="A model VS Code offers through its Language Model API">
                  VS Code{m.vendor ? `: ${m.vendor}` : ''}
                </span>{' '}
              </>
            )}
            {m.status === 'consent-refused' && (
              <>
                <span class="badge refused" title="VS Code refused SALE this model; SALE does not ask for it in auctions until you ask again (SALE: Ask Again for Language Model Access…)">
                  consent refused — ask again
                </span>{' '}
              </>
            )}
            {m.status === 'unavailable' && (
              <>
                <span class="badge unavailable" title="VS Code does not offer this model now (or this editor has no Language Model API)">
                  unavailable
                </span>{' '}
              </>
            )}
            <span class="muted">
              {poolPrice(m)} · logprobs{' '}
              {m.logprobs === null ? 'not probed' : m.logprobs ? 'yes' : 'no'} · {m.roles.join(', ')}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
