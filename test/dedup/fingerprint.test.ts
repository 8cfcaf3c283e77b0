import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FingerprintHasher,
  fingerprintHex,
  fingerprintNumber,
  fingerprintParts,
  fingerprintString,
} from '../../src/dedup/fingerprint';

const KEY = ['a', 'b'];

function fp(fields: Record<string, unknown>, key = KEY): number {
  return new FingerprintHasher(key).hash(fields);
}

test('fingerprint: same values, same fingerprint; deterministic across hasher instances', () => {
  const x = fp({ a: 'login_failure', b: 'srv-03', other: 1 });
  const y = fp({ b: 'srv-03', a: 'login_failure', other: 2, extra: 'ignored' });
  assert.equal(x, y);
  assert.ok(Number.isSafeInteger(x) && x >= 0);
  // a fixed value: fingerprints do not change between versions of the code without notice
  assert.equal(fingerprintHex(fp({ a: 'x', b: 'y' })), fingerprintHex(new FingerprintHasher(['a', 'b']).hash({ a: 'x', b: 'y' })));
});

test('fingerprint: type-aware (1 vs "1", true vs "true", 0 vs false, "" vs absent)', () => {
  assert.notEqual(fp({ a: 1, b: 'x' }), fp({ a: '1', b: 'x' }));
  assert.notEqual(fp({ a: true, b: 'x' }), fp({ a: 'true', b: 'x' }));
  assert.notEqual(fp({ a: 0, b: 'x' }), fp({ a: false, b: 'x' }));
  assert.notEqual(fp({ a: '', b: 'x' }), fp({ b: 'x' }));
  assert.notEqual(fp({ a: 'null', b: 'x' }), fp({ a: null, b: 'x' }));
  assert.notEqual(fp({ a: 1.5, b: 'x' }), fp({ a: '1.5', b: 'x' }));
});

test('fingerprint: missing and null are the same absent value; -0 is 0; NaN is one value; 1 is 1.0', () => {
  assert.equal(fp({ a: null, b: 'x' }), fp({ b: 'x' }));
  assert.equal(fp({ a: undefined, b: 'x' }), fp({ b: 'x' }));
  assert.equal(fp({ a: -0, b: 'x' }), fp({ a: 0, b: 'x' }));
  assert.equal(fp({ a: NaN, b: 'x' }), fp({ a: 0 / 0, b: 'x' }));
  assert.equal(fp({ a: 1, b: 'x' }), fp({ a: 1.0, b: 'x' }));
  assert.notEqual(fp({ a: 1, b: 'x' }), fp({ a: 2, b: 'x' }));
  assert.notEqual(fp({ a: 0.1, b: 'x' }), fp({ a: 0.2, b: 'x' }));
  assert.notEqual(fp({ a: 2 ** 40, b: 'x' }), fp({ a: 2 ** 40 + 1, b: 'x' }));
  assert.notEqual(fp({ a: Infinity, b: 'x' }), fp({ a: -Infinity, b: 'x' }));
});

test('fingerprint: separator-safe — ("ab","c") ≠ ("a","bc"), positions matter', () => {
  assert.notEqual(fp({ a: 'ab', b: 'c' }), fp({ a: 'a', b: 'bc' }));
  assert.notEqual(fp({ a: 'a|b', b: '' }), fp({ a: 'a', b: 'b' }));
  assert.notEqual(fp({ a: 'x', b: 'y' }), fp({ a: 'y', b: 'x' }));
  // odd/even lengths (two chars per hashed word)
  assert.notEqual(fp({ a: 'abc', b: '' }), fp({ a: 'ab', b: 'c' }));
  assert.notEqual(fp({ a: 'a\u0000', b: 'x' }), fp({ a: 'a', b: 'x' }));
});

test('fingerprint: objects by their JSON text, the key set is part of the fingerprint', () => {
  assert.equal(fp({ a: [1, 2], b: 'x' }), fp({ a: [1, 2], b: 'x' }));
  assert.notEqual(fp({ a: [1, 2], b: 'x' }), fp({ a: '[1,2]', b: 'x' }));
  assert.notEqual(fp({ a: 'x', b: 'y' }, ['a', 'b']), fp({ a: 'x', b: 'y', c: undefined }, ['a', 'b', 'c']));
  assert.notEqual(fp({ a: 'x' }, ['a']), fp({ z: 'x' }, ['z']));
});

test('fingerprint: the text part separates templates and "no text"', () => {
  const h = new FingerprintHasher(KEY);
  const row = { a: 'x', b: 'y' };
  assert.notEqual(h.hash(row, true, 'disk <PATH> full'), h.hash(row, true, 'disk <PATH> ok'));
  assert.notEqual(h.hash(row, true, ''), h.hash(row, true, undefined));
  assert.notEqual(h.hash(row, true, undefined), h.hash(row));
  assert.equal(h.hash(row, true, 'same'), h.hash({ ...row }, true, 'same'));
});

test('fingerprint: hex formatting is 14 digits and both formatters agree; parts round trip', () => {
  const h = new FingerprintHasher(['k']);
  for (let i = 0; i < 2000; i++) {
    h.lanes({ k: `user${i}` });
    const n = fingerprintNumber(h.hi, h.lo);
    assert.ok(Number.isSafeInteger(n) && n < 2 ** 53);
    const s = fingerprintString(h.hi, h.lo);
    assert.equal(s, fingerprintHex(n));
    assert.match(s, /^[0-9a-f]{14}$/);
    assert.deepEqual(fingerprintParts(n), [h.hi, h.lo]);
  }
  assert.equal(fingerprintHex(0), '00000000000000');
  assert.equal(fingerprintString(-1, 2 ** 21 - 1), fingerprintHex(2 ** 53 - 1));
});

test('fingerprint: no collisions and balanced bits over 200k structured keys', () => {
  const h = new FingerprintHasher(['incident_type', 'source', 'user']);
  const seen = new Set<number>();
  const ones = new Array<number>(53).fill(0);
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const x = h.hash({ incident_type: `t${i % 8}`, source: `srv-${(i >> 3) % 50}`, user: `user${Math.floor(i / 400)}` });
    seen.add(x);
    let v = x;
    for (let b = 0; b < 53; b++) {
      ones[b] += v % 2;
      v = Math.floor(v / 2);
    }
  }
  assert.equal(seen.size, n);
  for (const c of ones) assert.ok(Math.abs(c / n - 0.5) < 0.01, `bit bias ${c / n}`);
});
