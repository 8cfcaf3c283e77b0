import type { Engine, TrainBatch } from '../../src/learn/engine';
import type { Row, Schema } from '../../src/types';
import { Rng } from '../../src/learn/rng';

/** A small schema with every kind of feature, for synthetic rows. */
export const SMALL_SCHEMA: Schema = {
  label: { field: 'y', positive: [1] },
  numeric: ['a', 'b', 'sev', 'load'],
  categorical: ['kind', 'src'],
  hashed: ['user'],
  log: ['b'],
  timestamp: 'ts',
};

/** Deterministic synthetic rows: P(y=1) rises with a, sev and kind "x"; b heavy-tailed; src has 3 values. */
export function syntheticRows(n: number, seed = 'rows', start = 0): { rows: Row[]; labels: number[] } {
  const rng = new Rng(seed);
  const rows: Row[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 4 - 2;
    const sev = 1 + rng.int(5);
    const kind = ['x', 'y', 'z'][rng.int(3)]!;
    const src = `s${rng.int(3)}`;
    const b = Math.exp(rng.next() * 8);
    const load = rng.next();
    const z = 1.2 * a + 0.6 * (sev - 3) + (kind === 'x' ? 0.8 : -0.3) + 0.5 * (load - 0.5);
    const y = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    rows.push({ a, b, sev, load, kind, src, user: `u${rng.int(50)}`, ts: start + i * 1000 });
    labels.push(y);
  }
  return { rows, labels };
}

/** Deep copy (for checking that inputs are not mutated). */
export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** Central finite difference of an engine's loss in parameter k at theta (the engine is left at a perturbed point). */
export function finiteDifference(engine: Engine, theta: Float64Array, batch: TrainBatch, k: number, h = 1e-6): number {
  const tp = Float64Array.from(theta);
  tp[k] += h;
  engine.setParams(tp);
  const lp = engine.lossAndGrad(batch).loss;
  tp[k] -= 2 * h;
  engine.setParams(tp);
  const lm = engine.lossAndGrad(batch).loss;
  return (lp - lm) / (2 * h);
}
