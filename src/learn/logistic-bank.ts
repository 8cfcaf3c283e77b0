import { FeatureSpace } from '../features/feature-space';
import { OptionError } from '../options/option-error';
import { shown } from '../options/check-options';
import type { EncodedBatch, Shift } from '../constraints/constraint';
import type { Row } from '../types';
import { checkLearnerState } from './check-learner-state';
import type { ResolvedOptions, LearnerState } from './incremental-learner';
import { bceWithLogit, sigmoid } from './network';
import { FusedOptimizer } from './optimizer';
import { optimizerConfig } from './optimizer-options';
import { Rng, type RngState } from './rng';
import { ScratchArrays } from './scratch-arrays';

/** What one learning step of a {@link LogisticBank} did, per member. */
export interface BankStep {
  /** The batch was refused before any member learned (a non-finite numeric value or label). */
  refused: boolean;
  /** Per member: the step's mean log loss before the update, or NaN when its step was rolled back (non-finite). Valid until the next learn (reused). */
  losses: Float64Array;
}

/**
 * K logistic regressions that see the same rows, learned in one pass: `model: "auto"`'s logistic
 * members (constant-step SGD and AdaGrad) when nothing but the task loss trains them (λ = 0, no replay,
 * no consolidation). The members' feature statistics are the same function of the same rows, so one
 * {@link FeatureSpace} encodes each batch once, and each member's logit and gradient are computed on
 * the batch's sparse index, visiting the same columns in the same order as the fused engine
 * (Network.affine / backward, FusedOptimizer.apply): the predictions, parameters and optimizer slots
 * are bit-identical to K separate {@link IncrementalLearner}s with these options (the update touches
 * only the coordinates with a non-zero gradient, which is exact for SGD and AdaGrad: a zero gradient
 * leaves both θ and AdaGrad's accumulator unchanged). Each member's state is a LearnerState of
 * model "logistic" (the same JSON as an IncrementalLearner's), so checkpoints are interchangeable.
 */
export class LogisticBank {
  readonly size: number;
  readonly features: FeatureSpace;
  private readonly dim: number;
  /** Per member: W (dim) then b, the layout of Network(dim, []). */
  private thetas: Float64Array[];
  private readonly opts: FusedOptimizer[];
  private readonly rates: number[];
  private readonly adagrad: boolean[];
  private steps: number[];
  private skipped: number[];
  private classCounts: [number, number] = [0, 0];
  private readonly rngStates: RngState[];
  private readonly grad: Float64Array;
  private readonly saved: Float64Array;
  /** Columns of the current step with a possibly non-zero gradient (unique), and a stamp per column. */
  private readonly touched: Int32Array;
  private readonly stamp: Int32Array;
  private stampNow = 0;
  /** The batch predictAll encoded last (valid until the next predictAll, learn or setStates), for the constraints' scorer. */
  private lastEncoded: { rows: readonly Row[]; X: Float64Array; cols: Int32Array; width: number } | null = null;
  private readonly floatScratch = new ScratchArrays((n) => new Float64Array(n));
  private readonly intScratch = new ScratchArrays((n) => new Int32Array(n));
  /** The losses of the last {@link learn} (see BankStep.losses). */
  private readonly losses: Float64Array;

  /**
   * `members`: each member's resolved options (logistic; SGD with a constant step, or AdaGrad);
   * `smoothness`, `constraintCount`: the members' smoothness constraints and constraints (for the state's shape).
   */
  constructor(readonly options: Readonly<ResolvedOptions>, readonly members: readonly Readonly<ResolvedOptions>[], private readonly smoothness: number, private readonly constraintCount: number) {
    for (const m of members) {
      if (m.model !== 'logistic' || !((m.optimizer === 'sgd' && m.lrSchedule === 'constant') || m.optimizer === 'adagrad')) {
        throw new Error(`LogisticBank: member ${m.model}/${m.optimizer}/${m.lrSchedule} is not logistic under constant SGD or AdaGrad`);
      }
    }
    this.size = members.length;
    this.features = new FeatureSpace(options.schema, { categoricalCapacity: options.categoricalCapacity, hashBuckets: options.hashBuckets, normalise: options.normalise });
    this.dim = this.features.dim;
    const P = this.dim + 1;
    this.thetas = members.map(() => new Float64Array(P));
    this.opts = members.map((m) => new FusedOptimizer(optimizerConfig(m), P));
    this.rates = members.map((m) => m.learningRate);
    this.adagrad = members.map((m) => m.optimizer === 'adagrad');
    this.steps = members.map(() => 0);
    this.skipped = members.map(() => 0);
    this.rngStates = members.map((m) => new Rng(m.seed).state());
    this.losses = new Float64Array(members.length);
    this.grad = new Float64Array(P);
    this.saved = new Float64Array(P);
    this.touched = new Int32Array(P);
    this.stamp = new Int32Array(P);
  }

  /** Member k's prior before its first step (positives / labels seen, 0 before any), or null once it stepped. */
  private prior(k: number): number | null {
    if (this.steps[k]! > 0) return null;
    const total = this.classCounts[0] + this.classCounts[1];
    return total > 0 ? this.classCounts[1] / total : 0;
  }

  /** Encodes rows into the named scratch: X (n × dim) and its sparse index. */
  private encode(rows: readonly Row[], name: string, raw?: Float64Array): { X: Float64Array; cols: Int32Array; width: number } {
    const n = rows.length;
    const width = this.features.nonZeroWidth;
    const cols = this.intScratch.get(name, n * width);
    const X = this.features.encodeMany(rows, raw, this.floatScratch.get(name, n * this.dim), cols);
    return { X, cols, width };
  }

  /** Member k's logits of the encoded rows into z (Network.affine's sum, in its order). */
  private logits(k: number, X: Float64Array, cols: Int32Array, width: number, n: number, z: Float64Array): void {
    const theta = this.thetas[k]!;
    const d = this.dim;
    const bias = theta[d]!;
    for (let i = 0; i < n; i++) {
      const r = i * d;
      const e = i * width;
      let s = bias;
      for (let c = 0; c < width; c++) {
        const j = cols[e + c]!;
        if (j < 0) break;
        const a = X[r + j]!;
        if (a !== 0) s += a * theta[j]!;
      }
      z[i] = s;
    }
  }

  /** P(y = 1) of every member for rows: out[k][i]. Observes the rows (derived features) as a learner's predictMany does. */
  predictAll(rows: readonly Row[], out: Float64Array[]): void {
    const n = rows.length;
    if (n === 0) return;
    this.features.observe(rows);
    const encoded = this.encode(rows, 'predict');
    this.lastEncoded = { rows, ...encoded };
    this.probabilities(encoded, n, out);
  }

  /**
   * P(y = 1) of every member for rows already observed (and learned): out[k][i]. Unlike predictAll it
   * observes nothing and keeps no encoding for the constraints (AutoLearner's fit of the batch it has
   * just learned), so it leaves the bank exactly as it was.
   */
  refitAll(rows: readonly Row[], out: Float64Array[]): void {
    const n = rows.length;
    if (n === 0) return;
    this.probabilities(this.encode(rows, 'fit'), n, out);
  }

  /** Every member's P(y = 1) for n encoded rows into out[k] (a member still untrained predicts its prior). */
  private probabilities(e: { X: Float64Array; cols: Int32Array; width: number }, n: number, out: Float64Array[]): void {
    for (let k = 0; k < this.size; k++) {
      const z = out[k]!;
      const prior = this.prior(k);
      if (prior !== null) {
        z.fill(prior, 0, n);
        continue;
      }
      this.logits(k, e.X, e.cols, e.width, n, z);
      for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]!);
    }
  }

  /** P(y = 1) of member k alone. */
  predictOne(k: number, rows: readonly Row[]): Float64Array {
    const n = rows.length;
    const z = new Float64Array(n);
    if (n === 0) return z;
    this.features.observe(rows);
    const prior = this.prior(k);
    if (prior !== null) return z.fill(prior);
    const { X, cols, width } = this.encode(rows, 'one');
    this.logits(k, X, cols, width, n, z);
    for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]!);
    return z;
  }

  /**
   * Member k on the batch predictAll encoded last, when `rows` is that very array and member k has
   * stepped (else null): what an IncrementalLearner's violationsMany gives its constraints — the
   * encoded rows, the model on encoded rows, shifted rows from the batch's logits (only the changed
   * columns recomputed, as Network.logitsShifted) and the linear weights.
   */
  encodedFor(k: number, rows: readonly Row[]): { encoded: EncodedBatch; linear: ArrayLike<number> } | null {
    const last = this.lastEncoded;
    if (last === null || last.rows !== rows || this.prior(k) !== null) return null;
    const theta = this.thetas[k]!;
    const d = this.dim;
    const n = rows.length;
    const { X, cols, width } = last;
    let H: Float64Array | null = null;
    const predict = (X2: Float64Array, m: number): Float64Array => {
      const z = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = theta[d]!;
        for (let j = 0; j < d; j++) {
          const a = X2[i * d + j]!;
          if (a !== 0) s += a * theta[j]!;
        }
        z[i] = sigmoid(s);
      }
      return z;
    };
    const predictShifted = (shift: Shift): Float64Array => {
      if (H === null) {
        H = this.floatScratch.get('shiftLogits', n);
        this.logits(k, X, cols, width, n, H);
      }
      const { idx, cols: changed, values } = shift;
      const C = changed.length;
      const z = new Float64Array(idx.length);
      for (let r = 0; r < idx.length; r++) {
        const i = idx[r]!;
        let a = H[i]!;
        for (let c = 0; c < C; c++) {
          const j = changed[c]!;
          const delta = values[r * C + c]! - X[i * d + j]!;
          if (delta !== 0) a += delta * theta[j]!;
        }
        z[r] = sigmoid(a);
      }
      return z;
    };
    // X is the scratch view of exactly n × dim entries that encode made (no new view needed).
    return { encoded: { X: X.length === n * d ? X : X.subarray(0, n * d), encoder: this.features, predict, predictShifted }, linear: theta };
  }

  /**
   * One learning step of every member on the batch, as IncrementalLearner.learnMany with λ = 0 and no
   * replay or consolidation: labels checked (an OptionError for a label outside [0, 1]), the batch
   * refused when a label or numeric value is non-finite, else the feature statistics updated, and each
   * member's full-batch gradient step (its rate × √n under batchScaling "sqrt"), rolled back when it
   * would make a parameter non-finite.
   */
  learn(rows: readonly Row[], labels: ArrayLike<number>): BankStep {
    const n = rows.length;
    const K = this.size;
    this.lastEncoded = null;
    const losses = this.losses;
    for (let k = 0; k < K; k++) losses[k] = Number.NaN;
    let bad = false;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (typeof l !== 'number') throw new OptionError('labels', `learnMany: labels[${i}] must be 0 or 1 (or a probability in [0, 1]), got ${shown(l)}`);
      if (!Number.isFinite(l)) bad = true;
      else if (l < 0 || l > 1) throw new OptionError('labels', `learnMany: labels[${i}] must be 0 or 1 (or a probability in [0, 1]), got ${l}`);
    }
    this.features.observe(rows);
    const raw = bad ? null : this.features.readRaw(rows);
    if (bad || this.features.hasNonFinite(rows, raw!)) {
      for (let k = 0; k < K; k++) this.skipped[k]! += 1;
      return { refused: true, losses };
    }
    this.features.update(rows, raw!);
    for (let i = 0; i < n; i++) this.classCounts[labels[i]! >= 0.5 ? 1 : 0] += 1;
    const { X, cols, width } = this.encode(rows, 'learn', raw!);
    const d = this.dim;
    const c = this.floatScratch.get('c', n);
    for (let i = 0; i < n; i++) c[i] = 1; // a loop: TypedArray fill is a runtime call
    if (this.options.classWeight === 'balanced') {
      const total = this.classCounts[0] + this.classCounts[1];
      const w0 = this.classCounts[0] > 0 ? total / (2 * this.classCounts[0]) : 1;
      const w1 = this.classCounts[1] > 0 ? total / (2 * this.classCounts[1]) : 1;
      for (let i = 0; i < n; i++) c[i] = labels[i]! >= 0.5 ? w1 : w0;
    }
    // The coordinates a step can change: the bias and every column some row may set (each once).
    const touched = this.touched;
    let T = 0;
    touched[T++] = d;
    this.stampNow += 1;
    if (this.stampNow === 0x7fffffff) { this.stamp.fill(0); this.stampNow = 1; }
    const stamp = this.stamp;
    const now = this.stampNow;
    for (let t = 0; t < n * width; t++) {
      const j = cols[t]!;
      if (j < 0) { t = (Math.floor(t / width) + 1) * width - 1; continue; }
      if (stamp[j] !== now) { stamp[j] = now; touched[T++] = j; }
    }
    const z = this.floatScratch.get('z', n);
    const dz = this.floatScratch.get('dz', n);
    const grad = this.grad;
    const saved = this.saved;
    const inv = 1 / n;
    const scale = this.options.batchScaling === 'sqrt' ? Math.sqrt(n) : 1;
    for (let k = 0; k < K; k++) {
      const theta = this.thetas[k]!;
      this.logits(k, X, cols, width, n, z);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const pi = sigmoid(z[i]!);
        const ci = c[i]!;
        const yi = labels[i]!;
        loss += ci * bceWithLogit(z[i]!, yi);
        dz[i] = ci * (pi - yi) * inv;
      }
      loss *= inv;
      for (let t = 0; t < T; t++) grad[touched[t]!] = 0;
      for (let i = 0; i < n; i++) {
        const dk = dz[i]!;
        if (dk === 0) continue;
        grad[d] += dk;
        const r = i * d;
        const e = i * width;
        for (let cc = 0; cc < width; cc++) {
          const j = cols[e + cc]!;
          if (j < 0) break;
          const a = X[r + j]!;
          if (a !== 0) grad[j] += a * dk;
        }
      }
      let ok = Number.isFinite(loss);
      for (let t = 0; ok && t < T; t++) if (!Number.isFinite(grad[touched[t]!]!)) ok = false;
      if (!ok) {
        this.skipped[k]! += 1;
        continue;
      }
      const opt = this.opts[k]!;
      opt.t += 1;
      const lr = this.rates[k]! * scale;
      // One pass per coordinate (touched holds each once): keep θ_j for a rollback, update it, check it.
      let finite = true;
      if (this.adagrad[k]) {
        const v = opt.v;
        const eps = 1e-7; // ADAGRAD.epsilon
        for (let t = 0; t < T; t++) {
          const j = touched[t]!;
          const old = theta[j]!;
          saved[j] = old;
          const g = grad[j]!;
          const G = v[j]! + g * g;
          v[j] = G;
          const x = old - (lr * g) / Math.sqrt(G + eps);
          theta[j] = x;
          if (x - x !== 0) finite = false;
        }
      } else {
        for (let t = 0; t < T; t++) {
          const j = touched[t]!;
          const old = theta[j]!;
          saved[j] = old;
          const x = old - lr * grad[j]!;
          theta[j] = x;
          if (x - x !== 0) finite = false;
        }
      }
      if (!finite) {
        // Back to the parameters before the step (the optimizer's slots keep this step's finite gradient).
        for (let t = 0; t < T; t++) theta[touched[t]!] = saved[touched[t]!]!;
        this.skipped[k]! += 1;
        continue;
      }
      this.steps[k]! += 1;
      losses[k] = loss;
    }
    return { refused: false, losses };
  }

  /** Member k's state: the JSON an IncrementalLearner with its options would save. */
  getState(k: number): LearnerState {
    return {
      format: 'onthefly-learner',
      version: 1,
      model: 'logistic',
      hidden: [],
      dim: this.dim,
      params: Array.from(this.thetas[k]!),
      optimizer: this.opts[k]!.getState(),
      features: this.features.getState(),
      classCounts: [this.classCounts[0], this.classCounts[1]],
      replay: null,
      rng: { ...this.rngStates[k]! },
      consolidation: { anchor: null, fisher: null, acc: null, accRows: 0, rowsSinceAnchor: 0 },
      history: Array.from({ length: this.smoothness }, () => ({ train: [], measure: [] })),
      steps: this.steps[k]!,
      skippedBatches: this.skipped[k]!,
      violations: { totals: new Array<number>(this.constraintCount).fill(0), rows: 0 },
      constraintSteps: 0,
    };
  }

  /**
   * Replaces every member's state (getState's, one per member). Checked in full first (as
   * IncrementalLearner.setState does; the members must share one feature state): on an error nothing
   * has changed.
   */
  setStates(states: readonly unknown[]): void {
    if (states.length !== this.size) throw new OptionError('state', `learner state: ${states.length} logistic member states for ${this.size} members`);
    states.forEach((s, k) => checkLearnerState(s, {
      model: 'logistic', hidden: [], dim: this.dim, size: this.dim + 1, optimizer: this.members[k]!.optimizer,
      numericFields: this.features.numericFields.length, categoricalFields: this.features.categoricalFields.length,
      categoricalCapacity: this.features.capacity, smoothness: this.smoothness, constraints: 0,
    }));
    const all = states as LearnerState[];
    const f0 = JSON.stringify(all[0]!.features);
    const c0 = JSON.stringify(all[0]!.classCounts);
    for (let k = 1; k < this.size; k++) {
      if (JSON.stringify(all[k]!.features) !== f0 || JSON.stringify(all[k]!.classCounts) !== c0) {
        throw new OptionError('state', `learner state: the logistic members' feature statistics differ (member ${k}); they must be one stream's`);
      }
    }
    const opts = this.members.map((m) => new FusedOptimizer(optimizerConfig(m), this.dim + 1));
    opts.forEach((o, k) => o.setState(all[k]!.optimizer)); // throws on a mismatch before anything changed
    const before = this.features.getState();
    try {
      this.features.setState(all[0]!.features);
    } catch (err) {
      this.features.setState(before);
      throw err;
    }
    this.lastEncoded = null;
    this.thetas = all.map((s) => Float64Array.from(s.params));
    opts.forEach((o, k) => this.opts[k]!.setState(o.getState()));
    this.classCounts = [all[0]!.classCounts[0], all[0]!.classCounts[1]];
    this.steps = all.map((s) => s.steps);
    this.skipped = all.map((s) => s.skippedBatches);
    all.forEach((s, k) => { this.rngStates[k] = { ...s.rng }; });
  }
}
