import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeatureSpace } from '../../src/features/feature-space';
import { Network } from '../../src/learn/network';
import { Rng } from '../../src/learn/rng';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import type { Row } from '../../src/types';

test('encodeMany lists every non-zero column of each row, ascending, padded with −1', () => {
  const fs = new FeatureSpace(GENERATOR_SCHEMA, { categoricalCapacity: 4 });
  const rows = generateEvents({ scenario: 'storm', events: 300, seed: 2 }) as unknown as Row[];
  fs.update(rows.slice(0, 100));
  // Missing and non-finite values, an unseen category, a missing hashed value.
  const odd: Row[] = [{ ...rows[0]!, cpu_load: null, latency_ms: 'n/a', source: 'never-seen', user: null }, { severity: 3 }];
  const all = [...rows, ...odd];
  const w = fs.nonZeroWidth;
  const nz = new Int32Array(all.length * w).fill(99);
  const X = fs.encodeMany(all, undefined, undefined, nz);
  assert.deepEqual(Array.from(X), Array.from(fs.encodeMany(all)), 'the index does not change the encoding');
  for (let i = 0; i < all.length; i++) {
    const listed = Array.from(nz.subarray(i * w, i * w + w));
    const cols = listed.filter((c) => c >= 0);
    assert.deepEqual(listed.slice(cols.length), new Array(w - cols.length).fill(-1), `row ${i}: padding after the columns`);
    assert.deepEqual(cols, [...cols].sort((a, b) => a - b), `row ${i}: ascending`);
    for (let j = 0; j < fs.dim; j++) if (X[i * fs.dim + j] !== 0) assert.ok(cols.includes(j), `row ${i}: column ${j} is non-zero but not listed`);
  }
});

test('forward and backward through a sparse index equal the dense loops exactly (logistic, MLP, squared)', () => {
  const fs = new FeatureSpace(GENERATOR_SCHEMA);
  const rows = generateEvents({ scenario: 'abrupt', events: 200, seed: 5 }) as unknown as Row[];
  fs.update(rows);
  const n = rows.length;
  const cols = new Int32Array(n * fs.nonZeroWidth);
  const X = fs.encodeMany(rows, undefined, undefined, cols);
  const nz = { cols, width: fs.nonZeroWidth };
  for (const hidden of [[], [6], [5, 3]]) {
    const net = new Network(fs.dim, hidden);
    const rng = new Rng(`sparse-${hidden}`);
    const theta = Float64Array.from({ length: net.size }, () => rng.next() - 0.5);
    const dz = Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? 0 : rng.next() - 0.5));
    const dense = net.forward(theta, X, n);
    const sparse = net.forward(theta, X, n, nz);
    assert.deepEqual(Array.from(sparse.z), Array.from(dense.z), `hidden ${hidden}: logits`);
    assert.deepEqual(Array.from(net.firstLayer(theta, X, n, nz)), Array.from(net.firstLayer(theta, X, n)));
    for (const squared of [false, true]) {
      const g1 = new Float64Array(net.size);
      const g2 = new Float64Array(net.size);
      net.backward(theta, X, n, dense, dz, g1, squared);
      net.backward(theta, X, n, sparse, dz, g2, squared, nz);
      assert.deepEqual(Array.from(g2), Array.from(g1), `hidden ${hidden}, squared ${squared}: gradient`);
    }
  }
});
