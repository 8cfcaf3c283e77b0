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

/** The backward pass as it was written before rows without error were skipped (dense rows, no sparse index). */
function referenceBackward(net: Network, theta: Float64Array, X: Float64Array, n: number, acts: Float64Array[], dz: Float64Array, grad: Float64Array, squared: boolean): void {
  const L = net.sizes.length - 1;
  let delta = dz;
  for (let l = L - 1; l >= 0; l--) {
    const inS = net.sizes[l]!;
    const outS = net.sizes[l + 1]!;
    const { W, b } = net.offsets[l]!;
    const A = l === 0 ? X : acts[l - 1]!;
    for (let i = 0; i < n; i++) {
      const r = i * inS;
      if (outS === 1) {
        const dk = delta[i]!;
        if (dk === 0) continue;
        const f = squared ? dk * dk : dk;
        grad[b] += f;
        for (let j = 0; j < inS; j++) {
          const a = A[r + j]!;
          if (a !== 0) grad[W + j] += squared ? a * a * f : a * f;
        }
        continue;
      }
      const o = i * outS;
      for (let k = 0; k < outS; k++) grad[b + k] += squared ? delta[o + k]! * delta[o + k]! : delta[o + k]!;
      for (let j = 0; j < inS; j++) {
        const a = A[r + j]!;
        if (a === 0) continue;
        for (let k = 0; k < outS; k++) grad[W + j * outS + k] += squared ? a * a * delta[o + k]! * delta[o + k]! : a * delta[o + k]!;
      }
    }
    if (l === 0) break;
    const next = new Float64Array(n * inS);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < inS; j++) {
        let s = 0;
        for (let k = 0; k < outS; k++) s += theta[W + j * outS + k]! * delta[i * outS + k]!;
        const a = A[i * inS + j]!;
        next[i * inS + j] = s * (1 - a * a);
      }
    }
    delta = next;
  }
}

test('skipping the rows without error leaves the gradients bit for bit those of the full backward pass', () => {
  const rng = new Rng('zero-rows');
  const dim = 19;
  const n = 60;
  for (const hidden of [[16], [5], [4, 3], [7, 2, 5]]) {
    const S = randomRows(rng, n, dim);
    const X = densify(S);
    const net = new Network(dim, hidden);
    const theta = Float64Array.from({ length: net.size }, () => (rng.next() - 0.5) * 3);
    // Most rows without error, as the constraint pairs of a step that do not violate; one saturated unit.
    const dz = Float64Array.from({ length: n }, () => (rng.next() < 0.8 ? 0 : rng.next() - 0.5));
    theta[net.offsets[0]!.b] = 40;
    const cache = net.forward(theta, S, n);
    for (const squared of [false, true]) {
      for (const start of ['zeros', 'random'] as const) {
        const init = (): Float64Array => (start === 'zeros' ? new Float64Array(net.size) : Float64Array.from({ length: net.size }, (_, k) => ((k * 7919) % 13) - 6 || 0.5));
        const want = init();
        referenceBackward(net, theta, X, n, cache.acts, dz, want, squared);
        const sparse = init();
        net.backward(theta, S, n, cache, dz, sparse, squared);
        const dense = init();
        net.backward(theta, X, n, net.forward(theta, X, n), dz, dense, squared);
        assert.deepEqual(Array.from(sparse), Array.from(want), `hidden ${hidden}, squared ${squared}, ${start}: sparse`);
        assert.deepEqual(Array.from(dense), Array.from(want), `hidden ${hidden}, squared ${squared}, ${start}: dense`);
        for (const g of sparse) assert.ok(!Object.is(g, -0), 'no −0 in a gradient summed from +0');
      }
    }
  }
});
