import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELDS_PROTO, fieldsBuilder } from '../../src/stream/validate';

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
