/** A run of a synthetic stream stopped mid-way resumes from its checkpoint to the uninterrupted result. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../src/evaluate/run-experiment';
import type { ExperimentConfig } from '../../src/evaluate/experiment-config';

test('synth run: stopped after a checkpoint, resume gives the same metrics and audit log (latency aside) as one whole run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-synth-resume-'));
  const base: ExperimentConfig = {
    synth: { name: 'agrawal', function: 2, driftAt: 0.5, driftWidth: 300 },
    events: 4000,
    seed: 3,
    batch: 32,
    checkpointEvery: 700,
  };
  const whole = await runExperiment({ ...base, audit: join(dir, 'whole.jsonl') });
  const cfg = { ...base, audit: join(dir, 'part.jsonl'), checkpoint: join(dir, 'ck') };
  await assert.rejects(runExperiment({ ...cfg, onStep: (s) => { if (s.events > 2500) throw new Error('stop'); } }), /stop/);
  const resumed = await runExperiment({ ...cfg, resume: true });
  assert.deepEqual(resumed.metrics, whole.metrics);
  // The audit log line for line, without the wall-clock latency.
  const lines = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => { const o = JSON.parse(l); delete o.latency_us; return o; });
  const part = lines('part.jsonl');
  assert.equal(part.length, 4000);
  assert.deepEqual(part, lines('whole.jsonl'));
});
