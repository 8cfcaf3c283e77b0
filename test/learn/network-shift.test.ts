import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shiftedRows } from '../../src/constraints/constraint';
import { Network } from '../../src/learn/network';
import { Rng } from '../../src/learn/rng';

test('logitsShifted equals a forward pass on the shifted rows (logistic and MLP)', () => {
  for (const hidden of [[], [16], [8, 4]]) {
    const d = 12;
    const n = 40;
    const net = new Network(d, hidden);
    const rng = new Rng('shift');
    const theta = net.init(rng);
    for (let i = 0; i < theta.length; i++) theta[i] += rng.next() - 0.5; // logistic init is all zeros
    const X = new Float64Array(n * d);
    for (let i = 0; i < X.length; i++) X[i] = rng.next() < 0.3 ? 0 : 4 * rng.next() - 2;
    const idx = Int32Array.from([0, 3, 3, 17, 39]);
    const cols = [2, 7];
    const values = Float64Array.from({ length: idx.length * cols.length }, () => 4 * rng.next() - 2);
    const H = net.firstLayer(theta, X, n);
    const fast = net.logitsShifted(theta, X, H, idx, cols, values);
    const slow = net.forward(theta, shiftedRows(X, d, { idx, cols, values }), idx.length).z;
    assert.equal(fast.length, idx.length);
    for (let m = 0; m < idx.length; m++) assert.ok(Math.abs(fast[m]! - slow[m]!) < 1e-12, `hidden ${hidden}: ${fast[m]} vs ${slow[m]}`);
    // No change at all gives the batch's own logits.
    const same = net.logitsShifted(theta, X, H, idx, cols, Float64Array.from(Array.from(idx).flatMap((i) => cols.map((c) => X[i * d + c]!))));
    const own = net.forward(theta, X, n).z;
    for (let m = 0; m < idx.length; m++) assert.ok(Math.abs(same[m]! - own[idx[m]!]!) < 1e-12);
  }
});
