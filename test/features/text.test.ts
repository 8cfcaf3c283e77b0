import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureSpace } from '../../src/features/feature-space';
import { fnv1a } from '../../src/features/hash';
import { encodeText, MAX_TEXT_TOKENS, mix32, termHash, textTerms, tokenize, TEXT_NON_ZERO_WIDTH } from '../../src/features/text';
import { parseSchema, SchemaError } from '../../src/stream/schema';
import { openSourceBatches } from '../../src/stream/source';
import { validateRow, type Validated } from '../../src/stream/validate';
import type { Row } from '../../src/types';

const SCHEMA = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['x'], text: ['msg', 'detail'], textBuckets: 64 });

test('tokenize: dedup masks first, then split on non-alphanumerics, lower-cased words, placeholders kept', () => {
  assert.deepEqual(tokenize('ERROR: Disk /var/log at 91% on 10.0.0.7, user17 id=0x1F3a deadbeef 3f2a9c1b Été'), [
    'error', 'disk', '<PATH>', 'at', '<NUM>', 'on', '<IP>', 'user17', 'id', '<HEX>', 'deadbeef', '<HEX>', 'été',
  ]);
  assert.deepEqual(tokenize('srv-03 failed_logins=5 fe80::1 2026-12-01T10:00:00Z'), ['srv', '<NUM>', 'failed', 'logins', '<NUM>', '<IP>', '<TS>']);
  assert.deepEqual(tokenize(''), []);
  assert.deepEqual(tokenize(' ,;: '), []);
  assert.equal(tokenize(Array.from({ length: 200 }, (_, i) => `w${i}x`).join(' ')).length, MAX_TEXT_TOKENS);
  assert.deepEqual(textTerms('Login failed for root'), ['login', 'failed', 'for', 'root', 'login failed', 'failed for', 'for root']);
});

test('hash values are pinned: the same columns and signs in every run and on every platform', () => {
  assert.equal(mix32(0), 0);
  assert.equal(mix32(1), 0x514e28b7);
  assert.equal(fnv1a('error'), 563185489);
  assert.deepEqual(termHash('error', 4096), { bucket: 3215, sign: -1 });
  assert.deepEqual(termHash('login failed', 4096), { bucket: 1659, sign: -1 });
  assert.deepEqual(termHash('<NUM>', 4096), { bucket: 367, sign: 1 });
  assert.deepEqual(termHash('kernel panic', 4096), { bucket: 1048, sign: -1 });
  const e = encodeText('error error disk', 16);
  assert.deepEqual([...e.cols], [4, 5, 8, 15]);
  const r = 1 / Math.sqrt(7); // counts ±1, ±1, ∓1, −2 → norm √7
  assert.deepEqual([...e.values], [r, r, -r, -2 * r]);
});

test('encodeText: ascending distinct columns, unit l2 norm, empty text sets nothing', () => {
  for (const t of ['a b c d e f g h', 'kernel: Out of memory: Kill process 4242 (java) score 917', 'x']) {
    const { cols, values } = encodeText(t, 32);
    for (let i = 1; i < cols.length; i++) assert.ok(cols[i]! > cols[i - 1]!);
    const norm = Math.hypot(...values);
    assert.ok(Math.abs(norm - 1) < 1e-12 || norm === 0, `${t}: ${norm}`);
    assert.ok(cols.length <= TEXT_NON_ZERO_WIDTH);
  }
  assert.equal(encodeText('', 32).cols.length, 0);
});

test('FeatureSpace: text blocks after the hashed ones, the sparse index matches the dense rows', () => {
  const fs = new FeatureSpace(SCHEMA);
  assert.equal(fs.dim, 2 + 2 * 64);
  assert.equal(fs.nonZeroWidth, 1 + 2 * TEXT_NON_ZERO_WIDTH);
  assert.equal(fs.columnNames()[2], 'msg~0');
  assert.equal(fs.columnNames()[2 + 64], 'detail~0');
  const rows: Row[] = [
    { x: 1, msg: 'disk full on /dev/sda1', detail: null },
    { x: null, msg: null, detail: 'Login failed for root from 10.1.2.3' },
    { x: 2, msg: 'a a a', detail: 'b' },
  ];
  fs.update(rows);
  const nz = new Int32Array(rows.length * fs.nonZeroWidth);
  const X = fs.encodeMany(rows, undefined, undefined, nz);
  for (let i = 0; i < rows.length; i++) {
    const listed = [...nz.subarray(i * fs.nonZeroWidth, (i + 1) * fs.nonZeroWidth)].filter((c) => c >= 0);
    for (let j = 1; j < listed.length; j++) assert.ok(listed[j]! > listed[j - 1]!, 'ascending, distinct');
    for (let c = 0; c < fs.dim; c++) if (X[i * fs.dim + c] !== 0) assert.ok(listed.includes(c), `row ${i} col ${c} not listed`);
  }
  const msg = encodeText('disk full on /dev/sda1', 64);
  for (let j = 0; j < msg.cols.length; j++) assert.equal(X[2 + msg.cols[j]!], msg.values[j]);
  // "a a a": three +/- same bucket, plus two bigrams "a a"
  const one = fs.encodeMany([{ x: 0, msg: 'a a a', detail: null }]);
  assert.ok(Math.abs(Math.hypot(...one.subarray(2, 66)) - 1) < 1e-12);
});

test('schema: "text" as a list declares text features; its first field is the near-dup text field', () => {
  assert.deepEqual(SCHEMA.textFeatures, ['msg', 'detail']);
  assert.equal(SCHEMA.text, 'msg');
  assert.equal(SCHEMA.textBuckets, 64);
  assert.deepEqual(parseSchema(SCHEMA), SCHEMA, 'a parsed schema parses to itself');
  const only = parseSchema({ label: { field: 'y', positive: [1] }, text: ['m'] });
  assert.equal(new FeatureSpace(only).dim, 4096);
  assert.equal(parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['x'], text: 'm' }).textFeatures, undefined);
  assert.throws(() => parseSchema({ label: { field: 'y', positive: [1] }, categorical: ['m'], text: ['m'] }), /field "m" is both categorical and text/);
  assert.throws(() => parseSchema({ label: { field: 'y', positive: [1] }, text: ['m'], textBuckets: 0 }), SchemaError);
  assert.throws(() => parseSchema({ label: { field: 'y', positive: [1] }, text: ['m', 'm'] }), /lists "m" twice/);
  // validation keeps the text fields (numbers repaired to strings, objects rejected)
  const v = validateRow({ y: 1, x: 1, msg: 'hello', detail: 42 }, 1, SCHEMA) as { record: { fields: Row } };
  assert.equal(v.record.fields.msg, 'hello');
  assert.equal(v.record.fields.detail, '42');
  const bad = validateRow({ y: 1, detail: { a: 1 } }, 1, SCHEMA) as { rejected: { reason: string } };
  assert.match(bad.rejected.reason, /text field "detail"/);
});

const MESSAGES = Array.from({ length: 3000 }, (_, i) => ({
  y: i % 3 === 0 ? 1 : 0, x: i,
  msg: `job ${i} on node-${i % 17} ${['failed', 'ok', 'timeout', 'Kernel PANIC'][i % 4]} at 0x${(i * 2654435761 >>> 0).toString(16)}`,
  detail: i % 5 === 0 ? null : `user u${i % 11} from 10.0.${i % 7}.${i % 250}`,
}));

function encodeAll(items: Validated[]): number[] {
  const fs = new FeatureSpace(SCHEMA);
  const rows = items.filter((v): v is { record: NonNullable<Extract<Validated, { record: unknown }>['record']> } => 'record' in v).map((v) => v.record.fields);
  const nz = new Int32Array(rows.length * fs.nonZeroWidth);
  const X = fs.encodeMany(rows, undefined, undefined, nz);
  // text blocks only (numeric columns depend on the statistics, not on hashing)
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) for (let c = 2; c < fs.dim; c++) if (X[i * fs.dim + c] !== 0) out.push(i, c, X[i * fs.dim + c]!);
  return out;
}

test('text columns are the same on the parser thread, in the main thread and in a child process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-text-'));
  const file = join(dir, 'm.jsonl');
  writeFileSync(file, MESSAGES.map((m) => JSON.stringify(m)).join('\n') + '\n');
  const read = async (parallel: boolean): Promise<Validated[]> => {
    const items: Validated[] = [];
    for await (const b of openSourceBatches(file, SCHEMA, { parallel })) for (const v of b) items.push(v);
    return items;
  };
  const serial = encodeAll(await read(false));
  const threaded = encodeAll(await read(true));
  assert.ok(serial.length > 3000 * 3 * 5);
  assert.deepEqual(threaded, serial);
  const script = `
    const { FeatureSpace } = require(${JSON.stringify(require.resolve('../../src/features/feature-space'))});
    const rows = ${JSON.stringify(MESSAGES.slice(0, 500))};
    const fs = new FeatureSpace(${JSON.stringify(SCHEMA)});
    process.stdout.write(JSON.stringify(Array.from(fs.encodeMany(rows))));`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(child.status, 0, child.stderr);
  const here = Array.from(new FeatureSpace(SCHEMA).encodeMany(MESSAGES.slice(0, 500)));
  assert.deepEqual(JSON.parse(child.stdout), here);
});

test('the scanner and the sorted accumulation equal the plain definitions (regex split, string bigrams, a Map of sums)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { maskTemplate } = require('../../src/dedup/template-mask') as typeof import('../../src/dedup/template-mask');
  const refTokens = (t: string): string[] =>
    (maskTemplate(t).match(/<[A-Z]+>|[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TEXT_TOKENS).map((x) => (x.startsWith('<') ? x : x.toLowerCase()));
  const refEncode = (t: string, buckets: number): [number[], number[]] => {
    const tok = refTokens(t);
    const terms = [...tok, ...tok.slice(1).map((w, i) => `${tok[i]} ${w}`)];
    const acc = new Map<number, number>();
    for (const term of terms) {
      const g = mix32(fnv1a(term));
      acc.set(g % buckets, (acc.get(g % buckets) ?? 0) + (g >>> 31 === 1 ? -1 : 1));
    }
    const cols = [...acc.keys()].sort((a, b) => a - b);
    const norm = Math.hypot(...cols.map((c) => acc.get(c)!));
    return [cols, cols.map((c) => (norm > 0 ? acc.get(c)! / norm : 0))];
  };
  const samples = [
    ...MESSAGES.slice(0, 400).map((m) => m.msg + ' ' + (m.detail ?? '')),
    'Ünïcode ÉTÉ naïve café 東京 データ 𝔘𝔫𝔦 😀emoji mixed<NUM>glued <abc> <A> <> < B> x<IP>y',
    '<NUM><NUM> a<b>c 12<HEX> ١٢٣ digits', '   ', '', '---', 'A'.repeat(300),
  ];
  for (const t of samples) {
    assert.deepEqual(tokenize(t), refTokens(t), t);
    for (const b of [7, 64, 4096]) {
      const got = encodeText(t, b);
      const [cols, values] = refEncode(t, b);
      assert.deepEqual([...got.cols], cols, t);
      got.values.forEach((v, i) => assert.ok(Math.abs(v - values[i]!) < 1e-15, t));
    }
  }
});
