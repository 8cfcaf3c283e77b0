/**
 * The four row models in the pipeline: a run stopped after a checkpoint and resumed gives the same
 * metrics as the run never stopped (the checkpoint holds the tree, forest or Bayes state).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../src/evaluate/run-experiment';

for (const model of ['naive-bayes', 'hoeffding-tree', 'hat', 'arf'] as const) {
  test(`${model}: stop after a checkpoint, resume, same metrics as an uninterrupted run`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `onthefly-rows-${model}-`));
    const opts = { scenario: 'abrupt' as const, events: 5000, seed: 4, batch: 16, learner: { model, tree: { trees: 3 } }, checkpoint: join(dir, 'ck'), checkpointEvery: 1000 };
    const stop = new AbortController();
    const r = await runExperiment({ ...opts, onStep: (s) => { if (s.events >= 2500) stop.abort(); }, signal: stop.signal });
    assert.equal(r.stopped, true);
    assert.ok(existsSync(join(dir, 'ck', 'state.json')));
    const resumed = await runExperiment({ ...opts, resume: true });
    const whole = await runExperiment({ ...opts, checkpoint: undefined });
    assert.deepEqual(resumed.metrics, whole.metrics);
    assert.ok(whole.metrics.accuracy > 0.7, `accuracy ${whole.metrics.accuracy}`);
  });
}
