/**
 * ADWIN against its definition (Bifet & Gavaldà 2007) and the figures: a Bernoulli error
 * stream 0.2 → 0.5 at event 5,000 is detected within 300 events in ≥ 95 of 100 seeds; at most one
 * false alarm per 100k stationary events; the window is an exact summary of what it holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adwin } from '../../src/drift/adwin';
import { DriftDetectorError } from '../../src/drift/detector-error';
import { assertRoundTrip, bernoulli, drifts, firstDriftFrom } from './helpers';

test('adwin: 0.2 → 0.5 at 5,000 is detected within 300 events in ≥ 95 of 100 seeds (δ = 0.002)', () => {
  let hits = 0;
  const delays: number[] = [];
  for (let s = 0; s < 100; s++) {
    const xs = bernoulli(`adwin-shift-${s}`, 5300, 0.2, 0.5, 5000);
    const at = firstDriftFrom(new Adwin({ delta: 0.002 }), xs, 5000);
    if (at >= 5000) {
      hits++;
      delays.push(at - 5000);
    }
  }
  assert.ok(hits >= 95, `detected in ${hits}/100 seeds`);
  delays.sort((a, b) => a - b);
  // With clock 32 a detection can only land on a multiple of 32 values.
  assert.ok(delays.every((d) => (d + 5001) % 32 === 0), 'detections fall on the clock');
});

test('adwin: at most one false alarm per 100k stationary events (Bernoulli 0.2, 10 seeds × 100k)', () => {
  let alarms = 0;
  for (let s = 0; s < 10; s++) {
    const det = new Adwin();
    const n = drifts(det, bernoulli(`adwin-still-${s}`, 100_000, 0.2)).length;
    assert.ok(n <= 1, `seed ${s}: ${n} false alarms in 100k`);
    alarms += n;
  }
  assert.ok(alarms <= 10);
});

test('adwin: the window summarises exactly the values it holds (width, mean, variance)', () => {
  const det = new Adwin({ clock: 1 });
  const xs = bernoulli('adwin-exact', 3000, 0.3, 0.9, 1500);
  const all: number[] = [];
  for (const x of xs) {
    det.update(x);
    all.push(x);
    const w = all.slice(all.length - det.width);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const varr = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    assert.ok(Math.abs(det.estimation - mean) < 1e-9);
    assert.ok(Math.abs(det.windowVariance - varr) < 1e-9);
  }
  // The cut dropped the old concept: the window now sits on the new one.
  assert.ok(det.width < 1600, `width ${det.width}`);
  assert.ok(Math.abs(det.estimation - 0.9) < 0.05, `estimation ${det.estimation}`);
});

test('adwin: memory stays logarithmic (buckets per row ≤ maxBuckets) on a long stationary stream', () => {
  const det = new Adwin({ maxBuckets: 5 });
  drifts(det, bernoulli('adwin-mem', 200_000, 0.5));
  const st = det.getState();
  assert.ok(st.rows.length <= 16, `${st.rows.length} rows`);
  for (const row of st.rows) assert.ok(row.total.length <= 5);
  assert.equal(det.width, 200_000);
});

test('adwin: a real-valued mean shift (River\'s example: uniform {0,1} then {4..7}) is detected right after the change', () => {
  const det = new Adwin();
  const xs: number[] = [];
  const u = bernoulli('adwin-real', 2000, 0.5);
  for (let i = 0; i < 2000; i++) xs.push(i < 1000 ? u[i]! : 4 + ((u[i]! * 2 + u[(i * 7) % 2000]!) % 4));
  const at = firstDriftFrom(det, xs, 0);
  assert.ok(at >= 1000 && at < 1100, `first detection at ${at}`);
});

test('adwin: state round trip through JSON gives identical subsequent outputs', () => {
  const xs = bernoulli('adwin-rt', 12_000, 0.2, 0.6, 6000);
  for (const cut of [0, 1, 31, 5000, 6100, 9000]) assertRoundTrip(() => new Adwin({ clock: 8 }), xs, cut);
});

test('adwin: reset forgets everything (same outputs as a fresh detector)', () => {
  const xs = bernoulli('adwin-reset', 8000, 0.2, 0.5, 4000);
  const a = new Adwin();
  drifts(a, xs);
  a.reset();
  assert.equal(a.width, 0);
  assert.equal(a.estimation, 0);
  assert.deepEqual(drifts(a, xs), drifts(new Adwin(), xs));
});

test('adwin: bad options and bad states throw DriftDetectorError naming the option', () => {
  assert.throws(() => new Adwin({ delta: -0.1 }), (e: unknown) => e instanceof DriftDetectorError && /delta/.test(e.message));
  assert.throws(() => new Adwin({ delta: 1 }), /delta/);
  assert.throws(() => new Adwin({ clock: 0 }), /clock/);
  assert.throws(() => new Adwin({ maxBuckets: 2.5 }), /maxBuckets/);
  assert.throws(() => new Adwin({ detla: 0.1 } as never), /unknown option "detla"/);
  assert.throws(() => new Adwin().update(NaN), /finite/);
  const det = new Adwin();
  drifts(det, bernoulli('adwin-bad', 500, 0.4));
  const good = det.getState();
  const before = JSON.stringify(good);
  assert.throws(() => det.setState({ ...good, width: 3 }), /width/);
  assert.throws(() => det.setState({ ...good, kind: 'ddm' }), /not an ADWIN state/);
  assert.throws(() => det.setState(null), DriftDetectorError);
  assert.equal(JSON.stringify(det.getState()), before, 'a rejected state leaves the detector unchanged');
});
