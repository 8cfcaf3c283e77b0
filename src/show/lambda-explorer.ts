import type { SeriesPoint } from '../evaluate/summary';
import { meanStd } from '../evaluate/mean-std';
import { OptionError } from '../options/option-error';
import { escapePlotlyText } from './escape';
import { thinIndices, type Figure, type PlotlyTrace } from './figure';

/** One run of a λ × seeds grid, as {@link lambdaExplorer} reads it (a SweepRun of runSweep / lambdaSweep fits). */
export interface ExplorerRun {
  /** λ of the run: a number, or "auto" (per-constraint multipliers; shown after the numbers). */
  lambda: number | 'auto';
  seed: string | number;
  result: {
    rolling: { window: number; series: readonly SeriesPoint[] };
    metrics: { f1: number; accuracy: number };
    constraints: { violationRate: number };
  };
}

/** Options for {@link lambdaExplorer}. */
export interface LambdaExplorerOptions {
  /** Figure title (plain text, escaped). Default "λ explorer: rolling metrics and the λ sweep". */
  title?: string;
  /** The λ shown first. Default: the smallest. */
  lambda?: number | 'auto';
  /** The seed shown first. Default: the first run's. */
  seed?: string | number;
  /** Each rolling series is thinned to at most this many points. Default 200. */
  maxPoints?: number;
  /** Numbers are rounded to this many significant digits. Default 5. */
  digits?: number;
  /** Pixels. Default 820. */
  height?: number;
}

function round(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

const COLORS = { f1: '#1f77b4', accuracy: '#2ca02c', bayes: '#7f7f7f', violation: '#d62728' };

/**
 * One plotly figure to explore a λ × seeds grid without a kernel: a slider over the λ values and a
 * dropdown over the seeds. The top panel shows the rolling F1 and accuracy of the run at the chosen
 * (λ, seed), with that stream's rolling Bayes F1; the bottom panel is the λ sweep — F1 and violation
 * rate against λ, mean ± std over seeds, the chosen seed's own values as markers and the chosen λ
 * marked by a vertical line. Every run is in the figure already: the slider and the dropdown only
 * restyle it (plotly's own `update`/`restyle` methods, no callback code), so it works in every
 * front-end that draws plotly JSON and in an HTML export. The slider sets which λ's traces are opaque
 * (and in the legend), the dropdown which seed's traces are visible, so the two never disagree.
 * Seeds and the title are escaped for plotly's labels.
 */
export function lambdaExplorer(runs: readonly ExplorerRun[] | { runs: readonly ExplorerRun[] }, options: LambdaExplorerOptions = {}): Figure {
  const list: readonly ExplorerRun[] = Array.isArray(runs) ? runs : (runs as { runs: readonly ExplorerRun[] }).runs;
  if (!Array.isArray(list) || list.length === 0) throw new OptionError('runs', 'lambdaExplorer: runs must be a non-empty array of λ × seed runs (e.g. lambdaSweep(...) or its .runs)');
  const digits = options.digits ?? 5;
  const maxPoints = options.maxPoints ?? 200;
  const lambdas = [...new Set(list.map((r) => r.lambda))].sort((a, b) => (a === 'auto' ? 1 : b === 'auto' ? -1 : a - b));
  const seeds = [...new Set(list.map((r) => r.seed))];
  const key = (lambda: number | 'auto', seed: string | number) => `${lambda}\u0000${typeof seed}:${seed}`;
  const byKey = new Map<string, ExplorerRun>();
  for (const r of list) {
    if (r.lambda !== 'auto' && (typeof r.lambda !== 'number' || !Number.isFinite(r.lambda))) throw new OptionError('runs', `lambdaExplorer: a run's lambda must be a finite number or "auto", got ${String(r.lambda)}`);
    const k = key(r.lambda, r.seed);
    if (byKey.has(k)) throw new OptionError('runs', `lambdaExplorer: two runs for λ = ${r.lambda}, seed ${String(r.seed)}: pass the runs of one λ × seeds grid`);
    byKey.set(k, r);
  }
  for (const l of lambdas) {
    for (const s of seeds) if (!byKey.has(key(l, s))) throw new OptionError('runs', `lambdaExplorer: no run for λ = ${l}, seed ${String(s)}: the grid must be complete`);
  }
  const lambda0 = options.lambda ?? lambdas[0]!;
  const l0 = lambdas.indexOf(lambda0);
  if (l0 < 0) throw new OptionError('lambda', `lambdaExplorer: lambda ${lambda0} is not one of the runs' (${lambdas.join(', ')})`);
  const s0 = options.seed === undefined ? 0 : seeds.indexOf(options.seed);
  if (s0 < 0) throw new OptionError('seed', `lambdaExplorer: seed ${String(options.seed)} is not one of the runs' (${seeds.join(', ')})`);

  const lambdaLabel = (l: number | 'auto') => escapePlotlyText(String(l));
  const seedLabel = (s: string | number) => escapePlotlyText(`seed ${s}`);
  const categories = lambdas.map((l) => `λ = ${lambdaLabel(l)}`);

  const data: PlotlyTrace[] = [];
  /** Per trace: the λ index it belongs to (null: every λ), the seed index (null: every seed). */
  const owner: { lambda: number | null; seed: number | null }[] = [];
  const add = (trace: PlotlyTrace, lambda: number | null, seed: number | null) => {
    data.push(trace);
    owner.push({ lambda, seed });
  };
  const series = (points: readonly SeriesPoint[], pick: (p: SeriesPoint) => number) => {
    const idx = thinIndices(points.length, maxPoints);
    return { x: idx.map((i) => points[i]!.index), y: idx.map((i) => round(pick(points[i]!), digits)) };
  };
  const mode = (n: number) => (n <= 30 ? 'lines+markers' : 'lines') as 'lines' | 'lines+markers';

  // Top panel: the rolling metrics of each (λ, seed), and each seed's rolling Bayes F1.
  seeds.forEach((seed, j) => {
    lambdas.forEach((l, i) => {
      const points = byKey.get(key(l, seed))!.result.rolling.series;
      const f1 = series(points, (p) => p.f1);
      const acc = series(points, (p) => p.accuracy);
      add({ type: 'scatter', name: 'rolling F1', x: f1.x, y: f1.y, mode: mode(f1.x.length), line: { color: COLORS.f1 } }, i, j);
      add({ type: 'scatter', name: 'rolling accuracy', x: acc.x, y: acc.y, mode: mode(acc.x.length), line: { color: COLORS.accuracy, dash: 'dot' } }, i, j);
    });
    const points = byKey.get(key(lambdas[0]!, seed))!.result.rolling.series;
    if (points.length > 0 && points.every((p) => typeof p.bayesF1 === 'number')) {
      const b = series(points, (p) => p.bayesF1 as number);
      add({ type: 'scatter', name: 'rolling F1 (Bayes ceiling)', x: b.x, y: b.y, mode: mode(b.x.length), line: { color: COLORS.bayes, dash: 'dash' } }, null, j);
    }
  });

  // Bottom panel: the λ sweep over seeds, and the chosen seed's own points.
  const runsAt = (l: number) => seeds.map((s) => byKey.get(key(l, s))!.result);
  const f1 = lambdas.map((l) => meanStd(runsAt(l).map((r) => r.metrics.f1)));
  const violation = lambdas.map((l) => meanStd(runsAt(l).map((r) => r.constraints.violationRate)));
  const sweepTrace = (name: string, values: { mean: number; std: number }[], color: string, right: boolean): PlotlyTrace => ({
    type: 'scatter', name, x: [...categories], y: values.map((v) => round(v.mean, digits)), mode: 'lines+markers',
    error_y: { type: 'data', array: values.map((v) => round(v.std, digits)), visible: true },
    line: { color, ...(right ? { dash: 'dot' as const } : {}) }, xaxis: 'x2', yaxis: right ? 'y3' : 'y2',
  });
  add(sweepTrace(`F1, mean ± std over ${seeds.length} seed${seeds.length === 1 ? '' : 's'}`, f1, COLORS.f1, false), null, null);
  add(sweepTrace('violation rate, mean ± std (right axis)', violation, COLORS.violation, true), null, null);
  seeds.forEach((seed, j) => {
    add({ type: 'scatter', name: `F1, ${seedLabel(seed)}`, x: [...categories], y: lambdas.map((l) => round(byKey.get(key(l, seed))!.result.metrics.f1, digits)),
      mode: 'markers', marker: { color: COLORS.f1, symbol: 'diamond', size: 10 }, xaxis: 'x2', yaxis: 'y2' }, null, j);
    add({ type: 'scatter', name: `violation rate, ${seedLabel(seed)}`, x: [...categories], y: lambdas.map((l) => round(byKey.get(key(l, seed))!.result.constraints.violationRate, digits)),
      mode: 'markers', marker: { color: COLORS.violation, symbol: 'diamond-open', size: 10 }, xaxis: 'x2', yaxis: 'y3' }, null, j);
  });

  // The state of each trace for a chosen λ (opacity, hover, legend) and seed (visible).
  const opacityAt = (i: number) => owner.map((o) => (o.lambda === null || o.lambda === i ? 1 : 0));
  const hoverAt = (i: number) => owner.map((o) => (o.lambda === null || o.lambda === i ? 'x+y+name' : 'skip'));
  const legendAt = (i: number) => owner.map((o) => o.lambda === null || o.lambda === i);
  const visibleAt = (j: number) => owner.map((o) => o.seed === null || o.seed === j);
  const opacity = opacityAt(l0);
  const hover = hoverAt(l0);
  const legend = legendAt(l0);
  const visible = visibleAt(s0);
  data.forEach((t, k) => {
    t.opacity = opacity[k];
    t.hoverinfo = hover[k];
    t.showlegend = legend[k];
    t.visible = visible[k];
  });

  const window = list[0]!.result.rolling.window;
  const title = options.title ?? 'λ explorer: rolling metrics and the λ sweep';
  const layout: Figure['layout'] & { title: { text: string } } = {
    title: { text: escapePlotlyText(title) },
    height: options.height ?? 820,
    margin: { l: 70, r: 70, t: 90, b: 210 },
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
    xaxis: { domain: [0, 1], anchor: 'y', title: { text: escapePlotlyText(`events seen (count) — rolling window ${window} events`) }, automargin: true },
    yaxis: { domain: [0.6, 1], anchor: 'x', range: [0, 1.02], title: { text: 'rolling score (0–1)' }, automargin: true },
    xaxis2: { domain: [0, 1], anchor: 'y2', type: 'category', title: { text: 'constraint weight λ' }, automargin: true },
    yaxis2: { domain: [0, 0.38], anchor: 'x2', title: { text: 'F1 (0–1)' }, automargin: true },
    yaxis3: { overlaying: 'y2', side: 'right', anchor: 'x2', title: { text: 'violation rate (share of events)' }, rangemode: 'tozero', automargin: true },
    annotations: [
      { xref: 'paper', yref: 'paper', x: 0, y: 1, yanchor: 'bottom', xanchor: 'left', showarrow: false, font: { size: 12, color: '#555' },
        text: 'rolling metrics of the run at the chosen λ (slider) and seed (menu)' },
      { xref: 'paper', yref: 'paper', x: 0, y: 0.38, yanchor: 'bottom', xanchor: 'left', showarrow: false, font: { size: 12, color: '#555' },
        text: 'the λ sweep: every seed (mean ± std), the chosen seed (◆), the chosen λ (dashed line)' },
    ],
    shapes: [{ type: 'line', xref: 'x2', yref: 'paper', x0: categories[l0], x1: categories[l0], y0: 0, y1: 0.38, line: { color: '#555', width: 1.5, dash: 'dash' } }],
    sliders: [{
      active: l0,
      x: 0, len: 1, y: -0.09, yanchor: 'top', pad: { t: 0, b: 0 },
      currentvalue: { prefix: 'λ = ', visible: true, xanchor: 'left' },
      steps: lambdas.map((l, i) => ({
        label: lambdaLabel(l),
        method: 'update',
        args: [{ opacity: opacityAt(i), hoverinfo: hoverAt(i), showlegend: legendAt(i) }, { 'shapes[0].x0': categories[i], 'shapes[0].x1': categories[i] }],
      })),
    }],
    updatemenus: [{
      type: 'dropdown', active: s0, x: 1, xanchor: 'right', y: 1.1, yanchor: 'bottom', showactive: true,
      buttons: seeds.map((s, j) => ({ label: seedLabel(s), method: 'restyle', args: [{ visible: visibleAt(j) }] })),
    }],
  };
  return { data, layout, config: { responsive: true, displaylogo: false } };
}
