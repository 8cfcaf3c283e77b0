import type { Row } from '../types';
import { readNumber } from '../features/feature-space';
import type { Rng } from '../learn/rng';

/** Running [min, max] of raw values per field (JSON-safe as [field, min, max] entries). */
export type FieldRanges = Map<string, [number, number]>;

/** Widens `ranges` (one entry per field in `fields`) by the finite values of `rows`. */
export function observeRanges(ranges: FieldRanges, fields: readonly string[], rows: readonly Row[]): void {
  for (const f of fields) {
    let r = ranges.get(f);
    for (const row of rows) {
      const x = readNumber(row[f]);
      if (!Number.isFinite(x)) continue;
      if (!r) {
        r = [x, x];
        ranges.set(f, r);
      } else {
        if (x < r[0]) r[0] = x;
        if (x > r[1]) r[1] = x;
      }
    }
  }
}

/**
 * Points where the data may be silent (Karpatne et al. 2017, physics-guided training: the
 * constraint also acts away from the labelled rows): one copy of each row with every field of
 * `ranges` that spans an interval replaced by a value drawn uniformly over its observed [min, max].
 * Fields the row lacks stay missing (a constraint does not concern them there); the rows are not
 * changed.
 */
export function rangePoints(rows: readonly Row[], ranges: FieldRanges, rng: Rng): Row[] {
  const spans = [...ranges].filter(([, [lo, hi]]) => hi > lo);
  return rows.map((row) => {
    const out: Row = { ...row };
    for (const [f, [lo, hi]] of spans) {
      if (!Number.isFinite(readNumber(row[f]))) continue;
      out[f] = lo + rng.next() * (hi - lo);
    }
    return out;
  });
}
