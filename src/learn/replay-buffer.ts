import type { Row } from '../types';
import type { Rng } from './rng';

/** JSON-safe state of a {@link ReplayBuffer}. */
export interface ReplayState {
  /** Per class (0, 1): stored rows, their labels and how many rows of that class were offered. */
  rows: [Row[], Row[]];
  labels: [number[], number[]];
  seen: [number, number];
}

/**
 * A class-stratified reservoir: each class keeps a uniform sample (Algorithm R) of the rows of
 * that class seen so far, in capacity/2 slots, so the rare class never disappears from memory.
 * Rows are stored as copies restricted to the given fields. Sampling draws a class with the
 * probability of its share in the stream so far (the loss keeps the stream's class balance), then
 * a uniform row of that class. All randomness comes from the learner's seeded RNG.
 */
export class ReplayBuffer {
  private rows: [Row[], Row[]] = [[], []];
  private labels: [number[], number[]] = [[], []];
  private seen: [number, number] = [0, 0];
  private readonly perClass: number;

  constructor(readonly capacity: number, private readonly fields: readonly string[] | null = null) {
    this.perClass = Math.max(1, Math.floor(capacity / 2));
  }

  get size(): number {
    return this.rows[0].length + this.rows[1].length;
  }

  /** Offers a row (copied) with its label in [0, 1]; the class is label ≥ 0.5. */
  add(row: Row, label: number, rng: Rng): void {
    const k = label >= 0.5 ? 1 : 0;
    this.seen[k] += 1;
    const list = this.rows[k];
    let slot = -1;
    if (list.length < this.perClass) slot = list.length;
    else {
      const j = rng.int(this.seen[k]);
      if (j < this.perClass) slot = j;
    }
    if (slot < 0) return;
    const copy: Row = {};
    if (this.fields) { for (const f of this.fields) if (f in row) copy[f] = row[f]; } else Object.assign(copy, row);
    list[slot] = copy;
    this.labels[k][slot] = label;
  }

  /** Draws `count` stored rows (with replacement). Empty when the buffer is empty. */
  sample(count: number, rng: Rng): { rows: Row[]; labels: number[] } {
    const rows: Row[] = [];
    const labels: number[] = [];
    if (this.size === 0) return { rows, labels };
    const total = this.seen[0] + this.seen[1];
    for (let i = 0; i < count; i++) {
      let k: 0 | 1;
      if (this.rows[0].length === 0) k = 1;
      else if (this.rows[1].length === 0) k = 0;
      else k = rng.next() < this.seen[1] / total ? 1 : 0;
      const j = rng.int(this.rows[k].length);
      rows.push(this.rows[k][j]!);
      labels.push(this.labels[k][j]!);
    }
    return { rows, labels };
  }

  getState(): ReplayState {
    return {
      rows: [this.rows[0].map((r) => ({ ...r })), this.rows[1].map((r) => ({ ...r }))],
      labels: [[...this.labels[0]], [...this.labels[1]]],
      seen: [this.seen[0], this.seen[1]],
    };
  }

  setState(s: ReplayState): void {
    this.rows = [s.rows[0].map((r) => ({ ...r })), s.rows[1].map((r) => ({ ...r }))];
    this.labels = [[...s.labels[0]], [...s.labels[1]]];
    this.seen = [s.seen[0], s.seen[1]];
  }
}
