import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { eventsToJsonl } from '../../src/stream/event-jsonl';
import { generateEvents } from '../../src/stream/generator';
import { RecordPacker, RecordUnpacker, transferList } from '../../src/stream/packed-records';
import { prestartParser, readJsonlParallel } from '../../src/stream/read-jsonl-parallel';
import { loadSchema } from '../../src/stream/schema';
import { openSourceBatches } from '../../src/stream/source';
import { FIELDS_PROTO, validateRow, type Validated } from '../../src/stream/validate';
import type { Schema } from '../../src/types';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'onthefly-parallel-'));

async function collect(it: AsyncIterable<Validated[]>): Promise<{ items: Validated[]; batches: number }> {
  const items: Validated[] = [];
  let batches = 0;
  for await (const b of it) {
    batches++;
    for (const v of b) items.push(v);
  }
  return { items, batches };
}

/** deepEqual, plus what it does not see: the fields' prototype and key order. */
function assertSame(got: Validated[], want: Validated[]): void {
  assert.equal(got.length, want.length);
  assert.deepEqual(got, want);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if ('record' in w) {
      assert.ok('record' in g);
      assert.equal(Object.getPrototypeOf(g.record.fields), FIELDS_PROTO, `item ${i}: fields prototype`);
      assert.deepEqual(Object.keys(g.record.fields), Object.keys(w.record.fields), `item ${i}: key order`);
      assert.deepEqual(Object.keys(g.record), Object.keys(w.record));
    }
  }
}

async function bothWays(file: string, schema: Schema): Promise<Validated[]> {
  const inline = await collect(openSourceBatches(file, schema, { parallel: false }));
  const threaded = await collect(openSourceBatches(file, schema, { parallel: true }));
  assertSame(threaded.items, inline.items);
  return inline.items;
}

test('parser thread: the hostile JSONL file gives the same records and rejects as the inline reader', async () => {
  const items = await bothWays(join(FIX, 'hostile.jsonl'), loadSchema(join(FIX, 'hostile-schema.json')));
  assert.ok(items.some((v) => 'rejected' in v) && items.some((v) => 'record' in v));
});

test('parser thread: a generated stream (plain and gzipped), more batches than the read-ahead window', async () => {
  const text = eventsToJsonl(generateEvents({ scenario: 'storm', events: 4000, seed: 3 }));
  const file = join(dir, 'storm.jsonl');
  writeFileSync(file, text);
  writeFileSync(`${file}.gz`, gzipSync(text));
  const items = await bothWays(file, GENERATOR_SCHEMA);
  assert.equal(items.length, 4000);
  const gz = await collect(openSourceBatches(`${file}.gz`, GENERATOR_SCHEMA, { parallel: true }));
  assertSame(gz.items, items);
  const { batches } = await collect(readJsonlParallel(file, GENERATOR_SCHEMA));
  assert.ok(batches > 8, `${batches} batches`);
});

test('parser thread: stopping early, closing unread, and a second iteration', async () => {
  const file = join(dir, 'storm.jsonl');
  writeFileSync(file, eventsToJsonl(generateEvents({ scenario: 'storm', events: 4000, seed: 3 })));
  const src = readJsonlParallel(file, GENERATOR_SCHEMA);
  for await (const b of src) {
    assert.ok(b.length > 0);
    break; // the worker is terminated by the generator's finally
  }
  assert.throws(() => src[Symbol.asyncIterator](), /iterated once/);
  await src.close(); // idempotent after the break
  const unread = readJsonlParallel(file, GENERATOR_SCHEMA);
  await unread.close();
  await assert.rejects(collect(unread), /parser thread stopped/);
});

test('packed records: values past the interning table travel inline and come back equal', () => {
  const schema: Schema = { label: { field: 'y', positive: [1] }, numeric: ['x'], categorical: ['user'], key: ['user'] };
  const rows: Validated[] = [];
  for (let i = 0; i < 70_000; i++) rows.push(validateRow({ y: i % 2, x: i % 7 === 0 ? null : i / 3, user: `u${i}`, message: i % 5 === 0 ? '' : `m${i}` }, i + 1, schema));
  const packer = new RecordPacker(schema);
  const unpacker = new RecordUnpacker(schema);
  const out: Validated[] = [];
  for (let i = 0; i < rows.length; i += 10_000) for (const v of unpacker.unpack(packer.pack(rows.slice(i, i + 10_000)))) out.push(v);
  assertSame(out, rows);
});

test('transferList names every buffer of a packed batch', () => {
  const events = generateEvents({ scenario: 'stationary', events: 50, seed: 1 });
  const b = new RecordPacker(GENERATOR_SCHEMA).pack(events.map((e, i) => validateRow(e, i + 1, GENERATOR_SCHEMA)));
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(b, transferList(b));
  const arrays = Object.values(b).filter((v) => ArrayBuffer.isView(v));
  assert.equal(arrays.length, 9);
  for (const a of arrays) assert.equal((a as Uint8Array).byteLength, 0); // detached: moved, not copied
  port1.close();
  port2.close();
});

test('a pre-started parser thread is taken by the next read, and an unused one does not keep a process alive', async () => {
  const file = join(dir, 'pre.jsonl');
  writeFileSync(file, eventsToJsonl(generateEvents({ scenario: 'stationary', events: 500, seed: 8 })));
  const inline = await collect(openSourceBatches(file, GENERATOR_SCHEMA, { parallel: false }));
  prestartParser();
  prestartParser(); // idempotent
  await new Promise((r) => setTimeout(r, 50)); // let it boot and wait for its job
  assertSame((await collect(readJsonlParallel(file, GENERATOR_SCHEMA))).items, inline.items);
  const mod = join(__dirname, '..', '..', 'src', 'stream', 'read-jsonl-parallel.js');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(mod)}).prestartParser()`], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - t0 < 10_000);
});

test('a parser thread that read its file to the end serves the next reads (other files, formats and schemas); one stopped early is not reused', async () => {
  const gen = join(dir, 'reuse.jsonl');
  writeFileSync(gen, eventsToJsonl(generateEvents({ scenario: 'stationary', events: 3000, seed: 9 })));
  const hostile = loadSchema(join(FIX, 'hostile-schema.json'));
  const reads: Array<[string, Schema, 'jsonl' | 'csv']> = [
    [gen, GENERATOR_SCHEMA, 'jsonl'], [join(FIX, 'hostile.csv'), hostile, 'csv'], [join(FIX, 'hostile.jsonl'), hostile, 'jsonl'], [gen, GENERATOR_SCHEMA, 'jsonl'],
  ];
  for (const [file, schema, format] of reads) {
    const inline = await collect(openSourceBatches(file, schema, { parallel: false }));
    assertSame((await collect(readJsonlParallel(file, schema, {}, format))).items, inline.items);
  }
  // stopped after one batch, then read again in full
  for await (const b of readJsonlParallel(gen, GENERATOR_SCHEMA)) {
    assert.ok(b.length > 0);
    break;
  }
  const inline = await collect(openSourceBatches(gen, GENERATOR_SCHEMA, { parallel: false }));
  assertSame((await collect(readJsonlParallel(gen, GENERATOR_SCHEMA))).items, inline.items);
  // a process whose parser thread went back to waiting still exits
  const mod = join(__dirname, '..', '..', 'src', 'stream', 'read-jsonl-parallel.js');
  const script = `(async () => { const { readJsonlParallel } = require(${JSON.stringify(mod)}); let n = 0; for await (const b of readJsonlParallel(${JSON.stringify(gen)}, ${JSON.stringify(GENERATOR_SCHEMA)})) n += b.length; console.log(n); })()`;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '3000');
  assert.ok(Date.now() - t0 < 10_000);
});
