/**
 * ConstraintMeter, the one measurement of predictions against constraints shared by the row models,
 * `auto` and `--drift`: its counts and per-row detail equal a plain count on every batch, its
 * smoothness histories and counts survive a checkpoint, and every model that measures through it
 * reports the per-constraint fields of run --json (under --drift they were null before it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConstraintMeter } from '../../src/constraints/constraint-meter';
import type { BuiltinConstraint, ConstraintBatch } from '../../src/constraints/constraint';
import { defaultConstraints } from '../../src/constraints/default-constraints';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { Rng } from '../../src/learn/rng';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import type { Row } from '../../src/types';

/** A constraint that violates row i by a fixed pseudo-random amount (0 for most rows), crossing on every other violation. */
function fake(name: string, seed: string): BuiltinConstraint {
  return {
    name, kind: 'custom', weight: 1,
    violations(batch: ConstraintBatch, _s: unknown, _p: Float64Array, crossed?: Uint8Array) {
      const rng = new Rng(`${seed}:${String(batch.rows[0]!.k)}`);
      const v = batch.rows.map(() => (rng.next() < 0.3 ? rng.next() : 0));
      v.forEach((x, i) => { if (crossed && x > 0 && i % 2 === 0) crossed[i] = 1; });
      return Float64Array.from(v);
    },
  } as unknown as BuiltinConstraint;
}

test('ConstraintMeter: counts, per-row detail and crossings equal a plain count on every batch; a checkpoint carries the counts', () => {
  const constraints = [fake('a', 'x'), fake('b', 'y')];
  const meter = new ConstraintMeter(constraints);
  const scorer = { predictMany: (r: Row[]) => new Float64Array(r.length) };
  const totals = [0, 0];
  let rows = 0;
  for (let b = 0; b < 20; b++) {
    const n = 1 + ((b * 7) % 13);
    const batch: Row[] = Array.from({ length: n }, (_, i) => ({ k: b * 100 + i }));
    const want = constraints.map((c) => {
      const crossed = new Uint8Array(n);
      return { v: c.violations({ rows: batch }, scorer, new Float64Array(n), crossed) as Float64Array, crossed };
    });
    const any = meter.measure(batch, new Float64Array(n), batch.map(() => Number.NaN), scorer);
    const detail = meter.lastDetail()!;
    assert.deepEqual(detail.names, ['a', 'b']);
    for (let i = 0; i < n; i++) {
      assert.equal(any[i], want.some((w) => w.v[i]! > 0) ? 1 : 0);
      want.forEach((w, j) => {
        assert.equal(detail.amounts[i * 2 + j], w.v[i]);
        assert.equal(detail.crossed[i * 2 + j], w.crossed[i]);
      });
    }
    want.forEach((w, j) => { totals[j]! += w.v.filter((x) => x > 0).length; });
    rows += n;
    assert.deepEqual(meter.counts(), { rows, byConstraint: { a: totals[0], b: totals[1] } });
  }
  const copy = new ConstraintMeter(constraints);
  copy.restore(meter.getCounts(), meter.historyStates());
  assert.deepEqual(copy.counts(), meter.counts());
  assert.equal(copy.lastDetail(), null, 'a restored meter has measured nothing yet');
});

test('ConstraintMeter: the smoothness history is the measured rows\' own, and a restored meter measures the next batch as the original', () => {
  const constraints = defaultConstraints(GENERATOR_SCHEMA) as BuiltinConstraint[];
  const meter = new ConstraintMeter(constraints);
  assert.equal(meter.histories, constraints.filter((c) => c.kind === 'smoothness').length);
  assert.ok(meter.histories > 0);
  const events = generateEvents({ scenario: 'stationary', events: 600, seed: 3 });
  const rows = events.map((e) => e as unknown as Row);
  const times = events.map((e) => Date.parse(e.timestamp));
  // A model that jumps between 0.05 and 0.95 with the 4th decimal of the load (a state field): swapping in the
  // predecessor's state often moves the prediction by 0.9, so same-source neighbours violate smoothness.
  const p = (r: Row[]) => Float64Array.from(r.map((x) => (Math.round(Number(x.cpu_load) * 1e4) % 2 === 0 ? 0.95 : 0.05)));
  const scorer = { predictMany: p };
  meter.measure(rows.slice(0, 300), p(rows.slice(0, 300)), times.slice(0, 300), scorer);
  const before = meter.counts().byConstraint.smoothness!;
  const copy = new ConstraintMeter(constraints);
  copy.restore(JSON.parse(JSON.stringify(meter.getCounts())), JSON.parse(JSON.stringify(meter.historyStates())));
  const next = rows.slice(300);
  const a = meter.measure(next, p(next), times.slice(300), scorer);
  const b = copy.measure(next, p(next), times.slice(300), scorer);
  assert.deepEqual(b, a);
  assert.deepEqual(copy.lastDetail(), meter.lastDetail());
  assert.deepEqual(copy.counts(), meter.counts());
  assert.ok(meter.counts().byConstraint.smoothness! > 0, 'the jumping model violates smoothness');
  // Without the history the first row of each source has no predecessor: a subset of the pairs, no more violations.
  const fresh = new ConstraintMeter(constraints);
  fresh.measure(next, p(next), times.slice(300), scorer);
  assert.ok(fresh.counts().byConstraint.smoothness! <= meter.counts().byConstraint.smoothness! - before);
});

test('run --json per-constraint fields for every model that measures on raw rows, and under --drift', async () => {
  const stream = generateEvents({ scenario: 'abrupt', events: 2500, seed: 2 });
  for (const learner of [{ model: 'hoeffding-tree' }, { model: 'auto' }, { model: 'logistic', drift: 'adwin' }, { model: 'naive-bayes', drift: 'ddm' }] as const) {
    const r = await runExperiment({ stream, learner, batch: 50 });
    const c = r.constraints;
    assert.notEqual(c.perConstraint, null, `${JSON.stringify(learner)}: perConstraint`);
    assert.equal(typeof c.meanViolation === 'number' || c.violations === 0, true, `${JSON.stringify(learner)}: meanViolation`);
    assert.equal(typeof c.crossings, 'number', `${JSON.stringify(learner)}: crossings`);
    const per = c.perConstraint!;
    assert.deepEqual(Object.keys(per), ['monotone:severity', 'monotone:failed_logins', 'smoothness', 'bounds:floor']);
    const sum = Object.values(per).reduce((s, x) => s + x.violations, 0);
    assert.ok(sum >= c.violations, `${JSON.stringify(learner)}: per-constraint violations (${sum}) cover the rows that violated any (${c.violations})`);
  }
});
