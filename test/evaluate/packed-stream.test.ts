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

test('packed and unpacked records equal the validated ones: values, nulls, key order, prototype, time kept for time features, rejects in place', async () => {
  const { RecordPacker, RecordUnpacker } = await import('../../src/stream/packed-records');
  const { recordsFromEvents } = await import('../../src/stream/source');
  const { GENERATOR_SCHEMA } = await import('../../src/stream/default-schema');
  const { IncidentGenerator } = await import('../../src/stream/generator');
  const { FIELDS_PROTO } = await import('../../src/stream/validate');
  const { parseSchema } = await import('../../src/stream/schema');
  const timed = parseSchema({
    label: { field: 'y', positive: [1] }, numeric: ['a', 'b', 'c'], categorical: ['k'], hashed: ['u'], textFeatures: ['msg'],
    timestamp: 'ts', timeFeatures: ['hour'], id: 'id',
  });
  const hostile: Record<string, unknown>[] = [];
  for (let i = 0; i < 400; i++) {
    hostile.push({
      id: `e${i}`, ts: 1759795200000 + i * 61_000, y: i % 3 === 0 ? 1 : 0,
      a: i % 7 === 0 ? null : i % 11 === 0 ? '' : (i - 200) / 7, b: i % 5 === 0 ? undefined : 1e300 * (i % 2 ? -1 : 1), c: i % 13 === 0 ? 'NaN' : i % 17 === 0 ? -0 : i,
      k: i % 9 === 0 ? null : `k\u0000${i % 4}"<b>`, u: `ü${i % 6}\ud83d\ude00`, msg: i % 10 === 0 ? null : `line ${i}\n\t"quoted" ${'x'.repeat(i % 50)}`,
    });
  }
  const weather = loadSchema(join(root, 'schemas', 'ne-weather.json'));
  const cases: [string, typeof GENERATOR_SCHEMA, Iterable<object>][] = [
    ['generator', GENERATOR_SCHEMA, new IncidentGenerator({ scenario: 'storm', events: 3000, seed: 3 }) as Iterable<object>],
    ['hostile, time features', timed, hostile],
    ['weather', weather, Array.from({ length: 300 }, (_, i) => ({ temperature: i % 4 === 0 ? null : i / 3, dew_point: i, sea_level_pressure: 1000 + i / 10, visibility: 'x', rain: i % 2 }))],
  ];
  for (const [name, schema, events] of cases) {
    const items = [...recordsFromEvents(events as Iterable<Record<string, unknown>>, schema)];
    assert.ok(items.some((v) => 'rejected' in v) || name === 'generator', `${name}: rejects exercised`);
    const packer = new RecordPacker(schema);
    const unpacker = new RecordUnpacker(schema);
    for (let from = 0; from < items.length; from += 128) {
      const part = items.slice(from, from + 128);
      const back = unpacker.unpack(packer.pack(part));
      assert.equal(back.length, part.length);
      for (let i = 0; i < part.length; i++) {
        const want = part[i]!;
        const got = back[i]!;
        assert.deepEqual(got, want, `${name}: item ${from + i}`);
        if ('record' in want && 'record' in got) {
          assert.equal(Object.getPrototypeOf(got.record.fields), FIELDS_PROTO);
          assert.deepEqual(Object.keys(got.record.fields), Object.keys(want.record.fields), `${name}: key order`);
          for (const k of Object.keys(want.record.fields)) assert.ok(Object.is(got.record.fields[k], want.record.fields[k]), `${name}: ${k} of item ${from + i}`);
        }
      }
    }
  }
});
