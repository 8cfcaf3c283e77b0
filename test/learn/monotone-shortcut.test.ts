/**
 * A monotone constraint on a logistic learner skips measuring (and penalising) what the model's
 * weights already satisfy (ConstraintBatch.linear). These tests set the weight of the constrained field to either sign and compare the
 * learner's measurement and training with the constraints' own brute-force computation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MonotoneConstraint } from '../../src/constraints/monotone';
import type { Scorer } from '../../src/constraints/constraint';
import { createLearner } from '../../src/learn/create-learner';
import type { LearnerState } from '../../src/learn/incremental-learner';
import type { Row } from '../../src/types';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

const constraints = () => [
  new MonotoneConstraint({ field: 'sev', delta: 1, max: 5 }),
  new MonotoneConstraint({ field: 'sev', direction: 'decreasing', delta: 1, max: 5, name: 'sev-down' }),
  new MonotoneConstraint({ field: 'a', delta: -0.5, name: 'a-left' }),
];

/** A learner trained a little, then with the weights of `sev` and `a` set to the given values. */
async function learnerWith(wSev: number, wA: number, lambda = 0, cs = constraints()) {
  const data = syntheticRows(200, 'shortcut');
  const L = await createLearner({ schema: SMALL_SCHEMA, model: 'logistic', seed: 3, constraints: cs, lambda });
  for (let i = 0; i < 128; i += 32) L.learnMany(data.rows.slice(i, i + 32), data.labels.slice(i, i + 32));
  const s = L.getState() as LearnerState;
  const fs = (L as unknown as { features: { numericIndex(f: string): number } }).features;
  s.params[fs.numericIndex('sev')] = wSev; // logistic: W (dim × 1) comes first in the parameter vector
  s.params[fs.numericIndex('a')] = wA;
  L.setState(s);
  return { L, rows: data.rows.slice(128), labels: data.labels.slice(128) };
}

for (const [wSev, wA] of [[0.9, -0.7], [-0.9, 0.7], [0, 0]]) {
  test(`measured violations equal the brute-force ones (w_sev ${wSev}, w_a ${wA})`, async () => {
    const { L, rows } = await learnerWith(wSev, wA);
    const probs = L.predictMany(rows);
    const got = L.violationsMany(rows, probs, rows.map((r) => r.ts as number));
    // Brute force: each constraint on rows it changes itself, scored by a fresh predictMany.
    const plain: Scorer = { predictMany: (r: Row[]) => L.predictMany(r) };
    const want = new Uint8Array(rows.length);
    const perConstraint: Record<string, number> = {};
    for (const c of constraints()) {
      const v = c.violations({ rows }, plain, L.predictMany(rows));
      perConstraint[c.name] = v.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
      v.forEach((x, i) => { if (x > 0) want[i] = 1; });
    }
    assert.deepEqual(Array.from(got), Array.from(want));
    assert.deepEqual(L.violationCounts().byConstraint, perConstraint);
    // Weights of the wrong sign do produce violations (the test can see them).
    if (wSev !== 0) assert.ok(perConstraint[wSev > 0 ? 'sev-down' : 'monotone:sev']! > 0);
    L.dispose();
  });
}

test('training skips only penalties that are zero: the same step as computing them', async () => {
  for (const [wSev, wA] of [[0.9, -0.7], [-0.9, 0.7]]) {
    const a = await learnerWith(wSev, wA, 5);
    // b's constraints never use the linear model's proof: they build and penalise every plan.
    const unproven = constraints();
    for (const c of unproven) (c as unknown as { holdsForLinear: () => boolean }).holdsForLinear = () => false;
    const b = await learnerWith(wSev, wA, 5, unproven);
    const sa = a.L.learnMany(a.rows.slice(0, 32), a.labels.slice(0, 32));
    const sb = b.L.learnMany(b.rows.slice(0, 32), b.labels.slice(0, 32));
    assert.equal(sa.loss, sb.loss);
    assert.deepEqual(Array.from(a.L.predictMany(a.rows)), Array.from(b.L.predictMany(b.rows)));
    a.L.dispose();
    b.L.dispose();
  }
});
