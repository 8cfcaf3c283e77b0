/**
 * The penalty on the task's scale (λ per squared logit over the step's rows, warmed up over the
 * first steps): a large λ with constraints that hold for the oracle costs (almost) no F1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runExperiment } from '../../src/evaluate/run-experiment';

test('λ = 10 costs at most 0.01 F1 on stationary (MLP, 20k events; 0.22 with the old units)', async () => {
  const run = (lambda: number) => runExperiment({ scenario: 'stationary', events: 20000, seed: 1, learner: { model: 'mlp', lambda } });
  const a = await run(0);
  const b = await run(10);
  assert.ok(b.metrics.f1 >= a.metrics.f1 - 0.01, `F1 ${a.metrics.f1} at λ = 0, ${b.metrics.f1} at λ = 10`);
  assert.ok(b.constraints.violationRate < a.constraints.violationRate, `violation rate ${a.constraints.violationRate} → ${b.constraints.violationRate}`);
});

test('penaltyWarmup ramps λ: the first steps differ from an unramped penalty, λ = 0 is unaffected', async () => {
  const run = (lambda: number, penaltyWarmup: number) => runExperiment({ scenario: 'stationary', events: 2000, seed: 2, learner: { model: 'mlp', lambda, penaltyWarmup } });
  assert.notEqual((await run(10, 0)).metrics.f1 === (await run(10, 20)).metrics.f1 ? 'same' : 'differ', 'same');
  assert.equal((await run(0, 0)).metrics.f1, (await run(0, 20)).metrics.f1);
});
