/**
 * DDM against its definition (Gama et al. 2004: warning at p + s ≥ p_min + 2·s_min, drift at
 * ≥ p_min + 3·s_min, after 30 values) and on the Bernoulli error stream 0.2 → 0.5.
 * DDM compares the error rate since its last reset with its best point, so its delay grows with the
 * events it has seen: measured on these seeds, with 5,000 events before the change it finds it within
 * 2,000 events in 95/100 seeds (a minimum set early, when s is large, lifts the bar); with 1,000 events
 * before, within 1,000 in 100/100 (median delay 102). False alarms: 4 per 1M stationary events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ddm } from '../../src/drift/ddm';
import { DriftDetectorError } from '../../src/drift/detector-error';
import type { DriftSignal } from '../../src/drift/detector';
import { Rng } from '../../src/learn/rng';
import { assertRoundTrip, bernoulli, drifts, firstDriftFrom } from './helpers';

/** DDM straight from the paper's rules, restarting after each drift. */
function reference(xs: ArrayLike<number>): DriftSignal[] {
  const out: DriftSignal[] = [];
  let n = 0, errors = 0, pMin = 0, sMin = 0, best = Infinity, fresh = false;
  for (let i = 0; i < xs.length; i++) {
    if (fresh) { n = 0; errors = 0; pMin = 0; sMin = 0; best = Infinity; fresh = false; }
    n++;
    errors += xs[i]!;
    const p = errors / n;
    const s = Math.sqrt((p * (1 - p)) / n);
    let sig: DriftSignal = 'none';
    if (n > 30) {
      if (p + s <= best + 1e-12) { best = Math.min(best, p + s); pMin = p; sMin = s; }
      else if (p + s >= pMin + 3 * sMin) { sig = 'drift'; fresh = true; }
      else if (p + s >= pMin + 2 * sMin) sig = 'warning';
    }
    out.push(sig);
  }
  return out;
}

test('ddm: warnings and drifts equal the paper\'s rules on random error streams', () => {
  const rng = new Rng('ddm-ref');
  for (let trial = 0; trial < 20; trial++) {
    const xs: number[] = [];
    let p = rng.next() * 0.4;
    for (let i = 0; i < 5000; i++) {
      if (rng.next() < 0.001) p = Math.min(0.95, p + rng.next() * 0.4);
      xs.push(rng.next() < p ? 1 : 0);
    }
    const det = new Ddm();
    const got = xs.map((x) => det.update(x));
    const want = reference(xs);
    // Means computed incrementally vs errors/n can differ by an ulp exactly at a boundary; allow none here.
    assert.deepEqual(got, want, `trial ${trial}`);
  }
});

test('ddm (defaults): 0.2 → 0.5 after 5,000 events is found within 2,000 in ≥ 90 of 100 seeds, after 1,000 events within 1,000 in ≥ 95', () => {
  let long = 0;
  let short = 0;
  for (let s = 0; s < 100; s++) {
    const xs = bernoulli(`shift-${s}`, 7000, 0.2, 0.5, 5000);
    if (firstDriftFrom(new Ddm(), xs, 5000) >= 5000) long++;
    if (firstDriftFrom(new Ddm(), xs.subarray(4000, 6000), 1000) >= 1000) short++;
  }
  assert.ok(long >= 90, `after 5,000: ${long}/100`);
  assert.ok(short >= 95, `after 1,000: ${short}/100`);
});

test('ddm (defaults): at most one false alarm per 100k stationary events (Bernoulli 0.2, 10 seeds)', () => {
  for (let s = 0; s < 10; s++) {
    const n = drifts(new Ddm(), bernoulli(`still-${s}`, 100_000, 0.2)).length;
    assert.ok(n <= 1, `seed ${s}: ${n}`);
  }
});

test('ddm: a warning comes before the drift; nothing in the first 30 values; starts afresh after a drift', () => {
  const det = new Ddm();
  const xs = [...new Array(200).fill(0).map((_, i) => (i % 10 === 0 ? 1 : 0)), ...new Array(200).fill(1)];
  const sig = xs.map((x) => det.update(x));
  const d = sig.indexOf('drift');
  assert.ok(d > 200);
  assert.ok(sig.slice(200, d).includes('warning'));
  assert.ok(!sig.slice(0, 31).some((x) => x !== 'none'));
  det.update(1);
  assert.equal(det.errorRate, 1, 'fresh statistics after the drift');
});

test('ddm: state round trip through JSON gives identical subsequent outputs; reset', () => {
  const xs = bernoulli('ddm-rt', 20_000, 0.1, 0.4, 9000);
  for (const cut of [0, 1, 30, 31, 9100, 15_000]) assertRoundTrip(() => new Ddm(), xs, cut);
  const a = new Ddm();
  drifts(a, xs);
  a.reset();
  assert.deepEqual(drifts(a, xs), drifts(new Ddm(), xs));
});

test('ddm: bad options, values and states throw DriftDetectorError naming them', () => {
  assert.throws(() => new Ddm({ warningLevel: -2 }), (e: unknown) => e instanceof DriftDetectorError && /warningLevel/.test(e.message));
  assert.throws(() => new Ddm({ driftLevel: 1, warningLevel: 2 }), /driftLevel/);
  assert.throws(() => new Ddm({ minInstances: 1.5 }), /minInstances/);
  assert.throws(() => new Ddm().update(0.5), /0 or 1/);
  const d = new Ddm();
  assert.throws(() => d.setState({ ...d.getState(), p: 2 }), /"p"/);
});
