import '../shared/zodJitless';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { reportProtocol, type CostReport, type ExportFormat } from '../../common/protocol/report';
import { connectChannel } from '../shared/channel';
import { exportStatus } from '../shared/exportStatus';
import { StatusLine, ViewToolbar } from '../shared/toolbar';
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
      connectChannel<typeof reportProtocol, ViewState>(reportProtocol, (m) => {
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
    void exportStatus(channel.request('export', { format })).then(setStatus);
  };

  return (
    <div class="report">
      <ViewToolbar
        label="Report actions"
        refreshLabel="Refresh the report"
        csvLabel="Export CSV: every model call"
        jsonLabel="Export JSON: the report and every call"
        canExport={report !== null}
        onRefresh={() => channel.post({ type: 'refresh' })}
        onExport={exportAs}
      >
        <h1>Cost report{report ? ` · ${report.scope}` : ''}</h1>
        {report?.range ? (
          <p class="muted small" id="range">
            {shortTime(report.range.from)} to {shortTime(report.range.to)} (UTC)
          </p>
        ) : null}
      </ViewToolbar>
      <StatusLine status={status} />
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
