import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadSchema } from '../../src/stream/schema';
import { openSource, readStream, type SourceFormat } from '../../src/stream/source';
import type { Validated } from '../../src/stream/validate';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const schema = loadSchema(join(FIX, 'hostile-schema.json'));

async function collect(it: AsyncIterable<Validated>): Promise<Validated[]> {
  const out: Validated[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** line → 'ok' or a regexp the reject reason must match. */
type Expect = Record<number, 'ok' | RegExp>;

function check(results: Validated[], expected: Expect, contentRecords: number) {
  assert.equal(results.length, contentRecords, 'accepted + rejected = records with content');
  const lines = results.map((r) => ('record' in r ? r.record.line : r.rejected.line));
  assert.deepEqual(lines, Object.keys(expected).map(Number), 'line numbers, in order');
  for (const r of results) {
    if ('record' in r) {
      assert.equal(expected[r.record.line], 'ok', `line ${r.record.line} was accepted`);
    } else {
      const e = expected[r.rejected.line];
      assert.ok(e instanceof RegExp, `line ${r.rejected.line} was rejected: ${r.rejected.reason}`);
      assert.match(r.rejected.reason, e, `line ${r.rejected.line}`);
      assert.ok(r.rejected.raw.length <= 1000, 'raw is truncated');
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype stays clean');
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
}

function byLine(results: Validated[]) {
  const m = new Map<number, Validated>();
  for (const r of results) m.set('record' in r ? r.record.line : r.rejected.line, r);
  return (line: number) => {
    const r = m.get(line);
    assert.ok(r && 'record' in r, `line ${line} accepted`);
    return r.record;
  };
}

const JSONL: Expect = {
  1: 'ok', 2: 'ok',
  4: /^malformed JSON: /,
  5: /^not a JSON object \(got an array\)$/,
  6: /^not a JSON object \(got a number\)$/,
  7: /^not a JSON object \(got null\)$/,
  8: /^not a JSON object \(got a string\)$/,
  9: /^numeric field "cpu_load": not a finite number \("abc"\)$/,
  10: /^numeric field "cpu_load": not a finite number \("NaN"\)$/,
  11: /^numeric field "net_bytes": not a finite number \("Infinity"\)$/,
  12: /^numeric field "net_bytes": not a finite number \(Infinity\)$/,
  13: /^missing label "critical"$/,
  14: /^missing label "critical"$/,
  15: 'ok', 16: 'ok',
  17: /^categorical field "source": an object is not allowed$/,
  18: /^numeric field "cpu_load": not a number \(a boolean true\)$/,
  19: /^record over 65536 bytes \(\d+ bytes\)$/,
  20: /^forbidden key "__proto__"$/,
  21: /^forbidden key "constructor"$/,
  22: /^timestamp "timestamp": not ISO 8601 or an epoch number \("yesterday"\)$/,
  23: 'ok', 24: 'ok',
  25: /^oracle "oracle_p": not a probability in \[0, 1\] \(1\.5\)$/,
  26: 'ok', 28: 'ok',
  29: /^label "critical" is not a scalar \(an array\)$/,
  30: /^forbidden key "prototype"$/,
  31: 'ok',
};

test('hostile JSONL: exact accounting, every reject explained, repairs applied, no pollution', async () => {
  const results = await collect(openSource(join(FIX, 'hostile.jsonl'), schema));
  check(results, JSONL, 29); // 31 physical lines, 2 blank
  assert.equal(results.filter((r) => 'record' in r).length, 9);
  const rec = byLine(results);
  assert.equal(rec(1).id, 'ok-1');
  assert.equal(rec(1).label, 1);
  assert.equal(rec(1).time, Date.UTC(2026, 0, 1));
  assert.equal(rec(1).oracle, 0.9);
  assert.equal(rec(1).regime, 'A');
  assert.equal(rec(2).label, 0);
  assert.equal(rec(2).fields.cpu_load, 0.25, 'numeric string repaired');
  assert.equal(rec(2).fields.net_bytes, 42, 'padded numeric string repaired');
  assert.equal(rec(2).oracle, 0.1);
  assert.equal(rec(15).label, 1, 'true is positive');
  assert.equal(rec(15).fields.incident_type, 'never_seen_before', 'unknown category accepted');
  assert.equal(rec(16).label, 1, '"TRUE" matches "true" case-insensitively');
  assert.equal(rec(23).time, 1767225600000, 'epoch ms');
  assert.equal(rec(24).id, 'line-24');
  assert.equal(rec(24).time, 24, 'missing timestamp repaired to the line number');
  assert.equal(rec(24).fields.cpu_load, null, 'missing numeric = null');
  assert.equal(rec(24).oracle, null);
  assert.equal(rec(24).regime, null);
  assert.equal(rec(26).fields.cpu_load, null);
  assert.equal(rec(26).fields.net_bytes, null, 'empty string = missing');
  assert.equal(rec(28).label, 0, 'a value outside the positive list is negative');
  assert.equal(rec(31).id, 'ünïcödé-✓');
  assert.equal(rec(31).fields.user, 'зоя');
  // only named fields are copied; label and oracle never reach the features
  assert.deepEqual(Object.keys(rec(1).fields).sort(), ['cpu_load', 'incident_type', 'message', 'net_bytes', 'source', 'user']);
  assert.equal((rec(1).fields as Record<string, unknown>).toString, undefined, 'fields inherit nothing');
  assert.equal('constructor' in rec(1).fields, false);
});

const CSV: Expect = {
  2: 'ok', 3: 'ok',
  6: /^CSV row has 4 fields, the header has 11$/,
  7: /^CSV row has 12 fields, the header has 11$/,
  8: /^numeric field "cpu_load": not a finite number \("abc"\)$/,
  9: /^numeric field "cpu_load": not a finite number \("NaN"\)$/,
  10: /^numeric field "net_bytes": not a finite number \("Infinity"\)$/,
  11: /^missing label "critical" \(empty string\)$/,
  12: 'ok',
  13: /^record over 65536 bytes/,
  14: /^timestamp "timestamp": not ISO 8601 or an epoch number \("not a time"\)$/,
  15: 'ok', 16: 'ok',
  17: /^oracle "oracle_p": not a probability in \[0, 1\] \("2"\)$/,
  18: /^unterminated quote: the quoted field opened on line 18 is still open at end of file \(line 18 rejected, reading again from line 19\)$/,
  19: /^CSV row has 3 fields, the header has 11$/,
};

test('hostile CSV: BOM, CRLF, quoted commas/newlines/quotes, exact accounting', async () => {
  const results = await collect(openSource(join(FIX, 'hostile.csv'), schema));
  // 16 data records: lines 3-4 are one quoted record, line 5 is blank; the quote opened on 18 never
  // closes, so only line 18 is rejected and line 19 is read as a record of its own (it used to be
  // swallowed into line 18's reject: one stray quote hid every later line)
  check(results, CSV, 16);
  const rec = byLine(results);
  assert.equal(rec(2).id, 'ok-1');
  assert.equal(rec(2).label, 1);
  assert.equal(rec(2).fields.cpu_load, 0.5);
  assert.equal(rec(2).fields.message, 'hello', 'no \\r left from CRLF');
  assert.equal(rec(3).fields.incident_type, 'login, failure');
  assert.equal(rec(3).fields.source, 'srv "01"');
  assert.equal(rec(3).fields.message, 'two\r\nlines, with "quotes"');
  assert.equal(rec(3).time, Date.UTC(2026, 0, 1, 0, 0, 1), 'space-separated ISO, UTC');
  assert.equal(rec(3).label, 0);
  assert.equal(rec(12).label, 1);
  assert.equal(rec(12).fields.source, 'srv-99');
  assert.equal(rec(15).fields.cpu_load, null);
  assert.equal(rec(15).fields.net_bytes, null);
  assert.equal(rec(15).oracle, null);
  assert.equal(rec(15).regime, null);
  assert.equal(rec(16).id, 'quoted-label');
  assert.equal(rec(16).fields.cpu_load, 7);
  assert.equal(rec(16).time, 1767225600000);
  assert.equal(rec(16).regime, 'B');
});

test('CSV header with __proto__/constructor columns: every row rejected, nothing polluted', async () => {
  const results = await collect(openSource(join(FIX, 'hostile-proto.csv'), schema));
  check(results, { 2: /^forbidden key "__proto__"$/, 3: /^forbidden key "__proto__"$/ }, 2);
});

const JSON_ARRAY: Expect = {
  1: 'ok',
  2: /^not a JSON object \(got a number\)$/,
  3: /^not a JSON object \(got a string\)$/,
  4: /^not a JSON object \(got null\)$/,
  5: /^not a JSON object \(got an array\)$/,
  6: /^malformed JSON: /,
  7: /^forbidden key "__proto__"$/,
  8: /^record over 65536 bytes/,
  9: 'ok',
  10: /^numeric field "cpu_load": not a finite number \("NaN"\)$/,
  11: /^malformed JSON: empty array element$/,
  12: 'ok',
  13: /^content after the closing \] \(\d+ bytes\)$/,
};

test('hostile JSON array: element-wise accounting, brackets inside strings, trailing garbage', async () => {
  const results = await collect(openSource(join(FIX, 'hostile.json'), schema));
  check(results, JSON_ARRAY, 13);
  const rec = byLine(results);
  assert.equal(rec(9).fields.message, 'a ] b } c [ d { "quoted" \\ ,');
  assert.equal(rec(12).label, 0);
});

function chunked(buf: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

for (const [file, format] of [['hostile.jsonl', 'jsonl'], ['hostile.csv', 'csv'], ['hostile.json', 'json']] as Array<[string, SourceFormat]>) {
  test(`${file}: the same results whatever the chunk boundaries`, async () => {
    const whole = await collect(openSource(join(FIX, file), schema));
    const buf = readFileSync(join(FIX, file));
    for (const size of [1, 2, 3, 17, 4096]) {
      const parts = await collect(readStream(chunked(buf, size), format, schema));
      assert.deepEqual(parts, whole, `chunk size ${size}`);
    }
  });
}
