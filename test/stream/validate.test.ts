import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchema } from '../../src/stream/schema';
import { parseTime, validateRow, type Validated } from '../../src/stream/validate';
import { recordsFromEvents } from '../../src/stream/source';
import type { Schema, StreamRecord } from '../../src/types';

const schema = parseSchema({
  label: { field: 'critical', positive: [1, '1', true, 'true'] },
  numeric: ['x'],
  categorical: ['c'],
  hashed: ['u'],
  key: ['c', 'k'],
  ignore: ['k'],
});
const neg = parseSchema({ label: { field: 'status', negative: ['OK', 0] }, numeric: ['x'] });

const rec = (v: Validated): StreamRecord => {
  assert.ok('record' in v, `expected a record, got ${JSON.stringify(v)}`);
  return v.record;
};
const why = (v: Validated): string => {
  assert.ok('rejected' in v, `expected a reject, got ${JSON.stringify(v)}`);
  return v.rejected.reason;
};

test('label matching: numbers, numeric strings, booleans, case-insensitive strings', () => {
  const lab = (v: unknown) => rec(validateRow({ critical: v }, 1, schema)).label;
  assert.equal(lab(1), 1);
  assert.equal(lab('1'), 1);
  assert.equal(lab(' 1.0 '), 1);
  assert.equal(lab(true), 1);
  assert.equal(lab('TRUE'), 1);
  assert.equal(lab(' True '), 1);
  assert.equal(lab(0), 0);
  assert.equal(lab('0'), 0);
  assert.equal(lab(false), 0);
  assert.equal(lab('no'), 0);
  assert.equal(lab(2), 0);
  const nlab = (v: unknown) => rec(validateRow({ status: v }, 1, neg)).label;
  assert.equal(nlab('ok'), 0);
  assert.equal(nlab('OK'), 0);
  assert.equal(nlab(0), 0);
  assert.equal(nlab('0'), 0);
  assert.equal(nlab('FAIL'), 1, 'everything not negative is critical');
  assert.equal(nlab(3), 1);
  assert.match(why(validateRow({ critical: '' }, 1, schema)), /^missing label/);
  assert.match(why(validateRow({ critical: {} }, 1, schema)), /is not a scalar \(an object\)/);
  assert.match(why(validateRow({ status: null }, 1, neg)), /^missing label "status"/);
});

test('not objects are rejected with their kind; raw is kept (truncated)', () => {
  assert.match(why(validateRow([], 3, schema)), /got an array/);
  assert.match(why(validateRow(null, 3, schema)), /got null/);
  assert.match(why(validateRow(7, 3, schema)), /got a number/);
  assert.match(why(validateRow(undefined, 3, schema)), /got a undefined/);
  const r = validateRow({ critical: 1, x: 'abc', pad: 'y'.repeat(5000) }, 9, schema);
  assert.ok('rejected' in r);
  assert.equal(r.rejected.line, 9);
  assert.equal(r.rejected.raw.length, 1000);
  const t = validateRow({ critical: 1, x: 'abc' }, 9, schema, 'the original text');
  assert.ok('rejected' in t && t.rejected.raw === 'the original text');
});

test('numeric fields: repairs and rejects', () => {
  const x = (v: unknown) => validateRow({ critical: 1, x: v }, 1, schema);
  assert.equal(rec(x(2.5)).fields.x, 2.5);
  assert.equal(rec(x('2.5')).fields.x, 2.5);
  assert.equal(rec(x(' -1e3 ')).fields.x, -1000);
  assert.equal(rec(x('.5')).fields.x, 0.5);
  assert.equal(rec(x(null)).fields.x, null);
  assert.equal(rec(x(undefined)).fields.x, null);
  assert.equal(rec(x('')).fields.x, null);
  assert.equal(rec(x('  ')).fields.x, null);
  for (const bad of [NaN, Infinity, -Infinity, 'NaN', 'Infinity', 'abc', '0x1F', '1,5', '1e999', '12abc']) {
    assert.match(why(x(bad)), /^numeric field "x": not a finite number/, String(bad));
  }
  assert.match(why(x(true)), /^numeric field "x": not a number \(a boolean true\)/);
  assert.match(why(x({ a: 1 })), /^numeric field "x": not a number \(an object/);
  assert.match(why(x([1])), /^numeric field "x": not a number \(an array/);
});

test('categorical, hashed and key fields: stringified scalars, objects rejected', () => {
  const r = rec(validateRow({ critical: 1, c: 5, u: true, k: 'kk' }, 1, schema));
  assert.equal(r.fields.c, '5');
  assert.equal(r.fields.u, 'true');
  assert.equal(r.fields.k, 'kk');
  assert.equal(rec(validateRow({ critical: 1 }, 1, schema)).fields.c, null);
  assert.equal(rec(validateRow({ critical: 1, c: '' }, 1, schema)).fields.c, null, 'empty string = missing');
  assert.match(why(validateRow({ critical: 1, c: { a: 1 } }, 1, schema)), /^categorical field "c": an object is not allowed$/);
  assert.match(why(validateRow({ critical: 1, u: [1] }, 1, schema)), /^hashed field "u": an array is not allowed$/);
  assert.match(why(validateRow({ critical: 1, k: {} }, 1, schema)), /^key field "k"/);
  assert.match(why(validateRow({ critical: 1, message: {} }, 1, schema)), /^text field "message"/);
});

test('only named fields are copied, into an object that inherits nothing; the input is not changed', () => {
  const input = { critical: 1, x: '3', c: 'a', extra: 'dropped', oracle_p: 0.2, event_id: 'e1', regime: 'A' };
  const snapshot = JSON.stringify(input);
  const r = rec(validateRow(input, 4, schema));
  assert.equal(JSON.stringify(input), snapshot);
  assert.deepEqual(Object.keys(r.fields).sort(), ['c', 'k', 'message', 'u', 'x']);
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(r.fields)), null);
  assert.equal('toString' in r.fields, false);
  assert.equal('hasOwnProperty' in r.fields, false);
  assert.equal(r.id, 'e1');
  assert.equal(r.oracle, 0.2);
  assert.equal(r.regime, 'A');
});

test('forbidden keys are rejected from parsed JSON and from objects; Object.prototype stays clean', () => {
  for (const text of ['{"__proto__": {"polluted": 1}, "critical": 1}', '{"constructor": {"prototype": {"polluted": 1}}, "critical": 1}', '{"prototype": 1, "critical": 1}']) {
    assert.match(why(validateRow(JSON.parse(text), 1, schema)), /^forbidden key "(__proto__|constructor|prototype)"$/);
  }
  const o = Object.create(null);
  o.__proto__ = { polluted: 1 };
  o.critical = 1;
  assert.match(why(validateRow(o, 1, schema)), /forbidden key "__proto__"/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('timestamps: ISO 8601 variants (no offset = UTC), epoch ms, repairs and rejects', () => {
  const U = Date.UTC;
  assert.equal(parseTime('2026-01-02T03:04:05Z'), U(2026, 0, 2, 3, 4, 5));
  assert.equal(parseTime('2026-01-02T03:04:05.123Z'), U(2026, 0, 2, 3, 4, 5, 123));
  assert.equal(parseTime('2026-01-02T03:04:05.123456'), U(2026, 0, 2, 3, 4, 5, 123), 'microseconds truncated, no offset = UTC');
  assert.equal(parseTime('2026-01-02T03:04:05.1'), U(2026, 0, 2, 3, 4, 5, 100));
  assert.equal(parseTime('2026-01-02 03:04:05'), U(2026, 0, 2, 3, 4, 5));
  assert.equal(parseTime('2026-01-02T03:04'), U(2026, 0, 2, 3, 4));
  assert.equal(parseTime('2026-01-02'), U(2026, 0, 2));
  assert.equal(parseTime('2026-01-02T03:04:05+02:00'), U(2026, 0, 2, 1, 4, 5));
  assert.equal(parseTime('2026-01-02T03:04:05-0130'), U(2026, 0, 2, 4, 34, 5));
  assert.equal(parseTime('2024-02-29T00:00:00Z'), U(2024, 1, 29));
  assert.equal(parseTime(' 2026-01-02T03:04:05Z '), U(2026, 0, 2, 3, 4, 5));
  assert.equal(parseTime(1767225600000), 1767225600000);
  assert.equal(parseTime('1767225600000'), 1767225600000);
  for (const bad of ['2025-02-29', '2026-13-01', '2026-01-32', '2026-01-02T25:00', '2026-01-02T03:04:05Zjunk', 'yesterday', 'Tue Oct 07 2025', '', NaN, Infinity, {}, true]) {
    assert.ok(Number.isNaN(parseTime(bad)), `should reject ${String(bad)}`);
  }
  // local-time independence: matches Date.parse of the same string with Z
  assert.equal(parseTime('2025-10-07T12:00:00.000807'), Date.parse('2025-10-07T12:00:00.000Z'));
  assert.equal(rec(validateRow({ critical: 1 }, 42, schema)).time, 42, 'missing timestamp → line number');
  assert.equal(rec(validateRow({ critical: 1, timestamp: null }, 43, schema)).time, 43);
  assert.match(why(validateRow({ critical: 1, timestamp: 'soon' }, 1, schema)), /^timestamp "timestamp": not ISO 8601 or an epoch number \("soon"\)$/);
  assert.match(why(validateRow({ critical: 1, timestamp: [] }, 1, schema)), /^timestamp/);
});

test('oracle, regime, id', () => {
  const r = (o: object) => validateRow({ critical: 1, ...o }, 5, schema);
  assert.equal(rec(r({ oracle_p: 0 })).oracle, 0);
  assert.equal(rec(r({ oracle_p: 1 })).oracle, 1);
  assert.equal(rec(r({ oracle_p: '0.25' })).oracle, 0.25);
  assert.equal(rec(r({ oracle_p: null })).oracle, null);
  for (const bad of [-0.1, 1.01, 'x', NaN, true, {}]) assert.match(why(r({ oracle_p: bad })), /^oracle "oracle_p"/);
  assert.equal(rec(r({ regime: 3 })).regime, '3');
  assert.equal(rec(r({ regime: '' })).regime, null);
  assert.match(why(r({ regime: { a: 1 } })), /^regime "regime"/);
  assert.equal(rec(r({ event_id: 12 })).id, '12');
  assert.equal(rec(r({ event_id: '' })).id, 'line-5');
  assert.equal(rec(r({})).id, 'line-5');
  assert.match(why(r({ event_id: [1] })), /^id "event_id"/);
});

test('recordsFromEvents validates in-memory rows the same way, numbering from 1', () => {
  const rows = [{ critical: 1, x: 1 }, { critical: 1, x: 'abc' }, { x: 2 }, { critical: 0, x: '4' }];
  const out = [...recordsFromEvents(rows, schema)];
  assert.deepEqual(out.map((v) => ('record' in v ? v.record.line : -v.rejected.line)), [1, -2, -3, 4]);
  assert.deepEqual(out, rows.map((r, i) => validateRow(r, i + 1, schema)));
});

test('validateRow freezes the schema it compiled: a later edit throws instead of being silently ignored', () => {
  const s: Schema = { label: { field: 'y', positive: [1] }, numeric: ['x'], categorical: [] };
  assert.equal(rec(validateRow({ y: 1, x: 2, z: 3 }, 1, s)).fields.z, undefined);
  assert.throws(() => s.numeric.push('z'), TypeError);
  const fresh: Schema = { ...s, numeric: ['x', 'z'] };
  assert.equal(rec(validateRow({ y: 1, x: 2, z: 3 }, 1, fresh)).fields.z, 3);
});

test('numeric and label strings are read exactly as the decimal pattern says (the hand-written scanner equals the regex)', () => {
  const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const schema = parseSchema({ label: { field: 'y', positive: ['1'] }, numeric: ['x'] });
  const alphabet = ['0', '1', '9', '.', '+', '-', 'e', 'E', ' ', 'x', '٣', '\t', '\u00a0', '5'];
  let seed = 7;
  const rnd = (k: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % k);
  const cases = ['', '.', '+', '-', '+.', '.e1', '1e', '1e+', '1.e5', '.5', '5.', '-.5e-3', '1e3', ' 12.5 ', '0x1F', 'Infinity', 'NaN', '1_000', '١'];
  for (let i = 0; i < 5000; i++) cases.push(Array.from({ length: 1 + rnd(7) }, () => alphabet[rnd(alphabet.length)]).join(''));
  for (const v of cases) {
    const t = v.trim();
    const out = validateRow({ y: '1', x: v }, 1, schema);
    if (t === '') {
      assert.ok('record' in out && out.record.fields.x === null, JSON.stringify(v));
    } else if (DECIMAL.test(t) && Number.isFinite(Number(t))) {
      assert.ok('record' in out, JSON.stringify(v));
      assert.equal(Object.is(out.record.fields.x, Number(t)), true, JSON.stringify(v));
    } else {
      assert.ok('rejected' in out && out.rejected.reason.startsWith('numeric field "x"'), JSON.stringify(v));
    }
    // the label's numeric reading follows the same pattern ("1" listed as positive)
    const lab = validateRow({ y: v, x: 1 }, 1, schema);
    if ('record' in lab) assert.equal(lab.record.label, DECIMAL.test(t) && Number(t) === 1 ? 1 : 0, JSON.stringify(v));
  }
});
