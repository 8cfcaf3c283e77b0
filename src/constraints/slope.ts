import type { Row } from '../types';
import { readNumber } from '../features/feature-space';
import { logit, predictShift, type BuiltinConstraint, type ConstraintBatch, type ConstraintPlan, type Encoder, type Penalty, type Scorer, type Shift } from './constraint';

/** Options of {@link SlopeConstraint}. */
export interface SlopeOptions {
  /** Numeric field whose effect on the logit is banded. */
  field: string;
  /** Least d logit / d field (per raw unit). Default −Infinity (no lower edge). */
  min?: number;
  /** Largest d logit / d field (per raw unit). Default +Infinity (no upper edge). */
  max?: number;
  /** Step δ in raw units over which the slope is taken. Default 1. */
  delta?: number;
  /** Rows whose x + δ would leave [from, to] are not constrained (e.g. to = 5 for severity 1..5). Default none. */
  from?: number;
  to?: number;
  /** Tolerance of the measurement, in logits. Default 1e-3. */
  tol?: number;
  /** Default 1. */
  weight?: number;
  /** Default "squared". */
  penalty?: Penalty;
  /** Unit of the training penalty, in logits. Default 1. */
  scale?: number;
  /** Default "slope:<field>". */
  name?: string;
}

/**
 * A band on the effect of one feature: min·δ ≤ z(x + δ) − z(x) ≤ max·δ, with z the logit and x + δ
 * the row with `field` raised by δ. Violation (logits) = the distance of z(x + δ) − z(x) outside the
 * band, less `tol` when measured. For the generator's posterior the log-odds per failed login is
 * log(failRatio) = log 3 ≈ 1.0986 in every regime, and per severity level sevKappa (1.0; 0.9 in B),
 * exactly (docs/generator.md), so a band around those constants holds for the oracle. Trained as two
 * pair plans in logit space (one per edge).
 */
export class SlopeConstraint implements BuiltinConstraint {
  readonly kind = 'slope' as const;
  readonly name: string;
  readonly weight: number;
  readonly penalty: Penalty;
  readonly scale: number;
  readonly field: string;
  readonly min: number;
  readonly max: number;
  readonly delta: number;
  readonly from: number;
  readonly to: number;
  readonly tol: number;

  constructor(options: SlopeOptions) {
    this.field = options.field;
    this.min = options.min ?? Number.NEGATIVE_INFINITY;
    this.max = options.max ?? Number.POSITIVE_INFINITY;
    if (!(this.min <= this.max)) throw new RangeError(`slope ${options.field}: min ${this.min} exceeds max ${this.max}`);
    this.delta = options.delta ?? 1;
    if (!(this.delta > 0) || !Number.isFinite(this.delta)) throw new RangeError(`slope ${options.field}: delta must be a positive number, got ${this.delta}`);
    this.from = options.from ?? Number.NEGATIVE_INFINITY;
    this.to = options.to ?? Number.POSITIVE_INFINITY;
    this.tol = options.tol ?? 1e-3;
    this.weight = options.weight ?? 1;
    this.penalty = options.penalty ?? 'squared';
    this.scale = options.scale ?? 1;
    this.name = options.name ?? `slope:${this.field}`;
  }

  /** Raw value of the field if the row is concerned, else NaN. */
  private applies(row: Row): number {
    const x = readNumber(row[this.field]);
    if (!Number.isFinite(x) || x < this.from) return Number.NaN;
    const y = x + this.delta;
    return y > this.to ? Number.NaN : x;
  }

  /** The concerned rows with the field raised by δ, as a change of its encoded column. */
  private shift(batch: ConstraintBatch, encoder: Encoder): Shift | null {
    const k = encoder.numericIndex(this.field);
    if (k < 0) return null;
    const idx: number[] = [];
    const zs: number[] = [];
    for (let i = 0; i < batch.rows.length; i++) {
      const x = this.applies(batch.rows[i]!);
      if (Number.isNaN(x)) continue;
      idx.push(i);
      zs.push(encoder.standardise(k, x + this.delta));
    }
    return idx.length === 0 ? null : { idx: Int32Array.from(idx), cols: [k], values: Float64Array.from(zs) };
  }

  violations(batch: ConstraintBatch, scorer: Scorer, probs?: Float64Array, crossed?: Uint8Array, into?: Float64Array): Float64Array {
    const rows = batch.rows;
    const out = into ?? new Float64Array(rows.length);
    let idx: ArrayLike<number>;
    let p2: Float64Array;
    const enc = scorer.encoded;
    if (enc && enc.encoder.numericIndex(this.field) >= 0) {
      const shift = this.shift(batch, enc.encoder);
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
    const lo = this.min * this.delta;
    const hi = this.max * this.delta;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const dz = logit(p2[k]!) - logit(p[i]!);
      // Saturated probabilities (±Infinity logits) say nothing about the slope.
      if (!Number.isFinite(dz)) continue;
      const v = (dz < lo ? lo - dz : dz > hi ? dz - hi : 0) - this.tol;
      out[i] = v > 0 ? v : 0;
      if (crossed && v > 0 && (p[i]! >= 0.5) !== (p2[k]! >= 0.5)) crossed[i] = 1;
    }
    return out;
  }

  plan(batch: ConstraintBatch, _X: Float64Array, encoder: Encoder): ConstraintPlan[] | null {
    const shift = this.shift(batch, encoder);
    if (!shift) return null;
    const n = shift.idx.length;
    const plans: ConstraintPlan[] = [];
    // Lower edge: z' − z ≥ min·δ, i.e. v = (z − z') + min·δ = sign·(z − z') − slack with sign 1, slack −min·δ.
    if (Number.isFinite(this.min)) plans.push({ type: 'pair', space: 'logit', idx: shift.idx, cols: shift.cols, values: shift.values, slack: new Float64Array(n).fill(-this.min * this.delta), sign: 1, abs: false });
    // Upper edge: z' − z ≤ max·δ, i.e. v = (z' − z) − max·δ: sign −1, slack max·δ.
    if (Number.isFinite(this.max)) plans.push({ type: 'pair', space: 'logit', idx: shift.idx, cols: shift.cols, values: shift.values, slack: new Float64Array(n).fill(this.max * this.delta), sign: -1, abs: false });
    return plans.length === 0 ? null : plans;
  }
}
