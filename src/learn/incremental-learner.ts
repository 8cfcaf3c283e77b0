import type { Row } from '../types';
import { parseTime, type ConstraintBatch, type ConstraintPlan, type PrevState, type Penalty, type Scorer, type EncodedBatch, type Shift } from '../constraints/constraint';
import { CustomConstraint } from '../constraints/custom';
import { emptyViolationDetail, recordViolations, type ViolationDetail } from '../constraints/violation-detail';
import type { Constraint } from '../constraints/make-constraint';
import { SmoothnessConstraint } from '../constraints/smoothness';
import { MonotoneConstraint } from '../constraints/monotone';
import { SlopeConstraint } from '../constraints/slope';
import { observeRanges, rangePoints, type FieldRanges } from '../constraints/range-points';
import { SourceHistory, type SourceHistoryState } from '../constraints/source-history';
import { FeatureSpace, type FeatureState } from '../features/feature-space';
import type { Engine, OptimizerState, TrainBatch } from './engine';
import { FusedEngine } from './fused-engine';
import type { Learner, LearnerOptions, LearnStep } from './learner';
import { sigmoid, type Network, type Rows, type SparseIndex } from './network';
import { densify, isSparseRows, type SparseRows } from '../features/sparse-rows';
import { ReplayBuffer, type ReplayState } from './replay-buffer';
import { Rng, type RngState } from './rng';
import { ScratchArrays } from './scratch-arrays';
import { OptionError } from '../options/option-error';
import { shown } from '../options/check-options';
import { checkLearnerState } from './check-learner-state';
import { LearnerBase } from './learner-base';

/** The options after defaults (see {@link LearnerOptions}). */
export type ResolvedOptions = Required<Omit<LearnerOptions, 'constraints'>>;

/** Checkpoint format of a learner (JSON-safe). */
export interface LearnerState {
  format: 'onthefly-learner';
  version: 1;
  model: string;
  hidden: number[];
  dim: number;
  params: number[];
  optimizer: OptimizerState;
  features: FeatureState;
  classCounts: [number, number];
  replay: ReplayState | null;
  rng: RngState;
  consolidation: { anchor: number[] | null; fisher: number[] | null; acc: number[] | null; accRows: number; rowsSinceAnchor: number };
  /** Per smoothness constraint (in constraint order): source histories for training and for measuring. */
  history: { train: SourceHistoryState; measure: SourceHistoryState }[];
  steps: number;
  skippedBatches: number;
  /** Violations counted per constraint by violationsMany, and rows measured. */
  violations: { totals: number[]; rows: number };
  /** Penalty-only steps (constrainMany). Absent in older states: 0. */
  constraintSteps?: number;
  /** The multiplier of each constraint under `lambda: "auto"` (in constraint order). Absent: all 0. */
  multipliers?: number[];
  /** `constraintPoints: "range"`: the observed [min, max] of each monotone/slope field, and the RNG of the range points. */
  range?: { fields: [string, number, number][]; rng: RngState };
}

const now = (): number => performance.now();

/**
 * The learner shared by both engines: features, class weights, replay, constraint plans,
 * consolidation and checkpoints live here; the engine does the forward/backward and the update.
 */
export class IncrementalLearner extends LearnerBase implements Learner {
  private replayBuffer: ReplayBuffer | null;
  private classCounts: [number, number] = [0, 0];
  private anchor: Float64Array | null = null;
  private fisher: Float64Array | null = null;
  private fisherAcc: Float64Array | null = null;
  private accRows = 0;
  private rowsSinceAnchor = 0;
  private steps = 0;
  private skipped = 0;
  private violationTotals: number[] = [];
  /** Penalty-only steps taken by constrainMany (they count towards the penalty's warm-up). */
  private constraintSteps = 0;
  private measuredRows = 0;
  /** `lambda: "auto"`: one multiplier per constraint, adapted by dual ascent after every step. */
  private readonly auto: boolean;
  private duals: Float64Array;
  /** `constraintPoints: "range"`: the fields of the monotone and slope constraints, their observed ranges and the points' own RNG. */
  private readonly rangeFields: string[];
  private ranges: FieldRanges = new Map();
  private readonly rangeRng: Rng | null;
  private detail: ViolationDetail | null = null;
  private readonly smooth: { index: number; c: SmoothnessConstraint; train: SourceHistory; measure: SourceHistory }[];
  private readonly timeField: string;
  /** The last batch predictMany encoded (reused by violationsMany on the same array). */
  private lastEncoded: { rows: Row[]; X: Rows; H: Float64Array | null } | null = null;
  /**
   * The fused engine's encoded batch (sparse rows, reused from batch to batch): predictMany's (valid
   * until the next predictMany or learnMany, which drops it first) and then learnMany's or
   * constrainMany's (valid during that call). Its size follows the batch's non-zeros, not n × dim.
   */
  private sparseBatch: SparseRows | null = null;
  /**
   * Encoded batches and their sparse indexes, reused from batch to batch (allocating and zeroing a
   * fresh 256 × dim matrix costs more than encoding into it): "predict" (valid until the next
   * predictMany or learnMany) and "learn" (valid during learnMany).
   */
  private readonly floatScratch = new ScratchArrays((n) => new Float64Array(n));
  private readonly intScratch = new ScratchArrays((n) => new Int32Array(n));

  constructor(
    readonly options: Readonly<ResolvedOptions>,
    readonly constraints: readonly Constraint[],
    readonly features: FeatureSpace,
    readonly net: Network,
    private readonly engine: Engine,
    private readonly rng: Rng,
    /** tfjs module, when loaded (custom constraints in violationsMany). */
    private readonly tf: any = null,
  ) {
    super();
    this.replayBuffer = options.replay > 0 ? new ReplayBuffer(options.replaySize) : null;
    this.timeField = options.schema.timestamp ?? 'timestamp';
    this.auto = options.lambda === 'auto';
    this.duals = new Float64Array(constraints.length);
    const fields = new Set<string>();
    if (options.constraintPoints === 'range') {
      for (const c of constraints) if (c instanceof MonotoneConstraint || c instanceof SlopeConstraint) fields.add(c.field);
    }
    this.rangeFields = [...fields];
    // A stream of its own: the replay sample and the model's start stay those of "local".
    this.rangeRng = this.rangeFields.length > 0 ? new Rng(`${String(options.seed)}:range-points`) : null;
    this.smooth = [];
    constraints.forEach((c, index) => {
      if (c instanceof SmoothnessConstraint || c.kind === 'smoothness') {
        const s = c as SmoothnessConstraint;
        this.smooth.push({ index, c: s, train: new SourceHistory(s.sourceField, s.stateFields), measure: new SourceHistory(s.sourceField, s.stateFields) });
      }
    });
  }

  get backend(): string {
    return this.engine.backend;
  }

  get skippedBatches(): number {
    return this.skipped;
  }

  /** Number of optimisation steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * The prediction of an untrained model: before the first learning step, the class prior
   * p̂ = positives / labels of the batches learnMany accepted so far (0 when none); null once a
   * step was taken (the model predicts).
   */
  untrainedPrior(): number | null {
    if (this.steps > 0) return null;
    const total = this.classCounts[0] + this.classCounts[1];
    return total > 0 ? this.classCounts[1] / total : 0;
  }

  predictMany(rows: Row[]): Float64Array {
    if (rows.length === 0) return new Float64Array(0);
    this.features.observe(rows); // derived features: from the events before these
    const n = rows.length;
    const prior = this.untrainedPrior();
    if (this.engine instanceof FusedEngine && this.engine.sparseRows) {
      // Sparse rows: memory and time follow the batch's non-zeros, not its n × dim.
      this.lastEncoded = null; // its rows may be the scratch about to be overwritten
      const S = this.encodeBatch(rows);
      if (prior !== null) {
        this.lastEncoded = { rows, X: S, H: null };
        return new Float64Array(n).fill(prior);
      }
      // The fused engine's forward pass in two parts, keeping the first layer for violationsMany.
      const theta = this.engine.params;
      const H = this.net.firstLayer(theta, S, n);
      const z = this.net.logitsFromFirstLayer(theta, H, n);
      for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]!);
      this.lastEncoded = { rows, X: S, H };
      return z;
    }
    if (prior !== null) {
      // Encoded anyway: violationsMany reuses the encoding of this very array.
      const X = this.features.encodeMany(rows, undefined, this.floatScratch.get('predict', n * this.features.dim));
      this.lastEncoded = { rows, X, H: null };
      return new Float64Array(n).fill(prior);
    }
    if (!(this.engine instanceof FusedEngine)) {
      const X = this.features.encodeMany(rows, undefined, this.floatScratch.get('predict', n * this.features.dim));
      this.lastEncoded = { rows, X, H: null };
      return this.engine.predict(X, n);
    }
    const nz = this.sparseScratch('predict', n);
    const X = this.features.encodeMany(rows, undefined, this.floatScratch.get('predict', n * this.features.dim), nz.cols);
    // The fused engine's forward pass in two parts, keeping the first layer for violationsMany.
    const theta = this.engine.params;
    const H = this.net.firstLayer(theta, X, n, nz);
    const z = this.net.logitsFromFirstLayer(theta, H, n);
    for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]!);
    this.lastEncoded = { rows, X, H };
    return z;
  }

  /**
   * The encoding of `rows`: the one predictMany just made when it was called with this very array
   * and nothing was learned since (the pipeline's predict-then-measure), else a fresh one.
   */
  private encodedOf(rows: Row[]): { X: Rows; H: Float64Array | null } {
    const last = this.lastEncoded;
    return last !== null && last.rows === rows ? last : { X: this.encodeFresh(rows), H: null };
  }

  /** True when batches are encoded as sparse rows (the fused engine, unless built with sparseRows false); else densely (tfjs). */
  private get sparse(): boolean {
    return this.engine instanceof FusedEngine && this.engine.sparseRows;
  }

  /** New encoded rows (not the scratch): sparse for the fused engine, dense for tfjs. */
  private encodeFresh(rows: readonly Row[]): Rows {
    return this.sparse ? this.features.encodeSparse(rows) : this.features.encodeMany(rows);
  }

  /** The fused engine's batch scratch, encoded from rows (raw: their numeric values, when read already). */
  private encodeBatch(rows: readonly Row[], raw?: Float64Array): SparseRows {
    const S = this.features.encodeSparse(rows, raw, this.sparseBatch ?? undefined);
    this.sparseBatch = S;
    return S;
  }

  violationsMany(rows: Row[], probs: Float64Array, times: number[]): Uint8Array {
    const out = new Uint8Array(rows.length);
    if (rows.length === 0) return out;
    const { X, H: firstLayer } = this.encodedOf(rows);
    const prior = this.untrainedPrior();
    const scorer = this.scorerOf(rows.length, X, firstLayer);
    const previous = new Map<number, (PrevState | null)[]>();
    for (const s of this.smooth) previous.set(s.index, s.measure.advance(rows, times));
    const linear = prior === null ? this.linearWeights() : undefined;
    const detail = emptyViolationDetail(this.constraints.map((c) => c.name), rows.length);
    this.constraints.forEach((c, index) => {
      let v: ArrayLike<number>;
      let crossed: Uint8Array | null = null;
      if (c.kind === 'custom') {
        if (!this.tf) return;
        v = this.customViolations(c as CustomConstraint, rows, X, probs);
      } else {
        const batch: ConstraintBatch = { rows, times, previous: previous.get(index), linear };
        crossed = new Uint8Array(rows.length);
        v = c.violations(batch, scorer, probs, crossed);
      }
      this.violationTotals[index] = (this.violationTotals[index] ?? 0) + recordViolations(detail, index, v, crossed, out);
    });
    this.detail = detail;
    this.measuredRows += rows.length;
    return out;
  }

  /**
   * The model as a {@link Scorer} of n encoded rows X (with their first layer H when known).
   * Untrained: every row, shifted or not, is predicted as the prior (as predictMany does).
   */
  private scorerOf(n: number, X: Rows, firstLayer: Float64Array | null): Scorer {
    const prior = this.untrainedPrior();
    const predict = (X2: Rows, m: number): Float64Array => (prior !== null ? new Float64Array(m).fill(prior) : this.engine.predict(X2, m));
    let dense: Float64Array | null = isSparseRows(X) ? null : X;
    const encoded: EncodedBatch = {
      // Dense rows only when a constraint asks for them (none of the built-ins does on this path).
      get X(): Float64Array {
        return (dense ??= densify(X as SparseRows));
      },
      encoder: this.features,
      predict,
    };
    if (prior !== null && isSparseRows(X)) encoded.predictShifted = (shift: Shift): Float64Array => new Float64Array(shift.idx.length).fill(prior);
    const theta = this.engine instanceof FusedEngine && prior === null ? this.engine.params : null;
    if (theta) {
      // Shifted rows from the batch's first layer: only the changed columns are recomputed.
      let H: Float64Array | null = firstLayer;
      encoded.predictShifted = (shift: Shift): Float64Array => {
        H ??= this.net.firstLayer(theta, X, n);
        const z = this.net.logitsShifted(theta, X, H, shift.idx, shift.cols, shift.values);
        for (let i = 0; i < z.length; i++) z[i] = sigmoid(z[i]!);
        return z;
      };
    }
    // Rows the constraints build themselves are predicted into fresh arrays: X (a scratch) stays valid.
    return { predictMany: (r: Row[]) => (r.length === 0 ? new Float64Array(0) : predict(this.encodeFresh(r), r.length)), encoded };
  }

  /** The λ of constraint j in force: the global λ, or its own adapted multiplier under `lambda: "auto"`. */
  private lambdaOf(j: number): number {
    return this.auto ? this.duals[j]! : (this.options.lambda as number);
  }

  /** Whether steps penalise constraints at all: λ > 0, or "auto". */
  private get penalised(): boolean {
    return this.auto || (this.options.lambda as number) > 0;
  }

  /**
   * `lambda: "auto"`: the share of the step's rows violating each constraint with the model before the
   * step (v̂_j, measured as violationsMany does), for the dual update after it.
   */
  private stepViolations(batches: (ConstraintBatch | null)[], rows: Row[], X: Rows): Float64Array | null {
    if (!this.auto) return null;
    const N = rows.length;
    const scorer = this.scorerOf(N, X, null);
    const prior = this.untrainedPrior();
    const probs = prior !== null ? new Float64Array(N).fill(prior) : this.engine.predict(X, N);
    const share = new Float64Array(this.constraints.length);
    this.constraints.forEach((c, j) => {
      let v: ArrayLike<number>;
      if (c.kind === 'custom') {
        if (!this.tf) return;
        v = this.customViolations(c as CustomConstraint, rows, X, probs);
      } else {
        const batch = batches[j];
        if (!batch) return;
        v = c.violations(batch, scorer, probs);
      }
      let count = 0;
      for (let i = 0; i < N; i++) if (v[i]! > 0) count += 1;
      share[j] = count / N;
    });
    return share;
  }

  /**
   * Projected dual ascent on the constraints' multipliers (Mahdavi et al., JMLR 2012; Yu, Neely & Wei,
   * NeurIPS 2017): λ_j ← max(0, λ_j + η_λ · (v̂_j − E)), with E = violationTarget and η_λ = lambdaRate.
   */
  private dualStep(share: Float64Array | null): void {
    if (!share) return;
    const { violationTarget: E, lambdaRate: eta } = this.options;
    for (let j = 0; j < share.length; j++) this.duals[j] = Math.max(0, this.duals[j]! + eta * (share[j]! - E));
  }

  /** A custom (tfjs) constraint's violations of rows (encoded as X) predicted as probs. */
  private customViolations(c: CustomConstraint, rows: Row[], X: Rows, probs: Float64Array): ArrayLike<number> {
    const tf = this.tf;
    const D = isSparseRows(X) ? densify(X) : X;
    const t = tf.tidy(() => c.fn(tf.tensor1d(Float32Array.from(probs)), { rows, X: tf.tensor2d(Float32Array.from(D.subarray(0, rows.length * this.features.dim)), [rows.length, this.features.dim]) }));
    const v = t.dataSync() as ArrayLike<number>;
    t.dispose();
    return v;
  }

  /** Each constraint's multiplier by name: λ · weight (under `lambda: "auto"`, its adapted λ_j · weight). */
  multipliers(): Record<string, number> {
    const out: Record<string, number> = {};
    this.constraints.forEach((c, j) => { out[c.name] = (out[c.name] ?? 0) + this.lambdaOf(j) * c.weight; });
    return out;
  }

  /**
   * A training batch's encoding (lastEncoded must be dropped first: the fused engine's rows reuse
   * predictMany's scratch): sparse rows for the fused engine, dense rows and their sparse index for tfjs.
   */
  private encodeLearn(rows: readonly Row[], raw: Float64Array | undefined): { X: Rows; nz?: SparseIndex } {
    if (this.sparse) return { X: this.encodeBatch(rows, raw) };
    const nz = this.sparseScratch('learn', rows.length);
    return { X: this.features.encodeMany(rows, raw, this.floatScratch.get('learn', rows.length * this.features.dim), nz.cols), nz };
  }

  /** What the last violationsMany call measured, per row and constraint (null before the first). */
  lastViolationDetail(): ViolationDetail | null {
    return this.detail;
  }

  /** A scratch sparse index for `rows` encoded rows (filled by encodeMany). */
  private sparseScratch(name: string, rows: number): SparseIndex {
    const width = this.features.nonZeroWidth;
    return { cols: this.intScratch.get(name, rows * width), width };
  }

  /**
   * The logit's weight per encoded column when it is linear in them (logistic regression on the
   * fused engine: W comes first in the parameters), for constraints that can prove they hold.
   */
  private linearWeights(): ArrayLike<number> | undefined {
    return this.net.hidden.length === 0 && this.engine instanceof FusedEngine ? this.engine.params : undefined;
  }

  /**
   * Per constraint (by name, in constraint order), the number of rows whose prediction violated it
   * over all violationsMany calls so far, and the number of rows measured.
   */
  violationCounts(): { rows: number; byConstraint: Record<string, number> } {
    const byConstraint: Record<string, number> = {};
    this.constraints.forEach((c, i) => { byConstraint[c.name] = (byConstraint[c.name] ?? 0) + (this.violationTotals[i] ?? 0); });
    return { rows: this.measuredRows, byConstraint };
  }

  learnMany(rows: Row[], labels: ArrayLike<number>, eventTimes?: ArrayLike<number>): LearnStep {
    const t0 = now();
    if (!Array.isArray(rows)) throw new OptionError('rows', `learnMany: rows must be an array of objects, got ${shown(rows)}`);
    const n = rows.length;
    if (n === 0) return { rows: 0, loss: Number.NaN, skipped: false, ms: now() - t0 };
    this.lastEncoded = null; // feature statistics are about to change
    if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new OptionError('labels', `learnMany: labels must be an array of 0/1 labels, got ${shown(labels)}`);
    if (labels.length !== n) throw new OptionError('labels', `learnMany: ${n} rows but ${labels.length} labels`);
    if (eventTimes && eventTimes.length !== n) throw new OptionError('times', `learnMany: ${n} rows but ${eventTimes.length} times`);
    let bad = false;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (typeof l !== 'number') throw new OptionError('labels', `learnMany: labels[${i}] must be 0 or 1 (or a probability in [0, 1]), got ${shown(l)}`);
      if (!Number.isFinite(l)) bad = true;
      else if (l < 0 || l > 1) throw new OptionError('labels', `learnMany: labels[${i}] must be 0 or 1 (or a probability in [0, 1]), got ${l}`);
    }
    this.features.observe(rows); // rows predicted before keep the values of their arrival
    const raw = bad ? null : this.features.readRaw(rows);
    if (bad || this.features.hasNonFinite(rows, raw!)) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    const o = this.options;
    this.features.update(rows, raw!);
    if (this.rangeRng) observeRanges(this.ranges, this.rangeFields, rows);
    for (let i = 0; i < n; i++) this.classCounts[labels[i]! >= 0.5 ? 1 : 0] += 1;

    // Replay: floor(replay·n) rows, plus one more with probability frac(replay·n).
    let allRows: Row[] = rows;
    const y: number[] = Array.from(labels);
    if (this.replayBuffer && this.replayBuffer.size > 0) {
      const want = o.replay * n;
      let k = Math.floor(want);
      if (this.rng.next() < want - k) k += 1;
      if (k > 0) {
        const r = this.replayBuffer.sample(k, this.rng);
        allRows = rows.concat(r.rows);
        for (const l of r.labels) y.push(l);
      }
    }
    // Range points (constraintPoints "range"): one unlabelled copy of each novel row, its monotone/slope
    // fields drawn over their observed ranges, appended after the labelled rows with no task loss.
    const labelledN = allRows.length;
    if (this.rangeRng && this.penalised) {
      const extra = rangePoints(rows, this.ranges, this.rangeRng);
      allRows = allRows.concat(extra);
      for (let i = 0; i < extra.length; i++) y.push(0);
    }
    const N = allRows.length;
    const { X, nz } = this.encodeLearn(allRows, N === n ? raw! : undefined);
    const c = new Float64Array(N).fill(1);
    if (o.classWeight === 'balanced') {
      const total = this.classCounts[0] + this.classCounts[1];
      const w0 = this.classCounts[0] > 0 ? total / (2 * this.classCounts[0]) : 1;
      const w1 = this.classCounts[1] > 0 ? total / (2 * this.classCounts[1]) : 1;
      for (let i = 0; i < labelledN; i++) c[i] = y[i]! >= 0.5 ? w1 : w0;
    }
    // The engine divides by its N rows: with range points, weights N/labelledN keep the task loss and the
    // penalty per labelled row (the range rows weigh 0 in the task loss).
    const spread = N / labelledN;
    if (N > labelledN) {
      for (let i = 0; i < labelledN; i++) c[i]! *= spread;
      c.fill(0, labelledN);
    }

    const plans: { plan: ConstraintPlan; coef: number; penalty: Penalty }[] = [];
    const custom: { constraint: CustomConstraint; coef: number }[] = [];
    const measured: (ConstraintBatch | null)[] = this.constraints.map(() => null);
    if (this.penalised) {
      let times: number[] | null = null;
      this.constraints.forEach((con, index) => {
        const lambda = this.lambdaOf(index);
        if (!this.auto && lambda * con.weight === 0) return;
        if (con.kind === 'custom') {
          // Custom violations are probabilities: one logit is about 1/4 of probability near p = 0.5.
          const unit = (con.scale > 0 ? con.scale : 1) / 4;
          const W = o.penaltyWarmup;
          const ramp = W > 0 ? Math.min(1, (this.steps + 1) / W) : 1;
          custom.push({ constraint: con as CustomConstraint, coef: (spread * ramp * lambda * con.weight) / (con.penalty === 'squared' ? unit * unit : unit) });
          return;
        }
        const batch: ConstraintBatch = { rows: allRows, linear: this.linearWeights() };
        measured[index] = batch;
        const s = this.smooth.find((e) => e.index === index);
        if (s) {
          times ??= eventTimes ? Array.from(eventTimes) : rows.map((r) => parseTime(r[this.timeField]));
          const prev = s.train.advance(rows, times);
          batch.times = times.concat(new Array(N - n).fill(Number.NaN));
          batch.previous = prev.concat(new Array(N - n).fill(null));
        }
        const made = con.plan(batch, X, this.features);
        if (!made) return;
        for (const plan of Array.isArray(made) ? made : [made]) {
          plans.push({ plan, coef: spread * this.penaltyCoef(lambda * con.weight, con.scale, con.penalty, plan), penalty: con.penalty });
        }
      });
    }
    const share = this.stepViolations(measured, allRows, X);

    const consolidation = o.consolidation > 0 && this.anchor
      ? { strength: o.consolidation, F: o.consolidationKind === 'ewc' ? this.fisher : null, anchor: this.anchor }
      : null;
    const learningRate = o.batchScaling === 'sqrt' ? o.learningRate * Math.sqrt(n) : o.learningRate;
    const batch: TrainBatch = { X, n: N, y: Float64Array.from(y), c, rows: allRows, plans, custom, learningRate, consolidation };
    if (nz) batch.nz = nz;
    // scikit-learn's "optimal" schedule comes with its L2 penalty of the same α (penalty="l2").
    if (o.optimizer === 'sgd' && o.lrSchedule === 'optimal') batch.weightDecay = o.alpha;
    const loss = this.engine.step(batch);
    if (Number.isNaN(loss)) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    this.steps += 1;
    this.dualStep(share);
    if (this.replayBuffer) for (let i = 0; i < n; i++) this.replayBuffer.add(rows[i]!, labels[i]!, this.rng);
    if (o.consolidation > 0) this.consolidate(X, nz, Float64Array.from(y), n);
    return { rows: N, loss, skipped: false, ms: now() - t0 };
  }

  /**
   * A penalty-only step on rows whose labels are not known yet (`--unlabelled on`): the constraints'
   * penalty (λ as in learnMany) on these rows and no task loss; feature statistics stay as they are
   * (the rows update them when their labels come). Temporal smoothness is left out: its per-source
   * history follows the labelled rows. Nothing happens at λ = 0 or when no constraint concerns the rows.
   */
  constrainMany(rows: Row[]): LearnStep {
    const t0 = now();
    const o = this.options;
    const n = rows.length;
    if (n === 0 || !this.penalised) return { rows: 0, loss: 0, skipped: false, ms: now() - t0 };
    const raw = this.features.readRaw(rows);
    if (this.features.hasNonFinite(rows, raw)) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    this.lastEncoded = null;
    const { X, nz } = this.encodeLearn(rows, raw);
    const plans: { plan: ConstraintPlan; coef: number; penalty: Penalty }[] = [];
    const linear = this.linearWeights();
    const measured: (ConstraintBatch | null)[] = this.constraints.map(() => null);
    this.constraints.forEach((con, index) => {
      const lambda = this.lambdaOf(index);
      if (con.kind === 'custom' || con.kind === 'smoothness' || (!this.auto && lambda * con.weight === 0)) return;
      const batch: ConstraintBatch = { rows, linear };
      measured[index] = batch;
      const made = con.plan(batch, X, this.features);
      if (!made) return;
      for (const plan of Array.isArray(made) ? made : [made]) {
        plans.push({ plan, coef: this.penaltyCoef(lambda * con.weight, con.scale, con.penalty, plan), penalty: con.penalty });
      }
    });
    const share = this.stepViolations(measured, rows, X);
    if (plans.length === 0) {
      this.dualStep(share);
      return { rows: 0, loss: 0, skipped: false, ms: now() - t0 };
    }
    const learningRate = (o.batchScaling === 'sqrt' ? o.learningRate * Math.sqrt(n) : o.learningRate) * o.unlabelledStep;
    const zeros = new Float64Array(n);
    const batch: TrainBatch = { X, n, y: zeros, c: zeros, rows, plans, custom: [], learningRate, consolidation: null };
    if (nz) batch.nz = nz;
    const loss = this.engine.step(batch);
    if (Number.isNaN(loss)) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    this.constraintSteps += 1;
    this.dualStep(share);
    return { rows: n, loss, skipped: false, ms: now() - t0 };
  }

  /**
   * The engine's coefficient of one constraint plan. The penalty of a step is
   *   λ_t · w · (1/N) · Σ_pairs ℓ(v / unit),   v in logits, unit = scale (default 1 logit),
   * i.e. λ per squared logit of violation, summed over the constrained pairs and divided by the
   * step's N rows (the mean over pairs times the share of rows they concern): a pair never weighs
   * more than λ task rows. A plan in probability space (smoothness) counts 1/4 of probability as one
   * logit (dp ≤ dz/4). λ_t ramps linearly from λ/W to λ over the first W = penaltyWarmup steps, so
   * the penalty of a random start cannot fill Adam's second moments (β2 = 0.999 keeps them for
   * thousands of steps). Measured alternatives (stationary, MLP, 20k events, λ = 10): dividing by the
   * pairs instead of N put the whole λ on the ~1 row per batch the floor concerns and cost 0.136 F1.
   */
  private penaltyCoef(weight: number, scale: number, penalty: Penalty, plan: ConstraintPlan): number {
    const unit = (scale > 0 ? scale : 1) * (plan.space === 'logit' ? 1 : 0.25);
    const W = this.options.penaltyWarmup;
    const ramp = W > 0 ? Math.min(1, (this.steps + this.constraintSteps + 1) / W) : 1;
    return (ramp * weight) / (penalty === 'squared' ? unit * unit : unit);
  }

  /**
   * Consolidation bookkeeping after a step. EWC accumulates the per-row squared gradients of the
   * task loss (the empirical diagonal Fisher) over the novel rows. Every `anchorEvery` novel rows
   * the anchor is refreshed: θ* ← θ, and F ← F_new the first time, then F ← γ·F + (1 − γ)·F_new
   * (γ = fisherDecay), where F_new is the mean per-row squared gradient since the last refresh.
   * Before the first refresh there is no anchor and no penalty.
   */
  private consolidate(X: Rows, nz: SparseIndex | undefined, y: Float64Array, n: number): void {
    const o = this.options;
    const theta = this.engine.getParams();
    if (o.consolidationKind === 'ewc') {
      this.fisherAcc ??= new Float64Array(this.net.size);
      const cache = this.net.forward(theta, X, n, nz);
      const dz = new Float64Array(n);
      for (let i = 0; i < n; i++) dz[i] = sigmoid(cache.z[i]!) - y[i]!;
      this.net.backward(theta, X, n, cache, dz, this.fisherAcc, true, nz);
      this.accRows += n;
    }
    this.rowsSinceAnchor += n;
    if (this.rowsSinceAnchor < o.anchorEvery) return;
    this.rowsSinceAnchor = 0;
    this.anchor = theta;
    if (o.consolidationKind === 'ewc' && this.fisherAcc && this.accRows > 0) {
      const fresh = this.fisherAcc.map((v) => v / this.accRows);
      if (!this.fisher) this.fisher = fresh;
      else {
        const g = o.fisherDecay;
        for (let k = 0; k < fresh.length; k++) this.fisher[k] = g * this.fisher[k]! + (1 - g) * fresh[k]!;
      }
      this.fisherAcc.fill(0);
      this.accRows = 0;
    }
  }

  getState(): LearnerState {
    const arr = (a: Float64Array | null): number[] | null => (a ? Array.from(a) : null);
    return {
      format: 'onthefly-learner',
      version: 1,
      model: this.options.model,
      hidden: [...this.net.hidden],
      dim: this.features.dim,
      params: Array.from(this.engine.getParams()),
      optimizer: this.engine.getOptimizerState(),
      features: this.features.getState(),
      classCounts: [this.classCounts[0], this.classCounts[1]],
      replay: this.replayBuffer ? this.replayBuffer.getState() : null,
      rng: this.rng.state(),
      consolidation: {
        anchor: arr(this.anchor), fisher: arr(this.fisher), acc: arr(this.fisherAcc),
        accRows: this.accRows, rowsSinceAnchor: this.rowsSinceAnchor,
      },
      history: this.smooth.map((s) => ({ train: s.train.getState(), measure: s.measure.getState() })),
      steps: this.steps,
      skippedBatches: this.skipped,
      violations: { totals: this.constraints.map((_, i) => this.violationTotals[i] ?? 0), rows: this.measuredRows },
      constraintSteps: this.constraintSteps,
      ...(this.auto ? { multipliers: Array.from(this.duals) } : {}),
      ...(this.rangeRng ? { range: { fields: [...this.ranges].map(([f, [lo, hi]]) => [f, lo, hi] as [string, number, number]), rng: this.rangeRng.state() } } : {}),
    };
  }

  /**
   * Replaces the whole state by one from getState(). Atomic: the state is checked first in full
   * (checkLearnerState: every section's shape, parameters and slots finite and of the right length);
   * on an {@link OptionError} nothing has changed and predictions stay bit-identical. Should applying
   * a checked state still fail, the previous state is put back before the error is rethrown.
   */
  setState(state: unknown): void {
    checkLearnerState(state, {
      model: this.options.model, hidden: this.net.hidden, dim: this.features.dim, size: this.net.size,
      optimizer: this.options.optimizer, numericFields: this.features.numericFields.length,
      categoricalFields: this.features.categoricalFields.length, categoricalCapacity: this.features.capacity,
      smoothness: this.smooth.length, constraints: this.constraints.length,
    });
    const before = this.getState();
    try {
      this.applyState(state as LearnerState);
    } catch (err) {
      this.applyState(before);
      throw err;
    }
  }

  private applyState(s: LearnerState): void {
    this.lastEncoded = null;
    const f64 = (a: number[] | null | undefined): Float64Array | null => (a ? Float64Array.from(a) : null);
    this.features.setState(s.features);
    this.engine.setParams(Float64Array.from(s.params));
    this.engine.setOptimizerState(s.optimizer);
    this.classCounts = [s.classCounts[0], s.classCounts[1]];
    if (this.replayBuffer) this.replayBuffer.setState(s.replay ?? { rows: [[], []], labels: [[], []], seen: [0, 0] });
    this.rng.setState(s.rng);
    this.anchor = f64(s.consolidation.anchor);
    this.fisher = f64(s.consolidation.fisher);
    this.fisherAcc = f64(s.consolidation.acc);
    this.accRows = s.consolidation.accRows;
    this.rowsSinceAnchor = s.consolidation.rowsSinceAnchor;
    this.smooth.forEach((e, i) => {
      const h = s.history[i];
      e.train.setState(h ? h.train : []);
      e.measure.setState(h ? h.measure : []);
    });
    this.steps = s.steps;
    this.skipped = s.skippedBatches;
    this.violationTotals = s.violations ? [...s.violations.totals] : [];
    this.measuredRows = s.violations ? s.violations.rows : 0;
    this.duals = s.multipliers ? Float64Array.from(s.multipliers) : new Float64Array(this.constraints.length);
    if (this.rangeRng) {
      this.ranges = new Map((s.range?.fields ?? []).map(([f, lo, hi]) => [f, [lo, hi]]));
      if (s.range) this.rangeRng.setState(s.range.rng);
    }
    this.constraintSteps = typeof s.constraintSteps === 'number' && Number.isInteger(s.constraintSteps) && s.constraintSteps >= 0 ? s.constraintSteps : 0;
  }

  dispose(): void {
    this.engine.dispose();
  }
}
