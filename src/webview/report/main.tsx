import '../shared/zodJitless';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CostReport, ExportFormat } from '../../common/protocol/report';
import { connectReport } from './reportChannel';
import { SpendChart } from './spendChart';
import { Summary, UnknownPrices } from './summary';
import { AuctionTable, DayTable, LocalityTable, ModelTable, PhaseTable } from './tables';
import { shortTime } from './format';

interface ViewState {
  report: CostReport | null;
}

function App() {
  const [status, setStatus] = useState<{ level: 'info' | 'error'; text: string } | null>(null);
  const [report, setReport] = useState<CostReport | null>(null);
  const channel = useMemo(
    () =>
      connectReport<ViewState>((m) => {
        if (m.type === 'report') {
          setReport(m.report);
          channel.setState({ report: m.report });
        } else setStatus({ level: m.level, text: m.text });
      }),
    [],
  );
  // A hidden-then-shown webview restarts its script: show the last report until the host resends it.
  useEffect(() => {
    const saved = channel.getState()?.report;
    if (saved) setReport((current) => current ?? saved);
  }, [channel]);
  const exportAs = (format: ExportFormat) => {
    setStatus(null);
    channel.post({ type: 'export', format });
  };

  return (
    <div class="report">
      <header class="toolbar">
        <div>
          <h1>Cost report{report ? ` · ${report.scope}` : ''}</h1>
          {report?.range ? (
            <p class="muted small" id="range">
              {shortTime(report.range.from)} to {shortTime(report.range.to)} (UTC)
            </p>
          ) : null}
        </div>
        <div class="actions" role="toolbar" aria-label="Report actions">
          <button type="button" class="secondary" onClick={() => channel.post({ type: 'refresh' })} aria-label="Refresh the report">
            <span class="codicon codicon-refresh" aria-hidden="true" /> Refresh
          </button>
          <button type="button" class="secondary" id="export-csv" disabled={!report} onClick={() => exportAs('csv')} aria-label="Export every call as CSV">
            <span class="codicon codicon-export" aria-hidden="true" /> Export CSV
          </button>
          <button type="button" class="secondary" id="export-json" disabled={!report} onClick={() => exportAs('json')} aria-label="Export the report as JSON">
            <span class="codicon codicon-json" aria-hidden="true" /> Export JSON
          </button>
        </div>
      </header>
      <p class={`status ${status?.level ?? ''}`} role="status" aria-live="polite" id="status">
        {status?.text ?? ''}
      </p>
      {report === null ? (
        <p class="muted" id="loading">
          Loading the ledger…
        </p>
      ) : (
        <div class="content">
          <UnknownPrices report={report} />
          <Summary report={report} />
          <section aria-labelledby="chart-title" class="chart-section">
            <h2 id="chart-title" class="section-title">
              Spend over time
            </h2>
            <SpendChart days={report.perDay} withCounterfactual={report.perDay.some((d) => d.counterfactualUsd !== null)} />
            <details>
              <summary>Spend per day as a table</summary>
              <DayTable days={report.perDay} />
            </details>
          </section>
          <div class="grid">
            <PhaseTable rows={report.byPhase} />
            <LocalityTable locality={report.locality} />
          </div>
          <ModelTable rows={report.byModel} />
          <AuctionTable rows={report.auctions} />
        </div>
      )}
    </div>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
