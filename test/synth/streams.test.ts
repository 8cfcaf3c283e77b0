/**
 * Each synthetic stream against its definition: determinism per seed, the label rule (exact when the
 * concept is noise-free), label balance, documented noise, calibrated oracle_p, and its schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynthStream, SYNTH_NAMES, synthSchema, resolveSynth } from '../../src/synth/synth-stream';
import { SEA_THRESHOLDS } from '../../src/synth/sea';
import { HYPERPLANE } from '../../src/synth/hyperplane';
import { LED_DIGITS } from '../../src/synth/led';
import { SynthError } from '../../src/synth/synth-error';
import { createRng } from '../../src/stream/rng';
import { validateRow } from '../../src/stream/validate';
import { calibration, rows } from './helpers';

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (±${tol})`);
const rate = (rs: { y?: unknown }[]) => rs.reduce((s, r) => s + (r.y as number), 0) / rs.length;

test('every stream: same seed → same rows; another seed → other rows; rows validate through its schema', () => {
  for (const name of SYNTH_NAMES) {
    const a = JSON.stringify(rows({ name, events: 500, seed: 'd' }));
    assert.equal(JSON.stringify(rows({ name, events: 500, seed: 'd' })), a, name);
    assert.notEqual(JSON.stringify(rows({ name, events: 500, seed: 'e' })), a, name);
    const schema = synthSchema({ name });
    const rs = rows({ name, events: 300, seed: 1, driftAt: 150 });
    for (const [i, r] of rs.entries()) {
      const v = validateRow(r, i + 1, schema);
      assert.ok('record' in v, `${name} row ${i}: ${JSON.stringify(v)}`);
      assert.equal(v.record.label, r.y);
      for (const f of [...schema.numeric, ...schema.categorical]) assert.ok(f in r, `${name}: field ${f}`);
      assert.equal(v.record.oracle, name === 'rbf' ? null : r.oracle_p);
      assert.equal(v.record.regime, i < 150 ? 'A' : 'B');
    }
    assert.equal(schema.label.field, 'y');
  }
});

test('sea: without noise y = 1 exactly when x1 + x2 ≤ θ (θ = 8, 9, 7, 9.5); rate θ²/200; x3 irrelevant', () => {
  for (let k = 1; k <= 4; k++) {
    const theta = SEA_THRESHOLDS[k - 1]!;
    const rs = rows({ name: 'sea', function: k, events: 20_000, seed: k });
    for (const r of rs) {
      assert.equal(r.y, (r.x1 as number) + (r.x2 as number) <= theta ? 1 : 0);
      assert.equal(r.oracle_p, r.y);
      for (const f of ['x1', 'x2', 'x3']) assert.ok((r[f] as number) >= 0 && (r[f] as number) < 10);
    }
    near(rate(rs), (theta * theta) / 200 - (theta > 10 ? 0 : 0), 0.012, `sea ${k} rate`);
  }
});

test('sea with 10 % label noise: 10 % of labels flipped; oracle_p is 0.9 / 0.1 and calibrated; Bayes accuracy 0.9', () => {
  const rs = rows({ name: 'sea', events: 20_000, seed: 4, params: { noise: 0.1 } });
  const flipped = rs.filter((r) => r.y !== ((r.x1 as number) + (r.x2 as number) <= 8 ? 1 : 0)).length / rs.length;
  near(flipped, 0.1, 0.01, 'flip rate');
  for (const r of rs) assert.ok(r.oracle_p === 0.9 || r.oracle_p === 0.1);
  for (const [p, y] of calibration(rs)) near(y, p, 0.02, 'calibration');
  const bayes = rs.filter((r) => ((r.oracle_p as number) >= 0.5 ? 1 : 0) === r.y).length / rs.length;
  near(bayes, 0.9, 0.01, 'Bayes accuracy');
});

test('agrawal: attribute ranges as the paper; function 1 is age < 40 or ≥ 60; functions 2–10 as written', () => {
  const rs = rows({ name: 'agrawal', function: 1, events: 20_000, seed: 1 });
  for (const r of rs) {
    const age = r.age as number;
    assert.equal(r.y, age < 40 || age >= 60 ? 1 : 0);
    assert.ok(Number.isInteger(age) && age >= 20 && age <= 80);
    const salary = r.salary as number;
    assert.ok(salary >= 20e3 && salary <= 150e3);
    assert.ok(salary >= 75e3 ? r.commission === 0 : (r.commission as number) >= 10e3 && (r.commission as number) <= 75e3);
    assert.ok([0, 1, 2, 3, 4].includes(r.elevel as number));
    assert.ok((r.car as number) >= 1 && (r.car as number) <= 20);
    const zip = r.zipcode as number;
    assert.ok(Number.isInteger(zip) && zip >= 0 && zip <= 8);
    const k = (9 - zip) * 100e3;
    assert.ok((r.hvalue as number) >= 0.5 * k && (r.hvalue as number) <= 1.5 * k);
    assert.ok((r.hyears as number) >= 1 && (r.hyears as number) <= 30);
    assert.ok((r.loan as number) >= 0 && (r.loan as number) <= 500e3);
  }
  near(rate(rs), 41 / 61, 0.012, 'F1 rate');
  // F2 (age and salary) and F7 (disposable income) re-derived from the paper's text.
  for (const r of rows({ name: 'agrawal', function: 2, events: 5000, seed: 2 })) {
    const a = r.age as number;
    const s = r.salary as number;
    const want = a < 40 ? s >= 50e3 && s <= 100e3 : a < 60 ? s >= 75e3 && s <= 125e3 : s >= 25e3 && s <= 75e3;
    assert.equal(r.y, want ? 1 : 0);
  }
  for (const r of rows({ name: 'agrawal', function: 7, events: 5000, seed: 3 })) {
    const d = 0.67 * ((r.salary as number) + (r.commission as number)) - 0.2 * (r.loan as number) - 20e3;
    if (Math.abs(d) > 1000) assert.equal(r.y, d > 0 ? 1 : 0);
  }
  // Every function labels some events each way (F10 is nearly all group A, as in the paper's definition).
  for (let f = 1; f <= 10; f++) {
    const p = rate(rows({ name: 'agrawal', function: f, events: 20_000, seed: f }));
    assert.ok(p > 0 && p < 1, `F${f} rate ${p}`);
  }
});

test('agrawal perturbation: features move (labels kept from the clean features), oracle_p is dropped from rows and schema', () => {
  const clean = rows({ name: 'agrawal', events: 2000, seed: 5 });
  const pert = rows({ name: 'agrawal', events: 2000, seed: 5, params: { perturbation: 0.2 } });
  assert.equal(pert[0]!.oracle_p, undefined);
  assert.equal(synthSchema({ name: 'agrawal', params: { perturbation: 0.2 } }).oracle, undefined);
  // Labels are no longer a function of the (perturbed) age alone.
  const wrong = pert.filter((r) => r.y !== ((r.age as number) < 40 || (r.age as number) >= 60 ? 1 : 0)).length;
  assert.ok(wrong > 20, `${wrong}`);
  assert.ok(clean.every((r) => r.oracle_p === r.y));
});

test('hyperplane: balanced; noise flips η of labels with a calibrated oracle; magnitude > 0 rotates the concept', () => {
  const rs = rows({ name: 'hyperplane', events: 20_000, seed: 1, params: { noise: 0.1 } });
  near(rate(rs), 0.5, 0.03, 'rate');
  for (const [p, y] of calibration(rs)) near(y, p, 0.02, 'calibration');
  assert.equal(Object.keys(rs[0]!).filter((k) => /^x\d+$/.test(k)).length, 10);
  // The concept itself: posterior on fixed probe points before and after 5,000 examples.
  const probe = Array.from({ length: 400 }, (_, i) => { const u = createRng(`probe${i}`); const x: Record<string, number> = {}; for (let j = 1; j <= 10; j++) x[`x${j}`] = u(); return x; });
  for (const magnitude of [0, 0.01]) {
    const c = HYPERPLANE.create(resolveSynth({ name: 'hyperplane', params: { magnitude, noise: 0 } }).params, 0, createRng('h'), 'm');
    const before = probe.map((x) => c.posterior(x));
    for (let i = 0; i < 5000; i++) c.sample({});
    const changed = probe.filter((x, i) => c.posterior(x) !== before[i]).length;
    if (magnitude === 0) assert.equal(changed, 0);
    else assert.ok(changed > 20, `changed ${changed}`);
  }
});

test('rbf: labels come from centroids (a 1-NN on earlier events predicts well); moving centroids (speed) make it predict worse', () => {
  const knn = (speed: number) => {
    const rs = rows({ name: 'rbf', events: 3000, seed: 2, params: { features: 5, centroids: 20, speed } });
    const X = rs.map((r) => [1, 2, 3, 4, 5].map((j) => r[`x${j}`] as number));
    const Y = rs.map((r) => r.y as number);
    let hit = 0;
    for (let i = 1500; i < 3000; i++) {
      let best = Infinity;
      let y = 0;
      for (let t = 0; t < 1500; t++) {
        let d = 0;
        for (let j = 0; j < 5; j++) d += (X[i]![j]! - X[t]![j]!) ** 2;
        if (d < best) { best = d; y = Y[t]!; }
      }
      if (y === Y[i]) hit++;
    }
    return hit / 1500;
  };
  const still = knn(0);
  const moving = knn(0.002);
  assert.ok(still > 0.75, `static 1-NN accuracy ${still}`);
  assert.ok(moving < still - 0.05, `moving ${moving} vs static ${still}`);
  assert.equal(rows({ name: 'rbf', events: 1, seed: 1 })[0]!.oracle_p, undefined);
});

test('stagger: each concept as Schlimmer & Granger, at its expected positive rate', () => {
  const f = [
    (r: Record<string, unknown>) => r.size === 'small' && r.color === 'red',
    (r: Record<string, unknown>) => r.color === 'green' || r.shape === 'circle',
    (r: Record<string, unknown>) => r.size === 'medium' || r.size === 'large',
  ];
  const expected = [1 / 9, 5 / 9, 2 / 3];
  for (let k = 1; k <= 3; k++) {
    const rs = rows({ name: 'stagger', function: k, events: 9000, seed: k });
    for (const r of rs) assert.equal(r.y, f[k - 1]!(r) ? 1 : 0);
    near(rate(rs), expected[k - 1]!, 0.015, `concept ${k}`);
  }
});

test('sine: SINE1 = x1 < sin(x2), SINE2 = x1 < 0.5 + 0.3 sin(3πx2), 2 and 4 reversed; irrelevant adds x3, x4', () => {
  const defs = [
    (a: number, b: number) => a < Math.sin(b),
    (a: number, b: number) => !(a < Math.sin(b)),
    (a: number, b: number) => a < 0.5 + 0.3 * Math.sin(3 * Math.PI * b),
    (a: number, b: number) => !(a < 0.5 + 0.3 * Math.sin(3 * Math.PI * b)),
  ];
  for (let k = 1; k <= 4; k++) for (const r of rows({ name: 'sine', function: k, events: 3000, seed: k })) assert.equal(r.y, defs[k - 1]!(r.x1 as number, r.x2 as number) ? 1 : 0);
  near(rate(rows({ name: 'sine', events: 20_000, seed: 9 })), 1 - Math.cos(1), 0.012, 'SINE1 rate');
  assert.deepEqual(Object.keys(rows({ name: 'sine', events: 1, seed: 1, params: { irrelevant: true } })[0]!), ['id', 'x1', 'x2', 'x3', 'x4', 'y', 'oracle_p', 'regime']);
});

test('led: without noise the segments are the digit\'s and y = 1 iff it is K; with 10 % noise oracle_p is calibrated', () => {
  for (const r of rows({ name: 'led', function: 3, events: 3000, seed: 1, params: { noise: 0 } })) {
    const seg = [1, 2, 3, 4, 5, 6, 7].map((i) => r[`s${i}`]);
    const digit = LED_DIGITS.findIndex((p) => p.every((b, i) => b === seg[i]));
    assert.ok(digit >= 0);
    assert.equal(r.y, digit === 3 ? 1 : 0);
    assert.equal(r.oracle_p, r.y);
  }
  const rs = rows({ name: 'led', function: 8, events: 30_000, seed: 2 });
  near(rate(rs), 0.1, 0.01, 'one-vs-rest rate');
  assert.equal(Object.keys(rs[0]!).filter((k) => /^i\d+$/.test(k)).length, 17);
  const cal = calibration(rs, 300);
  assert.ok(cal.length >= 2);
  for (const [p, y, n] of cal) near(y, p, 3 * Math.sqrt((p * (1 - p)) / n) + 0.01, 'calibration');
});

test('bad options throw SynthError naming the option', () => {
  const bad: [object, RegExp][] = [
    [{ name: 'seaa' }, /unknown synthetic stream "seaa"/],
    [{ name: 'sea', function: 0 }, /function must be an integer in 1\.\.4/],
    [{ name: 'led', function: 10 }, /function must be an integer in 0\.\.9/],
    [{ name: 'rbf', function: 1 }, /no labelling functions/],
    [{ name: 'sea', driftAt: -1 }, /driftAt/],
    [{ name: 'sea', driftAt: 2.5 }, /driftAt/],
    [{ name: 'sea', driftAt: 10, driftWidth: -1 }, /driftWidth/],
    [{ name: 'sea', driftWidth: 10 }, /driftWidth needs driftAt/],
    [{ name: 'sea', params: { noise: 0.7 } }, /"noise" must be a number in \[0, 0\.5\]/],
    [{ name: 'sea', params: { nosie: 0.1 } }, /unknown parameter "nosie"/],
    [{ name: 'hyperplane', params: { features: 2.5 } }, /"features" must be an integer/],
    [{ name: 'sine', params: { irrelevant: 1 } }, /"irrelevant" must be true or false/],
    [{ name: 'sea', events: -5 }, /events/],
  ];
  for (const [o, re] of bad) assert.throws(() => new SynthStream(o as never), (e: unknown) => e instanceof SynthError && re.test(e.message), JSON.stringify(o));
});
