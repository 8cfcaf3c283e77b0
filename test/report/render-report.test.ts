import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/report/render-report';
import { lineFigure, barFigure } from '../../src/show/figure';

const HOSTILE = '<img src=x onerror=alert(1)>';

function sample() {
  return renderReport({
    title: `Report ${HOSTILE}`,
    subtitle: 'seed 1',
    sections: [
      { title: 'Table', paragraphs: [HOSTILE], tables: [{ rows: [{ message: HOSTILE, f1: 0.5 }] }] },
      {
        title: 'Figures',
        figures: [
          lineFigure({ title: 'a', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: HOSTILE, x: [1, 2], y: [1, 2] }] }),
          barFigure({ title: 'b', x: { label: 'x' }, y: { label: 'y' }, categories: [HOSTILE], series: [{ name: 's', values: [1] }] }),
        ],
      },
    ],
  });
}

test('report is one self-contained page: no external resources, plotly inlined once', () => {
  const html = sample();
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.equal((html.match(/data-otf-plotly=/g) ?? []).length, 1);
  assert.ok(!/<script[^>]*\ssrc=/i.test(html), 'no external scripts');
  assert.ok(!/<link[^>]*href=/i.test(html), 'no external stylesheets');
  assert.ok(!/https?:\/\/cdn/i.test(html.replace(/<script type="text\/javascript" data-otf-plotly[\s\S]*?<\/script>/, '')), 'no CDN');
  assert.ok(html.includes('id="fig-1"') && html.includes('id="fig-2"'));
});

test('report escapes every text it is given', () => {
  const html = sample();
  const outsidePlotly = html.replace(/<script type="text\/javascript" data-otf-plotly[\s\S]*?<\/script>/, '');
  assert.ok(!outsidePlotly.includes('<img'), 'no raw <img> anywhere');
  assert.ok(outsidePlotly.includes('&lt;img src=x onerror=alert(1)&gt;'));
});

test('same inputs, same bytes; no plotly without figures', () => {
  assert.equal(sample(), sample());
  const plain = renderReport({ title: 't', sections: [{ title: 's', paragraphs: ['p'] }] });
  assert.ok(!plain.includes('data-otf-plotly'));
  assert.ok(plain.length < 5000);
});
