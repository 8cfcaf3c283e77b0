import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, type RawLine } from '../../src/stream/read-lines';
import { seeded as prng } from '../features/hostile-text';

/** The plain reference: split the whole input at \n, then apply the BOM, CR and cap rules line by line. */
function reference(all: Buffer, max: number): RawLine[] {
  const out: RawLine[] = [];
  let start = 0;
  let line = 0;
  while (start < all.length) {
    let nl = all.indexOf(10, start);
    if (nl < 0) nl = all.length;
    let buf = all.subarray(start, nl);
    line++;
    if (line === 1 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
    if (buf.length > max) out.push({ line, text: null, bytes: buf.length, head: buf.toString('utf8').slice(0, 1000) });
    else out.push({ line, text: buf.toString('utf8'), bytes: buf.length });
    start = nl + 1;
  }
  return out;
}


const PIECES = ['{"a":1}', 'abc', '', '\r', 'é', '€', '😀', 'x'.repeat(40), '\u00ff\u00fe', ' \t '];

function randomInput(rand: () => number): Buffer {
  const parts: Buffer[] = [];
  if (rand() < 0.3) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const lines = Math.floor(rand() * 40);
  for (let i = 0; i < lines; i++) {
    let s = '';
    const k = Math.floor(rand() * 6);
    for (let j = 0; j < k; j++) s += PIECES[Math.floor(rand() * PIECES.length)];
    if (rand() < 0.05) s += 'L'.repeat(60 + Math.floor(rand() * 80)); // over the cap below
    parts.push(Buffer.from(s));
    if (rand() < 0.05) parts.push(Buffer.from([0xe2, 0x82])); // a cut multi-byte sequence
    if (rand() < 0.2) parts.push(Buffer.from('\r'));
    if (i < lines - 1 || rand() < 0.5) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function split(all: Buffer, cuts: number[], max: number): RawLine[] {
  const s = new LineSplitter(max);
  const out: RawLine[] = [];
  const emit = (l: RawLine): void => { out.push(l); };
  let prev = 0;
  for (const c of [...cuts, all.length]) {
    s.push(all.subarray(prev, c), emit);
    prev = c;
  }
  s.end(emit);
  return out;
}

test('LineSplitter equals the whole-input reference for any chunking (ASCII fast path and bytewise path)', () => {
  const rand = prng(42);
  const max = 64;
  for (let trial = 0; trial < 3000; trial++) {
    const all = randomInput(rand);
    const cuts: number[] = [];
    const k = Math.floor(rand() * 5);
    for (let i = 0; i < k; i++) cuts.push(Math.floor(rand() * (all.length + 1)));
    cuts.sort((a, b) => a - b);
    const got = split(all, cuts, max);
    const want = reference(all, max);
    assert.equal(got.length, want.length, `trial ${trial}: line count`);
    for (let i = 0; i < want.length; i++) {
      const g = got[i]!;
      const w = want[i]!;
      assert.equal(g.line, w.line, `trial ${trial} line ${i + 1}: number`);
      assert.equal(g.text, w.text, `trial ${trial} line ${i + 1}: text`);
      if (w.text !== null) assert.equal(g.bytes, w.bytes, `trial ${trial} line ${i + 1}: bytes`);
      else assert.equal(g.head!.slice(0, 20), w.head!.replace(/^\ufeff/, '').slice(0, 20), `trial ${trial} line ${i + 1}: head`);
    }
  }
});

test('LineSplitter: one chunk with many ASCII lines, CRLF, blank lines and a line exactly at the cap', () => {
  const text = `a\r\n\nbb\n${'c'.repeat(8)}\n${'d'.repeat(9)}\r\nlast`;
  const got = split(Buffer.from(text), [], 8);
  assert.deepEqual(got.map((l) => [l.line, l.text, l.bytes]), [
    [1, 'a', 1], [2, '', 0], [3, 'bb', 2], [4, 'cccccccc', 8], [5, null, 9], [6, 'last', 4],
  ]);
});
