import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { RecordPacker, RecordUnpacker } from '../../src/stream/packed-records';
import { parseSchema, SchemaError } from '../../src/stream/schema';
import { autoUnit, epochToMs } from '../../src/stream/timestamp';
import { autoTimestampNotice, autoTimestampUnits, clearAutoTimestampUnits, validateRow, type Validated } from '../../src/stream/validate';
import type { Schema } from '../../src/types';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const base = { label: { field: 'y', positive: [1] }, numeric: ['x'], timestamp: 'ts' };
const schemaOf = (extra: Record<string, unknown>): Schema => parseSchema({ ...base, ...extra });

function timeOf(v: unknown, schema: Schema): number | string {
  const r = validateRow({ y: 1, x: 1, ts: v }, 7, schema);
  return 'record' in r ? r.record.time : r.rejected.reason;
}

test('epoch formats at their edges: seconds vs milliseconds near 1e11, fractions, microseconds', () => {
  const s = schemaOf({ timestampFormat: 'epoch_s' });
  assert.equal(timeOf(1767225600, s), 1767225600000);
  assert.equal(timeOf('1767225600.5', s), 1767225600500);
  assert.equal(timeOf(1767225600.1234, s), 1767225600123, 'rounded to the ms');
  assert.equal(timeOf(-1.5, s), -1500);
  assert.equal(timeOf('1e9', s), 1e12);
  assert.match(String(timeOf('2026-01-01T00:00:00Z', s)), /^timestamp "ts": not epoch seconds \("2026-01-01T00:00:00Z"\)$/);
  assert.match(String(timeOf(1e13, s)), /not epoch seconds/, 'beyond the Date range');
  const ms = schemaOf({ timestampFormat: 'epoch_ms' });
  assert.equal(timeOf(99_999_999_999, ms), 99_999_999_999);
  assert.equal(timeOf('1767225600000', ms), 1767225600000);
  assert.equal(timeOf(1.5, ms), 1.5, 'milliseconds kept as given');
  const us = schemaOf({ timestampFormat: 'epoch_us' });
  assert.equal(timeOf(1767225600123456, us), 1767225600123);
  assert.equal(timeOf('1767225600123500', us), 1767225600124);
  assert.match(String(timeOf('abc', us)), /not epoch microseconds/);
  // auto: |t| < 1e11 ⇒ s, < 1e14 ⇒ ms, else µs
  assert.equal(autoUnit(99_999_999_999), 1);
  assert.equal(autoUnit(1e11), 2);
  assert.equal(autoUnit(-1e11 + 1), 1);
  assert.equal(autoUnit(99_999_999_999_999), 2);
  assert.equal(autoUnit(1e14), 4);
  const auto = schemaOf({});
  assert.equal(timeOf(99_999_999_999, auto), 99_999_999_999_000, 'just under 1e11: seconds (year 5138)');
  assert.equal(timeOf(100_000_000_000, auto), 100_000_000_000, '1e11: milliseconds (1973)');
  assert.equal(timeOf(1767225600, auto), 1767225600000);
  assert.equal(timeOf(1767225600000, auto), 1767225600000);
  assert.equal(timeOf(1767225600000000, auto), 1767225600000);
  assert.equal(timeOf('1767225600.25', auto), 1767225600250);
  assert.equal(timeOf('2026-01-01T05:30:00+05:30', auto), Date.UTC(2026, 0, 1));
  assert.match(String(timeOf('yesterday', auto)), /^timestamp "ts": not ISO 8601 or an epoch number \("yesterday"\)$/);
  assert.ok(Number.isNaN(epochToMs(Infinity, 'auto')));
  assert.equal(epochToMs(-0, 'epoch_ms'), 0);
});

test('iso format: Z, offsets like +05:30 and -0130, fractional seconds; numbers refused', () => {
  const s = schemaOf({ timestampFormat: 'iso' });
  assert.equal(timeOf('2026-01-02T03:04:05Z', s), Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.equal(timeOf('2026-01-02T08:34:05+05:30', s), Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.equal(timeOf('2026-01-02T03:04:05.987654-01:30', s), Date.UTC(2026, 0, 2, 4, 34, 5, 987));
  assert.equal(timeOf('2026-01-02T03:04:05.5', s), Date.UTC(2026, 0, 2, 3, 4, 5, 500), 'no offset = UTC');
  assert.equal(timeOf('2026-01-02T23:59:59.999+14:00', s), Date.UTC(2026, 0, 2, 9, 59, 59, 999));
  assert.match(String(timeOf(1767225600000, s)), /^timestamp "ts": not ISO 8601 \(1767225600000\)$/);
  assert.match(String(timeOf('1767225600000', s)), /not ISO 8601/);
  assert.match(String(timeOf('2026-01-02T03:04:05+5:30', s)), /not ISO 8601/);
});

test('"timestamp": null: no event time is read, every record gets the line clock', () => {
  const s = schemaOf({ timestamp: null });
  assert.equal(s.timestamp, null);
  assert.deepEqual(parseSchema(s), s);
  assert.equal(timeOf('not a time', s), 7);
  assert.throws(() => schemaOf({ timestamp: null, timeFeatures: ['hour'] }), /"timeFeatures" need a timestamp/);
  assert.throws(() => schemaOf({ timestampFormat: 'unix' }), (e: unknown) => e instanceof SchemaError && /"timestampFormat" must be one of iso, epoch_s, epoch_ms, epoch_us, auto/.test((e as Error).message));
  assert.throws(() => schemaOf({ timeFeatures: ['minute'] }), /"timeFeatures" may list "hour" and "weekday"/);
  assert.throws(() => schemaOf({ numeric: ['x', 'ts'], timeFeatures: ['hour'] }), /timestamp field "ts" cannot also be a feature/);
});

test('auto says which unit it chose, also for records parsed on another thread (packed batches)', () => {
  const s = schemaOf({});
  clearAutoTimestampUnits(s);
  assert.equal(autoTimestampNotice(s), null);
  timeOf('2026-01-01T00:00:00Z', s);
  assert.equal(autoTimestampNotice(s), null, 'ISO strings need no notice');
  timeOf(1767225600, s);
  assert.match(autoTimestampNotice(s)!, /^timestamp "ts": numbers read as epoch seconds \(\|t\| < 1e11\) by timestampFormat "auto"/);
  // a packer on a "worker" (own schema copy) → unpacker on the main thread
  const worker = JSON.parse(JSON.stringify(s)) as Schema;
  const main = JSON.parse(JSON.stringify(s)) as Schema;
  const items: Validated[] = [validateRow({ y: 1, x: 2, ts: 1767225600123 }, 1, worker)];
  assert.equal(autoTimestampUnits(main), 0);
  new RecordUnpacker(main).unpack(new RecordPacker(worker).pack(items));
  assert.equal(autoTimestampUnits(main), 2);
  assert.match(autoTimestampNotice(main)!, /epoch milliseconds \(1e11 ≤ \|t\| < 1e14\)/);
});

test('time features travel with the record: fields[timestamp] is the epoch ms, in both paths', () => {
  const s = schemaOf({ timeFeatures: ['hour', 'weekday'], timestampFormat: 'epoch_s' });
  const v = validateRow({ y: 1, x: 2, ts: 1767225600 }, 1, s);
  assert.ok('record' in v);
  assert.equal(v.record.fields.ts, 1767225600000);
  const [u] = new RecordUnpacker(s).unpack(new RecordPacker(s).pack([v]));
  assert.deepEqual(u, v);
  assert.deepEqual(Object.keys((u as typeof v).record.fields), Object.keys(v.record.fields));
});

test('a stream whose every timestamp fails is an error (exit 1), unless the schema says it has none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-ts-'));
  const file = join(dir, 'in.jsonl');
  writeFileSync(file, Array.from({ length: 50 }, (_, i) => JSON.stringify({ y: i % 2, x: i, ts: `day ${i}` })).join('\n') + '\n');
  const schemaFile = join(dir, 's.json');
  writeFileSync(schemaFile, JSON.stringify(base));
  const r = spawnSync(process.execPath, [CLI, 'run', '--input', file, '--schema', schemaFile, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^onthefly run: every record was rejected and 50 for its timestamp "ts" \(auto\): set "timestampFormat"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  writeFileSync(schemaFile, JSON.stringify({ ...base, timestamp: null }));
  const ok = spawnSync(process.execPath, [CLI, 'run', '--input', file, '--schema', schemaFile, '--json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).accepted, 50);
  // epoch seconds: read as seconds, and the run says so (stderr and warnings)
  writeFileSync(file, Array.from({ length: 50 }, (_, i) => JSON.stringify({ y: i % 2, x: i, ts: 1767225600 + i })).join('\n') + '\n');
  writeFileSync(schemaFile, JSON.stringify(base));
  const sec = spawnSync(process.execPath, [CLI, 'run', '--input', file, '--schema', schemaFile, '--json'], { encoding: 'utf8' });
  assert.equal(sec.status, 0, sec.stderr);
  assert.match(sec.stderr, /onthefly run: warning: timestamp "ts": numbers read as epoch seconds/);
  assert.equal(JSON.parse(sec.stdout).warnings.length, 1);
  const lib = await runExperiment({ input: file, schema: parseSchema(base) });
  assert.match(lib.warnings[0]!, /epoch seconds/);
});
