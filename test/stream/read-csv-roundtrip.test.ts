import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import seedrandom from 'seedrandom';
import { parseSchema } from '../../src/stream/schema';
import { readStream } from '../../src/stream/source';
import type { Validated } from '../../src/stream/validate';

const schema = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['n'], categorical: ['a', 'b'], text: 't' });

/** Random strings full of CSV-hostile characters. */
function randomText(rng: () => number): string {
  const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '✓', '""', "'", ';', '\t'];
  let s = '';
  const len = Math.floor(rng() * 12);
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

test('CSV: random fields with commas, quotes, newlines, CRLF survive a write → read round trip, any chunking', async () => {
  const rng = seedrandom.alea('csv-rt');
  const rows: Array<{ a: string; b: string; t: string; n: number; y: 0 | 1 }> = [];
  for (let i = 0; i < 300; i++) {
    // a leading/trailing space would be kept too; only the header is trimmed
    rows.push({ a: randomText(rng) || 'x', b: randomText(rng), t: randomText(rng), n: Math.round(rng() * 1e6) / 1e3, y: rng() < 0.3 ? 1 : 0 });
  }
  const eol = (i: number) => (i % 3 === 0 ? '\r\n' : '\n');
  let text = '\uFEFFy,n,a,b,t\r\n';
  rows.forEach((r, i) => {
    text += [String(r.y), rng() < 0.5 ? String(r.n) : quote(String(r.n)), quote(r.a), quote(r.b), quote(r.t)].join(',') + eol(i);
  });
  const buf = Buffer.from(text);
  for (const size of [1, 5, 64, buf.length]) {
    const parts: Buffer[] = [];
    for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
    const out: Validated[] = [];
    for await (const v of readStream(Readable.from(parts), 'csv', schema)) out.push(v);
    assert.equal(out.length, rows.length, `chunk ${size}`);
    let physical = 2;
    out.forEach((v, i) => {
      assert.ok('record' in v, `row ${i}: ${JSON.stringify(v)}`);
      const f = v.record.fields;
      assert.equal(v.record.line, physical, `line of row ${i}`);
      assert.equal(f.a, rows[i].a);
      assert.equal(f.b, rows[i].b === '' ? null : rows[i].b, 'empty string = missing');
      assert.equal(f.t, rows[i].t === '' ? null : rows[i].t);
      assert.equal(f.n, rows[i].n);
      assert.equal(v.record.label, rows[i].y);
      physical += 1 + [rows[i].a, rows[i].b, rows[i].t].reduce((k, s) => k + (s.match(/\n/g)?.length ?? 0), 0);
    });
  }
});
