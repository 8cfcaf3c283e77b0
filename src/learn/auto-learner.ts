import { type ConstraintBatch, type PrevState, type Scorer } from '../constraints/constraint';
import { emptyViolationDetail, recordViolations, type ViolationDetail } from '../constraints/violation-detail';
import type { BuiltinConstraint } from '../constraints/constraint';
import { SmoothnessConstraint } from '../constraints/smoothness';
import { SourceHistory, type SourceHistoryState } from '../constraints/source-history';
import type { Row } from '../types';
import type { ResolvedOptions } from './incremental-learner';
import type { Learner, LearnerOptions, LearnStep } from './learner';
import { RowCoder } from './tree/row-coder';

/** How {@link AutoLearner} turns its members' predictions into one. */
export interface AutoOptions {
  /**
   * "best": the prediction of the member with the lowest recent prequential log loss; "hedge": the
   * Hedge mix Σ w_k p_k with w_k ∝ exp(−eta · L_k) (L_k the member's recent loss). Default "best"
   * (measured: bench/quality.mjs, docs/models.md).
   */
  combine?: 'best' | 'hedge';
  /** Half-life, in events, of the recent loss L_k (exponential forgetting). Default 500. */
  halfLife?: number;
  /** Hedge's learning rate η (on the summed, forgotten log loss). Default 1. */
  eta?: number;
}

/** {@link AutoOptions} with defaults filled in. */
export type ResolvedAutoOptions = Required<AutoOptions>;

/** One member of the ensemble: its name and the options that make it differ from the shared ones. */
export interface AutoMember {
  name: string;
  options: Partial<LearnerOptions>;
}

/**
 * The members of `model: "auto"`: logistic regression under constant-step SGD at three step sizes
 * spanning 0.01–1, logistic under AdaGrad (an adaptive per-coordinate step), and a Hoeffding tree.
 */
export const AUTO_MEMBERS: readonly AutoMember[] = [
  { name: 'logistic/sgd 0.01', options: { model: 'logistic', optimizer: 'sgd', learningRate: 0.01 } },
  { name: 'logistic/sgd 0.1', options: { model: 'logistic', optimizer: 'sgd', learningRate: 0.1 } },
  { name: 'logistic/sgd 1', options: { model: 'logistic', optimizer: 'sgd', learningRate: 1 } },
  { name: 'logistic/adagrad 0.1', options: { model: 'logistic', optimizer: 'adagrad', learningRate: 0.1 } },
  { name: 'hoeffding-tree', options: { model: 'hoeffding-tree' } },
];

/** Fills in and checks {@link AutoOptions}; throws an Error naming the field. */
export function resolveAutoOptions(o: AutoOptions = {}): ResolvedAutoOptions {
  const combine = o.combine ?? 'best';
  if (combine !== 'best' && combine !== 'hedge') throw new Error(`auto.combine must be "best" or "hedge", got ${JSON.stringify(combine)}`);
  const halfLife = o.halfLife ?? 500;
  if (typeof halfLife !== 'number' || !(halfLife > 0) || !Number.isFinite(halfLife)) throw new Error(`auto.halfLife must be a number > 0, got ${String(halfLife)}`);
  const eta = o.eta ?? 1;
  if (typeof eta !== 'number' || !(eta > 0) || !Number.isFinite(eta)) throw new Error(`auto.eta must be a number > 0, got ${String(eta)}`);
  return { combine, halfLife, eta };
}

/** What `run --json` reports of an auto learner. */
export interface AutoReport {
  members: string[];
  /** The member with the lowest recent loss now (the one predicting under "best"). */
  chosen: string;
  /** Hedge weights exp(−η·L_k), normalised (under "best" they show how clear the choice is). */
  weights: number[];
}

/** Checkpoint format of an {@link AutoLearner} (JSON-safe). */
export interface AutoLearnerState {
  format: 'onthefly-learner';
  version: 1;
  model: 'auto';
  members: unknown[];
  losses: number[];
  history: SourceHistoryState[];
  skippedBatches: number;
  violations: { totals: number[]; rows: number };
}

/** Probabilities are clipped to [EPS, 1 − EPS] in the members' log loss (a tree leaf may say exactly 0 or 1). */
const EPS = 1e-6;
const now = (): number => performance.now();

/**
 * `model: "auto"`: several learners ({@link AUTO_MEMBERS}) learn from every event, and the prediction is
 * the one of the member with the lowest recent prequential log loss ("best"), or a Hedge mix.
 *
 * Prequential: in learnMany each member first predicts the batch with its current weights, its loss
 * L_k ← γ^n · L_k + Σ_batch log loss is updated from those predictions, and only then does it learn the
 * batch (γ = 2^(−1/halfLife) per event). Ties go to the earlier member. Before any label every member
 * predicts the prior 0, so the choice starts with the first member.
 *
 * Constraints are measured on the ensemble's own prediction (the scorer is the ensemble); with λ > 0 the
 * gradient members train them, the tree measures only. A batch with a non-finite value or label is
 * refused by every member alike (the ensemble counts it once).
 */
export class AutoLearner implements Learner {
  readonly backend: string;
  private losses: Float64Array;
  private skipped = 0;
  private violationTotals: number[] = [];
  private measuredRows = 0;
  private detail: ViolationDetail | null = null;
  private readonly smooth: { index: number; history: SourceHistory }[] = [];
  private readonly gamma: number;
  /** Reads numeric fields as the members do, to refuse a non-finite batch before any member counts it. */
  private readonly coder: RowCoder;
  private num: Float64Array;

  constructor(
    readonly options: Readonly<ResolvedOptions>,
    readonly constraints: readonly BuiltinConstraint[],
    readonly auto: ResolvedAutoOptions,
    readonly memberNames: readonly string[],
    private readonly members: readonly Learner[],
  ) {
    this.losses = new Float64Array(members.length);
    this.gamma = 2 ** (-1 / auto.halfLife);
    this.coder = new RowCoder(options.schema, { categoricalCapacity: options.categoricalCapacity, hashBuckets: options.hashBuckets });
    this.num = new Float64Array(this.coder.m);
    this.backend = `auto(${[...new Set(members.map((m) => m.backend))].join(',')})`;
    constraints.forEach((c, index) => {
      if (c instanceof SmoothnessConstraint || c.kind === 'smoothness') {
        const s = c as SmoothnessConstraint;
        this.smooth.push({ index, history: new SourceHistory(s.sourceField, s.stateFields) });
      }
    });
  }

  get skippedBatches(): number {
    return this.skipped;
  }

  /** Index of the member with the lowest recent loss (the first on ties). */
  private best(): number {
    let k = 0;
    for (let i = 1; i < this.losses.length; i++) if (this.losses[i]! < this.losses[k]!) k = i;
    return k;
  }

  /** Normalised Hedge weights exp(−η (L_k − min L)). */
  weights(): number[] {
    const min = this.losses[this.best()]!;
    const w = Array.from(this.losses, (l) => Math.exp(-this.auto.eta * (l - min)));
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  }

  /** Members, chosen member and weights, for `run --json`. */
  report(): AutoReport {
    return { members: [...this.memberNames], chosen: this.memberNames[this.best()]!, weights: this.weights() };
  }

  predictMany(rows: Row[]): Float64Array {
    if (this.auto.combine === 'best') return Float64Array.from(this.members[this.best()]!.predictMany(rows));
    const w = this.weights();
    const out = new Float64Array(rows.length);
    this.members.forEach((m, k) => {
      if (w[k]! === 0) return;
      const p = m.predictMany(rows);
      for (let i = 0; i < rows.length; i++) out[i]! += w[k]! * p[i]!;
    });
    return out;
  }

  violationsMany(rows: Row[], probs: Float64Array, times: number[]): Uint8Array {
    const out = new Uint8Array(rows.length);
    if (rows.length === 0) return out;
    const scorer: Scorer = { predictMany: (r: Row[]) => this.predictMany(r) };
    const previous = new Map<number, (PrevState | null)[]>();
    for (const s of this.smooth) previous.set(s.index, s.history.advance(rows, times));
    const detail = emptyViolationDetail(this.constraints.map((c) => c.name), rows.length);
    this.constraints.forEach((c, index) => {
      const batch: ConstraintBatch = { rows, times, previous: previous.get(index) };
      const crossed = new Uint8Array(rows.length);
      const v = c.violations(batch, scorer, probs, crossed);
      this.violationTotals[index] = (this.violationTotals[index] ?? 0) + recordViolations(detail, index, v, crossed, out);
    });
    this.detail = detail;
    this.measuredRows += rows.length;
    return out;
  }

  /** What the last violationsMany call measured, per row and constraint (null before the first). */
  lastViolationDetail(): ViolationDetail | null {
    return this.detail;
  }

  /** Per constraint (by name), rows whose ensemble prediction violated it, and rows measured. */
  violationCounts(): { rows: number; byConstraint: Record<string, number> } {
    const byConstraint: Record<string, number> = {};
    this.constraints.forEach((c, i) => { byConstraint[c.name] = (byConstraint[c.name] ?? 0) + (this.violationTotals[i] ?? 0); });
    return { rows: this.measuredRows, byConstraint };
  }

  learnMany(rows: Row[], labels: ArrayLike<number>): LearnStep {
    const t0 = now();
    const n = rows.length;
    if (n === 0) return { rows: 0, loss: Number.NaN, skipped: false, ms: now() - t0 };
    if (labels.length !== n) throw new Error(`learnMany: ${n} rows but ${labels.length} labels`);
    let bad = false;
    for (let i = 0; !bad && i < n; i++) if (typeof labels[i] === 'number' && !Number.isFinite(labels[i]!)) bad = true;
    for (let i = 0; !bad && i < n; i++) if (!this.coder.readNumeric(rows[i]!, this.num)) bad = true;
    if (bad) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    // The chosen member's prequential loss is the ensemble's step loss under "best".
    const chosen = this.best();
    const decay = this.gamma ** n;
    const before = Float64Array.from(this.losses);
    let rowsUsed = 0;
    let stepLoss = Number.NaN;
    let skipped = false;
    for (let k = 0; k < this.members.length; k++) {
      const m = this.members[k]!;
      const p = m.predictMany(rows);
      const step = m.learnMany(rows, labels);
      if (step.skipped) {
        skipped = true;
        continue;
      }
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const q = labels[i]! >= 0.5 ? p[i]! : 1 - p[i]!;
        sum -= Math.log(q < EPS ? EPS : q > 1 - EPS ? 1 - EPS : q);
      }
      this.losses[k] = decay * this.losses[k]! + sum;
      if (k === chosen) stepLoss = sum / n;
      rowsUsed = Math.max(rowsUsed, step.rows);
    }
    if (skipped) {
      // A member refused a batch that passed the check above (its own checks are the reference).
      this.losses = before;
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    return { rows: rowsUsed, loss: stepLoss, skipped: false, ms: now() - t0 };
  }

  getState(): AutoLearnerState {
    return {
      format: 'onthefly-learner',
      version: 1,
      model: 'auto',
      members: this.members.map((m) => m.getState()),
      losses: Array.from(this.losses),
      history: this.smooth.map((s) => s.history.getState()),
      skippedBatches: this.skipped,
      violations: { totals: this.constraints.map((_, i) => this.violationTotals[i] ?? 0), rows: this.measuredRows },
    };
  }

  setState(state: unknown): void {
    const s = state as AutoLearnerState;
    if (!s || s.format !== 'onthefly-learner') throw new Error('not a learner state');
    const numbers = (a: unknown, n: number): boolean => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (s.model !== 'auto' || !Array.isArray(s.members) || s.members.length !== this.members.length || !numbers(s.losses, this.members.length)
      || !s.violations || !numbers(s.violations.totals, this.constraints.length) || !Array.isArray(s.history) || typeof s.skippedBatches !== 'number') {
      throw new Error(`learner state does not match this learner (model ${String(s.model)}, not auto)`);
    }
    // Members' setState are each atomic; restore all of them or, if one refuses, put back the ones already set.
    const saved = this.members.map((m) => m.getState());
    let k = 0;
    try {
      for (; k < this.members.length; k++) this.members[k]!.setState(s.members[k]);
    } catch (err) {
      for (let j = 0; j < k; j++) this.members[j]!.setState(saved[j]);
      throw err;
    }
    this.losses = Float64Array.from(s.losses);
    this.smooth.forEach((e, i) => e.history.setState(s.history[i] ?? []));
    this.skipped = s.skippedBatches;
    this.violationTotals = [...s.violations.totals];
    this.measuredRows = s.violations.rows;
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}
