import type uPlot from 'uplot';
import type { CostPoint, InsightMetric, JurorInsight, ModelTimeline } from '../../common/protocol/insights';
import { Plot, seriesColor, themeColor, themedAxis } from '../shared/plot';
import { pct, usd } from '../report/format';

const DAY = 86_400;
const share = (_u: uPlot, v: number | null) => (v === null ? '—' : pct(v));
const shareAxis = (_u: uPlot, splits: number[]) => splits.map((s) => `${Math.round(s * 100)}%`);

/** The dashed "perfect" reference line y = x. */
function diagonal(label: string): uPlot.Series {
  return { label, stroke: themeColor('--vscode-descriptionForeground', '#888'), width: 1, dash: [4, 4], points: { show: false }, value: share };
}

/** Sorted distinct values. */
function distinct(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

/**
 * Each juror's reliability: its Likert score read as a chance (score / 5, in five bins) against the observed
 * success rate of the bids it scored. A calibrated juror lies on the diagonal.
 */
export function ReliabilityChart({ jurors }: { jurors: JurorInsight[] }) {
  const label = `Reliability of ${jurors.length} juror(s): score / 5 against the observed success rate; "Reliability as a table" below lists the figures.`;
  return (
    <Plot
      id="reliability-chart"
      label={label}
      deps={[jurors]}
      spec={() => {
        const xs = distinct([0, 1, ...jurors.flatMap((j) => j.reliability.map((b) => b.meanPredicted))]);
        const data: uPlot.AlignedData = [xs, xs];
        const series: uPlot.Series[] = [{ value: share }, diagonal('Perfectly calibrated')];
        jurors.forEach((j, i) => {
          const byX = new Map(j.reliability.map((b) => [b.meanPredicted, b.observed.rate ?? null]));
          const color = seriesColor(i);
          series.push({ label: j.jurorId, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 8, stroke: color, fill: color }, value: share });
          data.push(xs.map((x) => byX.get(x) ?? null));
        });
        const axis = themedAxis();
        return {
          data,
          options: {
            height: 260,
            series,
            scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
            axes: [
              { ...axis, label: 'score / 5', values: shareAxis },
              { ...axis, label: 'observed success', size: 56, values: shareAxis },
            ],
            legend: { show: true, live: false },
            cursor: { drag: { x: false, y: false } },
          },
        };
      }}
    />
  );
}

/** Each model's cumulative rate of `metric` over time (one point per auction that moved it). */
export function RatesChart({ timeline, metric, metricLabel }: { timeline: ModelTimeline[]; metric: InsightMetric; metricLabel: string }) {
  const withData = timeline.filter((t) => t[metric].length > 0);
  const label = `${metricLabel} of ${withData.length} model(s) over time; the model table lists the figures.`;
  if (withData.length === 0) return <p class="muted" id="rates-empty">No {metricLabel.toLowerCase()} to show yet.</p>;
  return (
    <Plot
      id="rates-chart"
      label={label}
      deps={[timeline, metric]}
      spec={() => {
        const seconds = (iso: string) => Date.parse(iso) / 1000;
        const xs = distinct(withData.flatMap((t) => t[metric].map((p) => seconds(p.time))));
        const data: uPlot.AlignedData = [xs];
        const series: uPlot.Series[] = [{}];
        withData.forEach((t, i) => {
          const byX = new Map(t[metric].map((p) => [seconds(p.time), p.n > 0 ? p.successes / p.n : null]));
          const color = seriesColor(i);
          series.push({ label: t.modelId, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 6, stroke: color, fill: color }, value: share });
          data.push(xs.map((x) => byX.get(x) ?? null));
        });
        const min = xs[0]!;
        const max = xs[xs.length - 1]!;
        const axis = themedAxis();
        return {
          data,
          options: {
            height: 240,
            series,
            // One auction alone gets a day of margin either side, instead of uPlot's months.
            scales: { x: { time: true, range: () => (min === max ? [min - DAY, max + DAY] : [min, max]) }, y: { range: [0, 1] } },
            axes: [{ ...axis }, { ...axis, size: 56, values: shareAxis }],
            legend: { show: true, live: false },
            cursor: { drag: { x: false, y: false } },
          },
        };
      }}
    />
  );
}

/** Expected against actual execution dollars of each executed bid with a verdict; on the diagonal the estimate was right. */
export function CostChart({ points }: { points: CostPoint[] }) {
  const label = `Expected against actual execution cost of ${points.length} run(s); the list of runs below the cost table gives each one.`;
  if (points.length === 0) return <p class="muted" id="cost-empty">No run has both an expected and a measured cost yet.</p>;
  return (
    <Plot
      id="cost-chart"
      label={label}
      deps={[points]}
      spec={() => {
        const sorted = [...points].sort((a, b) => a.expectedUsd - b.expectedUsd);
        const xs = sorted.map((p) => p.expectedUsd);
        const top = Math.max(...sorted.map((p) => Math.max(p.expectedUsd, p.actualUsd)), 0) * 1.1 || 1;
        const dollars = (_u: uPlot, v: number | null) => (v === null ? '—' : usd(v));
        // Failures are hollow rings, successes filled dots: the two differ by shape, not by colour alone.
        const dot = (name: string, fallback: string, label: string, hollow: boolean): uPlot.Series => {
          const color = themeColor(name, fallback);
          const inside = hollow ? themeColor('--vscode-editor-background', 'transparent') : color;
          return { label, stroke: color, fill: inside, paths: () => null, points: { show: true, size: hollow ? 10 : 9, width: hollow ? 2 : 1, stroke: color, fill: inside }, value: dollars };
        };
        const axis = themedAxis();
        const axisUsd = (_u: uPlot, splits: number[]) => splits.map((s) => (s === 0 ? '$0' : usd(s)));
        return {
          data: [xs, xs, sorted.map((p) => (p.success ? p.actualUsd : null)), sorted.map((p) => (p.success ? null : p.actualUsd))],
          options: {
            height: 260,
            series: [{ value: dollars }, { ...diagonal('Actual = expected'), value: dollars }, dot('--vscode-charts-green', '#89d185', 'Succeeded', false), dot('--vscode-charts-red', '#f14c4c', 'Failed', true)],
            scales: { x: { time: false, range: [0, top] }, y: { range: [0, top] } },
            axes: [
              { ...axis, label: 'expected', values: axisUsd },
              { ...axis, label: 'actual', size: 64, values: axisUsd },
            ],
            legend: { show: true, live: false },
            cursor: { drag: { x: false, y: false } },
          },
        };
      }}
    />
  );
}
