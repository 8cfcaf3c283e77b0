import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrequentialCollector } from '../../src/evaluate/collector';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { createLearner } from '../../src/learn/create-learner';
import type { Learner } from '../../src/learn/learner';
import { Rng } from '../../src/learn/rng';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { IncidentGenerator } from '../../src/stream/generator';
import type { Row } from '../../src/types';

test('collector: burn-in rate, per-constraint rate and mean, crossings and oracle MAE equal a plain count', () => {
  const rng = new Rng('outcomes');
  const names = ['a', 'b'];
  const burnIn = 37;
  const c = new PrequentialCollector({ burnIn });
  const n = 200;
  let viol = 0, violAfter = 0, cross = 0, absSum = 0;
  const count = [0, 0], sum = [0, 0];
  for (let i = 0; i < n; i++) {
    const amounts = names.map(() => (rng.next() < 0.3 ? rng.next() : 0));
    const crossed = amounts.map((v) => (v > 0 && rng.next() < 0.5 ? 1 : 0));
    const violation = amounts.some((v) => v > 0);
    const p = rng.next();
    const oracle = rng.next();
    if (violation) {
      viol++;
      if (i >= burnIn) violAfter++;
    }
    amounts.forEach((v, j) => { if (v > 0) { count[j]! += 1; sum[j]! += v; cross += crossed[j]!; } });
    absSum += Math.abs(p - oracle);
    c.update({ label: rng.next() < 0.5 ? 1 : 0, p, pred: p >= 0.5 ? 1 : 0, oracle, regime: null, violation, duplicate: false, constraints: { names, amounts, crossed } });
  }
  const s = c.summary();
  assert.equal(s.constraints.violations, viol);
  assert.equal(s.constraints.burnIn, burnIn);
  assert.equal(s.constraints.violationRateAfterBurnIn, violAfter / (n - burnIn));
  assert.equal(s.constraints.crossings, cross);
  assert.ok(Math.abs(s.constraints.meanViolation! - (sum[0]! + sum[1]!) / (count[0]! + count[1]!)) < 1e-12);
  names.forEach((name, j) => {
    const m = s.constraints.perConstraint![name]!;
    assert.equal(m.rate, count[j]! / n);
    assert.ok(Math.abs(m.mean - sum[j]! / count[j]!) < 1e-12);
  });
  assert.ok(Math.abs(s.oracleMae! - absSum / n) < 1e-12);
  // A checkpointed collector continues with the same numbers.
  const d = new PrequentialCollector();
  d.setState(JSON.parse(JSON.stringify(c.getState())));
  assert.deepEqual(d.summary().constraints, s.constraints);
  assert.equal(d.summary().oracleMae, s.oracleMae);
});

test('collector: without per-constraint detail the detail fields are null, the burn-in rate is not', () => {
  const c = new PrequentialCollector({ burnIn: 1 });
  c.update({ label: 1, p: 0.9, pred: 1, oracle: null, regime: null, violation: true, duplicate: false });
  c.update({ label: 0, p: 0.2, pred: 0, oracle: null, regime: null, violation: true, duplicate: false });
  const s = c.summary();
  assert.equal(s.constraints.violationRateAfterBurnIn, 1);
  assert.equal(s.constraints.perConstraint, null);
  assert.equal(s.constraints.meanViolation, null);
  assert.equal(s.constraints.crossings, null);
  assert.equal(s.oracleMae, null);
});

test('run --json constraint measurements equal a plain per-event reference on a small stream (frozen MLP)', async () => {
  const constraints = [
    { kind: 'monotone', field: 'failed_logins', direction: 'decreasing', name: 'wrong' },
    { kind: 'monotone', field: 'severity', max: 5 },
    { kind: 'bounds', hi: 0.6, name: 'cap' },
  ];
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', seed: 4, constraints });
  const train = [...new IncidentGenerator({ scenario: 'stationary', events: 3000, seed: 11 })] as unknown as Row[];
  for (let i = 0; i < train.length; i += 256) {
    const rows = train.slice(i, i + 256);
    learner.learnMany(rows, rows.map((r) => (r.critical ? 1 : 0)));
  }
  // The model stays as it is: every event is measured against the same predictions.
  const frozen: Learner = Object.create(learner);
  frozen.learnMany = () => ({ rows: 0, loss: 0, skipped: false, ms: 0 });
  const events = [...new IncidentGenerator({ scenario: 'stationary', events: 1500, seed: 5 })] as unknown as Row[];
  const run = await runExperiment({ stream: events, model: frozen, dedup: false });

  const p1 = (row: Row): number => learner.predictMany([row])[0]!;
  const ref = { wrong: [0, 0], 'monotone:severity': [0, 0], cap: [0, 0] } as Record<string, [number, number]>;
  let any = 0, after = 0, cross = 0, mae = 0;
  events.forEach((row, i) => {
    const p = p1(row);
    mae += Math.abs(p - (row.oracle_p as number));
    const vs: [string, number, boolean][] = [];
    const q = p1({ ...row, failed_logins: (row.failed_logins as number) + 1 });
    vs.push(['wrong', q - p - 1e-3, (p >= 0.5) !== (q >= 0.5)]);
    if ((row.severity as number) + 1 <= 5) {
      const r = p1({ ...row, severity: (row.severity as number) + 1 });
      vs.push(['monotone:severity', p - r - 1e-3, (p >= 0.5) !== (r >= 0.5)]);
    }
    vs.push(['cap', p - 0.6, false]);
    let hit = false;
    for (const [name, v, crossed] of vs) {
      if (v <= 0) continue;
      hit = true;
      ref[name]![0] += 1;
      ref[name]![1] += v;
      if (crossed) cross++;
    }
    if (hit) {
      any++;
      if (i >= 1000) after++;
    }
  });
  const c = run.constraints;
  assert.equal(c.violations, any);
  assert.equal(c.burnIn, 1000);
  assert.equal(c.violationRateAfterBurnIn, after / 500);
  assert.equal(c.crossings, cross);
  assert.ok(cross > 0, 'the wrong constraint crosses 0.5 somewhere');
  for (const [name, [count, sum]] of Object.entries(ref)) {
    const m = c.perConstraint![name]!;
    assert.equal(m.violations, count, name);
    assert.ok(count > 0, `${name} is violated somewhere`);
    assert.ok(Math.abs(m.mean - sum / count) < 1e-9, name);
  }
  assert.ok(Math.abs(run.oracleMae! - mae / events.length) < 1e-12);
  assert.deepEqual(c.lambda, { wrong: 0, 'monotone:severity': 0, cap: 0 });
});
