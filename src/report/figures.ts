import type { RunResult } from '../evaluate/run-result';
import type { SweepRow } from '../evaluate/run-sweep';
import { barFigure, lineFigure, type Figure, type LineSeries } from '../show/figure';
import { driftMarkers } from '../show/drift-markers';
import { PAPER } from './paper';
import type { ForgettingRow } from './studies';

type Row = Record<string, unknown>;

/**
 * Rolling F1 and accuracy of a run against events, with the rolling Bayes F1 and the paper's F1; with
 * a drift detector, its drifts (solid) and warnings (dotted) as vertical lines.
 */
export function rollingFigure(result: RunResult, title = 'Prequential rolling metrics'): Figure {
  const s = result.rolling.series;
  const x = s.map((p) => p.index);
  const series: LineSeries[] = [
    { name: 'F1 (model)', x, y: s.map((p) => p.f1) },
    { name: 'accuracy (model)', x, y: s.map((p) => p.accuracy), dash: 'dot' },
  ];
  if (s.length > 0 && s.every((p) => typeof p.bayesF1 === 'number')) {
    series.push({ name: 'F1 (Bayes ceiling)', x, y: s.map((p) => p.bayesF1 as number), dash: 'dash' });
  }
  return lineFigure({
    title: `${title} (window ${result.rolling.window} events)`,
    x: { label: 'events seen', unit: 'count' },
    y: { label: 'score', unit: '0–1', range: [0, 1.02] },
    series,
    references: [{ y: PAPER.f1, label: `paper F1 ${PAPER.f1}` }],
    markers: driftMarkers(result.drift),
  });
}

/** Precision, recall, F1 and accuracy: the paper, this run, the Bayes ceiling. */
export function paperFigure(result: RunResult): Figure {
  const m = result.metrics;
  const series = [
    { name: 'paper (reported)', values: [PAPER.precision, PAPER.recall, PAPER.f1, PAPER.accuracy] },
    { name: 'this run', values: [m.precision, m.recall, m.f1, m.accuracy] },
  ];
  if (result.bayes) series.push({ name: 'Bayes ceiling', values: [result.bayes.precision, result.bayes.recall, result.bayes.f1, result.bayes.accuracy] });
  return barFigure({
    title: "The paper's table beside this run and the Bayes ceiling",
    x: { label: 'metric (positive class: critical)' },
    y: { label: 'score', unit: '0–1', range: [0, 1] },
    categories: ['precision', 'recall', 'F1', 'accuracy'],
    series,
  });
}

/** F1 (left axis) and constraint-violation rate (right axis) against λ, mean ± std over seeds. */
export function sweepFigure(rows: readonly SweepRow[], title = 'λ sweep: F1 and violation rate against λ'): Figure {
  const x = rows.map((r) => `λ = ${r.lambda}`);
  const series: LineSeries[] = [
    { name: 'F1 (mean ± std over seeds)', x, y: rows.map((r) => r.f1.mean), error: rows.map((r) => r.f1.std), mode: 'lines+markers' },
    { name: 'violation rate (right axis)', x, y: rows.map((r) => r.violationRate.mean), error: rows.map((r) => r.violationRate.std), mode: 'lines+markers', dash: 'dot', right: true },
  ];
  if (rows.every((r) => r.bayesF1)) series.push({ name: 'Bayes F1', x, y: rows.map((r) => r.bayesF1?.mean ?? NaN), dash: 'dash', mode: 'lines' });
  return lineFigure({
    title: `${title} (${rows[0]?.seeds ?? 0} seeds)`,
    x: { label: 'constraint weight λ', type: 'category' },
    y: { label: 'F1', unit: '0–1' },
    y2: { label: 'violation rate', unit: 'share of events' },
    series,
  });
}

/** Accuracy on regime A before and after training through regime B, per configuration. */
export function forgettingFigure(rows: readonly ForgettingRow[]): Figure {
  return barFigure({
    title: 'Forgetting on recurring (A → B → A): accuracy on A before and after B',
    x: { label: 'configuration' },
    y: { label: 'accuracy on regime A', unit: '0–1', range: [0, 1] },
    categories: rows.map((r) => r.configuration),
    series: [
      { name: 'before B', values: rows.map((r) => r.before.mean), error: rows.map((r) => r.before.std) },
      { name: 'right after B', values: rows.map((r) => r.after.mean), error: rows.map((r) => r.after.std) },
      { name: 'Bayes ceiling after', values: rows.map((r) => r.bayesAfter.mean) },
    ],
  });
}

/** Shares of incident types. */
export function incidentMixFigure(counts: readonly { value: string; count: number; share: number }[], title = 'Incident-type mix'): Figure {
  return barFigure({
    title,
    x: { label: 'incident type' },
    y: { label: 'share of events', unit: '%' },
    categories: counts.map((c) => c.value),
    series: [{ name: 'share', values: counts.map((c) => 100 * c.share) }],
  });
}

/** The `field` of a few assets over time (hours since the first event), one line per asset. */
export function assetStateFigure(
  items: readonly object[],
  options: { sources: string[]; field: string; label: string; unit?: string; title?: string },
): Figure {
  const events = items as readonly Row[];
  const t0 = events.length ? Date.parse(String(events[0].timestamp)) : 0;
  const series: LineSeries[] = options.sources.map((source) => {
    const mine = events.filter((e) => e.source === source && typeof e[options.field] === 'number');
    return {
      name: source,
      x: mine.map((e) => (Date.parse(String(e.timestamp)) - t0) / 3_600_000),
      y: mine.map((e) => e[options.field] as number),
      mode: 'lines',
    };
  });
  return lineFigure({
    title: options.title ?? `${options.label} of ${options.sources.length} assets over time`,
    x: { label: 'time since stream start', unit: 'h' },
    y: { label: options.label, unit: options.unit },
    series,
  });
}

/** Up to n assets of different kinds: the busiest asset of each kind, busiest kinds first. */
export function assetsOfKinds(items: readonly object[], n: number): string[] {
  const events = items as readonly Row[];
  const kindOf = new Map<string, string>();
  for (const e of events) if (!kindOf.has(String(e.source))) kindOf.set(String(e.source), String(e.source_kind));
  const out: string[] = [];
  const kinds = new Set<string>();
  for (const source of busiestSources(events, kindOf.size)) {
    const kind = kindOf.get(source) ?? '';
    if (kinds.has(kind)) continue;
    kinds.add(kind);
    out.push(source);
    if (out.length === n) break;
  }
  return out;
}

/** The n busiest sources of a list of events. */
export function busiestSources(items: readonly object[], n: number): string[] {
  const events = items as readonly Row[];
  const counts = new Map<string, number>();
  for (const e of events) counts.set(String(e.source), (counts.get(String(e.source)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([s]) => s);
}
