import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeTerminal, jsonForTerminal } from '../../src/show/escape-terminal';
import { textTable } from '../../src/cli/text-table';
import { formatSummary } from '../../src/cli/evaluate';
import { PrequentialCollector } from '../../src/evaluate/collector';

/** No C0 (tab and line feed included), DEL, C1, line separators or bidi controls. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('escapeTerminal shows C0, DEL, C1, separators and bidi controls as \\xNN / \\u{…}', () => {
  assert.equal(escapeTerminal('\x1b]0;pwned\x07'), '\\x1b]0;pwned\\x07');
  assert.equal(escapeTerminal('\x1b[2J\x1b[31mred'), '\\x1b[2J\\x1b[31mred');
  assert.equal(escapeTerminal('a\r\nb\tc\x00'), 'a\\x0d\\x0ab\\x09c\\x00');
  assert.equal(escapeTerminal('\x7f\x80\x9b\x9f'), '\\x7f\\x80\\x9b\\x9f');
  assert.equal(escapeTerminal('x\u202egnp.exe\u2028\u2066'), 'x\\u{202e}gnp.exe\\u{2028}\\u{2066}');
  for (let c = 0; c < 0x3000; c++) {
    const s = escapeTerminal(String.fromCharCode(c));
    assert.ok(!CONTROL.test(s), `U+${c.toString(16)}`);
  }
});

test('escapeTerminal keeps ordinary text, unicode and backslashes as they are', () => {
  for (const s of ['plain 123', 'régime Ω — ✓ 日本', 'C:\\data\\x.csv', '', '½ € 😀']) assert.equal(escapeTerminal(s), s);
  assert.equal(escapeTerminal(null), '');
  assert.equal(escapeTerminal(undefined), '');
  assert.equal(escapeTerminal(42), '42');
});

test('jsonForTerminal escapes DEL and C1 too, and parses back to the same value', () => {
  const value = { regime: '\x1b]0;t\x07 \x7f \x9b31m \u202e \u2028', n: 1.5 };
  const text = jsonForTerminal(value);
  assert.ok(!CONTROL.test(text), text);
  assert.deepEqual(JSON.parse(text), value);
  assert.equal(jsonForTerminal({ a: 'ok' }), JSON.stringify({ a: 'ok' }));
});

test('textTable escapes its cells, so a hostile cell cannot add a line or send ESC', () => {
  const out = textTable(['name', 'v'], [['\x1b]0;x\x07\nforged line', '1']]);
  assert.ok(!CONTROL.test(out.replace(/\n/g, '')), out);
  assert.equal(out.split('\n').length, 4);
});

test('formatSummary (run and evaluate output) escapes a hostile regime name', () => {
  const c = new PrequentialCollector({ window: 10, forgettingWindow: 10 });
  const evil = '\x1b]0;owned\x07\x9b2J';
  for (const regime of [evil, 'B', evil]) {
    for (let i = 0; i < 20; i++) c.update({ label: (i % 2) as 0 | 1, p: 0.4, pred: 0, oracle: null, regime, violation: false, duplicate: false });
  }
  const s = c.summary();
  assert.equal(s.forgetting?.regime, evil);
  const out = formatSummary(s, 'audit \x1b[2Jfile');
  assert.ok(!CONTROL.test(out.replace(/\n/g, '')), JSON.stringify(out));
  assert.ok(out.includes('regime \\x1b]0;owned\\x07\\x9b2J:'), out);
});
