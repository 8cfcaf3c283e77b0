import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DedupCenter } from '../../src/dedup/dedup-center';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { createLearner, createLearnerSync } from '../../src/learn/create-learner';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import type { IncidentEvent, Row } from '../../src/types';

const untimed = (r: { timing: unknown; config: unknown }) => ({ ...r, timing: undefined, config: undefined });

test('runExperiment takes your own events (array, generator, async iterable) and gives the same result as the generator', async () => {
  const ref = await runExperiment({ scenario: 'storm', events: 2000, seed: 4, batch: 32 });
  const events = generateEvents({ scenario: 'storm', events: 2000, seed: 4 });
  const fromArray = await runExperiment({ stream: events, seed: 4, batch: 32 });
  assert.deepEqual(untimed(fromArray), untimed(ref));
  async function* slowly(): AsyncGenerator<IncidentEvent> {
    for (const e of events) yield e;
  }
  assert.deepEqual(untimed(await runExperiment({ stream: slowly(), seed: 4, batch: 32 })), untimed(ref));
  await assert.rejects(runExperiment({ stream: 42 as unknown as never }), /stream must be an iterable/);
});

test('runExperiment learns into a learner you pass, and leaves it to you', async () => {
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, seed: 4 });
  const ref = await runExperiment({ scenario: 'stationary', events: 1500, seed: 4, batch: 64 });
  const mine = await runExperiment({ scenario: 'stationary', events: 1500, seed: 4, batch: 64, model: learner });
  assert.deepEqual(mine.metrics, ref.metrics);
  assert.ok(learner.predictMany(generateEvents({ events: 3, seed: 9 }))[0]! > 0, 'trained, not disposed');
  await assert.rejects(runExperiment({ events: 10, model: {} as never }), /model must be a Learner/);
});

test('createLearnerSync: no Promise for the engines that need no TensorFlow.js; a clear error for the ones that do', async () => {
  const sync = createLearnerSync({ schema: GENERATOR_SCHEMA, seed: 2 });
  const async_ = await createLearner({ schema: GENERATOR_SCHEMA, seed: 2 });
  const rows: Row[] = generateEvents({ events: 20, seed: 1 });
  assert.deepEqual(sync.predictMany(rows), async_.predictMany(rows));
  assert.equal(createLearnerSync({ schema: GENERATOR_SCHEMA, model: 'hoeffding-tree' }).backend.length > 0, true);
  assert.throws(() => createLearnerSync({ schema: GENERATOR_SCHEMA, engine: 'tfjs' }), /needs? the tfjs engine/);
});

test("the generator's events are valid input everywhere: Row without copying, DedupCenter with ISO timestamps", () => {
  const [e] = generateEvents({ events: 1, seed: 1 });
  const row: Row = e!; // compiles: IncidentEvent is assignable to Row
  const center = new DedupCenter({ key: ['incident_type', 'source', 'user'] });
  const a = center.observe(row, e!.timestamp, e!.event_id);
  const b = center.observe(row, Date.parse(e!.timestamp) + 1000, 'again');
  assert.equal(a.duplicate, false);
  assert.equal(b.duplicate, true);
  assert.throws(() => center.observe(row, 'yesterday', 'x'), /ISO 8601/);
});
