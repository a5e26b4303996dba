// The cost-vs-pass@1 chart of one pool, drawn by Vega-Lite and rendered to SVG headlessly (no browser, no canvas).
import type { TopLevelSpec } from 'vega-lite';
import type { PoolResults } from './index';
import { paretoFront } from './experiments';

function shortName(router: string): string {
  return router
    .replace(/^always /, '')
    .replace(/ \(reads outcomes: the limit\)/, '')
    .replace(/ \(BM25, online bandit; tuned on held-out fold\)/, '')
    .replace(/ \(RouteLLM-style; tuned on held-out fold\)/, '')
    .replace(/ \(shipped defaults: refinement, jury of all\)/, ' (shipped)')
    .replace(/, cheap jury \(output <= \$2\/Mtok\)/, ', cheap jury')
    .replace(/learned escalation, first attempt only/, 'learned esc. 1st attempt');
}

/** The Vega-Lite spec: every pass@1 router, their frontier, and SALE's pass@1 as the signal quality grows. */
export function frontierSpec(p: PoolResults, poolId: string, publishedQuality: number): TopLevelSpec {
  const points = p.passAt1.map((r) => ({ router: shortName(r.router), cost: r.costUsd.mean, pass: 100 * r.passAt1.mean, kind: r.kind }));
  // Labels of points that sit close together are stacked downwards so they stay readable.
  const placed: { cost: number; y: number }[] = [];
  const labels = [...points]
    .sort((a, b) => b.pass - a.pass)
    .map((pt) => {
      let y = pt.pass;
      while (placed.some((q) => Math.abs(Math.log10(q.cost) - Math.log10(pt.cost)) < 0.25 && Math.abs(q.y - y) < 1.6)) y -= 1.6;
      placed.push({ cost: pt.cost, y });
      return { ...pt, y };
    });
  const front = paretoFront(points.map((x) => ({ ...x, resolved: x.pass, costUsd: x.cost })));
  const top = Math.max(...p.qualitySweep.map((s) => s.quality));
  const sweep = p.qualitySweep.map((s) => ({
    series: s.jury === 'panel' ? 'SALE (shipped defaults: batched jury panel of 3) as signal quality d grows' : 'SALE (shipped weights, cheap jury) as signal quality d grows',
    cost: s.costUsd.mean,
    pass: 100 * s.passAt1.mean,
    quality: s.quality,
    label: s.quality === publishedQuality ? `AUROC ${s.auroc.juror.toFixed(2)}: published range` : s.quality === 0 || s.quality === top ? `AUROC ${s.auroc.juror.toFixed(2)}` : '',
  }));
  const x = { field: 'cost', type: 'quantitative' as const, scale: { type: 'log' as const, domain: [10, 600] }, title: 'total cost over 500 tasks, $ (log scale; auction calls included)' };
  const y = { field: 'pass', type: 'quantitative' as const, scale: { domain: [30, 90] }, title: 'pass@1, % (first attempt only)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Cost vs pass@1 on real SWE-bench Verified outcomes: ${poolId} pool`, subtitle: 'Outcomes and execution costs recorded; SALE bid signals modelled (AUROC = one juror\'s, measured)' },
    width: 720,
    height: 440,
    layer: [
      { data: { values: front }, mark: { type: 'line', color: '#999', strokeDash: [4, 3] }, encoding: { x, y, order: { field: 'cost' } } },
      { data: { values: sweep }, mark: { type: 'line', point: true, opacity: 0.7 }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null }, order: { field: 'quality' } } },
      { data: { values: sweep }, mark: { type: 'text', dy: -9, fontSize: 9, color: '#555' }, encoding: { x, y, text: { field: 'label' } } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y, shape: { field: 'kind', type: 'nominal', title: 'router kind' }, color: { value: '#222' } } },
      { data: { values: labels }, mark: { type: 'text', align: 'left', dx: 7, dy: 3, fontSize: 10 }, encoding: { x, y: { ...y, field: 'y' }, text: { field: 'router' } } },
    ],
    config: { legend: { orient: 'bottom', columns: 1, labelLimit: 500 } },
  };
}

export async function frontierSvg(p: PoolResults, poolId: string, publishedQuality: number): Promise<string> {
  // Vega is ESM-only with top-level await, so it is loaded with a dynamic import (this file compiles to CommonJS).
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(frontierSpec(p, poolId, publishedQuality)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
