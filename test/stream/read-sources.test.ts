import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { loadSchema, parseSchema } from '../../src/stream/schema';
import { formatOf, openSource, readStream, SourceError, type SourceFormat } from '../../src/stream/source';
import type { Validated } from '../../src/stream/validate';

const ROOT = join(__dirname, '..', '..', '..');
const SEED = join(ROOT, 'data', 'seed-streams_1k.json');
const dir = mkdtempSync(join(tmpdir(), 'otf-read-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const schema = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['x'], categorical: ['s'] });

async function collect(it: AsyncIterable<Validated>): Promise<Validated[]> {
  const out: Validated[] = [];
  for await (const v of it) out.push(v);
  return out;
}
const fromText = (text: string | Buffer, format: SourceFormat, opts = {}) => collect(readStream(Readable.from([Buffer.from(text)]), format, schema, opts));
const summary = (vs: Validated[]) => vs.map((v) => ('record' in v ? `${v.record.line}:ok` : `${v.rejected.line}:${v.rejected.reason}`));

test("the paper's seed-streams_1k.json runs with schemas/seed-streams.json", async () => {
  const seedSchema = loadSchema(join(ROOT, 'schemas', 'seed-streams.json'));
  const out = await collect(openSource(SEED, seedSchema));
  assert.equal(out.length, 1000);
  const recs = out.map((v) => {
    assert.ok('record' in v, JSON.stringify(v));
    return v.record;
  });
  assert.deepEqual(recs.map((r) => r.line), Array.from({ length: 1000 }, (_, i) => i + 1));
  assert.equal(recs[0].id, 'evt-00000');
  assert.equal(recs[0].time, Date.UTC(2025, 9, 7, 12, 0, 0));
  assert.equal(recs[0].label, 0, 'severity 2 is not critical');
  const pos = recs.filter((r) => r.label === 1).length;
  assert.ok(pos > 100 && pos < 400, `severity 4/5 share: ${pos}`);
  assert.ok(recs.every((r) => typeof r.fields.cpu_load === 'number' && typeof r.fields.incident_type === 'string'));
  assert.ok(recs.every((r) => r.oracle === null && r.regime === null));
  assert.equal('severity' in recs[0].fields, false, 'the label field never reaches the features');
});

test('record cap: exactly max bytes accepted (CRLF not counted), max+1 rejected, multibyte counted in bytes', async () => {
  const max = 100;
  const line = (n: number, ch = 'a') => {
    const base = '{"y":1,"s":""}';
    const pad = ch.repeat(Math.floor((n - base.length) / Buffer.byteLength(ch)));
    return `{"y":1,"s":"${pad}"}`;
  };
  const exact = line(100);
  assert.equal(Buffer.byteLength(exact), 100);
  const over = line(101);
  assert.equal(Buffer.byteLength(over), 101);
  const multi = line(102, 'é'); // 2 bytes each
  assert.ok(Buffer.byteLength(multi) > 100 && multi.length <= 100);
  const text = [exact, over, multi, exact].join('\r\n') + '\r\n';
  const out = await fromText(text, 'jsonl', { maxRecordBytes: max });
  assert.deepEqual(summary(out), ['1:ok', '2:record over 100 bytes (101 bytes)', `3:record over 100 bytes (${Buffer.byteLength(multi)} bytes)`, '4:ok']);
  // a huge line is never buffered whole and the next line still parses
  const huge = `{"y":1,"s":"${'z'.repeat(5_000_000)}"}`;
  const out2 = await collect(readStream(Readable.from([Buffer.from(huge.slice(0, 100)), Buffer.from(huge.slice(100) + '\n' + exact)]), 'jsonl', schema, { maxRecordBytes: max }));
  assert.deepEqual(summary(out2), [`1:record over 100 bytes (${huge.length} bytes)`, '2:ok']);
  assert.ok('rejected' in out2[0] && out2[0].rejected.raw.length === 1000);
  // same caps for CSV and JSON arrays
  const csv = `y,s\n1,${'a'.repeat(96)}\n1,${'a'.repeat(200)}\n0,b\n`;
  assert.deepEqual(summary(await fromText(csv, 'csv', { maxRecordBytes: 100 })), ['2:ok', '3:record over 100 bytes (about 202 characters)', '4:ok']);
  const arr = `[${exact}, ${over}, ${line(400)}, ${line(5000)}, {"y":0}]`;
  assert.deepEqual(summary(await fromText(arr, 'json', { maxRecordBytes: 100 })), ['1:ok', '2:record over 100 bytes (101 bytes)', '3:record over 100 bytes (400 bytes)', '4:record over 100 bytes (about 5000 characters)', '5:ok']);
});

test('blank lines count nothing but advance line numbers; last line without newline', async () => {
  const out = await fromText('\n{"y":1}\n   \n\t\n{"y":0}', 'jsonl');
  assert.deepEqual(summary(out), ['2:ok', '5:ok']);
  assert.deepEqual(await fromText('', 'jsonl'), []);
  assert.deepEqual(await fromText('', 'csv'), []);
  assert.deepEqual(await fromText('', 'json'), []);
  assert.deepEqual(await fromText('[]', 'json'), []);
  assert.deepEqual(summary(await fromText('[{"y":1},]', 'json')), ['1:ok'], 'trailing comma tolerated');
  assert.deepEqual(summary(await fromText('[{"y":1}', 'json')), ['1:ok'], 'missing ] tolerated');
  assert.deepEqual(summary(await fromText('[{"y":1},{"y":', 'json')), ['1:ok', '2:truncated: end of file inside an array element']);
  assert.deepEqual(summary(await fromText('y,x\n\n1,2\n\n', 'csv')), ['3:ok']);
});

test('CSV details: header only, quoted header, LF/CRLF mix, quoted empty vs empty', async () => {
  assert.deepEqual(await fromText('y,x\r\n', 'csv'), []);
  const out = await fromText('"y"," x "\n1,""\r\n0,\n"1","2"', 'csv');
  assert.deepEqual(summary(out), ['2:ok', '3:ok', '4:ok']);
  assert.ok('record' in out[0] && out[0].record.fields.x === null);
  assert.ok('record' in out[2] && out[2].record.fields.x === 2 && out[2].record.label === 1);
  await assert.rejects(fromText('y,y\n1,2\n', 'csv'), /repeats column "y"/);
  await assert.rejects(fromText('y,,x\n1,2,3\n', 'csv'), /column 2 has no name/);
});

test('format by extension; errors for unknown formats, missing files, non-array .json', async () => {
  assert.deepEqual(formatOf('a.JSONL'), { format: 'jsonl', gzip: false });
  assert.deepEqual(formatOf('a.ndjson.gz'), { format: 'jsonl', gzip: true });
  assert.deepEqual(formatOf('a.json'), { format: 'json', gzip: false });
  assert.deepEqual(formatOf('a.csv'), { format: 'csv', gzip: false });
  assert.deepEqual(formatOf('-'), { format: 'jsonl', gzip: false });
  assert.equal(formatOf('a.txt'), null);
  assert.throws(() => openSource(join(dir, 'x.txt'), schema), (e: unknown) => e instanceof SourceError && /unknown input format/.test((e as Error).message));
  assert.throws(() => openSource(join(dir, 'missing.jsonl'), schema), /cannot read input .*missing\.jsonl: ENOENT/);
  assert.throws(() => openSource(dir + '/', schema), SourceError);
  writeFileSync(join(dir, 'obj.json'), '{"y": 1}\n{"y": 0}\n');
  await assert.rejects(collect(openSource(join(dir, 'obj.json'), schema)), /expected a JSON array .* should be named \.jsonl/);
});

test('gzip files are read transparently', async () => {
  writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync('{"y":1,"x":2}\n{"y":0}\nnot json\n'));
  writeFileSync(join(dir, 'a.csv.gz'), gzipSync('y,x\n1,2\n'));
  assert.deepEqual(summary(await collect(openSource(join(dir, 'a.jsonl.gz'), schema))).map((s) => s.slice(0, 20)), ['1:ok', '2:ok', '3:malformed JSON: Un']);
  assert.deepEqual(summary(await collect(openSource(join(dir, 'a.csv.gz'), schema))), ['2:ok']);
});

test("'-' reads JSON Lines from stdin", () => {
  const src = join(__dirname, '..', '..', 'src', 'stream', 'source.js');
  const code = `const { openSource } = require(${JSON.stringify(src)});
    (async () => { const out = []; for await (const v of openSource('-', ${JSON.stringify(schema)})) out.push('record' in v ? v.record.line + ':' + v.record.label : v.rejected.line + ':rej');
    process.stdout.write(out.join(',')); })();`;
  const r = spawnSync(process.execPath, ['-e', code], { input: '{"y":1}\r\n\r\n{"y":0}\n[1]\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '1:1,3:0,4:rej');
});
