import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, escapePlotlyText, jsonForScript } from '../../src/show/escape';

const HOSTILE = `<img src=x onerror="alert('x')">&amp;`;

test('escapeHtml escapes & < > " \' and nothing else', () => {
  assert.equal(escapeHtml(HOSTILE), '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;');
  assert.equal(escapeHtml('plain text 123'), 'plain text 123');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(undefined), '');
  assert.equal(escapeHtml(42), '42');
});

test('escapePlotlyText escapes markup so plotly shows it literally', () => {
  assert.equal(escapePlotlyText('<b>x</b> & y'), '&lt;b&gt;x&lt;/b&gt; &amp; y');
  assert.ok(!escapePlotlyText(HOSTILE).includes('<'));
});

test('jsonForScript cannot close a script element and round-trips', () => {
  const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: '\u2028\u2029&' };
  const text = jsonForScript(value);
  assert.ok(!/<\/script/i.test(text));
  assert.ok(!text.includes('<!--'));
  assert.ok(!text.includes('\u2028'));
  assert.deepEqual(JSON.parse(text), value);
});
