import type { AuctionRow, CostReport, DayRow, ModelRow, PhaseRow, SpendFigure } from '../../common/protocol/report';
import { Scroll } from '../shared/scroll';
import { OUTCOME_LABELS, PHASE_LABELS, pct, premium, shortTime, tokens, usd, usdAtLeast } from './format';

/** The dollars cell of a spend figure: "at least" and a marker when some of its calls have unknown prices. */
function Dollars({ f }: { f: SpendFigure }) {
  return (
    <td class="num">
      {usdAtLeast(f.knownUsd, f.unknownPriceCalls)}
      {f.unknownPriceCalls > 0 ? (
        <span class="unknown-mark" title={`${f.unknownPriceCalls} call(s) with unknown price`} aria-label={`${f.unknownPriceCalls} calls with unknown price`}>
          {' '}
          ?
        </span>
      ) : null}
    </td>
  );
}

export function ModelTable({ rows }: { rows: ModelRow[] }) {
  return (
    <Scroll label="Spend by model">
      <table id="by-model">
        <caption>By model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" class="num">Spend</th>
            <th scope="col" class="num">Calls</th>
            <th scope="col" class="num">Tokens in / out</th>
            <th scope="col" class="num">Executions</th>
            <th scope="col" class="num">Accept rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.modelId}>
              <th scope="row">
                <span class="model-id">{m.modelId}</span>
                <span class="muted small model-detail">
                  {m.model}
                  {m.local ? ' · local' : ''}
                  {m.priceSources.length > 0 ? ` · price: ${m.priceSources.join(', ')}` : ''}
                  {m.premiumRequests > 0 ? ` · ${premium(m.premiumRequests)}` : ''}
                </span>
              </th>
              <Dollars f={m} />
              <td class="num">
                {m.calls}
                {m.failedCalls > 0 ? <span class="muted small"> ({m.failedCalls} failed)</span> : null}
              </td>
              <td class="num">
                {tokens(m.inputTokens)} / {tokens(m.outputTokens)}
              </td>
              <td class="num">{m.executions}</td>
              <td class="num">{m.acceptRate === null ? '—' : `${pct(m.acceptRate)} (${m.accepted}/${m.decided})`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function PhaseTable({ rows }: { rows: PhaseRow[] }) {
  return (
    <Scroll label="Spend by phase">
      <table id="by-phase">
        <caption>By phase</caption>
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col" class="num">Spend</th>
            <th scope="col" class="num">Share</th>
            <th scope="col" class="num">Calls</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.phase} data-phase={p.phase}>
              <th scope="row">{PHASE_LABELS[p.phase] ?? p.phase}</th>
              <Dollars f={p} />
              <td class="num">
                <span class="bar" aria-hidden="true">
                  <span class="bar-fill" style={{ width: `${Math.round((p.share ?? 0) * 100)}%` }} />
                </span>
                {pct(p.share)}
              </td>
              <td class="num">
                {p.calls}
                {p.premiumRequests > 0 ? <span class="muted small premium"> · {premium(p.premiumRequests)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function LocalityTable({ locality }: { locality: CostReport['locality'] }) {
  const rows: [string, SpendFigure][] = [
    ['Local (this machine)', locality.local],
    ['Remote (provider APIs)', locality.remote],
  ];
  return (
    <Scroll label="Local versus remote spend">
      <table id="by-locality">
        <caption>Local versus remote</caption>
        <thead>
          <tr>
            <th scope="col">Where</th>
            <th scope="col" class="num">Spend</th>
            <th scope="col" class="num">Calls</th>
            <th scope="col" class="num">Tokens in / out</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, f]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <Dollars f={f} />
              <td class="num">{f.calls}</td>
              <td class="num">
                {tokens(f.inputTokens)} / {tokens(f.outputTokens)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function DayTable({ days }: { days: DayRow[] }) {
  return (
    <table id="per-day">
      <caption class="visually-hidden">Spend per day</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col" class="num">Spend</th>
          <th scope="col" class="num">Reference cost, accepted work</th>
          <th scope="col" class="num">Calls</th>
        </tr>
      </thead>
      <tbody>
        {days.map((d) => (
          <tr key={d.day}>
            <th scope="row">{d.day}</th>
            <td class="num">{usdAtLeast(d.knownUsd, d.unknownPriceCalls)}</td>
            <td class="num">{d.counterfactualUsd === null ? '—' : usd(d.counterfactualUsd)}</td>
            <td class="num">{d.calls}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuctionTable({ rows }: { rows: AuctionRow[] }) {
  if (rows.length === 0) return <p class="muted">No auctions yet.</p>;
  return (
    <Scroll label="Auctions">
      <table id="auctions">
        <caption>Auctions</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Task</th>
            <th scope="col">Executed by</th>
            <th scope="col">Outcome</th>
            <th scope="col" class="num">Cost</th>
            <th scope="col" class="num">Auction overhead</th>
            <th scope="col">Reference</th>
            <th scope="col">Verdict</th>
            <th scope="col" class="num">Saving</th>
            <th scope="col">Basis</th>
            <th scope="col" class="num">Regret</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => {
            const overhead = (a.byPhase.bidding ?? 0) + (a.byPhase.jury ?? 0) + (a.byPhase.refinement ?? 0);
            return (
              <tr key={a.auctionId} data-auction={a.auctionId}>
                <td class="nowrap">{shortTime(a.startedAt)}</td>
                <th scope="row" class="task" title={a.task ?? a.auctionId}>
                  {a.task ?? <span class="muted">{a.auctionId}</span>}
                </th>
                <td>{a.executedBy ?? <span class="muted">—</span>}</td>
                <td>
                  <span class={`outcome outcome-${a.outcome}`}>{OUTCOME_LABELS[a.outcome] ?? a.outcome}</span>
                </td>
                <Dollars f={a.spend} />
                <td class="num">{usd(overhead)}</td>
                <td>{a.referenceModelId ?? <span class="muted">none recorded</span>}</td>
                <td>{VERDICT_LABELS[a.verdict]}</td>
                <td class="num">{a.savingsUsd === null ? '—' : usd(a.savingsUsd)}</td>
                <td>{basisLabel(a)}</td>
                <td class="num">{a.regretUsd === null ? '—' : usd(a.regretUsd)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Scroll>
  );
}


const VERDICT_LABELS: Readonly<Record<AuctionRow['verdict'], string>> = {
  accepted: 'Accepted',
  'not-accepted': 'Not accepted',
  undecided: 'Undecided',
};

/** The saving's basis, with the shadow run's result when one ran (a failed shadow leaves the figure an estimate). */
function basisLabel(a: AuctionRow): string {
  const shadow = a.shadow === null ? '' : ` (shadow: ${SHADOW_LABELS[a.shadow]})`;
  return `${a.basis ?? '—'}${shadow}`;
}

const SHADOW_LABELS: Readonly<Record<NonNullable<AuctionRow['shadow']>, string>> = {
  passed: 'tests passed',
  failed: 'tests failed',
  'no-tests': 'no tests',
  cancelled: 'cancelled',
  error: 'error',
};
