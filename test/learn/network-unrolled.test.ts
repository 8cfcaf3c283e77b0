import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Network } from '../../src/learn/network';
import { Rng } from '../../src/learn/rng';
import { densify, type SparseRows } from '../../src/features/sparse-rows';

/** Random sparse rows: ascending distinct columns, some explicit zero entries, spare room after the entries. */
function randomRows(rng: Rng, n: number, dim: number): SparseRows {
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const u = rng.next();
      if (u < 0.25) {
        cols.push(j);
        values.push(u < 0.03 ? 0 : (rng.next() - 0.5) * 4);
      }
    }
    rowPtr[i + 1] = cols.length;
  }
  return { n, dim, rowPtr, cols: Int32Array.from([...cols, 0, 0]), values: Float64Array.from([...values, 0, 0]) };
}

test('the sparse first layer (outputs four at a time) equals the dense loops bit for bit, every width and remainder', () => {
  const rng = new Rng('unrolled');
  const dim = 23;
  const n = 40;
  for (const hidden of [[1], [2], [3], [4], [5], [6], [7], [8], [9], [16], [17], [16, 3], [5, 4]]) {
    const S = randomRows(rng, n, dim);
    const X = densify(S);
    const net = new Network(dim, hidden);
    const theta = Float64Array.from({ length: net.size }, () => (rng.next() - 0.5) * 3);
    const sparse = net.forward(theta, S, n);
    const dense = net.forward(theta, X, n);
    assert.deepEqual(Array.from(sparse.z), Array.from(dense.z), `hidden ${hidden}: logits`);
    assert.deepEqual(Array.from(net.firstLayer(theta, S, n)), Array.from(net.firstLayer(theta, X, n)), `hidden ${hidden}: first layer`);
    const dz = Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? 0 : rng.next() - 0.5));
    for (const squared of [false, true]) {
      const g1 = Float64Array.from({ length: net.size }, () => rng.next() - 0.5);
      const g2 = Float64Array.from(g1);
      net.backward(theta, X, n, dense, dz, g1, squared);
      net.backward(theta, S, n, sparse, dz, g2, squared);
      assert.deepEqual(Array.from(g2), Array.from(g1), `hidden ${hidden}, squared ${squared}: gradient`);
    }
  }
});
