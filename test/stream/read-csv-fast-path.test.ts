import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import seedrandom from 'seedrandom';
import { parseSchema } from '../../src/stream/schema';
import { readCsvBatches } from '../../src/stream/read-csv';
import type { Validated } from '../../src/stream/validate';

const schema = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['n', 'm'], categorical: ['a'], text: 't' });

async function read(buf: Buffer, size: number, maxRecordBytes: number): Promise<Validated[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  const out: Validated[] = [];
  for await (const b of readCsvBatches(Readable.from(parts), schema, { maxRecordBytes })) out.push(...b);
  return out;
}

/** One random line: mostly plain (the fast path), some quoted, blank, short or long, with bare CRs and spaces. */
function randomLine(rng: () => number): string {
  const cell = (): string => {
    const r = rng();
    if (r < 0.3) return String(Math.round(rng() * 2000 - 1000) / 10);
    if (r < 0.4) return '';
    if (r < 0.5) return ' 12.5 ';
    if (r < 0.55) return 'x\ry';
    if (r < 0.6) return 'abc'.repeat(1 + Math.floor(rng() * 30));
    if (r < 0.65) return '"q,"" ' + (rng() < 0.3 ? '\n' : '') + 'uoted"';
    if (r < 0.7) return 'a"b';
    if (r < 0.75) return 'nan';
    return ['u', 'v', 'w', ' w '][Math.floor(rng() * 4)]!;
  };
  const r = rng();
  if (r < 0.05) return '';
  if (r < 0.08) return ' \r';
  const k = r < 0.12 ? 3 : r < 0.16 ? 7 : 5;
  const cells = [rng() < 0.5 ? '1' : '0'];
  for (let i = 1; i < k; i++) cells.push(cell());
  return cells.join(',');
}

test('CSV: lines read whole (the fast path: one split per line) give exactly the records, rejects and line numbers of the character scan', async () => {
  const rng = seedrandom.alea('csv-fast-path');
  for (let round = 0; round < 20; round++) {
    let text = (round % 2 === 0 ? '\uFEFF' : '') + 'y,n,m,a,t' + (round % 3 === 0 ? '\r\n' : '\n');
    const lines = 50 + Math.floor(rng() * 150);
    for (let i = 0; i < lines; i++) text += randomLine(rng) + (rng() < 0.4 ? '\r\n' : '\n');
    if (round % 4 === 1) text = text.slice(0, -1); // no line end at the end of the file
    const buf = Buffer.from(text);
    // 1000: lines over a third of it are scanned (no cap reached; an over-cap record's raw text depends on the chunks)
    for (const max of [65536, 1000]) {
      // chunks of 1 byte: no line end in the chunk, so every line is scanned character by character
      const slow = await read(buf, 1, max);
      for (const size of [buf.length, 64, 7]) {
        assert.deepEqual(await read(buf, size, max), slow, `round ${round}, chunks of ${size} bytes, cap ${max}`);
      }
      assert.ok(slow.some((v) => 'record' in v) && slow.some((v) => 'rejected' in v), `round ${round}: records and rejects both exercised`);
    }
  }
});
