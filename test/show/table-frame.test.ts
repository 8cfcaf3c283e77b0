import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { show } from '../../src/show/show';
import { tableHtml } from '../../src/show/table';
import { tableRows } from '../../src/show/table-rows';
import { toFrame, loadDanfo } from '../../src/frame/frame';
import type { MimeBundle } from '../../src/show/display';

const rows = [
  { id: 'a', p: 0.25, text: '<img src=x onerror=alert(1)>' },
  { id: 'b', p: 0.5, text: 'plain' },
];

test('show.table(df) renders a DataFrame as an escaped HTML table with its columns and values', () => {
  const sent: MimeBundle[] = [];
  show.setSink((bundle) => sent.push(bundle));
  try {
    show.table(toFrame(rows));
  } finally {
    show.setSink(undefined);
  }
  assert.equal(sent.length, 1);
  const html = sent[0]!['text/html'] as string;
  assert.equal(html, tableHtml(rows), 'same table as from the rows (default index not shown)');
  assert.match(html, /<th>id<\/th><th>p<\/th><th>text<\/th>/);
  assert.match(html, /<td class="num">0\.25<\/td>/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.ok(!html.includes('<img'), 'event text escaped');
  assert.match(sent[0]!['text/plain'] as string, /\| id \| p +\| text/);
});

test('a non-default index goes first (column "index"); tableRows leaves plain rows as they are', () => {
  const dfd = loadDanfo();
  const df = new dfd.DataFrame([[1, 2], [3, 4]], { columns: ['x', 'y'], index: ['r1', 'r2'] });
  assert.deepEqual(tableRows(df), [{ index: 'r1', x: 1, y: 2 }, { index: 'r2', x: 3, y: 4 }]);
  assert.equal(tableRows(rows), rows);
});

test('a DataFrame as a cell value (util.inspect): HTML table in a kernel, Markdown table elsewhere', () => {
  const df = toFrame(rows);
  const plain = inspect(df);
  assert.match(plain, /^\| id \| p +\| text/);
  assert.ok(!plain.includes('$data') && !plain.includes('config'), plain.slice(0, 200));
  const sent: MimeBundle[] = [];
  show.setSink((bundle) => sent.push(bundle));
  try {
    assert.equal(inspect(df), '');
  } finally {
    show.setSink(undefined);
  }
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!['text/html'], tableHtml(rows));
});

test('frames that danfo operations return (head, tail, loc, describe) show as tables too, not internals', () => {
  const df = toFrame(rows);
  for (const [op, derived] of [['head', df.head(1)], ['tail', df.tail(1)], ['loc', df.loc({ rows: [0] })], ['describe', df.describe()]] as const) {
    const plain = inspect(derived);
    assert.match(plain, /^\| /, `${op}: ${plain.slice(0, 120)}`);
    assert.ok(!plain.includes('$data'), `${op}: ${plain.slice(0, 120)}`);
  }
});
