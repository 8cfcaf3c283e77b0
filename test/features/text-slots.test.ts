import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureSpace } from '../../src/features/feature-space';
import { densify } from '../../src/features/sparse-rows';
import { encodeText } from '../../src/features/text';
import { parseSchema } from '../../src/stream/schema';
import type { Row } from '../../src/types';
import { hostileText, seeded } from './hostile-text';

// FeatureSpace reuses a text encoding written at the same row position of the last batches when the
// value is the same: whatever the batches, every row must encode as a fresh FeatureSpace encodes it.

const SCHEMA = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['x'], text: ['msg', 'detail'], textBuckets: 512 });

const DIM = new FeatureSpace(SCHEMA).dim;
const encodings = new Map<string, ReturnType<typeof encodeText>>();

/** The text columns of a row as a fresh encoding gives them. */
function expected(row: Row): Float64Array {
  const out = new Float64Array(DIM);
  for (const [k, f] of ['msg', 'detail'].entries()) {
    const v = row[f];
    if (typeof v !== 'string' || v === '') continue;
    let e = encodings.get(v);
    if (e === undefined) encodings.set(v, (e = encodeText(v, 512)));
    for (let j = 0; j < e.cols.length; j++) out[2 + k * 512 + e.cols[j]!] = e.values[j]!;
  }
  return out;
}

test('text slots: re-encoded, changed, mutated and single rows all encode as a fresh FeatureSpace does', () => {
  const u = seeded(11);
  const fs = new FeatureSpace(SCHEMA);
  const check = (rows: Row[], X: Float64Array): void => {
    rows.forEach((r, i) => {
      const want = expected(r);
      for (let c = 2; c < fs.dim; c++) if (X[i * fs.dim + c] !== want[c]) assert.fail(`row ${i} col ${c}: ${X[i * fs.dim + c]} != ${want[c]} for ${JSON.stringify(r)}`);
    });
  };
  let rows: Row[] = [];
  // batch sizes that make the pool grow (3000 rows × 2 fields × 127 entries) and restart
  // Batches of 1,100 rows of 64+ words per value (127 entries each): the pool holds two such batches,
  // so it restarts every other batch while the slots of kept rows still point into it.
  const words = (): string => Array.from({ length: 70 }, () => Math.floor(u() * 2 ** 31).toString(36).replace(/[0-9]/g, 'q')).join(' ');
  for (const n of [5, 5, 300, 7, 1, 40, 1100, 1100, 1100, 1100, 1100, 1100]) {
    const fresh: Row[] = Array.from({ length: n }, (_, i) => ({ x: i, msg: n > 1000 ? words() : hostileText(u), detail: i % 3 === 0 ? null : n > 1000 ? words() : hostileText(u) }));
    // keep some rows (same object, same value) and some values (another row, same string) from the last batch
    rows = fresh.map((r, i) => (i < rows.length && i % 4 === 0 ? rows[i]! : i < rows.length && i % 4 === 1 ? { ...r, msg: rows[i]!.msg } : r));
    check(rows, densify(fs.encodeSparse(rows)));
    check(rows, fs.encodeMany(rows)); // the same batch again: from the slots
    if (rows.length > 2) {
      rows[1] = { ...rows[1]!, msg: 'changed in place ERROR 0x1f 10.0.0.1' };
      (rows[2] as Record<string, unknown>).detail = `mutated ${n}`;
      check(rows, densify(fs.encodeSparse(rows)));
    }
    const one = new Float64Array(fs.dim);
    fs.encode(rows[0]!, one);
    check([rows[0]!], one);
  }
});
