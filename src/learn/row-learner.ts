import type { BuiltinConstraint } from '../constraints/constraint';
import { ConstraintMeter } from '../constraints/constraint-meter';
import type { SourceHistoryState } from '../constraints/source-history';
import type { ViolationDetail } from '../constraints/violation-detail';
import type { Row } from '../types';
import type { ResolvedOptions } from './incremental-learner';
import type { Learner, LearnStep } from './learner';
import { RowCoder, type RowCoderState } from './tree/row-coder';
import { LearnerBase } from './learner-base';

/**
 * A model over coded rows (see {@link RowCoder}): m numeric values (NaN = missing) and q nominal codes.
 * Binary labels 0/1; `w` is the example's weight (1 unless a forest resamples).
 */
export interface RowModel {
  /** Learns one example; returns P(y = 1) as predictOne gave it just before (for the step's loss). */
  learnOne(num: Float64Array, nom: Int32Array, y: 0 | 1, w: number): number;
  /** P(y = 1). Pure. */
  predictOne(num: Float64Array, nom: Int32Array): number;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Checkpoint format of a {@link RowLearner} (JSON-safe). */
export interface RowLearnerState {
  format: 'onthefly-learner';
  version: 1;
  model: string;
  coder: RowCoderState;
  state: unknown;
  classCounts: [number, number];
  history: SourceHistoryState[];
  steps: number;
  skippedBatches: number;
  violations: { totals: number[]; rows: number };
}

const now = (): number => performance.now();
/** Probabilities are clipped to [EPS, 1 − EPS] in the reported log loss (as scikit-learn's log_loss). */
const EPS = 1e-15;

/**
 * The {@link Learner} of the models that read raw rows one at a time (naive Bayes, Hoeffding trees,
 * forests): input checks, the coder, constraint measurement and checkpoints live here.
 *
 * - learnMany refuses a batch holding a non-finite label or numeric value (the model is unchanged),
 *   then learns the rows in order; its `loss` is the batch's mean log loss of the predictions made just
 *   before each row was learned (progressive validation), probabilities clipped to [1e-15, 1 − 1e-15].
 * - Constraints are measured in violationsMany on the raw rows, like for the other models; they are
 *   never trained (these models have no gradient), so λ has no effect. Custom (tfjs) constraints are
 *   refused by createLearner for these models.
 */
export class RowLearner extends LearnerBase implements Learner {
  private classCounts: [number, number] = [0, 0];
  private steps = 0;
  private skipped = 0;
  private readonly meter: ConstraintMeter;
  private num: Float64Array;
  private readonly nom: Int32Array;
  private batchNum = new Float64Array(0);

  constructor(
    readonly options: Readonly<ResolvedOptions>,
    readonly constraints: readonly BuiltinConstraint[],
    readonly coder: RowCoder,
    private readonly model: RowModel,
    readonly backend: string,
  ) {
    super();
    this.num = new Float64Array(coder.m);
    this.nom = new Int32Array(coder.q);
    this.meter = new ConstraintMeter(constraints);
  }

  get skippedBatches(): number {
    return this.skipped;
  }

  /** Number of learnMany calls that learned. */
  get stepCount(): number {
    return this.steps;
  }

  /** P(y = 1) of one coded row: the class prior seen so far until the model has learned (0 before any label). */
  private predictCoded(num: Float64Array, nom: Int32Array): number {
    const total = this.classCounts[0] + this.classCounts[1];
    if (total === 0) return 0;
    return this.model.predictOne(num, nom);
  }

  predictMany(rows: Row[]): Float64Array {
    const out = new Float64Array(rows.length);
    const { num, nom, coder } = this;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      coder.readNumeric(row, num);
      // A non-finite value (refused in training) reads as missing here.
      for (let k = 0; k < num.length; k++) if (num[k] === Number.POSITIVE_INFINITY) num[k] = Number.NaN;
      coder.readNominal(row, nom, false);
      out[i] = this.predictCoded(num, nom);
    }
    return out;
  }

  violationsMany(rows: Row[], probs: Float64Array, times: number[]): Uint8Array {
    return this.meter.measure(rows, probs, times, { predictMany: (r: Row[]) => this.predictMany(r) });
  }

  /** What the last violationsMany call measured, per row and constraint (null before the first). */
  lastViolationDetail(): ViolationDetail | null {
    return this.meter.lastDetail();
  }

  /** Per constraint (by name), rows whose prediction violated it over all violationsMany calls, and rows measured. */
  violationCounts(): { rows: number; byConstraint: Record<string, number> } {
    return this.meter.counts();
  }

  learnMany(rows: Row[], labels: ArrayLike<number>): LearnStep {
    const t0 = now();
    const step = this.learnUntimed(rows, labels);
    step.ms = now() - t0;
    return step;
  }

  /** {@link learnMany} without its clock (ms 0): for an ensemble that times its own step (AutoLearner). */
  learnUntimed(rows: Row[], labels: ArrayLike<number>): LearnStep {
    const n = rows.length;
    if (n === 0) return { rows: 0, loss: Number.NaN, skipped: false, ms: 0 };
    if (labels.length !== n) throw new Error(`learnMany: ${n} rows but ${labels.length} labels`);
    const m = this.coder.m;
    if (this.batchNum.length < n * m) this.batchNum = new Float64Array(Math.max(n * m, 2 * this.batchNum.length));
    const raw = this.batchNum;
    let bad = false;
    for (let i = 0; !bad && i < n; i++) if (!Number.isFinite(labels[i]!)) bad = true;
    for (let i = 0; !bad && i < n; i++) if (!this.coder.readNumeric(rows[i]!, raw, i * m)) bad = true;
    if (bad) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: 0 };
    }
    const { nom } = this;
    const num = m === this.num.length ? this.num : (this.num = new Float64Array(m));
    let loss = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) num[k] = raw[i * m + k]!;
      this.coder.readNominal(rows[i]!, nom, true);
      const y: 0 | 1 = labels[i]! >= 0.5 ? 1 : 0;
      const p = this.model.learnOne(num, nom, y, 1);
      const q = y === 1 ? p : 1 - p;
      loss -= Math.log(q < EPS ? EPS : q > 1 - EPS ? 1 - EPS : q);
      this.classCounts[y] += 1;
    }
    this.steps += 1;
    return { rows: n, loss: loss / n, skipped: false, ms: 0 };
  }

  getState(): RowLearnerState {
    return {
      format: 'onthefly-learner',
      version: 1,
      model: this.options.model,
      coder: this.coder.getState(),
      state: this.model.getState(),
      classCounts: [this.classCounts[0], this.classCounts[1]],
      history: this.meter.historyStates(),
      steps: this.steps,
      skippedBatches: this.skipped,
      violations: this.meter.getCounts(),
    };
  }

  setState(state: unknown): void {
    const s = state as RowLearnerState;
    if (!s || s.format !== 'onthefly-learner') throw new Error('not a learner state');
    if (s.model !== this.options.model || !('coder' in s)) throw new Error(`learner state does not match this learner (model ${String(s.model)}, not ${this.options.model})`);
    const counts = (a: unknown, n: number): boolean => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!counts(s.classCounts, 2) || !s.violations || !counts(s.violations.totals, this.constraints.length) || !Array.isArray(s.history) || typeof s.steps !== 'number' || typeof s.skippedBatches !== 'number') {
      throw new Error(`learner state does not match this learner (model ${this.options.model})`);
    }
    // Everything that can throw first, on copies: a refused state leaves the learner as it was.
    const coder = new RowCoder(this.options.schema, { categoricalCapacity: this.options.categoricalCapacity, hashBuckets: this.options.hashBuckets });
    coder.setState(s.coder);
    this.model.setState(s.state);
    this.coder.setState(s.coder);
    this.classCounts = [s.classCounts[0], s.classCounts[1]];
    this.meter.restore(s.violations, s.history);
    this.steps = s.steps;
    this.skipped = s.skippedBatches;
  }

  dispose(): void {
    // Nothing to free: typed arrays only.
  }
}

