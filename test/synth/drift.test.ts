/** ConceptDriftStream composition: position (index or fraction), abrupt and sigmoid transitions, mixture oracle. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driftProbability, resolveSynth } from '../../src/synth/synth-stream';
import { calibration, rows } from './helpers';

const seaLabel = (r: Record<string, unknown>, theta: number) => ((r.x1 as number) + (r.x2 as number) <= theta ? 1 : 0);

test('abrupt drift (width 0): every event before the index is concept A (function 1), every one from it on B (function 2)', () => {
  const rs = rows({ name: 'sea', events: 10_000, seed: 1, driftAt: 5000 });
  for (const [t, r] of rs.entries()) {
    assert.equal(r.id, t);
    assert.equal(r.regime, t < 5000 ? 'A' : 'B');
    assert.equal(r.y, seaLabel(r, t < 5000 ? 8 : 9));
    assert.equal(r.oracle_p, r.y);
  }
});

test('driftAt below 1 is a fraction of events; driftFunction picks the new concept; default is the next (cyclic)', () => {
  assert.equal(resolveSynth({ name: 'sea', events: 8000, driftAt: 0.25 }).driftAt, 2000);
  assert.equal(resolveSynth({ name: 'sea', events: 8000, driftAt: 0.25 }).driftFunction, 2);
  assert.equal(resolveSynth({ name: 'sea', function: 4, driftAt: 10 }).driftFunction, 1);
  assert.equal(resolveSynth({ name: 'led', function: 9, driftAt: 10 }).driftFunction, 0);
  const rs = rows({ name: 'sea', events: 8000, seed: 2, driftAt: 0.25, driftFunction: 3 });
  assert.equal(rs.findIndex((r) => r.regime === 'B'), 2000);
  for (const r of rs.slice(2000)) assert.equal(r.y, seaLabel(r, 7));
  // Streams without functions drift to a freshly drawn model.
  const h = rows({ name: 'hyperplane', events: 4000, seed: 3, driftAt: 2000, params: { noise: 0 } });
  assert.ok(h.slice(0, 2000).every((r) => r.regime === 'A') && h.slice(2000).every((r) => r.regime === 'B'));
});

test('sigmoid drift: the share of new-concept events follows 1/(1+e^(−4(t−p)/w)) (River\'s ConceptDriftStream)', () => {
  const p = 5000;
  const w = 1000;
  const rs = rows({ name: 'stagger', events: 10_000, seed: 4, driftAt: p, driftWidth: w });
  for (const [lo, hi] of [[0, 3000], [4000, 4500], [4750, 5250], [5500, 6000], [7000, 10_000]]) {
    const slice = rs.slice(lo, hi);
    const share = slice.filter((r) => r.regime === 'B').length / slice.length;
    let want = 0;
    for (let t = lo; t < hi; t++) want += driftProbability(t, p, w);
    want /= hi - lo;
    const sd = Math.sqrt((want * (1 - want)) / slice.length);
    assert.ok(Math.abs(share - want) <= 4 * sd + 0.005, `[${lo}, ${hi}): ${share} vs ${want}`);
  }
  assert.equal(driftProbability(p, p, w), 0.5);
});

test('gradual drift: oracle_p is the mixture (1 − π)·P_A + π·P_B and is calibrated; the concept of each event is its regime', () => {
  const rs = rows({ name: 'sea', events: 40_000, seed: 5, driftAt: 20_000, driftWidth: 8000, params: { noise: 0.1 } });
  const mixed = rs.filter((r) => r.oracle_p !== 0.9 && r.oracle_p !== 0.1);
  assert.ok(mixed.length > 5000, `${mixed.length} events with a mixed posterior`);
  for (const [p, y, n] of calibration(rs, 500)) assert.ok(Math.abs(y - p) <= 3 * Math.sqrt((p * (1 - p)) / n) + 0.01, `bin ${p}: ${y} (n ${n})`);
  // Each event's label follows its own concept up to the 10 % noise.
  const agree = rs.filter((r) => r.y === seaLabel(r, r.regime === 'A' ? 8 : 9)).length / rs.length;
  assert.ok(Math.abs(agree - 0.9) < 0.01, `${agree}`);
});
