import type { BuiltinConstraint, ConstraintBatch, PrevState, Scorer } from './constraint';
import { SmoothnessConstraint } from './smoothness';
import { SourceHistory, type SourceHistoryState } from './source-history';
import { emptyViolationDetail, recordViolations, type ViolationDetail } from './violation-detail';
import type { Row } from '../types';

/** The meter's checkpointed counts: rows that violated each constraint (in constraint order), rows measured. */
export interface MeterCounts {
  totals: number[];
  rows: number;
}

/**
 * Measures a learner's predictions against its constraints, the same way for every model that
 * measures on raw rows (row models, `auto`, `--drift`): each call's per-row, per-constraint detail
 * (for `constraints.perConstraint`, `meanViolation`, `crossings`), running totals per constraint,
 * and one source history per smoothness constraint (the previous same-source row, from the
 * measured rows themselves). The incremental (encoded) learner measures in encoded space itself.
 */
export class ConstraintMeter {
  private totals: number[];
  private rows = 0;
  private detail: ViolationDetail | null = null;
  private readonly smooth: { index: number; history: SourceHistory }[] = [];

  constructor(private readonly constraints: readonly BuiltinConstraint[]) {
    this.totals = constraints.map(() => 0);
    constraints.forEach((c, index) => {
      if (c instanceof SmoothnessConstraint || c.kind === 'smoothness') {
        const s = c as SmoothnessConstraint;
        this.smooth.push({ index, history: new SourceHistory(s.sourceField, s.stateFields) });
      }
    });
  }

  /** How many smoothness constraints keep a source history (the length of {@link historyStates}). */
  get histories(): number {
    return this.smooth.length;
  }

  /**
   * Measures one batch: `probs` are the predictions of `rows` (arrival `times`, for smoothness),
   * `scorer` predicts shifted copies, `linear` (if given) are the model's linear weights for
   * constraints that read them. Returns 1 per row that violated any constraint.
   */
  measure(rows: Row[], probs: Float64Array, times: number[], scorer: Scorer, linear?: ArrayLike<number>): Uint8Array {
    const out = new Uint8Array(rows.length);
    if (rows.length === 0) return out;
    const previous = new Map<number, (PrevState | null)[]>();
    for (const s of this.smooth) previous.set(s.index, s.history.advance(rows, times));
    const detail = emptyViolationDetail(this.constraints.map((c) => c.name), rows.length);
    this.constraints.forEach((c, index) => {
      const batch: ConstraintBatch = { rows, times, previous: previous.get(index), ...(linear ? { linear } : {}) };
      const crossed = new Uint8Array(rows.length);
      const v = c.violations(batch, scorer, probs, crossed);
      this.totals[index] = (this.totals[index] ?? 0) + recordViolations(detail, index, v, crossed, out);
    });
    this.detail = detail;
    this.rows += rows.length;
    return out;
  }

  /** What the last {@link measure} call measured, per row and constraint (null before the first). */
  lastDetail(): ViolationDetail | null {
    return this.detail;
  }

  /** Per constraint (by name), rows that violated it over every call, and rows measured. */
  counts(): { rows: number; byConstraint: Record<string, number> } {
    const byConstraint: Record<string, number> = {};
    this.constraints.forEach((c, i) => { byConstraint[c.name] = (byConstraint[c.name] ?? 0) + (this.totals[i] ?? 0); });
    return { rows: this.rows, byConstraint };
  }

  /** The counts for a checkpoint. */
  getCounts(): MeterCounts {
    return { totals: this.constraints.map((_, i) => this.totals[i] ?? 0), rows: this.rows };
  }

  /** The source histories for a checkpoint, one per smoothness constraint. */
  historyStates(): SourceHistoryState[] {
    return this.smooth.map((s) => s.history.getState());
  }

  /**
   * Restores counts and histories from a checkpoint (already checked by the caller). Histories are
   * built first, so a bad one throws before anything changes. The last detail is cleared.
   */
  restore(counts: MeterCounts, histories: readonly SourceHistoryState[]): void {
    const built = this.smooth.map((e, i) => {
      const h = new SourceHistory(e.history.sourceField, e.history.stateFields);
      h.setState(histories[i] ?? []);
      return h;
    });
    this.smooth.forEach((e, i) => { e.history = built[i]!; });
    this.totals = [...counts.totals];
    this.rows = counts.rows;
    this.detail = null;
  }
}
