import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeText, tokenize } from '../../src/features/text';
import { referenceEncodeText, referenceTokenize } from './text-reference';
import { HOSTILE_CASES, hostileText, seeded } from './hostile-text';

// encodeText hashes tokens and bigrams in one pass over the text (no masked text, token or bigram
// strings): its columns and values must be bit-for-bit those of the old implementation
// (test/features/text-reference.ts, main 00b5d93), for every bucket count.

function sameEncoding(t: string, buckets: number): void {
  const got = encodeText(t, buckets);
  const want = referenceEncodeText(t, buckets);
  const what = `${JSON.stringify(t.slice(0, 300))} (${buckets} buckets)`;
  assert.deepEqual([...got.cols], [...want.cols], what);
  assert.deepEqual([...got.values], [...want.values], what); // exact: same sums, same order of operations
}

test('encodeText equals the reference bit for bit on hostile cases', () => {
  for (const t of HOSTILE_CASES) {
    assert.deepEqual(tokenize(t), referenceTokenize(t), JSON.stringify(t.slice(0, 300)));
    for (const b of [1, 2, 7, 64, 4096, 1 << 20]) sameEncoding(t, b);
  }
});

test('encodeText equals the reference bit for bit on 12,000 random texts', () => {
  const u = seeded(7);
  for (let k = 0; k < 12_000; k++) {
    const t = hostileText(u);
    // 2^20 buckets: nearly every term has a column of its own, so a term hashed differently shows
    sameEncoding(t, 1 << 20);
    if (k % 10 === 0) {
      sameEncoding(t, 4096);
      assert.deepEqual(tokenize(t), referenceTokenize(t), JSON.stringify(t));
    }
  }
});

test('encodeText equals the reference on the logs scenario messages', async () => {
  const { IncidentGenerator } = await import('../../src/stream/generator');
  const events = new IncidentGenerator({ scenario: 'logs', events: 3000, seed: 3 }).take();
  for (const e of events) sameEncoding(String(e.message), 4096);
});
