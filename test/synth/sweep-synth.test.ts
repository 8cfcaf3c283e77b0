/** A sweep over a synthetic stream reads that stream (parsed once and replayed), not the generator's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSweep } from '../../src/evaluate/run-sweep';
import { runExperiment } from '../../src/evaluate/run-experiment';

test('runSweep with synth: every run equals the same runExperiment, metric for metric', async () => {
  const base = { synth: { name: 'sea' as const, driftAt: 0.5, params: { noise: 0.1 } }, events: 3000, batch: 64 };
  const sweep = await runSweep({ base, lambdas: [0, 0.5], seeds: [1, 2] });
  assert.equal(sweep.runs.length, 4);
  for (const run of sweep.runs) {
    const alone = await runExperiment({ ...base, seed: run.seed, learner: { lambda: run.lambda } });
    assert.equal(run.result.rejected, 0);
    assert.deepEqual(run.result.metrics, alone.metrics);
    assert.ok(Math.abs((run.result.bayes?.accuracy ?? 0) - 0.9) < 0.03);
  }
});
