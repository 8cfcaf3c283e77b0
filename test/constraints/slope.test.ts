/**
 * The slope constraint (a band on d logit / d feature) and constraints files: the band around the
 * generator's known log-odds holds exactly for the oracle, the penalty pulls a model's slope into
 * the band (logistic regression too), and a reversed monotonicity acts on logistic models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Row } from '../../src/types';
import { generateEvents } from '../../src/stream/generator';
import { createOracle } from '../../src/stream/oracle';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { SCENARIO_NAMES } from '../../src/stream/scenarios';
import { SlopeConstraint } from '../../src/constraints/slope';
import { MonotoneConstraint } from '../../src/constraints/monotone';
import { BoundsConstraint } from '../../src/constraints/bounds';
import { SmoothnessConstraint } from '../../src/constraints/smoothness';
import { FeatureSpace } from '../../src/features/feature-space';
import { createLearner } from '../../src/learn/create-learner';
import { parseConstraintFile, readConstraintFile } from '../../src/constraints/constraint-file';
import { makeConstraint } from '../../src/constraints/make-constraint';
import { runExperiment } from '../../src/evaluate/run-experiment';

const EVENTS = 3000;

test('slope bands around log 3 per failed login and κ per severity level hold for the oracle on every scenario', () => {
  const fail = new SlopeConstraint({ field: 'failed_logins', min: Math.log(3) - 1e-6, max: Math.log(3) + 1e-6, tol: 1e-6 });
  const sev = new SlopeConstraint({ field: 'severity', min: 0.9 - 1e-6, max: 1.0 + 1e-6, to: 5, tol: 1e-6 });
  const off = new SlopeConstraint({ field: 'failed_logins', min: 1.2, tol: 1e-6 });
  for (const scenario of SCENARIO_NAMES) {
    const rows = generateEvents({ scenario, events: EVENTS, seed: `slope-${scenario}` }) as unknown as Row[];
    const o = createOracle(scenario, EVENTS);
    const scorer = { predictMany: (r: Row[]) => Float64Array.from(r.map(o)) };
    const batch = { rows };
    const fs = new FeatureSpace(GENERATOR_SCHEMA);
    fs.update(rows, fs.readRaw(rows));
    for (const c of [fail, sev]) {
      const v = c.violations(batch, scorer);
      assert.equal(v.reduce((a, b) => a + b, 0), 0, `${c.name} violated by the oracle on ${scenario}`);
      const plans = c.plan(batch, fs.encodeMany(rows), fs)!;
      assert.equal(plans.length, 2);
      assert.ok(plans[0]!.idx.length > EVENTS / 2);
    }
    // A band that excludes log 3 is violated on the concerned rows whose probability is not saturated.
    const v = off.violations(batch, scorer);
    assert.ok(v.filter((x) => x > 0).length > EVENTS / 2, `${scenario}: the off band is violated`);
  }
});

/** Mean z(x + 1) − z(x) in failed_logins of a learner over rows. */
function slopeOf(L: { predictMany(r: Row[]): Float64Array }, rows: Row[]): number {
  const lg = (p: number) => Math.log(p / (1 - p));
  const a = L.predictMany(rows);
  const b = L.predictMany(rows.map((r) => ({ ...r, failed_logins: (r.failed_logins as number) + 1 })));
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += lg(b[i]!) - lg(a[i]!);
  return s / rows.length;
}

test('the slope penalty pulls a logistic and an MLP model\'s slope into the band', async () => {
  const rows = generateEvents({ scenario: 'stationary', events: 4096, seed: 'slope-train' }) as unknown as Row[];
  const labels = rows.map((r) => r.critical as number);
  for (const model of ['logistic', 'mlp'] as const) {
    const slopes: number[] = [];
    for (const lambda of [0, 10]) {
      const L = await createLearner({ schema: GENERATOR_SCHEMA, model, lambda, seed: 1, constraints: [{ kind: 'slope', field: 'failed_logins', min: 0.2, max: 0.3 }] });
      for (let i = 0; i < rows.length; i += 256) L.learnMany(rows.slice(i, i + 256), labels.slice(i, i + 256));
      slopes.push(slopeOf(L, rows.slice(0, 500)));
    }
    assert.ok(slopes[0]! > 0.4, `${model}: unconstrained slope ${slopes[0]} (the data say log 3)`);
    assert.ok(slopes[1]! < 0.6 * slopes[0]! && slopes[1]! > 0.1, `${model}: constrained slope ${slopes[1]} (unconstrained ${slopes[0]}) is pulled towards [0.2, 0.3]`);
  }
});

test('a reversed monotonicity acts on logistic regression and costs F1', async () => {
  const run = (lambda: number) => runExperiment({ scenario: 'stationary', events: 6000, seed: 5, learner: { model: 'logistic', lambda, constraints: [{ kind: 'monotone', field: 'failed_logins', direction: 'decreasing' }] } });
  const a = await run(0);
  const b = await run(10);
  assert.ok(b.metrics.f1 < a.metrics.f1 - 0.005, `F1 ${a.metrics.f1} → ${b.metrics.f1}`);
  assert.ok(b.constraints.violationRate < a.constraints.violationRate);
});

test('constraints files: the documented example, and one-line errors naming the file and entry', () => {
  const example = '[{"kind":"monotone","feature":"severity","direction":"increasing"},{"kind":"slope","feature":"failed_logins","min":0.9,"max":1.3},{"kind":"bounds","min":0.001,"max":0.999},{"kind":"smoothness","source":"source","epsilon":0.03,"perSecond":0.011}]';
  const specs = parseConstraintFile(example, 'c.json', GENERATOR_SCHEMA);
  const cons = specs.map(makeConstraint);
  assert.ok(cons[0] instanceof MonotoneConstraint && cons[0].sign === 1 && cons[0].field === 'severity');
  assert.ok(cons[1] instanceof SlopeConstraint && cons[1].min === 0.9 && cons[1].max === 1.3);
  assert.ok(cons[2] instanceof BoundsConstraint && cons[2].lo === 0.001 && cons[2].hi === 0.999);
  assert.ok(cons[3] instanceof SmoothnessConstraint && cons[3].epsilon === 0.03 && cons[3].sourceField === 'source' && cons[3].stateFields.length === 3);
  assert.deepEqual(JSON.parse(JSON.stringify(specs)), specs, 'specs are plain JSON (fingerprints, worker threads)');
  const bad: [string, RegExp][] = [
    ['{', /c\.json: not valid JSON/],
    ['{"kind":"monotone"}', /must be a JSON list/],
    ['[{"kind":"bogus"}]', /constraint 1: kind must be one of/],
    ['[{"kind":"monotone","feature":"severity","feild":1}]', /constraint 1: unknown key "feild"/],
    ['[{"kind":"monotone","feature":"severity"},{"kind":"monotone","feature":"user"}]', /constraint 2: feature "user" is not a numeric field/],
    ['[{"kind":"slope","feature":"severity","min":2,"max":1}]', /min 2 exceeds max 1/],
    ['[{"kind":"slope","feature":"severity"}]', /needs "min" and\/or "max"/],
    ['[{"kind":"bounds","min":0.7,"max":0.2}]', /0 ≤ min ≤ max ≤ 1/],
    ['[{"kind":"monotone","feature":"severity","direction":"up"}]', /direction must be/],
    ['[{"kind":"smoothness","epsilon":0.1}]', /needs "epsilon" and "perSecond"/],
    ['[{"kind":"monotone","feature":"severity","delta":"1"}]', /delta must be a finite number/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseConstraintFile(text, 'c.json', GENERATOR_SCHEMA), re, text);
  assert.throws(() => readConstraintFile('/nonexistent/c.json'), (e: Error & { unreadable?: boolean }) => e.unreadable === true && /cannot read \(ENOENT\)/.test(e.message));
});
