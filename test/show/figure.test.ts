import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineFigure, barFigure, thinIndices, axisTitle } from '../../src/show/figure';
import { figureHtml } from '../../src/show/figure-html';
import { plotlyScriptTag, plotlySource } from '../../src/show/plotly-bundle';

const HOSTILE = '<img src=x onerror=alert(1)>';

test('line figure: title, axis titles with units, escaped labels, JSON-only', () => {
  const fig = lineFigure({
    title: `F1 over time ${HOSTILE}`,
    x: { label: 'events', unit: 'count' },
    y: { label: 'F1' },
    series: [{ name: HOSTILE, x: [1, 2, 3], y: [0.1, 0.2, 0.3333333333] }],
    references: [{ y: 0.68, label: 'paper F1' }],
  });
  assert.equal(fig.layout.title?.text, 'F1 over time &lt;img src=x onerror=alert(1)&gt;');
  assert.deepEqual((fig.layout.xaxis as { title: { text: string } }).title.text, 'events (count)');
  assert.deepEqual((fig.layout.yaxis as { title: { text: string } }).title.text, 'F1');
  assert.equal(fig.data[0].name, '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(fig.data[0].mode, 'lines+markers');
  assert.deepEqual(fig.data[0].y, [0.1, 0.2, 0.33333]);
  assert.equal((fig.layout.shapes as unknown[]).length, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig); // plain JSON, nothing lost
});

test('line figure thins long series, keeping first and last points', () => {
  const n = 10_000;
  const x = Array.from({ length: n }, (_, i) => i);
  const fig = lineFigure({ title: 't', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 's', x, y: x.map((v) => v * 2), error: x.map(() => 1) }], maxPoints: 100 });
  assert.equal(fig.data[0].x.length, 100);
  assert.equal(fig.data[0].x[0], 0);
  assert.equal(fig.data[0].x[99], n - 1);
  assert.equal(fig.data[0].error_y?.array.length, 100);
  assert.deepEqual(thinIndices(3, 10), [0, 1, 2]);
  assert.deepEqual(thinIndices(5, 1), [4]);
});

test('bar figure escapes categories and carries error bars', () => {
  const fig = barFigure({
    title: 'mix', x: { label: 'incident type' }, y: { label: 'share', unit: '%' },
    categories: ['a', HOSTILE], series: [{ name: 'run', values: [60, 40], error: [1, 2] }],
  });
  assert.deepEqual(fig.data[0].x, ['a', '&lt;img src=x onerror=alert(1)&gt;']);
  assert.equal(axisTitle({ label: 'share', unit: '%' }), 'share (%)');
  assert.equal(fig.layout.showlegend, false);
  assert.deepEqual(fig.data[0].error_y?.array, [1, 2]);
});

test('figure HTML embeds script-safe JSON and a stable id when asked', () => {
  const fig = lineFigure({ title: '</script><script>alert(1)</script>', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: '</script>', x: [1], y: [1] }] });
  const html = figureHtml(fig, { id: 'fig-1' });
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1); // only the element's own end tag
  assert.ok(html.startsWith('<div id="fig-1" class="otf-plot"'));
  const random = figureHtml(fig);
  assert.match(random, /id="otf-plot-[0-9a-f]{16}"/);
});

test('plotly bundle: inlined once, AMD-proof wrapper, no script terminator inside', () => {
  const { version, source } = plotlySource();
  assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.ok(source.length > 500_000 && source.length < 2_000_000, `basic bundle size ${source.length}`);
  const tag = plotlyScriptTag();
  assert.equal((tag.match(/<\/script/gi) ?? []).length, 1);
  assert.ok(tag.includes('(function (define, module, exports) {'));
  assert.ok(tag.includes('if (!window.Plotly)'));
});

test('line figure markers: vertical lines at x (paper-high), labels escaped; driftMarkers draws drifts solid and labelled, warnings dotted', async () => {
  const { driftMarkers } = await import('../../src/show/drift-markers');
  const markers = driftMarkers({ detections: [5117, 7000], warnings: [5085, 7000] });
  assert.deepEqual(markers.map((m) => [m.x, m.label, m.dash]), [[5085, '', 'dot'], [5117, 'drift', 'solid'], [7000, 'drift', 'solid']]);
  assert.deepEqual(driftMarkers(null), []);
  const fig = lineFigure({
    title: 't', x: { label: 'events seen' }, y: { label: 'F1' },
    series: [{ name: 's', x: [0, 10_000], y: [0.5, 0.6] }],
    references: [{ y: 0.68, label: 'paper' }],
    markers: [...markers, { x: 3, label: HOSTILE }, { x: Number.NaN, label: 'skipped' }],
  });
  const shapes = fig.layout.shapes as { xref: string; x0: number; x1: number; yref: string; y0: number; y1: number; line: { dash: string } }[];
  assert.equal(shapes.length, 1 + 4, 'the reference line and four markers (NaN dropped)');
  const v = shapes.slice(1);
  assert.deepEqual(v.map((s) => [s.xref, s.x0, s.x1, s.yref, s.y0, s.y1, s.line.dash]), [
    ['x', 5085, 5085, 'paper', 0, 1, 'dot'], ['x', 5117, 5117, 'paper', 0, 1, 'solid'], ['x', 7000, 7000, 'paper', 0, 1, 'solid'], ['x', 3, 3, 'paper', 0, 1, 'solid'],
  ]);
  const texts = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts, ['paper', 'drift', 'drift', '&lt;img src=x onerror=alert(1)&gt;']);
  const plain = lineFigure({ title: 't', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 's', x: [1], y: [1] }] });
  assert.equal(plain.layout.shapes, undefined);
});
