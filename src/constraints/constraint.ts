import type { Row } from '../types';
import type { SparseRows } from '../features/sparse-rows';

/** Anything that scores rows: a learner, the generator's oracle wrapped, a baseline. */
export interface Scorer {
  predictMany(rows: Row[]): Float64Array;
  /**
   * Optional fast path (the learner provides it): the batch already encoded, and the model's
   * probabilities on any encoded matrix. Constraints with a plan then perturb encoded rows
   * instead of copying and re-encoding raw ones; the result is the same.
   */
  encoded?: EncodedBatch;
}

/** A batch encoded by the model's own feature space, and the model on encoded rows. */
export interface EncodedBatch {
  /** Row-major, width encoder.dim, one row per batch row. */
  X: Float64Array;
  encoder: Encoder;
  predict(X: Float64Array, n: number): Float64Array;
  /** P(critical) of the batch's rows changed by `shift` (the same as predict on shiftedRows(X, …), cheaper). */
  predictShifted?(shift: Shift): Float64Array;
}

/** Rows idx of an encoded batch with columns cols set to values (row m: values[m·cols.length + c]). */
export interface Shift {
  idx: Int32Array;
  cols: number[];
  values: Float64Array;
}

/** The changed rows of a {@link Shift} as a matrix (one row per entry of idx, width d). */
export function shiftedRows(X: Float64Array, d: number, shift: Shift): Float64Array {
  const { idx, cols, values } = shift;
  const C = cols.length;
  const X2 = new Float64Array(idx.length * d);
  for (let m = 0; m < idx.length; m++) {
    X2.set(X.subarray(idx[m]! * d, idx[m]! * d + d), m * d);
    for (let c = 0; c < C; c++) X2[m * d + cols[c]!] = values[m * C + c]!;
  }
  return X2;
}

/** Model probabilities on a shift, by the cheapest route the batch offers. */
export function predictShift(enc: EncodedBatch, shift: Shift): Float64Array {
  return enc.predictShifted ? enc.predictShifted(shift) : enc.predict(shiftedRows(enc.X, enc.encoder.dim, shift), shift.idx.length);
}

/**
 * The previous event of the same source: its state fields, read as numbers (readNumber: NaN when
 * missing, +Infinity when not finite), and its time (epoch ms).
 */
export interface PrevState {
  /** The state field names, in the order of `values`. */
  names: readonly string[];
  values: readonly number[];
  time: number;
}

/** The value of state field `name` in a {@link PrevState} (NaN when it does not hold it). */
export function prevValue(prev: PrevState, name: string, j: number): number {
  if (prev.names[j] === name) return prev.values[j]!;
  const k = prev.names.indexOf(name);
  return k < 0 ? Number.NaN : prev.values[k]!;
}

/** What a constraint sees: the rows, their event times (epoch ms) and, for temporal constraints, each row's predecessor. */
export interface ConstraintBatch {
  rows: readonly Row[];
  /** Event times, epoch ms (NaN when unknown). */
  times?: ArrayLike<number>;
  /** For each row, the previous event of its source (null when none). Filled by {@link SourceHistory}. */
  previous?: readonly (PrevState | null)[];
  /**
   * When the model's logit is linear in the encoded columns (logistic regression): the weight of
   * encoded column k at linear[k]. A constraint may use it to prove that no row can violate it.
   */
  linear?: ArrayLike<number>;
}

/**
 * Penalty ℓ_c applied to a violation v ≥ 0 (a probability difference), in units of the
 * constraint's scale s (default 1 logit): "squared" = (v/s)² (squared hinge, default), "linear" = v/s
 * (hinge). Training measures v in logits (probability-space plans count 1/4 of probability as one
 * logit) and averages ℓ over the constrained pairs, so λ is "task loss per squared logit of mean
 * violation": λ = 1 weighs a violation of one logit on every pair like one nat of log-loss.
 */
export type Penalty = 'squared' | 'linear';

/** Encoder view used to build training plans (a FeatureSpace). */
export interface Encoder {
  readonly dim: number;
  numericIndex(field: string): number;
  /** The encoded value of numeric field k's raw value x: non-decreasing in x (constraints rely on it). */
  standardise(k: number, x: number): number;
  encode(row: Row, out: Float64Array, offset?: number): void;
}

/**
 * A built-in constraint reduced to what the fused and tfjs engines differentiate. With
 * q = p (space "prob") or q = z, the logit (space "logit"):
 * - "bounds": v_i = max(0, lo − q_i) + max(0, q_i − hi) for i in idx;
 * - "pair":   v_i = max(0, sign·(q_i − q'_i) − slack_i) (or |q_i − q'_i| − slack_i when abs), where q'
 *             is the model's output on row i of X with columns `cols` set to `values` (a {@link Shift}:
 *             entry m changes row idx[m]; see shiftedRows).
 * Constraints that are invariant under the increasing map σ (monotonicity, bounds) are trained in
 * logit space: the same feasible set, but no vanishing gradient where p saturates near 0 or 1.
 */
export type ConstraintPlan =
  | { type: 'bounds'; space: 'prob' | 'logit'; idx: Int32Array; lo: number; hi: number }
  | { type: 'pair'; space: 'prob' | 'logit'; idx: Int32Array; cols: number[]; values: Float64Array; slack: Float64Array; sign: number; abs: boolean };

/** logit(p), with ±Infinity at 0 and 1. */
export function logit(p: number): number {
  return p <= 0 ? Number.NEGATIVE_INFINITY : p >= 1 ? Number.POSITIVE_INFINITY : Math.log(p / (1 - p));
}

/** Fields shared by every constraint. */
export interface ConstraintBase {
  readonly kind: string;
  readonly name: string;
  /** Per-constraint weight, multiplied by the learner's global λ. */
  readonly weight: number;
  readonly penalty: Penalty;
  /** Unit of the violations in the training penalty, in logits: ℓ = (v/scale)² ("squared") or v/scale ("linear"). */
  readonly scale: number;
}

/** A constraint the fused engine can differentiate by hand. */
export interface BuiltinConstraint extends ConstraintBase {
  readonly kind: 'monotone' | 'bounds' | 'smoothness' | 'slope';
  /**
   * Non-negative violation per row of the scorer's predictions (0 where the constraint does not apply).
   * `probs`, when given, are the scorer's predictions for batch.rows (saves one call). `crossed`, when
   * given (length rows.length), gets 1 at each violating row whose pair of predictions (the row and its
   * shifted or previous twin) lies on opposite sides of 0.5 (a "crossing"; never for bounds). `into`,
   * when given (length rows.length, all zeros), receives the violations and is returned (a caller's
   * reused scratch: ConstraintMeter); else a new array is.
   */
  violations(batch: ConstraintBatch, scorer: Scorer, probs?: Float64Array, crossed?: Uint8Array, into?: Float64Array): Float64Array;
  /** The training plan(s) for encoded rows X (rows.length × dim; sparse rows on the fused engine), or null when no row is concerned. */
  plan(batch: ConstraintBatch, X: Float64Array | SparseRows, encoder: Encoder): ConstraintPlan | ConstraintPlan[] | null;
}

/** Applies the penalty: ℓ(v) and dℓ/dv. */
export function penaltyValue(penalty: Penalty, v: number): number {
  return penalty === 'squared' ? v * v : v;
}
export function penaltyGrad(penalty: Penalty, v: number): number {
  return v <= 0 ? 0 : penalty === 'squared' ? 2 * v : 1;
}

/** Event time of a raw value: epoch ms for numbers, Date.parse for strings, else NaN. */
export function parseTime(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (typeof v === 'string') return Date.parse(v);
  if (v instanceof Date) return v.getTime();
  return Number.NaN;
}
