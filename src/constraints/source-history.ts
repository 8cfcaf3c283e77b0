import { readNumber } from '../features/feature-space';
import type { Row } from '../types';
import { parseTime, type PrevState } from './constraint';

/** JSON-safe state of a {@link SourceHistory}: per source, its last state fields (null when missing or not finite) and time. */
export type SourceHistoryState = [string, { fields: Row; time: number }][];

/**
 * The last event seen per source (its state fields and time), for temporal constraints.
 * Walks rows in order, so within a batch a row's predecessor may be an earlier row of the batch.
 */
export class SourceHistory {
  private last = new Map<string, PrevState>();

  constructor(readonly sourceField: string, readonly stateFields: readonly string[]) {}

  /** For each row, the previous event of its source (or null); then records the row as its source's latest. */
  advance(rows: readonly Row[], times: ArrayLike<number>): (PrevState | null)[] {
    const out: (PrevState | null)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const src = row[this.sourceField];
      const t = times[i]!;
      if (src === null || src === undefined || !Number.isFinite(t)) {
        out[i] = null;
        continue;
      }
      const key = String(src);
      out[i] = this.last.get(key) ?? null;
      const values: number[] = [];
      for (let j = 0; j < this.stateFields.length; j++) {
        const v = row[this.stateFields[j]!];
        values.push(typeof v === 'number' && v - v === 0 ? v : readNumber(v));
      }
      this.last.set(key, { names: this.stateFields, values, time: t });
    }
    return out;
  }

  /** Predecessors within a list of rows only (no stored history): for measuring a scorer on a stream. */
  static within(rows: readonly Row[], sourceField: string, stateFields: readonly string[], timeField = 'timestamp'): (PrevState | null)[] {
    const h = new SourceHistory(sourceField, stateFields);
    return h.advance(rows, rows.map((r) => parseTime(r[timeField])));
  }

  get size(): number {
    return this.last.size;
  }

  getState(): SourceHistoryState {
    return [...this.last.entries()].map(([k, v]) => {
      const fields: Row = {};
      this.stateFields.forEach((f, j) => { fields[f] = Number.isFinite(v.values[j]) ? v.values[j]! : null; });
      return [k, { fields, time: v.time }];
    });
  }

  setState(state: SourceHistoryState): void {
    this.last = new Map(state.map(([k, v]) => [k, { names: this.stateFields, values: this.stateFields.map((f) => readNumber(v.fields[f])), time: v.time }]));
  }
}
