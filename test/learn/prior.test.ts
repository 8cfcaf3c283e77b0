/**
 * An untrained model predicts the class prior seen so far (0 before any label), never p = 0.5
 * (which rounds to "critical"); from its first learning step on, the model predicts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import { BoundsConstraint } from '../../src/constraints/bounds';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

for (const engine of ['fused', 'tfjs'] as const) {
  for (const model of ['logistic', 'mlp'] as const) {
    test(`untrained ${model}/${engine}: predicts 0 before any label, the model after the first step`, async () => {
      const { rows, labels } = syntheticRows(64, `prior-${model}-${engine}`);
      const L = await createLearner({ schema: SMALL_SCHEMA, engine, model, hidden: [4] });
      assert.deepEqual(Array.from(L.predictMany(rows.slice(0, 5))), [0, 0, 0, 0, 0]);
      // A batch skipped for a non-finite feature is not learned from: still no label seen.
      const bad = rows.slice(0, 2).map((r) => ({ ...r, a: Number.NaN }));
      assert.equal(L.learnMany(bad, [1, 1]).skipped, true);
      assert.deepEqual(Array.from(L.predictMany(rows.slice(0, 3))), [0, 0, 0]);
      // Violations of an untrained model are those of the constant prediction.
      assert.equal(L.violationsMany(rows.slice(0, 3), new Float64Array(3), [0, 1, 2]).length, 3);
      const step = L.learnMany(rows.slice(0, 32), labels.slice(0, 32));
      assert.equal(step.skipped, false);
      const p = L.predictMany(rows.slice(32));
      assert.ok(new Set(Array.from(p)).size > 1, 'the trained model predicts per row');
      // The prior is part of the checkpoint: a copy predicts the same.
      const copy = await createLearner({ schema: SMALL_SCHEMA, engine, model, hidden: [4] });
      copy.setState(JSON.parse(JSON.stringify(L.getState())));
      assert.deepEqual(Array.from(copy.predictMany(rows.slice(32))), Array.from(p));
      L.dispose();
      copy.dispose();
    });
  }
}

test('untrained after a step that failed: predicts positives / labels of the batches accepted', async () => {
  const { rows } = syntheticRows(8, 'prior-fail');
  // A huge step with a huge constraint penalty overflows the parameters: the step is rolled back
  // (skipped), but its labels were seen.
  const L = await createLearner({
    schema: SMALL_SCHEMA, model: 'logistic', engine: 'fused', optimizer: 'sgd', learningRate: 1e300, lambda: 1e12, penaltyWarmup: 0,
    constraints: [new BoundsConstraint({ lo: 0.9, hi: 1 })],
  });
  const step = L.learnMany(rows, [1, 0, 0, 1, 0, 0, 0, 1]);
  assert.equal(step.skipped, true);
  assert.equal(L.stepCount, 0);
  assert.deepEqual(Array.from(L.predictMany(rows.slice(0, 2))), [3 / 8, 3 / 8]);
  assert.equal(L.untrainedPrior(), 3 / 8);
  L.dispose();
});
