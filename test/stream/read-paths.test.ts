// Every way a file reaches the pipeline gives the same records and rejects, in the same order, with the
// same line numbers: record by record (openSource, objects), in batches (openSourceBatches: per chunk
// for CSV and JSONL), packed into typed arrays and replayed (readPackedStream, what sweeps and the
// parser thread use), on the parser thread (JSONL and CSV), and from a stream cut into 7-byte chunks. Hostile
// inputs included (the fixtures of read-hostile.test.ts, malformed CSV quoting, a CSV of generator
// events with quoted messages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readPackedStream, replayPackedStream } from '../../src/evaluate/packed-stream';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import { generatorCsv } from './generator-csv';
import { loadSchema } from '../../src/stream/schema';
import { openSource, openSourceBatches, readStream, SourceError, type SourceFormat } from '../../src/stream/source';
import { FIELDS_PROTO, type Validated } from '../../src/stream/validate';
import type { Schema } from '../../src/types';

const ROOT = join(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'onthefly-read-paths-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const hostile = loadSchema(join(FIX, 'hostile-schema.json'));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** deepEqual, plus what it does not see: the fields' prototype and key order. */
function assertSame(got: Validated[], want: Validated[], what: string): void {
  assert.equal(got.length, want.length, `${what}: items`);
  assert.deepEqual(got, want, what);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if ('record' in w && 'record' in g) {
      assert.equal(Object.getPrototypeOf(g.record.fields), FIELDS_PROTO, `${what}, item ${i}: fields prototype`);
      assert.deepEqual(Object.keys(g.record.fields), Object.keys(w.record.fields), `${what}, item ${i}: key order`);
    }
  }
}


const CASES: [string, () => string, () => Schema, SourceFormat][] = [
  ['hostile.jsonl', () => join(FIX, 'hostile.jsonl'), () => hostile, 'jsonl'],
  ['hostile.csv', () => join(FIX, 'hostile.csv'), () => hostile, 'csv'],
  ['hostile-proto.csv', () => join(FIX, 'hostile-proto.csv'), () => hostile, 'csv'],
  ['data/ne-weather.csv', () => join(ROOT, 'data', 'ne-weather.csv'), () => loadSchema(join(ROOT, 'schemas', 'ne-weather.json')), 'csv'],
  ['generator JSONL (logs scenario, 1500 events)', () => {
    const f = join(dir, 'gen.jsonl');
    writeFileSync(f, generateEvents({ scenario: 'logs', events: 1500, seed: 3 }).map((e) => JSON.stringify(e)).join('\n') + '\n');
    return f;
  }, () => GENERATOR_SCHEMA, 'jsonl'],
  ['generator CSV with quoted messages and broken rows', () => {
    const f = join(dir, 'gen.csv');
    writeFileSync(f, generatorCsv());
    return f;
  }, () => GENERATOR_SCHEMA, 'csv'],
];

for (const [name, file, schemaOf, format] of CASES) {
  test(`read paths agree: ${name}`, async () => {
    const input = file();
    const schema = schemaOf();
    const objects = await all(openSource(input, schema));
    assert.ok(objects.length > 0, 'records read');
    const batched = (await all(openSourceBatches(input, schema, { parallel: false }))).flat();
    assertSame(batched, objects, 'openSourceBatches');
    const packed = await readPackedStream({ input, schema, parseThread: false });
    assert.equal(packed.records, objects.length);
    assertSame([...replayPackedStream(packed)].flat(), objects, 'packed and replayed');
    // a second replay rebuilds the same records (fresh objects)
    assertSame([...replayPackedStream(packed)].flat(), objects, 'replayed again');
    {
      assertSame((await all(openSourceBatches(input, schema, { parallel: true }))).flat(), objects, 'parser thread');
      const threadedPacked = await readPackedStream({ input, schema, parseThread: true });
      assertSame([...replayPackedStream(threadedPacked)].flat(), objects, 'parser thread, packed');
    }
    const bytes = readFileSync(input);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    assertSame(await all(readStream(Readable.from(chunks), format, schema)), objects, '7-byte chunks');
  });
}

test('a broken CSV header stops the parser-thread path with the same one-line error as the inline one', async () => {
  const f = join(dir, 'dup-header.csv');
  writeFileSync(f, 'a,b,a\n1,2,3\n');
  const messages: string[] = [];
  for (const parallel of [false, true]) {
    await assert.rejects(all(openSourceBatches(f, hostile, { parallel })), (err: Error) => {
      assert.ok(err instanceof SourceError, `parallel ${parallel}: a SourceError`);
      messages.push(err.message);
      return true;
    });
  }
  assert.equal(messages[0], `${f}: CSV header repeats column "a"`);
  assert.equal(messages[1], messages[0]);
});
