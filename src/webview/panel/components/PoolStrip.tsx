import type { PoolMemberView } from '../../../common/protocol/auctionView';
import type { PanelBudget } from '../../../common/protocol/panel';
import { usd } from '../format';

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
            <span class="muted">
              {m.priceOutPerMTok === null ? 'price unknown' : `$${m.priceInPerMTok ?? '?'} in / $${m.priceOutPerMTok} out per Mtok`} · logprobs{' '}
              {m.logprobs === null ? 'not probed' : m.logprobs ? 'yes' : 'no'} · {m.roles.join(', ')}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
