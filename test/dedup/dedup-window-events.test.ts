import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DedupCenter } from '../../src/dedup/dedup-center';
import { dedupOptionsForSchema, parseDedupWindowOption, resolveDedupOptions } from '../../src/dedup/dedup-options';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { parseSchema } from '../../src/stream/schema';

const CLI = join(__dirname, '../../../dist/cli/main.js');

test('parseDedupWindowOption: "1000ev" is an event count, durations stay milliseconds', () => {
  assert.deepEqual(parseDedupWindowOption('1000ev'), { windowEvents: 1000 });
  assert.deepEqual(parseDedupWindowOption(' 25 events '), { windowEvents: 25 });
  assert.deepEqual(parseDedupWindowOption('5m'), { windowMs: 300_000 });
  assert.deepEqual(parseDedupWindowOption('inf'), { windowMs: Infinity });
  for (const bad of ['0ev', '1.5ev', 'ev', '-3ev']) assert.throws(() => parseDedupWindowOption(bad), RangeError, bad);
  assert.throws(() => resolveDedupOptions({ windowEvents: 10, windowMs: 5 }), /not both/);
  assert.throws(() => resolveDedupOptions({ windowEvents: 0 }), /windowEvents must be an integer ≥ 1/);
});

test('an event-count window: positions, not times, decide; the state keeps it through JSON', () => {
  const d = new DedupCenter({ key: ['k'], windowEvents: 3 });
  const seen = (k: string, time: number): boolean => d.observe({ k }, time, `e${d.stats().events + 1}`).duplicate;
  // times are ignored (all equal, even NaN-free garbage): positions 1..8
  assert.equal(seen('a', 0), false); // 1 opens
  assert.equal(seen('b', 0), false); // 2
  assert.equal(seen('a', 0), true); // 3: 3 − 1 < 3
  assert.equal(seen('a', 0), false); // 4: 4 − 1 = 3, a new group
  const copy = new DedupCenter();
  copy.setState(JSON.parse(JSON.stringify(d.getState())));
  assert.equal(copy.options.windowEvents, 3);
  for (const c of [d, copy]) {
    assert.equal(c.observe({ k: 'a' }, 1e12, 'x').duplicate, true, 'position 5: 5 − 4 < 3');
    assert.equal(c.observe({ k: 'b' }, 0, 'y').duplicate, false, 'position 6: 6 − 2 ≥ 3');
  }
  assert.deepEqual(copy.getState(), d.getState());
});

test('a schema without timestamps gets an event-count window unless a window is given', () => {
  const s = parseSchema({ label: { field: 'y', positive: [1] }, categorical: ['k'], timestamp: null });
  assert.equal(dedupOptionsForSchema(s).windowEvents, 1000);
  assert.equal(dedupOptionsForSchema(s, { windowMs: 10 }).windowEvents, undefined);
  assert.equal(dedupOptionsForSchema(s, { windowEvents: 7 }).windowEvents, 7);
  assert.equal(dedupOptionsForSchema(parseSchema({ label: { field: 'y', positive: [1] }, categorical: ['k'] })).windowEvents, undefined);
});

test('run: warns when dedup withholds more than half of the events, reports learned; 1000ev fixes the starvation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-dedup-ev-'));
  const file = join(dir, 'logs.jsonl');
  // 2,000 log lines without timestamps (1 ms per line), 8 distinct (level, host) pairs
  writeFileSync(file, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ level: ['info', 'warn', 'error', 'debug'][i % 4], host: `h${i % 2}`, y: i % 4 === 2 ? 1 : 0 })).join('\n') + '\n');
  const schemaFile = join(dir, 's.json');
  writeFileSync(schemaFile, JSON.stringify({ label: { field: 'y', positive: [1] }, categorical: ['level', 'host'] }));
  const r = spawnSync(process.execPath, [CLI, 'run', '--input', file, '--schema', schemaFile, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.unique, 4, 'every line within 5 minutes of logical time');
  assert.equal(o.learned, 4);
  assert.match(r.stderr, /onthefly run: warning: dedup withheld 1996 of 2000 events from learning as duplicates \(key: level, host; window: 300000 ms\)/);
  assert.equal(o.warnings.length, 1);
  const ev = spawnSync(process.execPath, [CLI, 'run', '--input', file, '--schema', schemaFile, '--dedup-window', '4ev', '--json'], { encoding: 'utf8' });
  assert.equal(ev.status, 0, ev.stderr);
  const e = JSON.parse(ev.stdout);
  assert.equal(e.unique, 2000, 'the same pair recurs every 4 lines: 4 − 0 is not < 4');
  assert.equal(e.learned, 2000);
  assert.doesNotMatch(ev.stderr, /warning/);
  const bad = spawnSync(process.execPath, [CLI, 'run', '--input', file, '--schema', schemaFile, '--dedup-window', '0ev'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--dedup-window must be .* or an event count such as 1000ev/);
  // library: the same warning string, no output
  const lib = await runExperiment({ input: file, schema: parseSchema({ label: { field: 'y', positive: [1] }, categorical: ['level', 'host'] }), dedup: { windowEvents: 12 } });
  assert.equal(lib.unique, 4 * 167, 'each pair recurs every 4 lines: groups of 3 within 12 events');
  assert.equal(lib.learned, lib.unique);
  assert.equal(lib.warnings.length, 1);
  assert.match(lib.warnings[0]!, /dedup withheld 1332 of 2000 .*window: 12 events/);
  const none = await runExperiment({ input: file, schema: parseSchema({ label: { field: 'y', positive: [1] }, categorical: ['level', 'host'] }), dedup: false });
  assert.equal(none.learned, 2000);
  assert.deepEqual(none.warnings, []);
});
