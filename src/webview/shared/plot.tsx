import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** A theme colour from VS Code's CSS variables; uPlot draws on a canvas, so colours are read, not inherited. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Series colours in order, from the theme's chart palette (high-contrast themes set their own). */
export function seriesColor(i: number): string {
  const palette: [string, string][] = [
    ['--vscode-charts-blue', '#3794ff'],
    ['--vscode-charts-orange', '#d18616'],
    ['--vscode-charts-green', '#89d185'],
    ['--vscode-charts-purple', '#b180d7'],
    ['--vscode-charts-red', '#f14c4c'],
    ['--vscode-charts-yellow', '#cca700'],
  ];
  const [name, fallback] = palette[i % palette.length]!;
  return themeColor(name, fallback);
}

/** Axis styling from the theme: text in the foreground colour, grid and ticks in the chart line colour. */
export function themedAxis(): uPlot.Axis {
  const fg = themeColor('--vscode-foreground', '#616161');
  const grid = themeColor('--vscode-charts-lines', 'rgba(128,128,128,0.35)');
  const font = `11px ${themeColor('--vscode-font-family', 'sans-serif')}`;
  return { stroke: fg, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

/** What a chart draws at a given width: uPlot's options (without width) and its aligned data. */
export type PlotSpec = (width: number) => { options: Omit<uPlot.Options, 'width'>; data: uPlot.AlignedData };

interface Props {
  spec: PlotSpec;
  /** Redraw when any of these change. */
  deps: readonly unknown[];
  /** What the chart shows, for screen readers (the page has the figures as a table too). */
  label: string;
  id?: string;
}

const MIN_WIDTH = 280;

/**
 * A uPlot chart that follows VS Code: colours are read from the theme when drawn, and it redraws on resize and when
 * the theme changes (VS Code changes the body's class).
 */
export function Plot({ spec, deps, label, id }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let plot: uPlot | undefined;
    const width = () => Math.max(MIN_WIDTH, Math.floor(el.clientWidth));
    const draw = () => {
      plot?.destroy();
      const { options, data } = spec(width());
      plot = new uPlot({ ...options, width: width() }, data, el);
    };
    draw();
    const resize = new ResizeObserver(() => {
      if (plot && Math.abs(plot.width - width()) > 4) draw();
    });
    resize.observe(el);
    const theme = new MutationObserver(draw);
    theme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => {
      resize.disconnect();
      theme.disconnect();
      plot?.destroy();
    };
    // The caller names what the spec depends on (the spec itself is a new closure at every render).
  }, deps);
  return <div ref={host} class="chart" role="img" aria-label={label} {...(id ? { id } : {})} />;
}
