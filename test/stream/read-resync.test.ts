// Issue 10 §2.2, §2.3, §2.10 (readers): one malformed element or stray quote must not swallow the rest of
// a file, deep nesting must not crash, and unusable inputs fail with one line naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { openSource, openSourceBatches, readStream, SourceError, type SourceFormat } from '../../src/stream/source';
import { preview, validateRow, type Validated } from '../../src/stream/validate';
import type { Schema } from '../../src/types';

const dir = mkdtempSync(join(tmpdir(), 'onthefly-resync-'));
const schema: Schema = { label: { field: 'critical', positive: [1] }, numeric: ['x'], categorical: ['kind'], timestamp: 'ts', oracle: 'p' };
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

async function collect(it: AsyncIterable<Validated>): Promise<Validated[]> {
  const out: Validated[] = [];
  for await (const v of it) out.push(v);
  return out;
}

const fromText = (text: string, format: SourceFormat) => collect(readStream(Readable.from([Buffer.from(text)]), format, schema));
const accepted = (r: Validated[]) => r.filter((v) => 'record' in v).length;
const rejects = (r: Validated[]) => r.flatMap((v) => ('rejected' in v ? [v.rejected] : []));
const lines = (r: Validated[]) => r.map((v) => ('record' in v ? v.record.line : v.rejected.line));

const N = 10_000;
const record = (i: number) => JSON.stringify({ critical: i % 2, x: i, kind: `k${i % 7}`, message: `event ${i}, fine` });

/** N records as a JSON array, one per line (`lines`) or all on one line, with record `bad` replaced. */
function jsonArray(bad: number, replace: (r: string) => string, oneLine: boolean): string {
  const recs = Array.from({ length: N }, (_, i) => (i === bad ? replace(record(i)) : record(i)));
  return oneLine ? `[${recs.join(',')}]` : `[\n  ${recs.join(',\n  ')}\n]\n`;
}

for (const oneLine of [false, true]) {
  const layout = oneLine ? 'on one line' : 'one per line';
  test(`JSON array (${layout}): a missing "}" costs one element, not the rest of the file`, async () => {
    const out = await fromText(jsonArray(5, (r) => r.slice(0, -1), oneLine), 'json');
    assert.equal(out.length, N, 'every element accounted for');
    assert.equal(accepted(out), N - 1);
    assert.deepEqual(rejects(out).map((r) => r.line), [6]);
    assert.match(rejects(out)[0].reason, /^malformed JSON: a new object where a key must come \(missing "\}"\?\)/);
    assert.deepEqual(lines(out), Array.from({ length: N }, (_, i) => i + 1));
  });

  test(`JSON array (${layout}): an unterminated string costs one element`, async () => {
    const out = await fromText(jsonArray(5, (r) => r.replace(', fine"', ', fine'), oneLine), 'json');
    assert.equal(out.length, N);
    assert.equal(accepted(out), N - 1);
    assert.deepEqual(rejects(out).map((r) => r.line), [6]);
    assert.match(rejects(out)[0].reason, /^malformed JSON: /);
  });

  test(`JSON array (${layout}): a stray "]" between elements is one reject and the array goes on`, async () => {
    const out = await fromText(jsonArray(5, (r) => `${r}, ]`, oneLine), 'json');
    assert.equal(accepted(out), N, 'no record lost');
    assert.equal(out.length, N + 1, 'the stray bracket is reported');
    assert.match(rejects(out)[0].reason, /^stray "\]": the array goes on after it \(\d+ bytes skipped\)$/);
  });

  test(`JSON array (${layout}): a stray "]" inside an element costs that element`, async () => {
    const out = await fromText(jsonArray(5, (r) => r.replace('"x"', ']"x"'), oneLine), 'json');
    assert.equal(out.length, N);
    assert.equal(accepted(out), N - 1);
    assert.match(rejects(out)[0].reason, /^malformed JSON: unexpected "\]" where a key must come .* bytes skipped to the next element$/);
  });
}

test('JSON array: garbage between elements is one reject that says how many bytes it skipped', async () => {
  const out = await fromText('[{"critical":1}, }}} not json ]] ,, {"critical":0}]', 'json');
  assert.deepEqual(lines(out), [1, 2, 3]);
  assert.equal(accepted(out), 2);
  assert.match(rejects(out)[0].reason, /^malformed JSON: unexpected "\}" where a value must come at character 1 of the element, 19 bytes skipped to the next element$/);
  const tail = await fromText('[{"critical":1}, {"critical": [1, 2}\n', 'json');
  assert.match(rejects(tail)[0].reason, /bytes skipped to the end of the input$/);
  const after = await fromText('[{"critical":1}]\nlots of trailing text', 'json');
  assert.equal(rejects(after)[0].reason, 'content after the closing ] (21 bytes)');
});

/** N CSV rows with a header; row `bad` (0-based) replaced. */
function csv(bad: number, replace: (r: string) => string): string {
  const rows = Array.from({ length: N }, (_, i) => {
    const r = `${i % 2},${i},k${i % 7},event ${i}`;
    return i === bad ? replace(r) : r;
  });
  return `critical,x,kind,message\n${rows.join('\n')}\n`;
}

test('CSV: a stray quote that never closes costs its line, not the rest of the file', async () => {
  const out = await fromText(csv(5, (r) => r.replace('event', '"event')), 'csv');
  assert.equal(out.length, N, 'every line accounted for');
  assert.equal(accepted(out), N - 1);
  const [r] = rejects(out);
  assert.equal(r.line, 7);
  assert.match(r.reason, /^unterminated quote: the quoted field opened on line 7 is still open after 65536 bytes \(line 7 rejected, reading again from line 8\)$/);
  assert.equal(r.raw, '1,5,k5,"event 5');
  assert.deepEqual(lines(out), Array.from({ length: N }, (_, i) => i + 2));
});

test('CSV: a stray quote closed by a later one costs one line, and so does one open at end of file', async () => {
  // closed by the next quoted field's opening quote
  const out = await fromText(csv(5, (r) => r.replace('event', '"event')).replace('event 9\n', '"event 9"\n'), 'csv');
  assert.equal(out.length, N);
  assert.equal(accepted(out), N - 1);
  assert.match(rejects(out)[0].reason, /^unterminated quote: the quote opened on line 7 seems to close on line 11, with text after it \(line 7 rejected, reading again from line 8\)$/);
  // closed by a quote before a comma: the span has too many fields
  const count = await fromText(csv(5, (r) => r.replace('event', '"event')).replace('event 9\n', '",event 9\n'), 'csv');
  assert.equal(count.length, N);
  assert.equal(accepted(count), N - 2, 'the line with the closing quote is broken too');
  assert.match(rejects(count)[0].reason, /^CSV row has 5 fields, the header has 4 \(a quote opened on line 7 closes on line 11: line 7 rejected, reading again from line 8\)$/);
  assert.equal(rejects(count)[1].line, 11);
  const end = await fromText(csv(N - 3, (r) => r.replace('event', '"event')), 'csv');
  assert.equal(end.length, N);
  assert.match(rejects(end)[0].reason, /still open at end of file/);
  // a well-formed multi-line field is one record
  const ok = await fromText('critical,x,kind,message\n1,2,k,"two\nlines, ""quoted"""\n0,3,k,m\n', 'csv');
  assert.equal(accepted(ok), 2);
  assert.equal(ok[0] && 'record' in ok[0] ? ok[0].record.line : 0, 2);
});

test('CSV: results do not depend on chunk boundaries when resynchronising', async () => {
  const text = csv(5, (r) => r.replace('event', '"event')).slice(0, 4000) + '\n' + csv(3, (r) => r.replace('k', '"k')).slice(24, 3000);
  const whole = await fromText(text, 'csv');
  for (const size of [1, 7, 64, 1000]) {
    const parts: Buffer[] = [];
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
    assert.deepEqual(await collect(readStream(Readable.from(parts), 'csv', schema, { maxRecordBytes: 200 })), await collect(readStream(Readable.from([buf]), 'csv', schema, { maxRecordBytes: 200 })), `chunk ${size}`);
  }
  assert.ok(whole.length > 100);
});

const deep = (d: number) => '['.repeat(d) + ']'.repeat(d);

test('deep nesting in a numeric, timestamp or oracle field is rejected, not a stack overflow (JSONL, JSON, parser thread)', async () => {
  const lines = [
    '{"critical":1,"x":1}',
    `{"critical":1,"x":${deep(30_000)}}`,
    `{"critical":1,"ts":${deep(30_000)}}`,
    `{"critical":1,"p":${deep(30_000)}}`,
    `{"critical":1,"kind":${deep(30_000)}}`,
    `{"critical":${deep(30_000)}}`,
    '{"critical":0,"x":2}',
  ];
  const jsonl = join(dir, 'deep.jsonl');
  writeFileSync(jsonl, lines.join('\n') + '\n');
  const json = join(dir, 'deep.json');
  writeFileSync(json, `[${lines.join(',\n')}]`);
  for (const [name, run] of [
    ['serial', () => collect(openSource(jsonl, schema))],
    ['json', () => collect(openSource(json, schema))],
    ['thread', async () => { const o: Validated[] = []; for await (const b of openSourceBatches(jsonl, schema, { parallel: true })) o.push(...b); return o; }],
  ] as Array<[string, () => Promise<Validated[]>]>) {
    const out = await run();
    assert.equal(out.length, 7, name);
    assert.equal(accepted(out), 2, name);
    const rs = rejects(out);
    assert.match(rs[0].reason, /^numeric field "x": not a number \(an array \[{37}\.\.\.\)$/, name);
    assert.match(rs[1].reason, /^timestamp "ts": not ISO 8601 or an epoch number \(\[\[\[.*\.\.\.\)$/, name);
    assert.match(rs[2].reason, /^oracle "p": not a probability in \[0, 1\] \(\[\[\[.*\.\.\.\)$/, name);
    for (const r of rs) assert.ok(r.raw.length <= 1000 && r.reason.length < 200, name);
  }
});

test('preview: bounded, non-recursive rendering of any value', () => {
  let v: unknown = 1;
  for (let i = 0; i < 200_000; i++) v = [v];
  assert.equal(preview(v, 10), '[[[[[[[...');
  let o: unknown = null;
  for (let i = 0; i < 200_000; i++) o = { a: o };
  assert.equal(preview(o, 20), '{"a":{"a":{"a":{"...');
  assert.equal(preview({ a: [1, 'x"y', null, true], b: {} }, 100), '{"a":[1,"x\\"y",null,true],"b":{}}');
  assert.equal(preview('a'.repeat(100), 10), '"aaaaaa...');
  assert.equal(preview(new Array(1e7).fill(0), 12), '[0,0,0,0,...');
  // the reject of an in-memory row (recordsFromEvents) renders it bounded too
  const r = validateRow(v, 1, schema);
  assert.ok('rejected' in r && r.rejected.raw.length === 1000 && r.rejected.raw.startsWith('[[[['));
});

test('unusable inputs: SourceError naming the file (duplicate/empty CSV header, not an array, binary, truncated gzip)', async () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['dup.csv', 'critical,x,x\n1,2,3\n', /dup\.csv: CSV header repeats column "x"$/],
    ['empty-col.csv', 'critical,,x\n1,2,3\n', /empty-col\.csv: CSV header: column 2 has no name$/],
    ['obj.json', '{"critical":1}', /obj\.json: expected a JSON array \(first character "\["\), found "\{"/],
    ['nul.csv', Buffer.alloc(4 << 20), /nul\.csv: binary data \(a NUL byte at byte 0\), not text$/],
    ['nul.jsonl', Buffer.concat([Buffer.from('{"critical":1}\n'), Buffer.alloc(100)]), /nul\.jsonl: binary data \(a NUL byte at byte 15\), not text$/],
    ['packed.json', gzipSync('[{"critical":1}]'), /packed\.json: gzip-compressed data \(name the file with a \.gz suffix\)$/],
    ['cut.jsonl.gz', gzipSync(Buffer.from(record(1).repeat(5000))).subarray(0, 500), /cut\.jsonl\.gz: not valid gzip data \(unexpected end of file: the file is truncated\)$/],
    ['cut.csv.gz', gzipSync('critical,x\n1,2\n').subarray(0, 20), /cut\.csv\.gz: not valid gzip data/],
    ['junk.json.gz', Buffer.from('not gzip at all'), /junk\.json\.gz: not valid gzip data \(incorrect header check\)/],
  ];
  for (const [name, body, re] of cases) {
    const file = join(dir, name);
    writeFileSync(file, body);
    await assert.rejects(collect(openSource(file, schema)), (e: unknown) => e instanceof SourceError && re.test((e as Error).message) && (e as Error).message.includes(file), name);
    if (name.includes('.jsonl')) {
      const drain = async () => { for await (const b of openSourceBatches(file, schema, { parallel: true })) void b; };
      await assert.rejects(drain(), (e: unknown) => e instanceof SourceError && re.test((e as Error).message), `${name} on the parser thread`);
    }
  }
});

test('a CSV header that never ends fails after the cap, without reading the rest', async () => {
  let pulled = 0;
  async function* endless() {
    for (let k = 0; k < 64; k++) { // 4 MB with no line break (the old reader read it all before failing)
      pulled++;
      yield Buffer.alloc(1 << 16, 'a');
    }
  }
  await assert.rejects(collect(readStream(endless(), 'csv', schema)), (e: unknown) => e instanceof SourceError && /CSV header over 65536 bytes/.test((e as Error).message));
  assert.ok(pulled <= 2, `${pulled} chunks read`);
});

test('CLI: a broken input is exit 1 with one line naming the file, no stack', () => {
  const file = join(dir, 'cli-dup.csv');
  writeFileSync(file, 'critical,x,x\n1,2,3\n');
  const schemaFile = join(dir, 'schema.json');
  writeFileSync(schemaFile, JSON.stringify(schema));
  for (const [input, re] of [[file, /CSV header repeats column "x"/], [join(dir, 'nul.csv'), /binary data/], [join(dir, 'cut.jsonl.gz'), /truncated/]] as Array<[string, RegExp]>) {
    const r = spawnSync(process.execPath, [CLI, 'run', '--input', input, '--schema', schemaFile], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.ok(r.stderr.includes(input) && !/\n\s+at /.test(r.stderr), r.stderr);
  }
});
