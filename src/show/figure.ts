import { escapePlotlyText } from './escape';

/** One plotly trace, as plotly.js takes it (only the fields the builders use are typed). */
export interface PlotlyTrace {
  type: 'scatter' | 'bar';
  name?: string;
  x: (number | string)[];
  y: number[];
  mode?: 'lines' | 'markers' | 'lines+markers';
  xaxis?: 'x' | 'x2';
  yaxis?: 'y' | 'y2' | 'y3';
  error_y?: { type: 'data'; array: number[]; visible: boolean };
  line?: { dash?: 'solid' | 'dash' | 'dot' | 'dashdot'; width?: number; color?: string };
  marker?: { color?: string; symbol?: string; size?: number };
  [key: string]: unknown;
}

/** A plotly figure: JSON only (no functions), the same object goes to plotly.js and to `application/vnd.plotly.v1+json`. */
export interface Figure {
  data: PlotlyTrace[];
  layout: Record<string, unknown> & { title?: { text: string } };
  config?: Record<string, unknown>;
}

/** An axis: label and unit make its title "label (unit)". */
export interface AxisSpec {
  /** Axis label (plain text, escaped). Required. */
  label: string;
  /** Unit shown in parentheses; omit for dimensionless quantities. */
  unit?: string;
  /** Default "linear" ("category" when the x values are strings). */
  type?: 'linear' | 'log' | 'category' | 'date';
  /** Fixed range; default automatic. */
  range?: [number, number];
}

/** One line of a {@link lineFigure}. */
export interface LineSeries {
  /** Legend entry (plain text, escaped). */
  name: string;
  x: readonly (number | string)[];
  y: readonly number[];
  /** Symmetric error bars (e.g. std over seeds). Default none. */
  error?: readonly number[];
  /** Default "lines" (or "lines+markers" when there are 30 points or fewer). */
  mode?: 'lines' | 'markers' | 'lines+markers';
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
  /** Plot against the right-hand axis (needs `y2`). Default false. */
  right?: boolean;
}

/** A horizontal reference line, e.g. the Bayes ceiling or the paper's number. */
export interface ReferenceLine {
  y: number;
  /** Label drawn at the right end (plain text, escaped). */
  label: string;
  dash?: 'solid' | 'dash' | 'dot';
}

/** A vertical line at an x value, e.g. where a drift detector fired. */
export interface VerticalMarker {
  x: number;
  /** Text drawn at the top of the line (plain text, escaped); "" draws none. */
  label: string;
  /** Default "solid". */
  dash?: 'solid' | 'dash' | 'dot';
  /** Default "#c0392b". */
  color?: string;
}

/** Options for {@link lineFigure}. */
export interface LineFigureOptions {
  /** Figure title (plain text, escaped). Required. */
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  /** A right-hand y axis for series with `right: true`. Default none. */
  y2?: AxisSpec;
  series: LineSeries[];
  references?: ReferenceLine[];
  /** Vertical lines (drift detections, change points). Default none. */
  markers?: VerticalMarker[];
  /** Each series is thinned to at most this many points (evenly, keeping the last). Default 400. */
  maxPoints?: number;
  /** Numbers are rounded to this many significant digits (smaller notebooks). Default 5. */
  digits?: number;
  /** Pixels. Default 380. */
  height?: number;
}

/** One group of bars of a {@link barFigure}. */
export interface BarSeries {
  name: string;
  values: readonly number[];
  error?: readonly number[];
}

/** Options for {@link barFigure}. */
export interface BarFigureOptions {
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  /** Category labels along x (plain text, escaped). */
  categories: readonly string[];
  series: BarSeries[];
  /** Default "group". */
  barmode?: 'group' | 'stack';
  digits?: number;
  /** Pixels. Default 380. */
  height?: number;
}

/** "label (unit)", escaped for plotly. */
export function axisTitle(axis: AxisSpec): string {
  return escapePlotlyText(axis.unit ? `${axis.label} (${axis.unit})` : axis.label);
}

function round(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** Indices of at most `max` points spread evenly over n, always keeping the first and the last. */
export function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max < 2) return max === 1 ? [n - 1] : [];
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return out;
}

function axisLayout(axis: AxisSpec, categorical: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { title: { text: axisTitle(axis) }, automargin: true };
  const type = axis.type ?? (categorical ? 'category' : undefined);
  if (type) out.type = type;
  if (axis.range) out.range = [...axis.range];
  return out;
}

function baseLayout(title: string, height: number): Record<string, unknown> & { title: { text: string } } {
  return {
    title: { text: escapePlotlyText(title) },
    height,
    margin: { l: 70, r: 30, t: 60, b: 60 },
    legend: { orientation: 'h', y: -0.25 },
  };
}

const CONFIG = { responsive: true, displaylogo: false };

/** A line chart (with optional error bars, right-hand axis and reference lines). */
export function lineFigure(options: LineFigureOptions): Figure {
  const maxPoints = options.maxPoints ?? 400;
  const digits = options.digits ?? 5;
  const data: PlotlyTrace[] = options.series.map((s) => {
    const n = Math.min(s.x.length, s.y.length);
    const idx = thinIndices(n, maxPoints);
    const x = idx.map((i) => {
      const v = s.x[i];
      return typeof v === 'number' ? round(v, digits + 2) : escapePlotlyText(v);
    });
    const trace: PlotlyTrace = {
      type: 'scatter',
      name: escapePlotlyText(s.name),
      x,
      y: idx.map((i) => round(s.y[i], digits)),
      mode: s.mode ?? (idx.length <= 30 ? 'lines+markers' : 'lines'),
    };
    if (s.dash) trace.line = { dash: s.dash };
    if (s.error) trace.error_y = { type: 'data', array: idx.map((i) => round(s.error?.[i] ?? 0, digits)), visible: true };
    if (s.right) trace.yaxis = 'y2';
    return trace;
  });
  const categorical = options.series.some((s) => s.x.some((v) => typeof v === 'string'));
  const layout = baseLayout(options.title, options.height ?? 380);
  layout.xaxis = axisLayout(options.x, categorical);
  layout.yaxis = axisLayout(options.y, false);
  if (options.y2) layout.yaxis2 = { ...axisLayout(options.y2, false), overlaying: 'y', side: 'right' };
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (const r of options.references ?? []) {
    shapes.push({
      type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: r.y, y1: r.y,
      line: { dash: r.dash ?? 'dash', width: 1.5, color: '#555' },
    });
    annotations.push({
      xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: r.y, yanchor: 'bottom',
      text: escapePlotlyText(r.label), showarrow: false, font: { size: 11, color: '#555' },
    });
  }
  for (const m of options.markers ?? []) {
    if (!Number.isFinite(m.x)) continue;
    const color = m.color ?? '#c0392b';
    const x = round(m.x, digits + 2);
    shapes.push({ type: 'line', xref: 'x', x0: x, x1: x, yref: 'paper', y0: 0, y1: 1, line: { dash: m.dash ?? 'solid', width: 1, color } });
    if (m.label !== '') {
      annotations.push({ xref: 'x', x, xanchor: 'left', yref: 'paper', y: 1, yanchor: 'top', text: escapePlotlyText(m.label), showarrow: false, font: { size: 10, color } });
    }
  }
  if (shapes.length > 0) layout.shapes = shapes;
  if (annotations.length > 0) layout.annotations = annotations;
  return { data, layout, config: { ...CONFIG } };
}

/** A bar chart of one or more series over categories (with optional error bars). */
export function barFigure(options: BarFigureOptions): Figure {
  const digits = options.digits ?? 5;
  const categories = options.categories.map((c) => escapePlotlyText(c));
  const data: PlotlyTrace[] = options.series.map((s) => {
    const trace: PlotlyTrace = {
      type: 'bar',
      name: escapePlotlyText(s.name),
      x: [...categories],
      y: categories.map((_, i) => round(s.values[i] ?? NaN, digits)),
    };
    if (s.error) trace.error_y = { type: 'data', array: categories.map((_, i) => round(s.error?.[i] ?? 0, digits)), visible: true };
    return trace;
  });
  const layout = baseLayout(options.title, options.height ?? 380);
  layout.xaxis = axisLayout(options.x, true);
  layout.yaxis = axisLayout(options.y, false);
  layout.barmode = options.barmode ?? 'group';
  if (options.series.length === 1) layout.showlegend = false;
  return { data, layout, config: { ...CONFIG } };
}
