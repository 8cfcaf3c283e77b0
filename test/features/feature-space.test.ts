import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureSpace, readNumber, MISSING, BAD } from '../../src/features/feature-space';
import { fnv1a } from '../../src/features/hash';
import { welford, welfordAdd, welfordStd } from '../../src/features/welford';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import type { Schema } from '../../src/types';

const SCHEMA: Schema = {
  label: { field: 'y', positive: [1] },
  numeric: ['x', 'bytes'],
  categorical: ['kind'],
  hashed: ['user'],
  log: ['bytes'],
};

test('Welford matches the two-pass mean and sample variance', () => {
  const xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
  const s = welford();
  for (const x of xs) welfordAdd(s, x);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  assert.ok(Math.abs(s.mean - mean) < 1e-12);
  assert.ok(Math.abs(welfordStd(s) - Math.sqrt(v)) < 1e-12);
  assert.equal(welfordStd(welford()), 1);
});

test('fnv1a is the standard 32-bit FNV-1a', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
});

test('readNumber: numbers, missing values and non-finite values', () => {
  assert.equal(readNumber(2.5), 2.5);
  assert.equal(readNumber('3'), 3);
  assert.equal(readNumber(true), 1);
  for (const m of [null, undefined, '', 'abc', {}]) assert.ok(Number.isNaN(readNumber(m)));
  for (const b of [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 'NaN', 'Infinity', '-inf', '1e400']) assert.equal(readNumber(b), BAD);
  assert.ok(Number.isNaN(MISSING));
});

test('layout and dimension are fixed by the schema', () => {
  const fs = new FeatureSpace(SCHEMA, { categoricalCapacity: 2, hashBuckets: 4 });
  assert.equal(fs.dim, 2 + 2 + (2 + 2) + 4);
  assert.equal(fs.columnNames().length, fs.dim);
  const g = new FeatureSpace(GENERATOR_SCHEMA);
  assert.equal(g.dim, 6 * 2 + 3 * 34 + 32);
});

test('encoding: standardisation with log transform, one-hot with other and missing slots, hashing', () => {
  const fs = new FeatureSpace(SCHEMA, { categoricalCapacity: 2, hashBuckets: 4 });
  const rows = [
    { x: 1, bytes: 10, kind: 'a', user: 'u1' },
    { x: 3, bytes: 1000, kind: 'b', user: 'u2' },
    { x: 5, bytes: 100000, kind: 'c', user: 'u1' },
  ];
  fs.update(rows);
  const v = new Float64Array(fs.dim);
  fs.encode({ x: 5, bytes: 1000, kind: 'c', user: 'u1' }, v);
  // x: mean 3, sd 2 → (5 − 3)/2 = 1.
  assert.ok(Math.abs(v[0]! - 1) < 1e-12);
  // bytes: log1p values; 1000 is the middle one.
  const l = [10, 1000, 100000].map((b) => Math.log1p(b));
  const m = (l[0]! + l[1]! + l[2]!) / 3;
  const sd = Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
  assert.ok(Math.abs(v[1]! - (l[1]! - m) / sd) < 1e-12);
  assert.deepEqual(Array.from(v.subarray(2, 4)), [0, 0]); // not missing
  // kind: 'a' → slot 0, 'b' → slot 1, 'c' → other (capacity 2).
  assert.deepEqual(Array.from(v.subarray(4, 8)), [0, 0, 1, 0]);
  // user hashed into one of 4 buckets.
  const bucket = fnv1a('u1') % 4;
  assert.deepEqual(Array.from(v.subarray(8, 12)), [0, 1, 2, 3].map((b) => (b === bucket ? 1 : 0)));
  // Missing values: numeric → 0 + indicator; categorical → its own slot; hashed → no bucket.
  fs.encode({ x: null, kind: '', user: undefined }, v);
  assert.deepEqual(Array.from(v), [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  // Non-finite values encode as missing in predictions.
  fs.encode({ x: Number.NaN, bytes: 10, kind: 'a' }, v);
  assert.equal(v[2], 1);
});

test('statistics are a pure function of the rows seen, and round-trip through JSON', () => {
  const rows = Array.from({ length: 50 }, (_, i) => ({ x: i % 7, bytes: i * 100, kind: `k${i % 5}`, user: `u${i}` }));
  const a = new FeatureSpace(SCHEMA);
  const b = new FeatureSpace(SCHEMA);
  a.update(rows);
  for (const r of rows) b.update([r]);
  assert.deepEqual(a.getState(), b.getState());
  const c = new FeatureSpace(SCHEMA);
  c.setState(JSON.parse(JSON.stringify(a.getState())));
  const probe = { x: 2.5, bytes: 1234, kind: 'k3', user: 'zz' };
  const va = new Float64Array(a.dim);
  const vc = new Float64Array(c.dim);
  a.encode(probe, va);
  c.encode(probe, vc);
  assert.deepEqual(Array.from(vc), Array.from(va));
  assert.equal(a.hasNonFinite(rows), false);
  assert.equal(a.hasNonFinite([{ x: Infinity }]), true);
});

test('extreme values are clipped', () => {
  const fs = new FeatureSpace(SCHEMA, { clip: 3 });
  fs.update([{ x: 0 }, { x: 1 }]);
  const v = new Float64Array(fs.dim);
  fs.encode({ x: 1e9 }, v);
  assert.equal(v[0], 3);
});

test('encodeMany into a reused buffer equals a fresh encoding; a wrong-sized buffer is refused', () => {
  const fs = new FeatureSpace(SCHEMA, { categoricalCapacity: 2, hashBuckets: 4 });
  const a = [{ x: 1, bytes: 10, kind: 'a', user: 'u1' }, { x: null, bytes: 'x', kind: 'zz', user: null }];
  const b = [{ x: 7, bytes: 5, kind: 'b', user: 'u9' }, { x: 2, bytes: 3, kind: '', user: 'u2' }];
  fs.update(a);
  const out = new Float64Array(2 * fs.dim).fill(42); // stale contents must not leak through
  assert.deepEqual(Array.from(fs.encodeMany(a, undefined, out)), Array.from(fs.encodeMany(a)));
  assert.deepEqual(Array.from(fs.encodeMany(b, undefined, out)), Array.from(fs.encodeMany(b)));
  assert.equal(fs.encodeMany(b, undefined, out), out);
  assert.throws(() => fs.encodeMany(b, undefined, new Float64Array(fs.dim)), /out has 12 entries, not 2 × 12/);
});

test('rows are read by field name whatever their shape: key order, inherited fields, extra and missing fields, many shapes at one site', () => {
  const schema: Schema = {
    label: { field: 'y', positive: [1] },
    numeric: ['x', 'bytes'],
    categorical: ['kind', 'zone'],
    hashed: ['user'],
    log: ['bytes'],
    textFeatures: ['msg'],
    timestamp: 'ts',
    timeFeatures: ['hour'],
  };
  // The reference: each row's values copied into one plain object of one shape, in schema order.
  const canonical = (r: Record<string, unknown>): Record<string, unknown> => ({ x: r.x, bytes: r.bytes, kind: r.kind, zone: r.zone, user: r.user, msg: r.msg, ts: r.ts });
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    const v = { x: i % 7 === 0 ? null : i / 3, bytes: i % 5 === 0 ? '12' : 1000 + i, kind: `k${i % 4}`, zone: i % 6 === 0 ? '' : `z${i % 3}`, user: `u${i % 9}`, msg: i % 8 === 0 ? undefined : `disk ${i} full on host${i % 3}`, ts: Date.UTC(2025, 0, 1, i % 24) };
    switch (i % 5) {
      case 0: rows.push(v); break;
      case 1: rows.push({ ts: v.ts, msg: v.msg, user: v.user, zone: v.zone, kind: v.kind, bytes: v.bytes, x: v.x, extra: i }); break; // reversed, one more
      case 2: rows.push(Object.assign(Object.create({ kind: v.kind, user: v.user }), { x: v.x, bytes: v.bytes, zone: v.zone, msg: v.msg, ts: v.ts })); break; // inherited
      case 3: { const r: Record<string, unknown> = { ...v }; delete r.zone; rows.push(r); break; } // missing field
      default: rows.push(new Map(Object.entries(v)) as unknown as Record<string, unknown>); // no fields at all (reads as all missing)
    }
  }
  const a = new FeatureSpace(schema, { categoricalCapacity: 2, hashBuckets: 8, textBuckets: 64 });
  const b = new FeatureSpace(schema, { categoricalCapacity: 2, hashBuckets: 8, textBuckets: 64 });
  const ref = rows.map(canonical);
  for (let from = 0; from < rows.length; from += 20) {
    const part = rows.slice(from, from + 20);
    const refPart = ref.slice(from, from + 20);
    assert.deepEqual(Array.from(a.readRaw(part)), Array.from(b.readRaw(refPart)));
    assert.deepEqual(Array.from(a.encodeMany(part)), Array.from(b.encodeMany(refPart)), `rows ${from}…`);
    const sa = a.encodeSparse(part);
    const sb = b.encodeSparse(refPart);
    assert.deepEqual([Array.from(sa.rowPtr), Array.from(sa.cols), Array.from(sa.values)], [Array.from(sb.rowPtr), Array.from(sb.cols), Array.from(sb.values)]);
    a.update(part);
    b.update(refPart);
    assert.deepEqual(a.getState(), b.getState());
  }
  const one = new Float64Array(a.dim);
  const two = new Float64Array(b.dim);
  for (let i = 0; i < rows.length; i++) {
    a.encode(rows[i]!, one);
    b.encode(ref[i]!, two);
    assert.deepEqual(Array.from(one), Array.from(two), `row ${i}`);
  }
});
