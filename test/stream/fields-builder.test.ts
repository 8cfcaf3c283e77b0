import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELDS_PROTO, fieldsBuilder, fieldsReader } from '../../src/stream/validate';

test('fieldsBuilder: keys in order, a repeated key keeps its first place and its last value, nothing inherited', () => {
  const build = fieldsBuilder(['b', 'a', 'b', 'c']);
  const o = build([1, 'x', 3, null]);
  assert.deepEqual(Object.keys(o), ['b', 'a', 'c']);
  assert.deepEqual({ ...o }, { b: 3, a: 'x', c: null });
  assert.equal(Object.getPrototypeOf(o), FIELDS_PROTO);
  assert.equal('toString' in o, false);
  assert.notEqual(build([1, 2, 3, 4]), build([1, 2, 3, 4]), 'a new object each call');
});

test('fieldsBuilder: any field name is a key, never code (quotes, backslashes, line breaks, U+2028, an injection attempt)', () => {
  const names = ['we"ird', 'back\\slash', 'line\nbreak', 'sep\u2028arator', 'a"]; globalThis.pwned = 1; //', "x'); globalThis.pwned = 2; ('", '${1+1}', 'ünï ✓'];
  const o = fieldsBuilder(names)(names.map((_, i) => i));
  assert.deepEqual(Object.keys(o), names);
  names.forEach((n, i) => assert.equal(o[n], i));
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
});

test('fieldsReader: reads own and inherited keys in order (absent: undefined), names never code', () => {
  const names = ['b', 'a"]; globalThis.pwned = 3; //', 'missing', 'inherited', 'b'];
  const read = fieldsReader(names);
  const row = Object.assign(Object.create({ inherited: 'from proto' }), { b: 2, 'a"]; globalThis.pwned = 3; //': 'x' });
  const out: unknown[] = [];
  read(row, out);
  assert.deepEqual(out, [2, 'x', undefined, 'from proto', 2]);
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
});

test('fieldsBuilder: "__proto__" and index-like names are plain keys, as when the keys are added one by one', () => {
  const names = ['__proto__', 'x', '10', '2', 'y'];
  const o = fieldsBuilder(names)([{ polluted: true }, 1, 'ten', 'two', null]);
  assert.equal(Object.getPrototypeOf(o), FIELDS_PROTO);
  assert.equal((o as Record<string, unknown>).polluted, undefined);
  const byHand: Record<string, unknown> = Object.create(FIELDS_PROTO);
  names.forEach((n, i) => { byHand[n] = [{ polluted: true }, 1, 'ten', 'two', null][i]; });
  assert.deepEqual(Object.keys(o), Object.keys(byHand));
  for (const n of names) assert.deepEqual(o[n], byHand[n]);
  const p = fieldsBuilder(['10', 'b', '2'])(['ten', 'bee', 'two']);
  assert.deepEqual(Object.keys(p), ['2', '10', 'b']);
});
