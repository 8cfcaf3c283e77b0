import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { loadSchema } from '../../src/stream/schema';

const ROOT = join(__dirname, '..', '..', '..');

test('derived features through a stopped-then-resumed run: the same metrics and audit log as one run', async () => {
  const schema = loadSchema(join(ROOT, 'schemas', 'ne-weather-derived.json'));
  const input = join(ROOT, 'data', 'ne-weather.csv');
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-derived-resume-'));
  const base = { input, schema, batch: 16, labelDelay: 5 };
  const whole = await runExperiment({ ...base, audit: join(dir, 'whole.jsonl') });
  const stop = new AbortController();
  const first = await runExperiment({
    ...base, audit: join(dir, 'split.jsonl'), checkpoint: join(dir, 'ck'), checkpointEvery: 500, signal: stop.signal,
    onStep: (s) => { if (s.events >= 7000) stop.abort(); },
  });
  assert.equal(first.stopped, true);
  assert.ok(first.events < 18159);
  const rest = await runExperiment({ ...base, audit: join(dir, 'split.jsonl'), checkpoint: join(dir, 'ck'), checkpointEvery: 500, resume: true });
  assert.equal(rest.events, whole.events);
  assert.deepEqual(rest.metrics, whole.metrics);
  assert.equal(rest.learned, whole.learned);
  const strip = (f: string): string[] => readFileSync(f, 'utf8').trim().split('\n').map((l) => { const o = JSON.parse(l); delete o.latency_us; return JSON.stringify(o); });
  assert.deepEqual(strip(join(dir, 'split.jsonl')), strip(join(dir, 'whole.jsonl')));
});
