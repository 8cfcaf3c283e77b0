/**
 * Smoothness through runExperiment: validation keeps the event time in record.time (not in the
 * fields), and the pipeline hands it to learnMany, so a tight smoothness bound changes training.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { SMOOTHNESS } from '../../src/stream/oracle';

const tight = [{ kind: 'smoothness', stateFields: [...SMOOTHNESS.stateFields], epsilon: 0, perSecond: 0 }];

async function run(lambda: number) {
  return runExperiment({ scenario: 'stationary', events: 3000, seed: 3, learner: { model: 'mlp', lambda, constraints: tight } });
}

test('a tight smoothness bound changes training in runExperiment (λ = 0 vs λ = 10)', async () => {
  const a = await run(0);
  const b = await run(10);
  assert.ok(a.constraints.violationRate > 0.5, `the bound is tight: ${a.constraints.violationRate}`);
  assert.notEqual(a.metrics.f1, b.metrics.f1);
});

test('learnMany uses the given times over the rows\' timestamp field', async () => {
  const { createLearner } = await import('../../src/learn/create-learner');
  const { GENERATOR_SCHEMA } = await import('../../src/stream/default-schema');
  const { generateEvents } = await import('../../src/stream/generator');
  const rows = generateEvents({ events: 512, seed: 4 }) as unknown as Record<string, unknown>[];
  const stripped = rows.map(({ timestamp: _t, ...rest }) => rest);
  const times = rows.map((r) => Date.parse(r.timestamp as string));
  const labels = rows.map((r) => Number(r.critical));
  const make = () => createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', lambda: 10, seed: 1, constraints: tight });
  const withTimes = await make();
  const fromField = await make();
  const without = await make();
  for (let k = 0; k < 2; k++) {
    const s = k * 256;
    withTimes.learnMany(stripped.slice(s, s + 256) as never, labels.slice(s, s + 256), times.slice(s, s + 256));
    fromField.learnMany(rows.slice(s, s + 256) as never, labels.slice(s, s + 256));
    without.learnMany(stripped.slice(s, s + 256) as never, labels.slice(s, s + 256));
  }
  const probe = rows.slice(0, 50) as never;
  assert.deepEqual(withTimes.predictMany(probe), fromField.predictMany(probe));
  assert.notDeepEqual(withTimes.predictMany(probe), without.predictMany(probe));
  assert.throws(() => withTimes.learnMany(stripped.slice(0, 3) as never, [0, 1, 0], [1, 2]), /3 rows but 2 times/);
});
