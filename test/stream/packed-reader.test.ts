// The parser thread's fast path (packedBatchesOf: JSON lines scanned and CSV cells read straight into
// packed columns, src/stream/packed-reader.ts) against the object path (readJsonlBatches /
// readCsvBatches: JSON.parse or the row object, validateRow): the same records and rejects, in the same
// order and batches, with the same reasons and raw text, for the generator, the weather file, the
// hostile fixtures, hand-written hostile lines and random lines (fast-check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import { generatorCsv } from './generator-csv';
import { plainDecimal } from '../../src/stream/csv-packed-row';
import { JsonlScanner } from '../../src/stream/jsonl-scan';
import { PackedBuilder } from '../../src/stream/packed-builder';
import { RecordUnpacker } from '../../src/stream/packed-records';
import { packedBatchesOf } from '../../src/stream/packed-reader';
import { readCsvBatches } from '../../src/stream/read-csv';
import { readJsonlBatches } from '../../src/stream/read-jsonl';
import { loadSchema, parseSchema } from '../../src/stream/schema';
import { FIELDS_PROTO, parseTime, type Validated } from '../../src/stream/validate';
import type { Schema } from '../../src/types';

const ROOT = join(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const hostile = loadSchema(join(FIX, 'hostile-schema.json'));
const weather = loadSchema(join(ROOT, 'schemas', 'ne-weather.json'));

/** A stream of `bytes` cut into chunks of `size` bytes (0: one chunk). */
function chunks(bytes: Buffer, size: number): Readable {
  const out: Buffer[] = [];
  if (size === 0) out.push(bytes);
  else for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return Readable.from(out);
}

async function objectPath(bytes: Buffer, format: 'jsonl' | 'csv', schema: Schema, size: number, max?: number): Promise<Validated[][]> {
  const out: Validated[][] = [];
  const options = max === undefined ? {} : { maxRecordBytes: max };
  for await (const b of format === 'csv' ? readCsvBatches(chunks(bytes, size), schema, options) : readJsonlBatches(chunks(bytes, size), schema, options)) out.push(b);
  return out;
}

async function fastPath(bytes: Buffer, format: 'jsonl' | 'csv', schema: Schema, size: number, max?: number): Promise<Validated[][]> {
  const unpacker = new RecordUnpacker(schema);
  const out: Validated[][] = [];
  for await (const b of packedBatchesOf(chunks(bytes, size), format, schema, max === undefined ? {} : { maxRecordBytes: max })) out.push(unpacker.unpack(b));
  return out;
}

/** deepEqual, plus what it does not see: -0, the fields' prototype and key order. */
function assertSame(got: Validated[][], want: Validated[][], what: string): void {
  assert.deepEqual(got.map((b) => b.length), want.map((b) => b.length), `${what}: batches`);
  const g = got.flat();
  const w = want.flat();
  assert.deepEqual(g, w, what);
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if ('record' in a && 'record' in b) {
      assert.equal(Object.getPrototypeOf(a.record.fields), FIELDS_PROTO, `${what}, item ${i}: fields prototype`);
      assert.deepEqual(Object.keys(a.record.fields), Object.keys(b.record.fields), `${what}, item ${i}: key order`);
      for (const k of Object.keys(b.record.fields)) assert.ok(Object.is(a.record.fields[k], b.record.fields[k]), `${what}, item ${i}: ${k} ${String(a.record.fields[k])} vs ${String(b.record.fields[k])}`);
    }
  }
}

/** Lines the JSONL scanner read itself (so a test sees that the fast path ran). */
let scanned = 0;
const scan = JsonlScanner.prototype.scan;
JsonlScanner.prototype.scan = function (this: JsonlScanner, ...args: Parameters<typeof scan>): boolean {
  const ok = scan.apply(this, args);
  if (ok) scanned++;
  return ok;
};

/** Records the fast paths added from their values (JSONL lines scanned, CSV rows from their cells). */
let checked = 0;
const addChecked = PackedBuilder.prototype.addChecked;
PackedBuilder.prototype.addChecked = function (this: PackedBuilder, ...args: Parameters<typeof addChecked>): void {
  checked++;
  addChecked.apply(this, args);
};

/** Both paths agree on `bytes` read whole, in 7-byte chunks and in 64 KB chunks; returns the items and how many lines the scanner read whole-file. */
async function agree(bytes: Buffer, format: 'jsonl' | 'csv', schema: Schema, what: string, max?: number): Promise<Validated[]> {
  const want = await objectPath(bytes, format, schema, 0, max);
  for (const size of [0, 7, 1 << 16]) {
    const before = checked;
    assertSame(await fastPath(bytes, format, schema, size, max), size === 0 ? want : await objectPath(bytes, format, schema, size, max), `${what}, chunks of ${size || 'all'}`);
    if (size === 0 && want.flat().some((v) => 'record' in v)) assert.ok(checked > before, `${what}: the fast path took some records`);
  }
  return want.flat();
}

const generatorJsonl = (events: number, scenario: 'stationary' | 'logs' = 'stationary'): Buffer =>
  Buffer.from(generateEvents({ scenario, events, seed: 3 }).map((e) => JSON.stringify(e)).join('\n') + '\n');

test('JSONL fast path = object path: generator events (stationary and logs)', async () => {
  for (const scenario of ['stationary', 'logs'] as const) {
    const items = await agree(generatorJsonl(3000, scenario), 'jsonl', GENERATOR_SCHEMA, scenario);
    assert.equal(items.length, 3000);
  }
});

test('the JSONL scanner reads generator lines itself (no fallback)', () => {
  const scanner = new JsonlScanner(GENERATOR_SCHEMA);
  const builder = new PackedBuilder(GENERATOR_SCHEMA);
  const lines = generateEvents({ scenario: 'logs', events: 500, seed: 3 }).map((e) => JSON.stringify(e));
  lines.forEach((l, i) => {
    const b = Buffer.from(l);
    assert.ok(scanner.scan(b, 0, b.length, l, 0, i + 1, builder), `line ${i + 1}: ${l}`);
  });
  assert.equal(builder.take().n, 500);
});

test('JSONL fast path = object path: hostile.jsonl', async () => {
  await agree(readFileSync(join(FIX, 'hostile.jsonl')), 'jsonl', hostile, 'hostile.jsonl');
});

/** Lines each path must read alike: escapes, unicode, nesting, duplicate and forbidden keys, odd numbers, whitespace. */
const HOSTILE_LINES = [
  '{"event_id":"a","critical":1,"cpu_load":"  12 ","net_bytes":" 1e3 "}',
  '{"critical":1,"cpu_load":1e400}',
  '{"critical":1,"cpu_load":-1e400}',
  '{"critical":1,"cpu_load":-0}',
  '{"critical":1,"cpu_load":-0.0,"net_bytes":0.1}',
  '{"critical":1,"cpu_load":1e-400}',
  '{"critical":1,"cpu_load":0.30000000000000004,"net_bytes":9007199254740993}',
  '{"critical":1,"cpu_load":123456789012345,"net_bytes":1234567890123456}',
  '{"critical":1,"cpu_load":0.1234567890123456789,"net_bytes":1E5}',
  '{"critical":1,"cpu_load":01}',
  '{"critical":1,"cpu_load":1.}',
  '{"critical":1,"cpu_load":.5}',
  '{"critical":1,"cpu_load":+1}',
  '{"critical":1,"cpu_load":-}',
  '{"critical":1,"cpu_load":1e}',
  '{"critical":1,"cpu_load":1e+}',
  '{"critical":1,"cpu_load":2.5e-3,"net_bytes":-12E+2}',
  '{"critical":1,"source":"esc \\" quote","user":"back\\\\slash"}',
  '{"critical":1,"source":"tab\tinside"}',
  '{"critical":1,"source":"a\\u0000b"}',
  '{"critical":1,"source":"ünïcødé ✓ 😀","user":"日本"}',
  '{"critical":1,"ünï":"x","source":"ok"}',
  '{"critical":1,"source":{"nested":1}}',
  '{"critical":1,"other":{"nested":[1,2]},"source":"s"}',
  '{"critical":1,"other":[],"source":"s"}',
  '{"critical":1,"source":["a"]}',
  '{"critical":1,"cpu_load":1,"cpu_load":2}',
  '{"critical":1,"other":1,"other":2}',
  '{"critical":1,"critical":0}',
  '{"critical":1,"__proto__":{"x":1}}',
  '{"critical":1,"constructor":1}',
  '{"critical":0,"prototype":1}',
  '{"critical":"true"}',
  '{"critical":" 1.0 "}',
  '{"critical":"TRUE"}',
  '{"critical":true,"source":true,"user":false}',
  '{"critical":false}',
  '{"critical":null}',
  '{"critical":""}',
  '{"critical":1e400}',
  '{"critical":[1]}',
  '{}',
  '{ }',
  '[]',
  '[1,2]',
  '"str"',
  '42',
  'null',
  '{"critical":1,',
  '{"critical":1}x',
  '{"critical":1}}',
  '{"critical":1,}',
  '{"critical" 1}',
  '{critical:1}',
  "{'critical':1}",
  '{"critical":tru}',
  '{"critical":nul}',
  '{"critical":1,"source":"unterminated}',
  '  {"critical":1}  ',
  '\t{ "critical" : 1 , "cpu_load" : 2 }\t',
  '{"critical":1,"timestamp":"2025-10-07T00:00:00.237Z"}',
  '{"critical":1,"timestamp":" 2025-10-07T00:00:00Z "}',
  '{"critical":1,"timestamp":1759795200}',
  '{"critical":1,"timestamp":1759795200123}',
  '{"critical":1,"timestamp":"1759795200"}',
  '{"critical":1,"timestamp":"not a time"}',
  '{"critical":1,"timestamp":""}',
  '{"critical":1,"timestamp":null}',
  '{"critical":1,"timestamp":true}',
  '{"critical":1,"oracle_p":1.5}',
  '{"critical":1,"oracle_p":"0.5"}',
  '{"critical":1,"oracle_p":-0}',
  '{"critical":1,"event_id":12}',
  '{"critical":1,"event_id":-0}',
  '{"critical":1,"event_id":""}',
  '{"critical":1,"event_id":true}',
  '{"critical":1,"regime":true,"user":12.50}',
  '{"critical":1,"regime":1e21,"user":-0}',
  '{"critical":1,"regime":{}}',
  '{"critical":1,"sourc\\u0065":"escaped key"}',
  '{"critical":1,"":1}',
  '{"critical":1,"toString":1,"hasOwnProperty":"x"}',
  '{"critical":1,"source":""}',
  '{"critical":1,"cpu_load":""}',
  '{"critical":1,"cpu_load":null,"net_bytes":"abc"}',
  '{"critical":1,"cpu_load":"0x1F"}',
  '{"critical":1,"cpu_load":"Infinity"}',
  '{"critical":1,"cpu_load":true}',
  '\ufeff{"critical":1}',
  '{"critical":1}\r',
  '{"critical":1,"source":"a\rb"}',
  '',
  '   ',
];

test('JSONL fast path = object path: hostile lines (escapes, unicode, nesting, duplicate keys, odd numbers, CRLF, BOM)', async () => {
  const body = HOSTILE_LINES.join('\n') + '\r\n' + HOSTILE_LINES.join('\r\n');
  const before = scanned;
  const items = await agree(Buffer.from(body), 'jsonl', hostile, 'hostile lines');
  assert.ok(items.some((v) => 'rejected' in v) && items.some((v) => 'record' in v));
  assert.ok(scanned - before > 40, `the scanner read ${scanned - before} of the lines`);
  await agree(Buffer.from('\ufeff' + body), 'jsonl', hostile, 'hostile lines after a BOM');
  await agree(Buffer.from('\ufeff{"critical":1}\r\n{"critical":1}'), 'jsonl', hostile, 'a BOM, then a last line without terminator');
  // invalid UTF-8 inside a value and a key, and an over-cap line
  const bad = Buffer.concat([Buffer.from('{"critical":1,"source":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('"}\n{"critical":1,"s'), Buffer.from([0xe2, 0x82]), Buffer.from('":1}\n'), Buffer.from(`{"critical":1,"source":"${'x'.repeat(300)}"}\n`), Buffer.from('{"critical":1}\n')]);
  await agree(bad, 'jsonl', hostile, 'invalid UTF-8 and a line over the cap', 200);
});

test('JSONL fast path = object path: a schema naming fields every object inherits, and fields in several roles', async () => {
  const inherited = parseSchema({ label: { field: 'critical', positive: [1] }, numeric: ['toString'], categorical: ['valueOf'], id: 'hasOwnProperty' });
  const lines = ['{"critical":1}', '{"critical":1,"toString":2,"valueOf":"v","hasOwnProperty":"id"}', '{"critical":1,"toString":2}'];
  await agree(Buffer.from(lines.join('\n')), 'jsonl', inherited, 'inherited names');
  const roles = parseSchema({ label: { field: 'critical', positive: [1] }, numeric: ['t'], categorical: ['event_id', 'regime'], timestamp: 't', id: 'event_id', regime: 'regime' });
  await agree(Buffer.from(['{"critical":1,"t":1759795200,"event_id":"e","regime":"r"}', '{"critical":1,"t":"x","event_id":5}', '{"critical":0,"t":12.5,"event_id":-0,"regime":false}'].join('\n')), 'jsonl', roles, 'fields in several roles');
});

test('JSONL fast path = object path: random lines (fast-check)', async () => {
  const keys = ['critical', 'cpu_load', 'net_bytes', 'incident_type', 'source', 'user', 'timestamp', 'event_id', 'oracle_p', 'regime', 'message', 'other', '__proto__', 'constructor', 'toString', ''];
  const number = fc.oneof(fc.double().filter((x) => Number.isFinite(x)).map((x) => JSON.stringify(x)), fc.integer().map(String), fc.constantFrom('1e400', '-0', '0.1', '01', '1.', '-', '1e5', '2.5E-3', '123456789012345678', '0.000001234', '-0.0', '1e-400'));
  const str = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('  12 ', '', 'true', '2025-10-07T00:00:00.237Z', '1759795200', 'A', ' 1 ', '0x1F')).map((s) => JSON.stringify(s));
  const raw = fc.oneof(fc.string().map((s) => `"${s}"`), fc.constantFrom('tru', '{', '[1,', '"\t"', '"a\\x"'));
  const value = fc.oneof(number, str, fc.constantFrom('true', 'false', 'null', '{}', '[]', '{"a":1}', '[1,"x"]'), raw);
  const ws = fc.constantFrom('', ' ', '  ', '\t', '\r');
  const member = fc.tuple(fc.constantFrom(...keys), ws, value, ws).map(([k, w, v, w2]) => `${JSON.stringify(k)}${w}:${w2}${v}`);
  const line = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.array(member, { maxLength: 12 }), ws).map(([ms, w]) => `${w}{${ms.join(',')}}${w}`) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.tuple(fc.array(member, { maxLength: 6 }), fc.nat()).map(([ms, cut]) => { const s = `{${ms.join(',')}}`; return s.slice(0, cut % (s.length + 1)); }) },
  );
  await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
    const bytes = Buffer.from(lines.map((l) => l.replace(/[\r\n]/g, ' ')).join(eol) + eol);
    assertSame(await fastPath(bytes, 'jsonl', hostile, 0), await objectPath(bytes, 'jsonl', hostile, 0), 'random lines');
  }), { seed: 20261202, numRuns: 300 });
});

test('JSONL scanner numbers: the doubles JSON.parse gives (fast-check)', () => {
  const schema = parseSchema({ label: { field: 'c', positive: [1] }, numeric: ['x'], timestamp: null });
  const scanner = new JsonlScanner(schema);
  const unpacker = new RecordUnpacker(schema);
  const text = fc.oneof(
    fc.double().filter((x) => Number.isFinite(x)).map((x) => JSON.stringify(x)),
    fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: (1n << 60n) - 1n }), fc.nat(18), fc.option(fc.integer({ min: -330, max: 330 }))).map(([neg, m, k, e]) => {
      const d = m.toString();
      const s = k > 0 && k < d.length ? `${d.slice(0, d.length - k)}.${d.slice(d.length - k)}` : d;
      return `${neg ? '-' : ''}${s}${e === null ? '' : `e${e}`}`;
    }),
  );
  fc.assert(fc.property(text, (t) => {
    const l = `{"c":1,"x":${t}}`;
    const builder = new PackedBuilder(schema);
    const want = JSON.parse(l).x as number;
    const b = Buffer.from(l);
    const ok = scanner.scan(b, 0, b.length, l, 0, 1, builder);
    if (!Number.isFinite(want)) return assert.equal(ok, false);
    assert.ok(ok, l);
    const [v] = unpacker.unpack(builder.take());
    assert.ok(v !== undefined && 'record' in v && Object.is(v.record.fields.x, want), `${t}: ${String(v && 'record' in v ? v.record.fields.x : v)} vs ${want}`);
  }), { seed: 20261202, numRuns: 2000 });
});


test('CSV fast path = object path: the weather file, generator CSV, hostile.csv, hostile-proto.csv', async () => {
  const items = await agree(readFileSync(join(ROOT, 'data', 'ne-weather.csv')), 'csv', weather, 'ne-weather.csv');
  assert.ok(items.length > 18000);
  await agree(Buffer.from(generatorCsv()), 'csv', GENERATOR_SCHEMA, 'generator CSV with quoted messages and broken rows');
  await agree(readFileSync(join(FIX, 'hostile.csv')), 'csv', hostile, 'hostile.csv');
  await agree(readFileSync(join(FIX, 'hostile-proto.csv')), 'csv', hostile, 'hostile-proto.csv');
});

/** Cells each path must read alike (the header: critical,cpu_load,net_bytes,source,user,timestamp,oracle_p,regime,event_id,extra). */
const CSV_ROWS = [
  '1,0.5,100,s,u,2026-01-01T00:00:00Z,0.5,A,e1,x',
  '1,  12 ,+5,s,u,,,,,',
  '1,.5,5.,s,u,1759795200,,,,',
  '1,-0,-0.0,-0,-0,-0,-0,-0,-0,',
  '0,1e400,1e3,s,u,,,,,',
  '1,0x1F,1,s,u,,,,,',
  '1,Infinity,1,s,u,,,,,',
  '1,123456789012345,1234567890123456,s,u,,,,,',
  '1,0.1234567890123456789,12345678901234567890,s,u,,,,,',
  '1,1.5.5,1,s,u,,,,,',
  '1,-,+,s,u,,,,,',
  '1,.,1,s,u,,,,,',
  ',1,1,s,u,,,,,',
  ' ,1,1,s,u,,,,,',
  'true,1,1,s,u,,,,,',
  ' TRUE ,1,1,s,u,,,,,',
  'no,1,1,s,u,,,,,',
  '1.0,1,1,s,u,,,,,',
  '1,1,1,"quoted, with comma","multi\nline",,,,,',
  '1,"2.5","3",s,"u ""q""",,,,,',
  '1,1,1,ünïcødé ✓,😀,,,,,',
  '1,1,1,s,u,not a time,,,,',
  '1,1,1,s,u,,1.5,,,',
  '1,1,1,s,u,,0.25,,,',
  '1,1,1,s,u,,"0.5",12.50,007,',
  '1,1,1,s,u,1759795200.5,,,,',
  '1,1,1,s,u,+1759795200,,,,',
  'too,few',
  '1,1,1,s,u,,,,,,extra',
  '',
  '1,1,1,s,u,,,,,\r',
];

test('CSV fast path = object path: hostile cells (empty, padded, odd numbers, quotes, CRLF, BOM, missing and extra columns)', async () => {
  const head = 'critical,cpu_load,net_bytes,source,user,timestamp,oracle_p,regime,event_id,extra';
  for (const [eol, bom] of [['\n', ''], ['\r\n', '\ufeff']] as const) {
    const items = await agree(Buffer.from(bom + head + eol + CSV_ROWS.join(eol) + eol), 'csv', hostile, `hostile cells, ${JSON.stringify(eol)}${bom ? ', BOM' : ''}`);
    assert.ok(items.some((v) => 'rejected' in v) && items.some((v) => 'record' in v));
  }
  // columns the schema reads missing from the header; a column in several roles
  const roles = parseSchema({ label: { field: 'critical', positive: [1] }, numeric: ['t'], categorical: ['event_id'], timestamp: 't', id: 'event_id' });
  await agree(Buffer.from('critical,t,event_id\n1,1759795200,5\n1,x,5.50\n0,12.5,-0\n1,,\n'), 'csv', roles, 'fields in several roles');
  await agree(Buffer.from('critical,other\n1,2\n,3\n'), 'csv', hostile, 'a header without the schema fields');
});

test('CSV plain decimals: the numbers validateRow takes from the cell (fast-check)', async () => {
  const cell = fc.oneof(
    fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{0,18}$/), fc.constantFrom('', '.'), fc.stringMatching(/^[0-9]{0,18}$/)).map(([s, a, d, b]) => s + a + d + b),
    fc.double().map(String),
    fc.string({ maxLength: 6 }),
  );
  const schema = parseSchema({ label: { field: 'c', positive: [1] }, numeric: ['x'], timestamp: 't', oracle: 'o' });
  await fc.assert(fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 20 }), async (rows) => {
    const q = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const bytes = Buffer.from('c,x,t,o\n' + rows.map(([x, t, o]) => `1,${q(x)},${q(t)},${q(o)}`).join('\n') + '\n');
    assertSame(await fastPath(bytes, 'csv', schema, 0), await objectPath(bytes, 'csv', schema, 0), 'random cells');
  }), { seed: 20261202, numRuns: 300 });
});

test('plainDecimal: Number() of the cell, or the cell (fast-check)', () => {
  const digits = fc.stringMatching(/^[0-9]{1,17}$/);
  const cell = fc.tuple(fc.constantFrom('', '-', '+'), digits, fc.nat(17)).map(([s, d, k]) => (k > 0 && k <= d.length ? `${s}${d.slice(0, d.length - k)}.${d.slice(d.length - k)}` : s + d));
  fc.assert(fc.property(cell, (c) => {
    const v = plainDecimal(c);
    if (typeof v === 'number') assert.ok(Object.is(v, Number(c)), `${c}: ${v} vs ${Number(c)}`);
    else assert.equal(v, c);
  }), { seed: 20261202, numRuns: 20000 });
  assert.equal(plainDecimal(' 1'), ' 1');
  assert.equal(plainDecimal('1e3'), '1e3');
  assert.ok(Object.is(plainDecimal('-0'), -0));
});

test('parseTime with its day cache: Date.parse of ISO times, days interleaved (fast-check)', () => {
  const pad = (v: number, n: number): string => String(v).padStart(n, '0');
  const iso = fc.tuple(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom('Z', '+02:00', '-0530', ''))
    .map(([y, mo, d, h, mi, sec, ms, z]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}.${pad(ms, 3)}${z}`);
  fc.assert(fc.property(fc.array(iso, { minLength: 1, maxLength: 8 }), (times) => {
    for (const t of [...times, ...times]) assert.equal(parseTime(t), Date.parse(t.length === 23 ? `${t}Z` : t), t);
  }), { seed: 20261202, numRuns: 500 });
  assert.equal(parseTime('0099-12-31T23:59:59Z'), Date.parse('0099-12-31T23:59:59Z'));
});
