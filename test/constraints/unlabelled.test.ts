/**
 * --unlabelled on: penalty-only steps on arriving events before their labels exist. They change the
 * model before the first label, do nothing at λ = 0, and a run is deterministic with them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { createLearner } from '../../src/learn/create-learner';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import type { Row } from '../../src/types';

const wrong = [{ kind: 'monotone', field: 'failed_logins', direction: 'decreasing' }];

test('constrainMany moves the model by the penalty alone and leaves feature statistics alone', async () => {
  const rows = generateEvents({ events: 512, seed: 8 }) as unknown as Row[];
  const L = await createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', lambda: 10, seed: 1, constraints: wrong });
  L.learnMany(rows.slice(0, 256), rows.slice(0, 256).map((r) => r.critical as number));
  const features = JSON.stringify(L.features.getState());
  const before = L.predictMany(rows.slice(256));
  const step = L.constrainMany(rows.slice(256));
  assert.equal(step.rows, 256);
  assert.equal(JSON.stringify(L.features.getState()), features);
  assert.notDeepEqual(L.predictMany(rows.slice(256)), before);
  const L0 = await createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', lambda: 0, seed: 1, constraints: wrong });
  assert.equal(L0.constrainMany(rows.slice(256)).rows, 0);
});

test('runExperiment with unlabelled: a wrong constraint acts before the first delayed label; λ = 0 unchanged; deterministic', async () => {
  const run = (lambda: number, unlabelled: boolean) => runExperiment({ scenario: 'delayed', events: 6000, seed: 4, unlabelled, learner: { model: 'mlp', lambda, constraints: wrong } });
  const off = await run(10, false);
  const on = await run(10, true);
  assert.ok(on.constraints.violationRate < 0.5 * off.constraints.violationRate, `violation rate ${off.constraints.violationRate} → ${on.constraints.violationRate}`);
  assert.deepEqual((await run(0, true)).metrics, (await run(0, false)).metrics);
  assert.deepEqual((await run(10, true)).metrics, on.metrics);
});
