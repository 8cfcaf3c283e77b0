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
  /** The constraints' names (every detail's `names`), read once. */
  private readonly names: readonly string[];
  /** Per constraint: its rows' predecessors in the current call (smoothness constraints only; scratch). */
  private readonly previous: ((PrevState | null)[] | undefined)[];
  /** The crossings of one constraint in the current call (scratch, zeroed before each constraint). */
  private crossed = new Uint8Array(0);
  /** The violations of one constraint in the current call (scratch, zeroed before each constraint). */
  private amounts = new Float64Array(0);

  constructor(private readonly constraints: readonly BuiltinConstraint[]) {
    this.totals = constraints.map(() => 0);
    this.names = constraints.map((c) => c.name);
    this.previous = constraints.map(() => undefined);
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
    const n = rows.length;
    const out = new Uint8Array(n);
    if (n === 0) return out;
    const previous = this.previous;
    for (let s = 0; s < this.smooth.length; s++) previous[this.smooth[s]!.index] = this.smooth[s]!.history.advance(rows, times);
    const detail = emptyViolationDetail(this.names, n);
    if (this.crossed.length !== n) {
      // Exactly n entries (a constraint reads its length as the batch's): batch after batch of one size reuses them.
      this.crossed = new Uint8Array(n);
      this.amounts = new Float64Array(n);
    }
    // One violations and one crossings scratch for every constraint, zeroed before each (plain loops:
    // TypedArray fill is a runtime call); recordViolations copies what it keeps into the detail.
    const crossed = this.crossed;
    const amounts = this.amounts;
    for (let index = 0; index < this.constraints.length; index++) {
      const c = this.constraints[index]!;
      const batch: ConstraintBatch = linear ? { rows, times, previous: previous[index], linear } : { rows, times, previous: previous[index] };
      for (let i = 0; i < n; i++) {
        crossed[i] = 0;
        amounts[i] = 0;
      }
      const v = c.violations(batch, scorer, probs, crossed, amounts);
      this.totals[index] = (this.totals[index] ?? 0) + recordViolations(detail, index, v, crossed, out);
    }
    for (let s = 0; s < this.smooth.length; s++) previous[this.smooth[s]!.index] = undefined;
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
