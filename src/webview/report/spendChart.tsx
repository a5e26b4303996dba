import uPlot from 'uplot';
import type { DayRow } from '../../common/protocol/report';
import { Plot, themeColor, themedAxis } from '../shared/plot';
import { usd } from './format';

interface Props {
  days: DayRow[];
  /** Whether to draw the counterfactual series (the accepted auctions' reference cost per day). */
  withCounterfactual: boolean;
}

const DAY = 86_400;
const HALF_DAY = DAY / 2;
/** Tick steps of the time axis: whole days only, so every label is a distinct date. */
const DAY_STEPS = [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

function axisUsd(v: number): string {
  return v === 0 ? '$0' : v >= 0.01 ? `$${v.toFixed(2)}` : `$${v.toPrecision(1)}`;
}

function dayToSeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/**
 * Spend per day as a uPlot chart: real spend as bars, the counterfactual (the accepted auctions' cost had
 * each one's recorded reference model done the task) as markers.
 */
export function SpendChart({ days, withCounterfactual }: Props) {
  const summary =
    days.length === 0
      ? 'No spend recorded yet.'
      : `Spend per day from ${days[0]?.day} to ${days[days.length - 1]?.day}; the table below lists the values.`;
  if (days.length === 0) return <div class="chart" role="img" aria-label={summary} />;
  return (
    <Plot
      label={summary}
      deps={[days, withCounterfactual]}
      spec={() => {
        const blue = themeColor('--vscode-charts-blue', '#3794ff');
        const orange = themeColor('--vscode-charts-orange', '#d18616');
        const axis = themedAxis();
        const series: uPlot.Series[] = [
          {},
          {
            label: 'Spend',
            stroke: blue,
            fill: blue,
            width: 1,
            paths: uPlot.paths.bars?.({ size: [0.6, 48] }),
            points: { show: false },
            value: (_u, v) => (v === null ? '—' : usd(v)),
          },
        ];
        const xs = days.map((d) => dayToSeconds(d.day));
        const xMin = Math.min(...xs);
        const xMax = Math.max(...xs);
        const data: uPlot.AlignedData = [xs, days.map((d) => d.knownUsd)];
        if (withCounterfactual) {
          // Markers only: a line through the days without executions would suggest a trend that is not there.
          series.push({
            label: 'Accepted work on its reference model',
            stroke: orange,
            width: 2,
            paths: () => null,
            fill: orange,
            points: { show: true, size: 9, width: 2, stroke: orange, fill: orange },
            value: (_u, v) => (v === null ? '—' : usd(v)),
          });
          data.push(days.map((d) => d.counterfactualUsd));
        }
        return {
          data,
          options: {
            height: 220,
            series,
            scales: {
              // Half a day of margin on both sides, so the first and last day's bars are not cut in half.
              // uPlot widens a single-point time scale to months; a first day alone gets a week's window instead.
              x: { time: true, range: () => (xMin === xMax ? [xMin - 3 * DAY, xMax + 3 * DAY] : [xMin - HALF_DAY, xMax + HALF_DAY]) },
              y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
            },
            axes: [
              { ...axis, incrs: DAY_STEPS, values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(5, 10)) },
              { ...axis, size: 64, values: (_u, splits) => splits.map((s) => axisUsd(s)) },
            ],
            legend: { show: true, live: false },
            cursor: { drag: { x: false, y: false } },
          },
        };
      }}
    />
  );
}
