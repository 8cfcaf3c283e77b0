import type { Row } from '../types';
import { readNumber } from '../features/feature-space';
import { predictShift, type BuiltinConstraint, type ConstraintBatch, type ConstraintPlan, type Encoder, type Penalty, type Scorer, type Shift } from './constraint';

/** Options of {@link MonotoneConstraint}. */
export interface MonotoneOptions {
  /** Numeric field the prediction must be monotone in. */
  field: string;
  /** Default "increasing". */
  direction?: 'increasing' | 'decreasing';
  /** Step δ in the field's raw units. Default 1. */
  delta?: number;
  /**
   * Tolerance of the measurement: a drop of at most `tol` is no violation. Default 1e-3 (0.1
   * percentage point). Training penalises any drop (hinge at 0), so the model keeps a margin of
   * `tol`; without it, a penalty that flattens the model would turn large drops into many
   * tiny ones and raise the count of violations.
   */
  tol?: number;
  /** Rows whose x + δ would exceed max (or fall below min) are not constrained. Default none. */
  max?: number;
  min?: number;
  /** Default 1. */
  weight?: number;
  /** Default "squared". */
  penalty?: Penalty;
  /** Unit of the training penalty, in logits: ℓ = (v/scale)² or v/scale, with v in logits (probability-space violations count 1/4 of probability as one logit). Default 1. */
  scale?: number;
  /** Default "monotone:<field>". */
  name?: string;
}

/**
 * Monotonicity in one feature: raising `field` by δ must not lower P(critical) (increasing), i.e.
 * violation = max(0, p(x) − p(x + δ) − tol) (for "decreasing": max(0, p(x + δ) − p(x) − tol));
 * the training penalty uses the logits, max(0, z(x) − z(x + δ)) (no tolerance; σ is increasing, so
 * this is the same constraint without vanishing gradients where p saturates).
 * Rows where the field is missing or x + δ leaves [min, max] are not concerned.
 */
export class MonotoneConstraint implements BuiltinConstraint {
  readonly kind = 'monotone' as const;
  readonly name: string;
  readonly weight: number;
  readonly penalty: Penalty;
  readonly scale: number;
  readonly field: string;
  readonly sign: number;
  readonly delta: number;
  readonly tol: number;
  readonly max: number;
  readonly min: number;
  /** Scratch of {@link shift}: each row's raw value when concerned, else NaN. */
  private xScratch = new Float64Array(0);
  /** The arrays of the last shift built for {@link violations} (reused while the count of concerned rows repeats). */
  private shiftIdx = new Int32Array(0);
  private shiftValues = new Float64Array(0);

  constructor(options: MonotoneOptions) {
    this.field = options.field;
    this.sign = (options.direction ?? 'increasing') === 'increasing' ? 1 : -1;
    this.delta = options.delta ?? 1;
    this.tol = options.tol ?? 1e-3;
    this.max = options.max ?? Number.POSITIVE_INFINITY;
    this.min = options.min ?? Number.NEGATIVE_INFINITY;
    this.weight = options.weight ?? 1;
    this.penalty = options.penalty ?? 'squared';
    this.scale = options.scale ?? 1;
    this.name = options.name ?? `monotone:${this.field}`;
  }

  /** Raw value of the field if the row is concerned, else NaN. */
  private applies(row: Row): number {
    const x = readNumber(row[this.field]);
    if (!Number.isFinite(x)) return Number.NaN;
    const y = x + this.delta;
    return y > this.max || y < this.min ? Number.NaN : x;
  }

  violations(batch: ConstraintBatch, scorer: Scorer, probs?: Float64Array, crossed?: Uint8Array, into?: Float64Array): Float64Array {
    const rows = batch.rows;
    const out = into ?? new Float64Array(rows.length);
    let idx: ArrayLike<number>;
    let p2: Float64Array;
    const enc = scorer.encoded;
    if (enc && enc.encoder.numericIndex(this.field) >= 0) {
      // tol > 0 absorbs the sigmoid's rounding, so a linear model's proof holds for probabilities.
      if (this.tol > 0 && this.holdsForLinear(batch, enc.encoder)) return out;
      // Same rows shifted by δ, in encoded space (one column changes).
      const shift = this.shift(batch, enc.encoder, true);
      if (!shift) return out;
      idx = shift.idx;
      p2 = predictShift(enc, shift);
    } else {
      const shiftedIdx: number[] = [];
      const shifted: Row[] = [];
      for (let i = 0; i < rows.length; i++) {
        const x = this.applies(rows[i]!);
        if (Number.isNaN(x)) continue;
        shiftedIdx.push(i);
        shifted.push({ ...rows[i]!, [this.field]: x + this.delta });
      }
      if (shiftedIdx.length === 0) return out;
      idx = shiftedIdx;
      p2 = scorer.predictMany(shifted);
    }
    const p = probs ?? scorer.predictMany(rows as Row[]);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const v = this.sign * (p[i]! - p2[k]!) - this.tol;
      out[i] = v > 0 ? v : 0;
      if (crossed && v > 0 && (p[i]! >= 0.5) !== (p2[k]! >= 0.5)) crossed[i] = 1;
    }
    return out;
  }

  /**
   * True when the model is linear (batch.linear) and its weight w on the field's column satisfies
   * the constraint on every row: the encoded column is non-decreasing in the raw value (see
   * Encoder.standardise), so moving the field by δ moves the logit by w·Δz with Δz of δ's sign, and
   * sign·w·sign(δ) ≥ 0 keeps every shifted logit on the right side (z + Δz·w rounds monotonically).
   * Nothing is then measured or penalised.
   */
  private holdsForLinear(batch: ConstraintBatch, encoder: Encoder): boolean {
    if (!batch.linear) return false;
    const k = encoder.numericIndex(this.field);
    return k >= 0 && this.sign * Math.sign(this.delta) * batch.linear[k]! >= 0;
  }

  /** The concerned rows with the field raised by δ, as a change of its encoded column. */
  private shift(batch: ConstraintBatch, encoder: Encoder, reuse = false): Shift | null {
    const k = encoder.numericIndex(this.field);
    if (k < 0) return null;
    // Two passes (the concerned rows' values, then exact-size typed arrays): no arrays grown and copied.
    const n = batch.rows.length;
    if (this.xScratch.length < n) this.xScratch = new Float64Array(Math.max(n, 2 * this.xScratch.length));
    const xs = this.xScratch;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const x = this.applies(batch.rows[i]!);
      xs[i] = x;
      if (!Number.isNaN(x)) count++;
    }
    if (count === 0) return null;
    // `reuse` (violations, which reads the shift before it returns): the last call's arrays when of this size.
    const same = reuse && this.shiftIdx.length === count;
    const idx = same ? this.shiftIdx : new Int32Array(count);
    const values = same ? this.shiftValues : new Float64Array(count);
    if (reuse && !same) {
      this.shiftIdx = idx;
      this.shiftValues = values;
    }
    let r = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      if (Number.isNaN(x)) continue;
      idx[r] = i;
      values[r++] = encoder.standardise(k, x + this.delta);
    }
    return { idx, cols: [k], values };
  }

  plan(batch: ConstraintBatch, _X: Float64Array, encoder: Encoder): ConstraintPlan | null {
    if (this.holdsForLinear(batch, encoder)) return null;
    const shift = this.shift(batch, encoder);
    if (!shift) return null;
    return { type: 'pair', space: 'logit', idx: shift.idx, cols: shift.cols, values: shift.values, slack: new Float64Array(shift.idx.length), sign: this.sign, abs: false };
  }
}
