// Issue 10 §3: a fuzz test over the readers (fast-check). Random mutations of valid JSONL, JSON-array,
// CSV and gzip files, random bytes, deep nesting and huge numbers, asserting: no crash (only a
// SourceError with a one-line message), exact accounting where a reference splitter defines the count
// (JSONL always; unmutated files of every format; CSV and JSON arrays within one record of the truth
// after one local mutation), bounded output (reject texts within their caps), and identical results on
// the serial and the parser-thread paths.
// Fixed seeds keep CI deterministic; FUZZ_RUNS=100000 (cases per property) runs longer, FUZZ_SEED=n
// changes the seed. A failure prints the seed and fast-check's counterexample path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { openSource, openSourceBatches, SourceError, type SourceFormat } from '../../src/stream/source';
import type { Validated } from '../../src/stream/validate';
import type { Schema } from '../../src/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 0);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** Cases per property: the CI default, or FUZZ_RUNS. */
const runs = (ci: number) => (RUNS > 0 ? RUNS : ci);

const dir = mkdtempSync(join(tmpdir(), 'onthefly-fuzz-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const schema: Schema = { label: { field: 'critical', positive: [1, 'true'] }, numeric: ['x', 'y'], categorical: ['kind'], text: 'message', timestamp: 'ts', oracle: 'p' };
const CAP = 4096; // a small record cap, so over-cap records are common

let fileNo = 0;
function write(name: string, body: string | Uint8Array): string {
  const file = join(dir, `${fileNo++}-${name}`);
  writeFileSync(file, body);
  return file;
}

interface Outcome {
  items: Validated[];
  /** The SourceError message, when the input was unusable. */
  error: string | null;
}

/** Read a file completely; anything thrown but a SourceError with a one-line message fails the case. */
async function read(file: string, parallel?: boolean, cap = CAP): Promise<Outcome> {
  const items: Validated[] = [];
  try {
    if (parallel === undefined) {
      for await (const v of openSource(file, schema, { maxRecordBytes: cap })) items.push(v);
    } else {
      for await (const b of openSourceBatches(file, schema, { maxRecordBytes: cap, parallel })) for (const v of b) items.push(v);
    }
    return { items, error: null };
  } catch (err) {
    if (!(err instanceof SourceError)) throw new Error(`not a SourceError: ${(err as Error)?.stack ?? String(err)}`);
    assert.ok(err.message.length > 0 && !err.message.includes('\n'), `one-line message: ${JSON.stringify(err.message)}`);
    assert.ok(err.message.includes(file), `the message names the file: ${err.message}`);
    return { items, error: err.message };
  }
}

/** Every item well-formed: lines increasing, reject texts bounded. */
function wellFormed(items: Validated[], consecutive: boolean): void {
  let last = 0;
  for (const v of items) {
    const line = 'record' in v ? v.record.line : v.rejected.line;
    assert.ok(consecutive ? line === last + 1 : line > last, `line ${line} after ${last}`);
    last = line;
    if ('rejected' in v) {
      assert.equal(typeof v.rejected.reason, 'string');
      assert.ok(v.rejected.reason.length > 0 && v.rejected.reason.length <= 400, `reason of ${v.rejected.reason.length} characters`);
      assert.ok(v.rejected.raw.length <= 1000, `raw of ${v.rejected.raw.length} characters`);
    }
  }
}

const accepted = (o: Outcome) => o.items.filter((v) => 'record' in v).length;

// ---- valid records -------------------------------------------------------------------------------

const hugeNumber = fc.constantFrom(1e308, -1e308, 5e-324, -0, 123456789012345678901234567890, Number.MAX_SAFE_INTEGER + 2);
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('a, b', 'say "hi"', 'two\nlines', '{"nested": [1]}', ', {"critical":1}', '', ' ', 'ünï ✓', '\\', ']', '}'),
);
const recordArb = fc.record({
  critical: fc.constantFrom(0, 1, 'true', 'no'),
  x: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), hugeNumber, fc.constant(null)),
  y: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constant('12.5')),
  kind: fc.constantFrom('a', 'b', 'c,d', 'e"f'),
  message: text,
  ts: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.integer({ min: 0, max: 2e12 })),
  p: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null)),
});
type Rec = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;
const records = fc.array(recordArb, { minLength: 1, maxLength: 25 });

const COLS = ['critical', 'x', 'y', 'kind', 'message', 'ts', 'p'] as const;
const csvCell = (v: unknown): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A valid file of `recs` in a format, with the number of records a reference splitter counts. */
function encode(recs: Rec[], format: SourceFormat, onePerLine: boolean): string {
  if (format === 'jsonl') return recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
  if (format === 'json') return onePerLine ? `[\n  ${recs.map((r) => JSON.stringify(r)).join(',\n  ')}\n]\n` : `[${recs.map((r) => JSON.stringify(r)).join(',')}]`;
  return `${COLS.join(',')}\r\n${recs.map((r) => COLS.map((c) => csvCell(r[c])).join(',')).join('\r\n')}\r\n`;
}

/** JSONL's reference splitter: non-blank physical lines (the readers' rule: blanks are spaces, tabs, CR, BOM). */
function jsonlCount(bytes: Buffer): number {
  let n = 0;
  for (const line of bytes.toString('utf8').split('\n')) if (/[^ \t\r\ufeff]/.test(line)) n++;
  return n;
}

// ---- mutations -----------------------------------------------------------------------------------

const special = fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\n', '\r', '\\', ' ', '\u0001', 'é', '\ud83d\ude00', '""', ',{"', '\n\n');
type Edit = { at: number; del: number; ins: string };
const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 3 }), ins: fc.oneof(special, fc.string({ maxLength: 3 }), fc.constant('')) });

function apply(s: string, e: Edit, from = 0, to = s.length): string {
  const at = from + (to > from ? e.at % (to - from) : 0);
  return s.slice(0, at) + e.ins + s.slice(Math.min(s.length, at + e.del));
}

// ---- properties ----------------------------------------------------------------------------------

const formats: SourceFormat[] = ['jsonl', 'json', 'csv'];
const ext = { jsonl: 'jsonl', json: 'json', csv: 'csv' } as const;

function check(name: string, property: fc.IAsyncProperty<never> | fc.IAsyncPropertyWithHooks<never>, numRuns: number): void {
  test(`fuzz: ${name} (seed ${SEED}, ${numRuns} cases)`, async () => {
    await fc.assert(property, { seed: SEED, numRuns, endOnFailure: true });
  });
}

check('valid files of every format, plain and gzipped: every record accepted, exact count', fc.asyncProperty(records, fc.constantFrom(...formats), fc.boolean(), fc.boolean(), async (recs, format, onePerLine, gz) => {
  const body = encode(recs, format, onePerLine);
  const out = await read(write(`v.${ext[format]}${gz ? '.gz' : ''}`, gz ? gzipSync(body) : body));
  assert.equal(out.error, null);
  wellFormed(out.items, format === 'json');
  assert.equal(out.items.length, recs.length, 'records out = records in');
  // every generated record is valid and under the cap
  for (const v of out.items) assert.ok('record' in v, 'rejected' in v ? `line ${v.rejected.line} rejected: ${v.rejected.reason}` : '');
}) as never, runs(400));

check('mutated JSONL: no crash, exact count by the line splitter, same on the parser thread', fc.asyncProperty(records, fc.array(edit, { minLength: 1, maxLength: 6 }), fc.nat({ max: 9 }), async (recs, edits, pick) => {
  const thread = pick === 0; // one case in ten also on the parser thread (a thread costs ~50 ms to start)
  let body = encode(recs, 'jsonl', true);
  for (const e of edits) body = apply(body, e);
  const file = write('m.jsonl', body);
  const out = await read(file);
  if (out.error === null) {
    wellFormed(out.items, false);
    assert.equal(out.items.length, jsonlCount(Buffer.from(body)), 'accepted + rejected = non-blank lines');
  } else {
    assert.match(out.error, /binary data/);
  }
  if (thread) {
    const serial = await read(file, false);
    const threaded = await read(file, true);
    assert.deepEqual(threaded, serial, 'parser thread = serial');
    assert.deepEqual(serial.items, out.items);
  }
}) as never, runs(500));

check('one local mutation of a JSON array or CSV file: no crash, the count within one of the truth', fc.asyncProperty(records, fc.constantFrom<SourceFormat>('json', 'csv'), fc.boolean(), fc.nat(), edit, async (recs, format, onePerLine, which, e) => {
  // one record's own text is mutated: the reader may lose that record and split it in two, no more
  const parts = recs.map((r) => (format === 'csv' ? COLS.map((c) => csvCell(r[c])).join(',') : JSON.stringify(r)));
  const k = which % parts.length;
  parts[k] = apply(parts[k]!, e);
  const body = format === 'csv'
    ? `${COLS.join(',')}\r\n${parts.join('\r\n')}\r\n`
    : onePerLine ? `[\n  ${parts.join(',\n  ')}\n]\n` : `[${parts.join(',')}]`;
  const out = await read(write(`l.${ext[format]}`, body));
  if (out.error !== null) return; // e.g. a NUL-like control character made it binary: a clean error
  wellFormed(out.items, format === 'json');
  const n = recs.length;
  const inserted = format === 'csv' ? (e.ins.match(/\n/g) ?? []).length : 0; // a line break in an unquoted cell adds a line
  assert.ok(out.items.length >= n - 1 && out.items.length <= n + 1 + inserted, `${out.items.length} entries for ${n} records`);
  // every generated record is valid: only the mutated one may be lost
  assert.ok(accepted(out) >= n - 1, `${accepted(out)} of ${n} accepted`);
}) as never, runs(800));

check('many mutations of JSON arrays, CSV and gzip files, and random bytes: no crash, bounded output', fc.asyncProperty(
  fc.oneof(
    fc.record({ kind: fc.constant('mutated' as const), recs: records, format: fc.constantFrom(...formats), edits: fc.array(edit, { minLength: 1, maxLength: 12 }), gz: fc.boolean() }),
    fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 3000 }), format: fc.constantFrom(...formats), gz: fc.boolean() }),
    fc.record({ kind: fc.constant('gzcut' as const), recs: records, format: fc.constantFrom(...formats), cut: fc.nat(), flip: fc.option(fc.nat()) }),
  ),
  async (c) => {
    let body: Uint8Array;
    let gz = false;
    if (c.kind === 'mutated') {
      let s = encode(c.recs, c.format, true);
      for (const e of c.edits) s = apply(s, e);
      gz = c.gz;
      body = gz ? gzipSync(s) : Buffer.from(s);
    } else if (c.kind === 'bytes') {
      gz = c.gz;
      body = c.bytes;
    } else {
      gz = true;
      const z = Buffer.from(gzipSync(encode(c.recs, c.format, true)));
      if (c.flip !== null) z[c.flip % z.length] ^= 0x5a;
      body = z.subarray(0, Math.max(1, c.cut % (z.length + 1)));
    }
    const out = await read(write(`x.${ext[c.format]}${gz ? '.gz' : ''}`, body));
    wellFormed(out.items, c.format === 'json');
    if (c.format === 'jsonl' && out.error === null && !gz) assert.equal(out.items.length, jsonlCount(Buffer.from(body)));
  },
) as never, runs(1200));

check('deep nesting and huge numbers in every field and format: rejected, never a stack overflow', fc.asyncProperty(
  fc.constantFrom(...formats), fc.constantFrom('x', 'ts', 'p', 'kind', 'critical', 'message'), fc.oneof(fc.integer({ min: 1, max: 64 }), fc.noBias(fc.integer({ min: 5_000, max: 40_000 }))), fc.constantFrom('[', '{"a":'), fc.nat({ max: 9 }), fc.boolean(),
  async (format, field, depth, open, pick, numbers) => {
    const thread = pick === 0;
    const close = open === '[' ? ']' : '}';
    const value = numbers ? ['1e400', '-1e400', '1'.repeat(400), '0.' + '0'.repeat(400) + '1', '123456789012345678901234567890'][depth % 5]! : open.repeat(depth) + (depth % 2 ? '1' : '[]') + close.repeat(depth);
    const good = '{"critical":1,"x":1}';
    const bad = `{"critical":1,${JSON.stringify(field)}:${value}}`;
    const body = format === 'jsonl' ? `${good}\n${bad}\n${good}\n` : format === 'json' ? `[${good},\n${bad},\n${good}]` : `critical,${field === 'critical' ? 'x' : field}\n1,1\n1,"${value.replace(/"/g, '""')}"\n1,1\n`;
    const file = write(`d.${ext[format]}`, body);
    const BIG = 1 << 20; // the nested value must reach validation, not be cut by the record cap
    const out = await read(file, undefined, BIG);
    assert.equal(out.error, null);
    wellFormed(out.items, format === 'json');
    assert.equal(out.items.length, 3);
    assert.ok('record' in out.items[0]! && 'record' in out.items[2]!, 'the records around it are read');
    if (thread && format === 'jsonl') assert.deepEqual(await read(file, true, BIG), await read(file, false, BIG));
  },
) as never, runs(200));

// ---- bounded memory ------------------------------------------------------------------------------

test('bounded memory: 32 MB without a record end in every format retains nothing beyond the cap', async () => {
  const { readStream } = await import('../../src/stream/source');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const chunk = 1 << 16;
  const total = 32 << 20;
  const starts: Array<[SourceFormat, string, string]> = [
    ['jsonl', '{"critical":1,"message":"', 'a'], // one endless line
    ['json', '[{"critical":1,"message":"', 'a'], // one endless element (over the cap: not buffered)
    ['json', '[{"critical":1,"message":"x\n', 'a'], // broken at once: skipping, not buffered
    ['csv', 'critical,message\n1,"', `${'a'.repeat(999)}\n`], // an open quote over endless lines: held up to the cap, re-read
    ['csv', 'critical,message\n1,', 'a'], // one endless unquoted cell
  ];
  for (const [format, head, fill] of starts) {
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    async function* endless() {
      yield Buffer.from(head);
      const buf = Buffer.alloc(chunk, fill);
      for (let sent = 0; sent < total; sent += chunk) {
        if (sent % (4 << 20) === 0) {
          gc(); // what is still reachable: the reader's buffers
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
        yield buf;
      }
    }
    let n = 0;
    for await (const v of readStream(endless(), format, schema)) if (v) n++;
    assert.ok(n >= 1, `${format}: the over-long record is reported`);
    assert.ok(peak < 4 << 20, `${format} ${JSON.stringify(head)}: ${(peak / 1048576).toFixed(1)} MB retained while reading ${total >> 20} MB`);
  }
});
