import type { Row } from '../types';
import { readNumber } from '../features/feature-space';
import { predictShift, prevValue, type BuiltinConstraint, type ConstraintBatch, type ConstraintPlan, type Encoder, type Penalty, type PrevState, type Scorer, type Shift } from './constraint';

/** Options of {@link SmoothnessConstraint}. */
export interface SmoothnessOptions {
  /** Numeric fields holding the source's physical state (e.g. cpu_load, temperature_c, latency_ms). */
  stateFields: string[];
  /** Change of P(critical) allowed regardless of elapsed time. */
  epsilon: number;
  /** Extra change allowed per second elapsed since the source's previous event. */
  perSecond: number;
  /** Field naming the source (asset). Default "source". */
  sourceField?: string;
  /** Default 1. */
  weight?: number;
  /** Default "squared". */
  penalty?: Penalty;
  /** Unit of the training penalty, in logits: ℓ = (v/scale)² or v/scale, with v in logits (probability-space violations count 1/4 of probability as one logit). Default 1. */
  scale?: number;
  /** Default "smoothness". */
  name?: string;
}

/**
 * Temporal smoothness per source: a source's risk cannot jump faster than its physical state allows.
 * For an event x_t of source s whose previous event was at t' with state fields x', let x̃ be x_t
 * with its state fields replaced by x'. Then violation = max(0, |p(x_t) − p(x̃)| − epsilon − perSecond·Δt),
 * Δt = (t − t') in seconds (negative Δt counts as 0). Rows without a predecessor, or with a state
 * field missing now or then, are not concerned. The predecessors come from batch.previous
 * (see {@link SourceHistory}).
 */
export class SmoothnessConstraint implements BuiltinConstraint {
  readonly kind = 'smoothness' as const;
  readonly name: string;
  readonly weight: number;
  readonly penalty: Penalty;
  readonly scale: number;
  readonly stateFields: string[];
  readonly epsilon: number;
  readonly perSecond: number;
  readonly sourceField: string;

  constructor(options: SmoothnessOptions) {
    this.stateFields = [...options.stateFields];
    this.epsilon = options.epsilon;
    this.perSecond = options.perSecond;
    this.sourceField = options.sourceField ?? 'source';
    this.weight = options.weight ?? 1;
    this.penalty = options.penalty ?? 'squared';
    this.scale = options.scale ?? 1;
    this.name = options.name ?? 'smoothness';
  }

  private encoder: Encoder | null = null;
  private cols: number[] | null = null;
  /** Scratch of {@link shift}: each row's slack (NaN when not concerned). */
  private slackScratch = new Float64Array(0);
  /** The arrays of the last shift built for {@link violations} (reused while the count of concerned rows repeats). */
  private shiftIdx = new Int32Array(0);
  private shiftSlack = new Float64Array(0);
  private shiftValues = new Float64Array(0);

  /** The encoded columns of the state fields (null when one is not a numeric feature), cached per encoder. */
  private columns(encoder: Encoder): number[] | null {
    if (encoder !== this.encoder) {
      const cols = this.stateFields.map((f) => encoder.numericIndex(f));
      this.cols = cols.some((c) => c < 0) ? null : cols;
      this.encoder = encoder;
    }
    return this.cols;
  }

  /** Allowed change for row i, or NaN when the row is not concerned. */
  private slack(row: Row, prev: PrevState | null, time: number): number {
    if (!prev || !Number.isFinite(time)) return Number.NaN;
    const names = this.stateFields;
    for (let j = 0; j < names.length; j++) {
      const v = row[names[j]!];
      if (!(typeof v === 'number' ? v - v === 0 : Number.isFinite(readNumber(v))) || !Number.isFinite(prevValue(prev, names[j]!, j))) return Number.NaN;
    }
    const dt = Math.max(0, (time - prev.time) / 1000);
    return this.epsilon + this.perSecond * dt;
  }

  violations(batch: ConstraintBatch, scorer: Scorer, probs?: Float64Array, crossed?: Uint8Array, into?: Float64Array): Float64Array {
    const rows = batch.rows;
    const out = into ?? new Float64Array(rows.length);
    if (!batch.previous || !batch.times) return out;
    let idx: ArrayLike<number>;
    let slacks: ArrayLike<number>;
    let p2: Float64Array;
    const enc = scorer.encoded;
    if (enc && this.columns(enc.encoder) !== null) {
      // The same rows with the previous event's state, in encoded space.
      const shift = this.shift(batch, enc.encoder, true);
      if (!shift) return out;
      idx = shift.idx;
      slacks = shift.slack;
      p2 = predictShift(enc, shift);
    } else {
      const swappedIdx: number[] = [];
      const swappedSlack: number[] = [];
      const swapped: Row[] = [];
      for (let i = 0; i < rows.length; i++) {
        const prev = batch.previous[i] ?? null;
        const s = this.slack(rows[i]!, prev, batch.times[i]!);
        if (Number.isNaN(s)) continue;
        swappedIdx.push(i);
        swappedSlack.push(s);
        const row: Row = { ...rows[i]! };
        this.stateFields.forEach((f, j) => { row[f] = prevValue(prev!, f, j); });
        swapped.push(row);
      }
      if (swappedIdx.length === 0) return out;
      idx = swappedIdx;
      slacks = swappedSlack;
      p2 = scorer.predictMany(swapped);
    }
    const p = probs ?? scorer.predictMany(rows as Row[]);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const v = Math.abs(p[i]! - p2[k]!) - slacks[k]!;
      out[i] = v > 0 ? v : 0;
      if (crossed && v > 0 && (p[i]! >= 0.5) !== (p2[k]! >= 0.5)) crossed[i] = 1;
    }
    return out;
  }

  /** The concerned rows with the state fields of their source's previous event, as a change of the encoded state columns. */
  private shift(batch: ConstraintBatch, encoder: Encoder, reuse = false): (Shift & { slack: Float64Array }) | null {
    if (!batch.previous || !batch.times) return null;
    const cols = this.columns(encoder);
    if (cols === null) return null;
    // Two passes (the slacks, then the concerned rows into exact-size typed arrays): no arrays grown and copied.
    const n = batch.rows.length;
    if (this.slackScratch.length < n) this.slackScratch = new Float64Array(Math.max(n, 2 * this.slackScratch.length));
    const all = this.slackScratch;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const s = this.slack(batch.rows[i]!, batch.previous[i] ?? null, batch.times[i]!);
      all[i] = s;
      if (!Number.isNaN(s)) count++;
    }
    if (count === 0) return null;
    const C = cols.length;
    // `reuse` (violations, which reads the shift before it returns): the last call's arrays when of this size.
    const same = reuse && this.shiftIdx.length === count && this.shiftValues.length === count * C;
    const idx = same ? this.shiftIdx : new Int32Array(count);
    const slack = same ? this.shiftSlack : new Float64Array(count);
    const values = same ? this.shiftValues : new Float64Array(count * C);
    if (reuse && !same) {
      this.shiftIdx = idx;
      this.shiftSlack = slack;
      this.shiftValues = values;
    }
    let r = 0;
    for (let i = 0; i < n; i++) {
      const s = all[i]!;
      if (Number.isNaN(s)) continue;
      const prev = batch.previous[i]!;
      idx[r] = i;
      slack[r] = s;
      for (let j = 0; j < C; j++) values[r * C + j] = encoder.standardise(cols[j]!, prevValue(prev, this.stateFields[j]!, j));
      r++;
    }
    return { idx, cols, values, slack };
  }

  plan(batch: ConstraintBatch, _X: Float64Array, encoder: Encoder): ConstraintPlan | null {
    const shift = this.shift(batch, encoder);
    if (!shift) return null;
    return { type: 'pair', space: 'prob', idx: shift.idx, cols: shift.cols, values: shift.values, slack: shift.slack, sign: 1, abs: true };
  }
}
