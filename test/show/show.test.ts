import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show, PLOTLY_MIME } from '../../src/show/show';
import { lineFigure } from '../../src/show/figure';
import type { MimeBundle } from '../../src/show/display';

type Sent = { bundle: MimeBundle; id: string | undefined; update: boolean };

function capture(): Sent[] {
  const sent: Sent[] = [];
  show.setSink((bundle, id, update) => sent.push({ bundle, id, update }));
  show.reset();
  return sent;
}

const fig = () => lineFigure({ title: 'f', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 's', x: [1, 2], y: [3, 4] }] });

test('outside a kernel nothing is displayed and nothing throws', () => {
  show.setSink(undefined);
  assert.equal(show.available(), false);
  show.table([{ a: 1 }]);
  show.plot(fig());
  show.live().text('x');
});

test('plot sends one bundle with HTML, plotly JSON and plain text; plotly.js inlined only the first time', () => {
  const sent = capture();
  show.plot(fig());
  show.plot(fig());
  assert.equal(sent.length, 2);
  for (const s of sent) assert.deepEqual(Object.keys(s.bundle).sort(), [PLOTLY_MIME, 'text/html', 'text/plain'].sort());
  assert.ok(String(sent[0].bundle['text/html']).includes('data-otf-plotly'));
  assert.ok(!String(sent[1].bundle['text/html']).includes('data-otf-plotly'));
  const json = sent[0].bundle[PLOTLY_MIME] as { data: unknown[]; layout: { title: { text: string } } };
  assert.equal(json.data.length, 1);
  assert.equal(json.layout.title.text, 'f');
  show.setSink(undefined);
});

test('setup sends plotly.js once, then plots do not', () => {
  const sent = capture();
  show.setup();
  show.plot(fig());
  assert.ok(String(sent[0].bundle['text/html']).includes('data-otf-plotly'));
  assert.ok(!String(sent[1].bundle['text/html']).includes('data-otf-plotly'));
  show.setSink(undefined);
});

test('table output is escaped HTML with a Markdown fallback', () => {
  const sent = capture();
  show.table([{ message: '<img src=x onerror=alert(1)>' }]);
  assert.ok(String(sent[0].bundle['text/html']).includes('&lt;img'));
  assert.ok(String(sent[0].bundle['text/plain']).startsWith('| message |'));
  show.setSink(undefined);
});

test('live display: first a display, then updates of the same display id', () => {
  const sent = capture();
  const live = show.live();
  live.text('one');
  live.table([{ a: 1 }]);
  live.plot(fig());
  assert.equal(sent.length, 3);
  assert.deepEqual(sent.map((s) => s.update), [false, true, true]);
  assert.ok(sent[0].id && sent.every((s) => s.id === sent[0].id));
  const other = show.live();
  other.text('two');
  assert.notEqual(sent[3].id, sent[0].id);
  show.setSink(undefined);
});

test('a kernel is detected through tslab\'s jupyter module in require.cache, the active one of several', () => {
  show.setSink(undefined);
  const cache = require.cache as Record<string, unknown>;
  // Two tslab installs loaded in one kernel process: the global binary's (idle) and the local one (running the cell).
  const idleKey = '/global/node_modules/tslab/dist/jupyter.js';
  const activeKey = '/project/node_modules/tslab/dist/jupyter.js';
  const calls: unknown[] = [];
  const idle = { exports: { lastWriteDisplayData: null as unknown } };
  const active: { exports: { lastWriteDisplayData: unknown } } = { exports: { lastWriteDisplayData: (msg: unknown, update: boolean) => calls.push([msg, update]) } };
  cache[idleKey] = idle;
  try {
    assert.equal(show.available(), false, 'an idle tslab module is not a kernel');
    cache[activeKey] = active;
    assert.equal(show.available(), true);
    show.text('hello');
    assert.equal(calls.length, 1);
    const [msg, update] = calls[0] as [{ data: MimeBundle; transient: object }, boolean];
    assert.deepEqual(msg.data, { 'text/plain': 'hello' });
    assert.equal(update, false);
    // The writer moves to the other install (e.g. a new execution): the bridge follows it.
    const other: unknown[] = [];
    active.exports.lastWriteDisplayData = null;
    idle.exports.lastWriteDisplayData = (msg: unknown) => other.push(msg);
    show.text('again');
    assert.equal(other.length, 1);
    assert.equal(calls.length, 1);
  } finally {
    delete cache[idleKey];
    delete cache[activeKey];
    idle.exports.lastWriteDisplayData = null;
  }
});
