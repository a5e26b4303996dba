import '../shared/zodJitless';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { insightsProtocol, type InsightMetric, type InsightsExportFormat, type RoutingInsights } from '../../common/protocol/insights';
import { pct, shortTime } from '../report/format';
import { connectChannel } from '../shared/channel';
import { exportStatus, failureStatus } from '../shared/exportStatus';
import { StatusLine, ViewToolbar } from '../shared/toolbar';
import { CostChart, RatesChart, ReliabilityChart } from './charts';
import { CostTable, JurorTable, ModelTable, ReplaySection, WeightsSection } from './tables';

interface ViewState {
  insights: RoutingInsights | null;
  metric?: InsightMetric;
}

const METRICS: { id: InsightMetric; label: string }[] = [
  { id: 'wins', label: 'Win rate' },
  { id: 'success', label: 'Success rate' },
  { id: 'accept', label: 'Accept rate' },
  { id: 'testsPassed', label: 'Tests-passed rate' },
];

function App() {
  const [status, setStatus] = useState<{ level: 'info' | 'error'; text: string } | null>(null);
  const [insights, setInsights] = useState<RoutingInsights | null>(null);
  const [metric, setMetric] = useState<InsightMetric>('success');
  const channel = useMemo(
    () =>
      connectChannel<typeof insightsProtocol, ViewState>(insightsProtocol, (m) => {
        if (m.type === 'insights') {
          setInsights(m.insights);
          channel.setState({ ...channel.getState(), insights: m.insights });
        } else setStatus({ level: m.level, text: m.text });
      }),
    [],
  );
  // A hidden-then-shown webview restarts its script: show the last insights until the host resends them.
  useEffect(() => {
    const saved = channel.getState();
    if (saved?.insights) setInsights((current) => current ?? saved.insights);
    if (saved?.metric) setMetric(saved.metric);
  }, [channel]);
  const refresh = () => {
    setStatus(null);
    channel.post({ type: 'refresh' });
  };
  const exportAs = (format: InsightsExportFormat) => {
    setStatus(null);
    void exportStatus(channel.request('export', { format })).then(setStatus);
  };
  const fit = () => {
    setStatus(null);
    channel.request('fitWeights', {}).then(
      (r) => setStatus({ level: 'info', text: r.message }),
      (e: unknown) => setStatus(failureStatus(e)),
    );
  };
  const pickMetric = (m: InsightMetric) => {
    setMetric(m);
    channel.setState({ insights, ...channel.getState(), metric: m });
  };
  const metricLabel = METRICS.find((m) => m.id === metric)?.label ?? '';

  return (
    <div class="report insights">
      <ViewToolbar
        label="Insights actions"
        refreshLabel="Refresh the insights"
        csvLabel="Export CSV: every executed bid with a verdict"
        jsonLabel="Export JSON: the insights and their data"
        canExport={insights !== null}
        onRefresh={refresh}
        onExport={exportAs}
        extra={
          <button type="button" class="secondary" id="fit-weights" onClick={fit} title="Fit the auction weights to this workspace's outcomes; you see the replay before anything changes">
            <span class="codicon codicon-settings" aria-hidden="true" /> Fit weights…
          </button>
        }
      >
        <h1>Routing insights{insights ? ` · ${insights.scope}` : ''}</h1>
        {insights?.range ? (
          <p class="muted small" id="range">
            {insights.auctions} auction(s) from {shortTime(insights.range.from)} to {shortTime(insights.range.to)} (UTC){insights.truncated ? ', the most recent only' : ''}
          </p>
        ) : null}
      </ViewToolbar>
      <StatusLine status={status} />
      {insights === null ? (
        status?.level === 'error' ? null : (
          <p class="muted" id="loading">
            Reading the auction memory…
          </p>
        )
      ) : (
        <div class="content">
          <p id="summary">
            <strong>{insights.observations}</strong> executed bid(s) with a verdict, <strong>{insights.successes}</strong> succeeded
            {insights.observations ? ` (${pct(insights.successes / insights.observations)})` : ''}, over {insights.auctions} auction(s). Every rate shows its counts and a
            90% interval.
          </p>
          {insights.observations === 0 ? (
            <p class="warning" id="no-verdicts">
              <span class="codicon codicon-info" aria-hidden="true" />
              <span>
                Nothing to learn from yet: an auction counts once its winner (or another bid) has run and you accepted or rejected the work, or ran the tests after applying it.
                Run "Auction this task", then "Run the winner" and review.
              </span>
            </p>
          ) : null}
          <section aria-labelledby="jurors-title">
            <h2 id="jurors-title" class="section-title">
              Jurors: do their scores predict success?
            </h2>
            {insights.jurors.length ? (
              <>
                <ReliabilityChart jurors={insights.jurors} />
                <JurorTable jurors={insights.jurors} />
              </>
            ) : (
              <p class="muted">No juror has scored a bid with a verdict yet.</p>
            )}
          </section>
          <section aria-labelledby="models-title">
            <h2 id="models-title" class="section-title">
              Models over time
            </h2>
            <label class="metric">
              Rate{' '}
              <select id="rate-metric" value={metric} onChange={(e) => pickMetric(e.currentTarget.value as InsightMetric)}>
                {METRICS.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            <RatesChart timeline={insights.timeline} metric={metric} metricLabel={metricLabel} />
            <ModelTable models={insights.models} />
          </section>
          <section aria-labelledby="cost-title">
            <h2 id="cost-title" class="section-title">
              Expected versus actual execution cost
            </h2>
            <CostChart points={insights.costPoints} />
            <CostTable models={insights.models} points={insights.costPoints} />
          </section>
          <section aria-labelledby="weights-title">
            <h2 id="weights-title" class="section-title">
              Auction weights and their replay
            </h2>
            <WeightsSection weights={insights.weights} />
            {insights.replay ? <ReplaySection replay={insights.replay} /> : <p class="muted" id="no-replay">Fit the weights to see how they would have routed these auctions before you adopt them.</p>}
          </section>
        </div>
      )}
    </div>
  );
}

const root = document.getElementById('root');
if (root) render(<App />, root);
