import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableHtml, columnsOf } from '../../src/show/table';
import { tableMarkdown } from '../../src/show/table-markdown';
import { formatCell } from '../../src/show/format-cell';

const HOSTILE = '<img src=x onerror=alert(1)>';

test('every header, cell and caption of an HTML table is escaped', () => {
  const rows = [{ message: HOSTILE, [`<th onclick=x>`]: `"quoted" 'single' & amp` }];
  const html = tableHtml(rows, { caption: '<script>alert(2)</script>' });
  assert.ok(!html.includes('<img'), html);
  assert.ok(!html.includes('<script'), html);
  assert.ok(!html.includes('<th onclick'), html);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('&quot;quoted&quot; &#39;single&#39; &amp; amp'));
  assert.ok(html.includes('&lt;script&gt;alert(2)&lt;/script&gt;'));
});

test('columns, headers, numbers and row limit', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ id: i, p: i / 3, kind: i % 2 ? 'odd' : 'even', extra: { a: i } }));
  assert.deepEqual(columnsOf(rows), ['id', 'p', 'kind', 'extra']);
  const html = tableHtml(rows, { columns: ['kind', 'p'], headers: { p: 'probability' }, maxRows: 3, digits: 3 });
  assert.equal((html.match(/<tr>/g) ?? []).length, 4); // header + 3 rows
  assert.ok(html.includes('<th>kind</th><th>probability</th>'));
  assert.ok(html.includes('<td class="num">0.333</td>'));
  assert.ok(!html.includes('extra'));
  assert.ok(html.includes('4 more rows not shown (7 in all)'));
});

test('custom formatters return text that is still escaped', () => {
  const html = tableHtml([{ x: 1 }], { format: { x: () => '<b>bold</b>' }, style: false });
  assert.ok(html.includes('&lt;b&gt;bold&lt;/b&gt;'));
  assert.ok(!html.includes('<style>'));
});

test('formatCell', () => {
  assert.equal(formatCell(0.123456), '0.1235');
  assert.equal(formatCell(12), '12');
  assert.equal(formatCell(null), '');
  assert.equal(formatCell(NaN), 'NaN');
  assert.equal(formatCell(1e-7), '1.000e-7');
  assert.equal(formatCell({ a: 1 }), '{"a":1}');
  assert.equal(formatCell(true), 'true');
});

test('Markdown table escapes pipes and newlines and right-aligns numbers', () => {
  const md = tableMarkdown([{ name: 'a|b\nc', v: 0.5 }, { name: 'x', v: 2 }]);
  const lines = md.trim().split('\n');
  assert.equal(lines[0], '| name | v |');
  assert.equal(lines[1], '|:---|---:|');
  assert.equal(lines[2], '| a\\|b c | 0.5 |');
  assert.equal(lines.length, 4);
});

test('Markdown cells cannot carry HTML or Markdown markup (a raw <img onerror> stays text)', () => {
  const md = tableMarkdown([{ '<b>h</b>': '<img src=x onerror=alert(1)>', link: '[click](javascript:alert(1)) *em* _u_ `code` ~s~ a&b', n: -1.5 }]);
  assert.ok(!md.includes('<img'), md);
  assert.ok(!md.includes('<b>'), md);
  assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'), md);
  assert.ok(md.includes('\\[click\\](javascript:alert(1)) \\*em\\* \\_u\\_ \\`code\\` \\~s\\~ a&amp;b'), md);
  assert.ok(md.includes('| -1.5 |'), md);
  assert.ok(!/\x1b/.test(tableMarkdown([{ a: '\x1b]0;t\x07' }])));
});
