import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPackedStream, replayPackedStream, reusesRecords } from '../../src/evaluate/packed-stream';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { loadSchema } from '../../src/stream/schema';

const root = join(__dirname, '..', '..', '..');
const strip = (r: object): string => JSON.stringify({ ...r, timing: null });

test('a replayed stream without derived features hands later replays the same records, and runs on it do not change', async () => {
  const packed = await readPackedStream({ scenario: 'storm', events: 3000, seed: 5 });
  const fresh = [...replayPackedStream({ ...packed }, { keepRecords: 0 })].flat();
  assert.equal(reusesRecords(packed), false);
  const first = [...replayPackedStream(packed)].flat();
  assert.equal(reusesRecords(packed), true);
  const second = [...replayPackedStream(packed)].flat();
  assert.equal(second.length, 3000);
  for (let i = 0; i < first.length; i++) assert.equal(second[i], first[i], `record ${i} is the same object`);
  assert.deepEqual(second, fresh);
  // A run reading shared records leaves them as they were: the next run gives the same result as one on fresh records.
  const config = { scenario: 'storm' as const, events: 3000, seed: 5, batch: 32, learner: { model: 'logistic' as const, lambda: 1 } };
  const a = await runExperiment({ ...config, records: packed });
  const b = await runExperiment({ ...config, records: packed });
  const c = await runExperiment({ ...config, records: { ...packed } });
  const d = await runExperiment(config);
  assert.equal(strip(b), strip(a));
  assert.equal(strip(c), strip(a));
  assert.equal(strip(d), strip(a));
  assert.deepEqual([...replayPackedStream(packed)].flat(), fresh);
});

test('a stream with derived features is unpacked afresh on every replay (derived values are written into the rows)', async () => {
  const schema = loadSchema(join(root, 'schemas', 'ne-weather-derived.json'));
  const input = join(root, 'data', 'ne-weather.csv');
  const packed = await readPackedStream({ input, schema, parseThread: false });
  const first = [...replayPackedStream(packed)].flat();
  assert.equal(reusesRecords(packed), false);
  const second = [...replayPackedStream(packed)].flat();
  assert.notEqual(second[0], first[0]);
  const config = { input, schema, batch: 1, learner: { model: 'logistic' as const } };
  const a = await runExperiment({ ...config, records: packed });
  const b = await runExperiment({ ...config, records: packed });
  const direct = await runExperiment({ ...config, parseThread: false });
  assert.equal(strip(b), strip(a));
  assert.equal(strip(direct), strip(a));
});

test('the records kept for reuse stay within the budget: the oldest stream is let go first, a larger one is never kept', async () => {
  const s1 = await readPackedStream({ scenario: 'stationary', events: 600, seed: 1 });
  const s2 = await readPackedStream({ scenario: 'stationary', events: 600, seed: 2 });
  const s3 = await readPackedStream({ scenario: 'stationary', events: 2000, seed: 3 });
  [...replayPackedStream(s1, { keepRecords: 1000 })];
  assert.equal(reusesRecords(s1), true);
  [...replayPackedStream(s2, { keepRecords: 1000 })];
  assert.equal(reusesRecords(s2), true);
  assert.equal(reusesRecords(s1), false, 'the oldest one is let go: 600 + 600 > 1,000');
  [...replayPackedStream(s3, { keepRecords: 1000 })];
  assert.equal(reusesRecords(s3), false, 'a stream larger than the budget is not kept');
  assert.equal(reusesRecords(s2), true);
  // a replay stopped midway keeps nothing
  const s4 = await readPackedStream({ scenario: 'stationary', events: 3000, seed: 4 });
  for (const batch of replayPackedStream(s4)) if (batch.length > 0) break;
  assert.equal(reusesRecords(s4), false);
});
