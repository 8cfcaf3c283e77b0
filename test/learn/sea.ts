import { Rng } from '../../src/learn/rng';
import type { Learner } from '../../src/learn/learner';
import type { Row, Schema } from '../../src/types';

/**
 * SEA concepts (Street & Kim 2001; River's synth.SEA): x1, x2, x3 ~ U(0, 10), label 1 iff x1 + x2 ≤ θ,
 * θ = `before` up to event `at`, then `after` (an abrupt drift); each label flipped with probability `noise`.
 */
export function seaRows(n: number, seed: string, at: number, before: number, after: number, noise = 0): { rows: Row[]; labels: number[] } {
  const rng = new Rng(seed);
  const rows: Row[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = 10 * rng.next();
    const x2 = 10 * rng.next();
    const x3 = 10 * rng.next();
    let y = x1 + x2 <= (i < at ? before : after) ? 1 : 0;
    if (rng.next() < noise) y = 1 - y;
    rows.push({ x1, x2, x3 });
    labels.push(y);
  }
  return { rows, labels };
}

export const SEA_SCHEMA: Schema = { label: { field: 'y', positive: [1] }, numeric: ['x1', 'x2', 'x3'], categorical: [] };

/** Prequential (predict, then learn) at batch 1: 1 where the prediction was right. */
export function prequentialHits(L: Learner, rows: Row[], labels: number[]): Uint8Array {
  const hit = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const p = L.predictMany([rows[i]!])[0]!;
    hit[i] = (p >= 0.5 ? 1 : 0) === labels[i] ? 1 : 0;
    L.learnMany([rows[i]!], [labels[i]!]);
  }
  return hit;
}

/** Mean of hits[a .. b). */
export function windowAccuracy(hits: Uint8Array, a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += hits[i]!;
  return s / (b - a);
}
