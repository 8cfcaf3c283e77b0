/**
 * Forgetting normalisation ("ewm:N"): the incremental exponentially weighted mean and standard
 * deviation against their definition recomputed from scratch on every prefix, and in the encoder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ewm, ewmAdd, ewmDecay, ewmStd, parseNormalise } from '../../src/features/ewm';
import { FeatureSpace } from '../../src/features/feature-space';
import { welford, welfordAdd, welfordStd } from '../../src/features/welford';
import { Rng } from '../../src/learn/rng';
import type { Schema } from '../../src/types';

/** From the definition: weights 2^(−k/N) for the value k values ago; reliability-weighted sample variance. */
function direct(xs: number[], halfLife: number): { mean: number; sd: number } {
  const n = xs.length;
  let W = 0;
  let W2 = 0;
  let S = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.pow(2, -(n - 1 - i) / halfLife);
    W += w;
    W2 += w * w;
    S += w * xs[i]!;
  }
  const mean = S / W;
  let V = 0;
  for (let i = 0; i < n; i++) V += Math.pow(2, -(n - 1 - i) / halfLife) * (xs[i]! - mean) ** 2;
  const sd = n < 2 ? 1 : Math.sqrt(V / (W - W2 / W));
  return { mean, sd: sd > 1e-6 ? sd : 1 };
}

for (const halfLife of [1, 5, 50.5, 1000]) {
  test(`ewm mean and sd = their definition on every prefix (half-life ${halfLife})`, () => {
    const rng = new Rng(`ewm-${halfLife}`);
    const xs: number[] = [];
    const s = ewm();
    const decay = ewmDecay(halfLife);
    for (let i = 0; i < 300; i++) {
      // A level shift at 150: the ewm statistics follow it.
      const x = (i < 150 ? 0 : 20) + 3 * (rng.next() * 2 - 1);
      xs.push(x);
      ewmAdd(s, x, decay);
      const want = direct(xs, halfLife);
      assert.ok(Math.abs(s.mean - want.mean) < 1e-9 * Math.max(1, Math.abs(want.mean)), `prefix ${i + 1}: mean ${s.mean} vs ${want.mean}`);
      assert.ok(Math.abs(ewmStd(s) - want.sd) < 1e-8 * want.sd, `prefix ${i + 1}: sd ${ewmStd(s)} vs ${want.sd}`);
    }
    if (halfLife <= 50.5) assert.ok(s.mean > 15, 'forgets the first level');
  });
}

test('ewm with an infinite half-life is the cumulative (Welford) mean and sample sd', () => {
  const rng = new Rng('ewm-inf');
  const a = ewm();
  const b = welford();
  for (let i = 0; i < 200; i++) {
    const x = rng.next() * 10;
    ewmAdd(a, x, ewmDecay(Number.POSITIVE_INFINITY));
    welfordAdd(b, x);
    assert.ok(Math.abs(a.mean - b.mean) < 1e-12 * 10);
    assert.ok(Math.abs(ewmStd(a) - welfordStd(b)) < 1e-9);
  }
});

test('parseNormalise accepts cumulative and ewm:N (N > 0) only', () => {
  assert.equal(parseNormalise('cumulative'), null);
  assert.equal(parseNormalise('ewm:500'), 500);
  assert.equal(parseNormalise('ewm:2.5'), 2.5);
  for (const bad of ['ewm:0', 'ewm:-3', 'ewm:', 'ewm:x', 'ewm', 'Cumulative', 'ewm:Infinity', 3, null]) {
    assert.throws(() => parseNormalise(bad), /normalise must be "cumulative" or "ewm:N"/, String(bad));
  }
});

const SCHEMA: Schema = { label: { field: 'y', positive: [1] }, numeric: ['a', 'b'], categorical: [], log: ['b'] };

test('FeatureSpace with normalise ewm:N standardises with the definition\'s statistics on every prefix (missing values skipped)', () => {
  const half = 20;
  const fs = new FeatureSpace(SCHEMA, { normalise: `ewm:${half}` });
  const rng = new Rng('fs-ewm');
  const seenA: number[] = [];
  const seenB: number[] = [];
  for (let i = 0; i < 120; i++) {
    const a = rng.next() < 0.1 ? null : (i < 60 ? 1 : 5) + rng.next();
    const b = Math.exp(rng.next() * 5);
    fs.update([{ a, b }]);
    if (a !== null) seenA.push(a);
    seenB.push(Math.log1p(b));
    const probe = { a: 3, b: 10 };
    const X = fs.encodeMany([probe]);
    if (seenA.length > 0) {
      const wa = direct(seenA, half);
      assert.ok(Math.abs(X[0]! - Math.max(-10, Math.min(10, (3 - wa.mean) / wa.sd))) < 1e-8, `prefix ${i + 1}: a`);
    }
    const wb = direct(seenB, half);
    assert.ok(Math.abs(X[1]! - Math.max(-10, Math.min(10, (Math.log1p(10) - wb.mean) / wb.sd))) < 1e-8, `prefix ${i + 1}: b`);
  }
  // Checkpoint: a copy encodes bit-identically; a cumulative space refuses the state.
  const copy = new FeatureSpace(SCHEMA, { normalise: `ewm:${half}` });
  copy.setState(JSON.parse(JSON.stringify(fs.getState())));
  const rows = [{ a: 2, b: 3 }, { a: null, b: 0 }];
  assert.deepEqual(Array.from(copy.encodeMany(rows)), Array.from(fs.encodeMany(rows)));
  assert.throws(() => new FeatureSpace(SCHEMA).setState(fs.getState()), /normalise "ewm:20", not "cumulative"/);
  assert.throws(() => new FeatureSpace(SCHEMA, { normalise: 'ewm:0' }), /normalise/);
  // The default is unchanged: no normalise field in a cumulative state.
  assert.equal(new FeatureSpace(SCHEMA).getState().normalise, undefined);
});
