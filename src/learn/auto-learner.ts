import type { BuiltinConstraint, Scorer } from '../constraints/constraint';
import { ConstraintMeter } from '../constraints/constraint-meter';
import type { SourceHistoryState } from '../constraints/source-history';
import type { ViolationDetail } from '../constraints/violation-detail';
import type { Row } from '../types';
import type { ResolvedOptions } from './incremental-learner';
import type { Learner, LearnerOptions, LearnStep } from './learner';
import { RowCoder } from './tree/row-coder';
import { OptionError } from '../options/option-error';
import { shown } from '../options/check-options';
import type { LogisticBank } from './logistic-bank';
import { LearnerBase } from './learner-base';

/** How {@link AutoLearner} turns its members' predictions into one. */
export interface AutoOptions {
  /**
   * "best": the prediction of the member with the lowest recent prequential log loss; "hedge": the
   * Hedge mix Σ w_k p_k with w_k ∝ exp(−eta · L_k) (L_k the member's recent loss). Default "best"
   * (measured: bench/quality.mjs, docs/models.md).
   */
  combine?: 'best' | 'hedge';
  /**
   * What "best" minimises: "errors", the member's recent count of misclassified events E_k (forgotten
   * like L_k; ties go to the lower L_k), or "log-loss", its recent log loss L_k. Default "errors"
   * (measured: bench/quality.mjs, docs/models.md).
   */
  select?: 'errors' | 'log-loss';
  /** Half-life, in events, of the recent loss L_k (exponential forgetting). Default 500. */
  halfLife?: number;
  /** Hedge's learning rate η (on the summed, forgotten log loss). Default 1. */
  eta?: number;
  /**
   * Weight w of the fit term. After learning a batch of at least {@link fitRows} rows, each member
   * predicts that batch again — the model that will predict the next batch, on labels it has just seen —
   * and its errors F_k and log loss G_k there join the selection: "best" minimises E_k + w·F_k (ties:
   * L_k + w·G_k), Hedge weighs by L_k + w·G_k. It lets the choice follow a member that has just become
   * better without waiting a batch for prequential evidence. 0 turns it off. Default 1 (measured:
   * bench/quality.mjs, docs/models.md).
   */
  fitWeight?: number;
  /**
   * Smallest learned batch whose fit is measured (below it F_k = G_k = 0: at batch 1 the choice is the
   * prequential one alone, and no event is predicted twice). Default 64.
   */
  fitRows?: number;
}

/** {@link AutoOptions} with defaults filled in. */
export type ResolvedAutoOptions = Required<AutoOptions>;

/**
 * How the ensemble reaches one member: a learner of its own, or member `index` of a {@link LogisticBank}
 * (the logistic members learned in one pass over each batch; see create-learner).
 */
export type AutoMemberRuntime = { learner: AutoSolo } | { bank: LogisticBank; index: number };

/** What the ensemble needs of a member that learns on its own (a {@link Learner}, or the no-change member). */
export type AutoSolo = Pick<Learner, 'backend' | 'predictMany' | 'learnMany' | 'getState' | 'setState' | 'dispose'> & {
  /** learnMany without timing the step (RowLearner's): the ensemble times its own step and drops the members' ms. */
  learnUntimed?(rows: Row[], labels: ArrayLike<number>): LearnStep;
};

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
  const select = o.select ?? 'errors';
  if (select !== 'errors' && select !== 'log-loss') throw new Error(`auto.select must be "errors" or "log-loss", got ${JSON.stringify(select)}`);
  const halfLife = o.halfLife ?? 500;
  if (typeof halfLife !== 'number' || !(halfLife > 0) || !Number.isFinite(halfLife)) throw new Error(`auto.halfLife must be a number > 0, got ${String(halfLife)}`);
  const eta = o.eta ?? 1;
  if (typeof eta !== 'number' || !(eta > 0) || !Number.isFinite(eta)) throw new Error(`auto.eta must be a number > 0, got ${String(eta)}`);
  const fitWeight = o.fitWeight ?? 1;
  if (typeof fitWeight !== 'number' || !(fitWeight >= 0) || !Number.isFinite(fitWeight)) throw new Error(`auto.fitWeight must be a number >= 0, got ${String(fitWeight)}`);
  const fitRows = o.fitRows ?? 64;
  if (typeof fitRows !== 'number' || !Number.isInteger(fitRows) || fitRows < 1) throw new Error(`auto.fitRows must be an integer >= 1, got ${String(fitRows)}`);
  return { combine, select, halfLife, eta, fitWeight, fitRows };
}

/** What `run --json` reports of an auto learner. */
export interface AutoReport {
  members: string[];
  /** The member "best" predicts with now (fewest recent errors, or lowest recent log loss with select "log-loss"). */
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
  /** Recent misclassification counts E_k (absent in states saved before auto.select: zeros). */
  errors?: number[];
  /** Fit terms F_k (errors) and G_k (log loss) of the last learned batch (absent in states saved before auto.fitWeight: zeros). */
  fitErrors?: number[];
  fitLosses?: number[];
  history: SourceHistoryState[];
  skippedBatches: number;
  violations: { totals: number[]; rows: number };
}

/** Probabilities are clipped to [EPS, 1 − EPS] in the members' log loss (a tree leaf may say exactly 0 or 1). */
const EPS = 1e-6;
/** Rows whose members' predictions are kept between predictMany and learnMany (beyond, the memo restarts). */
const MEMO_ROWS = 1 << 16;
const now = (): number => performance.now();

/** Summed log loss (probabilities clipped to [EPS, 1 − EPS]) of the first n predictions p against labels. */
function logLossSum(p: Float64Array, labels: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const q = labels[i]! >= 0.5 ? p[i]! : 1 - p[i]!;
    sum -= Math.log(q < EPS ? EPS : q > 1 - EPS ? 1 - EPS : q);
  }
  return sum;
}

/** Misclassified count of the first n predictions p against labels. */
function wrongCount(p: Float64Array, labels: ArrayLike<number>, n: number): number {
  let wrong = 0;
  for (let i = 0; i < n; i++) if ((p[i]! >= 0.5) !== (labels[i]! >= 0.5)) wrong += 1;
  return wrong;
}

/**
 * `model: "auto"`: several learners ({@link AUTO_MEMBERS}) learn from every event, and the prediction is
 * the one of the member with the fewest recent prequential errors ("best"; or the lowest recent log loss
 * with select "log-loss"), or a Hedge mix.
 *
 * Prequential: in learnMany each member first predicts the batch with its current weights, its loss
 * L_k ← γ^n · L_k + Σ_batch log loss and error count E_k ← γ^n · E_k + Σ_batch [prediction ≠ label] are
 * updated from those predictions, and only then does it learn the batch (γ = 2^(−1/halfLife) per event).
 * Ties in E_k go to the lower L_k, then to the earlier member. Before any label every member predicts
 * the prior 0, so the choice starts with the first member.
 *
 * The fit term: the prequential errors of a batch were made by the models before they learned it, so
 * with large batches they are a batch stale, and the first batch (every member at its prior) tells
 * nothing. After learning a batch of at least fitRows rows each member therefore predicts it once more
 * (its fit: F_k errors, G_k log loss, replaced each batch) and the choice minimises E_k + w·F_k (ties:
 * L_k + w·G_k; Hedge: L_k + w·G_k). Measured on the quality suite at batch 256 (bench/quality.mjs): the
 * rows where the choice lagged (agrawal's first batches, the scenarios' early switches) meet the bar.
 *
 * predictMany asks every member and keeps their predictions per row until the next learning step, so
 * learnMany does not ask again for rows predicted since (the pipeline predicts each event before it
 * learns it): the same numbers, computed once. The logistic members may live in one
 * {@link LogisticBank} (one encoding per batch for all of them, bit-identical to separate learners).
 *
 * Constraints are measured on the ensemble's own prediction (the scorer is the ensemble); with λ > 0 the
 * gradient members train them, the tree measures only. A batch with a non-finite value or label is
 * refused by every member alike (the ensemble counts it once).
 */
export class AutoLearner extends LearnerBase implements Learner {
  readonly backend: string;
  private losses: Float64Array;
  private errors: Float64Array;
  /** Each member's errors F_k and log loss G_k on the last learned batch, predicted after learning it (zeros when not measured). */
  private fitErrors: Float64Array;
  private fitLosses: Float64Array;
  private skipped = 0;
  private readonly meter: ConstraintMeter;
  private readonly gamma: number;
  /** Reads numeric fields as the members do, to refuse a non-finite batch before any member counts it. */
  private readonly coder: RowCoder;
  private num: Float64Array;
  /** The banks, each with the member slots it serves; and the members that are learners of their own. */
  private readonly banks: { bank: LogisticBank; slots: number[] }[] = [];
  private readonly solos: { learner: AutoSolo; slot: number }[] = [];
  /** Members' predictions of rows predicted since the last learning step: row → position p, values memo[p·K + k]. */
  private readonly memoAt = new Map<Row, number>();
  private memo = new Float64Array(0);
  /**
   * The memo's one row while it holds exactly one and memoAt is empty (values at memo[0 .. K)): the
   * batch-1 loop (predict a row, learn it) keeps it without a Map entry to add, find and clear.
   */
  private memoOne: Row | null = null;
  /**
   * Scratch of the members' predictions of one batch (P[k][0 .. n), capacity ≥ n): predictAll and
   * recalled write here, and every reader copies what it keeps (the memo, the ensemble's prediction),
   * so a batch allocates nothing per member. Valid until the next predictAll or recalled.
   */
  private P: Float64Array[] = [];
  /** The bank slots as arrays of the members' scratch (one array per bank), rebuilt when the scratch grows. */
  private bankOut: Float64Array[][] = [];
  /** Per member: 1 when its learning step went through (scratch of learnMany). */
  private readonly ok: Uint8Array;

  constructor(
    readonly options: Readonly<ResolvedOptions>,
    readonly constraints: readonly BuiltinConstraint[],
    readonly auto: ResolvedAutoOptions,
    readonly memberNames: readonly string[],
    private readonly members: readonly AutoMemberRuntime[],
  ) {
    super();
    this.losses = new Float64Array(members.length);
    this.errors = new Float64Array(members.length);
    this.fitErrors = new Float64Array(members.length);
    this.fitLosses = new Float64Array(members.length);
    this.gamma = 2 ** (-1 / auto.halfLife);
    this.coder = new RowCoder(options.schema, { categoricalCapacity: options.categoricalCapacity, hashBuckets: options.hashBuckets });
    this.num = new Float64Array(this.coder.m);
    members.forEach((m, slot) => {
      if ('learner' in m) this.solos.push({ learner: m.learner, slot });
      else {
        let b = this.banks.find((e) => e.bank === m.bank);
        if (!b) this.banks.push((b = { bank: m.bank, slots: [] }));
        b.slots[m.index] = slot;
      }
    });
    for (const b of this.banks) {
      if (b.slots.length !== b.bank.size || b.slots.some((s) => s === undefined)) throw new Error('AutoLearner: every member of a logistic bank must be an ensemble member');
    }
    this.ok = new Uint8Array(members.length);
    this.backend = `auto(${[...new Set(members.map((m) => ('learner' in m ? m.learner.backend : 'fused')))].join(',')})`;
    this.meter = new ConstraintMeter(constraints);
  }

  get skippedBatches(): number {
    return this.skipped;
  }

  /** Member k's selection errors E_k + w·F_k. */
  private score(k: number): number {
    return this.errors[k]! + this.auto.fitWeight * this.fitErrors[k]!;
  }

  /** Member k's selection log loss L_k + w·G_k. */
  private loss(k: number): number {
    return this.losses[k]! + this.auto.fitWeight * this.fitLosses[k]!;
  }

  /** Index of the member "best" predicts with: fewest errors E_k + w·F_k (ties: lower L_k + w·G_k), or lowest L_k + w·G_k; the first on ties. */
  private best(): number {
    let k = 0;
    const K = this.members.length;
    if (this.auto.select === 'errors') {
      for (let i = 1; i < K; i++) {
        const a = this.score(i);
        const b = this.score(k);
        if (a < b || (a === b && this.loss(i) < this.loss(k))) k = i;
      }
      return k;
    }
    for (let i = 1; i < K; i++) if (this.loss(i) < this.loss(k)) k = i;
    return k;
  }

  /** Normalised Hedge weights exp(−η (L'_k − min L')), L'_k = L_k + w·G_k. */
  weights(): number[] {
    const L = this.members.map((_, k) => this.loss(k));
    const min = Math.min(...L);
    const w = L.map((l) => Math.exp(-this.auto.eta * (l - min)));
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  }

  /** Members, chosen member and weights, for `run --json`. */
  report(): AutoReport {
    return { members: [...this.memberNames], chosen: this.memberNames[this.best()]!, weights: this.weights() };
  }

  /** The members' prediction scratch with room for n rows (see {@link P}). */
  private scratch(n: number): Float64Array[] {
    if (this.P.length === 0 || this.P[0]!.length < n) {
      const size = Math.max(n, 2 * (this.P.length === 0 ? 0 : this.P[0]!.length), 8);
      this.P = this.members.map(() => new Float64Array(size));
      this.bankOut = this.banks.map(({ slots }) => slots.map((s) => this.P[s]!));
    }
    return this.P;
  }

  /** Every member's P(y = 1) of rows, into the scratch P[k][0 .. n). */
  private predictAll(rows: Row[]): Float64Array[] {
    const n = rows.length;
    const P = this.scratch(n);
    for (let b = 0; b < this.banks.length; b++) this.banks[b]!.bank.predictAll(rows, this.bankOut[b]!);
    for (let s = 0; s < this.solos.length; s++) {
      const { learner, slot } = this.solos[s]!;
      const q = learner.predictMany(rows);
      const out = P[slot]!;
      for (let i = 0; i < n; i++) out[i] = q[i]!;
    }
    return P;
  }

  /** Every member's P(y = 1) of rows they have just learned (nothing is observed or kept: the members stay as they are). */
  private refitAll(rows: Row[]): Float64Array[] {
    const out = this.members.map(() => new Float64Array(rows.length));
    for (const { bank, slots } of this.banks) bank.refitAll(rows, slots.map((s) => out[s]!));
    for (const { learner, slot } of this.solos) out[slot] = Float64Array.from(learner.predictMany(rows));
    return out;
  }

  /** Member k's P(y = 1) of rows (rows the constraints built: nothing is observed or kept). */
  private predictMember(k: number, rows: Row[]): Float64Array {
    const m = this.members[k]!;
    return 'learner' in m ? Float64Array.from(m.learner.predictMany(rows)) : m.bank.predictOne(m.index, rows);
  }

  /** The ensemble's prediction from the members' (P[k][0 .. n), or only the chosen one under "best"): a new array. */
  private combine(P: (k: number) => Float64Array, n: number): Float64Array {
    if (this.auto.combine === 'best') {
      const p = P(this.best());
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = p[i]!;
      return out;
    }
    const w = this.weights();
    const out = new Float64Array(n);
    for (let k = 0; k < this.members.length; k++) {
      if (w[k]! === 0) continue;
      const p = P(k);
      for (let i = 0; i < n; i++) out[i]! += w[k]! * p[i]!;
    }
    return out;
  }

  predictMany(rows: Row[]): Float64Array {
    const n = rows.length;
    if (n === 0) return new Float64Array(0);
    const P = this.predictAll(rows);
    this.remember(rows, P);
    return this.combine((k) => P[k]!, n);
  }

  /** Keeps the members' predictions of rows until the next learning step. */
  private remember(rows: Row[], P: Float64Array[]): void {
    const K = this.members.length;
    if (this.memoAt.size === 0 && rows.length === 1 && (this.memoOne === null || this.memoOne === rows[0])) {
      if (this.memo.length < K) this.memo = new Float64Array(64 * K);
      this.memoOne = rows[0]!;
      for (let k = 0; k < K; k++) this.memo[k] = P[k]![0]!;
      return;
    }
    // A second row: the single row moves into the Map (its values stay at position 0).
    if (this.memoOne !== null) {
      this.memoAt.set(this.memoOne, 0);
      this.memoOne = null;
    }
    if (this.memoAt.size + rows.length > MEMO_ROWS) this.memoAt.clear();
    const need = (this.memoAt.size + rows.length) * K;
    if (this.memo.length < need) {
      const grown = new Float64Array(Math.max(need, 2 * this.memo.length, 64 * K));
      grown.set(this.memo.subarray(0, this.memoAt.size * K));
      this.memo = grown;
    }
    for (let i = 0; i < rows.length; i++) {
      let p = this.memoAt.get(rows[i]!);
      if (p === undefined) {
        p = this.memoAt.size;
        this.memoAt.set(rows[i]!, p);
      }
      for (let k = 0; k < K; k++) this.memo[p * K + k] = P[k]![i]!;
    }
  }

  /** Empties the memo. */
  private forget(): void {
    this.memoOne = null;
    if (this.memoAt.size > 0) this.memoAt.clear();
  }

  /** The members' remembered predictions of rows, into the scratch P[k][0 .. n); null when some row was not predicted since the last step. */
  private recalled(rows: Row[]): Float64Array[] | null {
    const K = this.members.length;
    const n = rows.length;
    const P = this.scratch(n);
    const memo = this.memo;
    if (this.memoOne !== null) {
      for (let i = 0; i < n; i++) {
        if (rows[i] !== this.memoOne) return null;
        for (let k = 0; k < K; k++) P[k]![i] = memo[k]!;
      }
      return P;
    }
    // A row missing from the memo returns null half-way: the caller's predictAll then rewrites the whole scratch.
    for (let i = 0; i < n; i++) {
      const p = this.memoAt.get(rows[i]!);
      if (p === undefined) return null;
      const at = p * K;
      for (let k = 0; k < K; k++) P[k]![i] = memo[at + k]!;
    }
    return P;
  }

  violationsMany(rows: Row[], probs: Float64Array, times: number[]): Uint8Array {
    if (rows.length === 0) return new Uint8Array(0);
    const scorer: Scorer = { predictMany: (r: Row[]) => (r.length === 0 ? new Float64Array(0) : this.combine((k) => this.predictMember(k, r), r.length)) };
    // Under "best" with a logistic member chosen, the constraints see that member as they would by itself:
    // its encoding of this batch (shifted rows recomputed in encoded space) and its linear weights.
    let linear: ArrayLike<number> | undefined;
    const chosen = this.members[this.best()]!;
    if (this.auto.combine === 'best' && 'bank' in chosen) {
      const e = chosen.bank.encodedFor(chosen.index, rows);
      if (e) {
        scorer.encoded = e.encoded;
        linear = e.linear;
      }
    }
    return this.meter.measure(rows, probs, times, scorer, linear);
  }

  /** What the last violationsMany call measured, per row and constraint (null before the first). */
  lastViolationDetail(): ViolationDetail | null {
    return this.meter.lastDetail();
  }

  /** Per constraint (by name), rows whose ensemble prediction violated it, and rows measured. */
  violationCounts(): { rows: number; byConstraint: Record<string, number> } {
    return this.meter.counts();
  }

  learnMany(rows: Row[], labels: ArrayLike<number>): LearnStep {
    const t0 = now();
    if (!Array.isArray(rows)) throw new OptionError('rows', `learnMany: rows must be an array of objects, got ${shown(rows)}`);
    const n = rows.length;
    if (n === 0) return { rows: 0, loss: Number.NaN, skipped: false, ms: now() - t0 };
    if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new OptionError('labels', `learnMany: labels must be an array of 0/1 labels, got ${shown(labels)}`);
    if (labels.length !== n) throw new OptionError('labels', `learnMany: ${n} rows but ${labels.length} labels`);
    // Labels are checked before any member sees the batch (as each member checks them), so a bad one changes nothing.
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      if (typeof l !== 'number') throw new OptionError('labels', `learnMany: labels[${i}] must be 0 or 1 (or a probability in [0, 1]), got ${shown(l)}`);
      if (Number.isFinite(l) && (l < 0 || l > 1)) throw new OptionError('labels', `learnMany: labels[${i}] must be 0 or 1 (or a probability in [0, 1]), got ${l}`);
    }
    let bad = false;
    for (let i = 0; !bad && i < n; i++) if (typeof labels[i] === 'number' && !Number.isFinite(labels[i]!)) bad = true;
    for (let i = 0; !bad && i < n; i++) if (!this.coder.readNumeric(rows[i]!, this.num)) bad = true;
    if (bad) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    // Each member's prediction before it learns: remembered from predictMany, else asked now.
    const P = this.recalled(rows) ?? this.predictAll(rows);
    this.forget();
    // The chosen member's prequential loss is the ensemble's step loss under "best".
    const chosen = this.best();
    const decay = this.gamma ** n;
    const ok = this.ok;
    for (let k = 0; k < ok.length; k++) ok[k] = 0; // a loop: TypedArray fill is a runtime call
    let rowsUsed = 0;
    for (let b = 0; b < this.banks.length; b++) {
      const { bank, slots } = this.banks[b]!;
      const step = bank.learn(rows, labels);
      if (step.refused) continue;
      for (let j = 0; j < slots.length; j++) ok[slots[j]!] = Number.isNaN(step.losses[j]!) ? 0 : 1;
      rowsUsed = n;
    }
    for (let s = 0; s < this.solos.length; s++) {
      const { learner, slot } = this.solos[s]!;
      const step = learner.learnUntimed ? learner.learnUntimed(rows, labels) : learner.learnMany(rows, labels);
      if (step.skipped) continue;
      ok[slot] = 1;
      rowsUsed = Math.max(rowsUsed, step.rows);
    }
    if (ok.includes(0)) {
      // A member refused a batch that passed the check above (its own checks are the reference).
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    let stepLoss = Number.NaN;
    for (let k = 0; k < this.members.length; k++) {
      const sum = logLossSum(P[k]!, labels, n);
      this.losses[k] = decay * this.losses[k]! + sum;
      this.errors[k] = decay * this.errors[k]! + wrongCount(P[k]!, labels, n);
      if (k === chosen) stepLoss = sum / n;
    }
    for (let k = 0; k < this.members.length; k++) {
      this.fitErrors[k] = 0;
      this.fitLosses[k] = 0;
    }
    if (this.auto.fitWeight > 0 && n >= this.auto.fitRows) {
      const Q = this.refitAll(rows);
      for (let k = 0; k < this.members.length; k++) {
        this.fitLosses[k] = logLossSum(Q[k]!, labels, n);
        this.fitErrors[k] = wrongCount(Q[k]!, labels, n);
      }
    }
    return { rows: rowsUsed, loss: stepLoss, skipped: false, ms: now() - t0 };
  }

  getState(): AutoLearnerState {
    return {
      format: 'onthefly-learner',
      version: 1,
      model: 'auto',
      members: this.members.map((m) => ('learner' in m ? m.learner.getState() : m.bank.getState(m.index))),
      losses: Array.from(this.losses),
      errors: Array.from(this.errors),
      fitErrors: Array.from(this.fitErrors),
      fitLosses: Array.from(this.fitLosses),
      history: this.meter.historyStates(),
      skippedBatches: this.skipped,
      violations: this.meter.getCounts(),
    };
  }

  setState(state: unknown): void {
    const s = state as AutoLearnerState;
    if (!s || s.format !== 'onthefly-learner') throw new Error('not a learner state');
    const numbers = (a: unknown, n: number): boolean => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (s.model !== 'auto' || !Array.isArray(s.members) || s.members.length !== this.members.length || !numbers(s.losses, this.members.length) || (s.errors !== undefined && !numbers(s.errors, this.members.length))
      || (s.fitErrors !== undefined && !numbers(s.fitErrors, this.members.length)) || (s.fitLosses !== undefined && !numbers(s.fitLosses, this.members.length))
      || !s.violations || !numbers(s.violations.totals, this.constraints.length) || !Array.isArray(s.history) || typeof s.skippedBatches !== 'number') {
      throw new Error(`learner state does not match this learner (model ${String(s.model)}, not auto)`);
    }
    // Each bank's and member's setState is atomic; restore all of them or, if one refuses, put back the ones already set.
    const saved = this.getState().members;
    const undo: (() => void)[] = [];
    try {
      for (const { bank, slots } of this.banks) {
        bank.setStates(slots.map((k) => s.members[k]));
        undo.push(() => bank.setStates(slots.map((k) => saved[k])));
      }
      for (const { learner, slot } of this.solos) {
        learner.setState(s.members[slot]);
        undo.push(() => learner.setState(saved[slot]));
      }
    } catch (err) {
      for (const u of undo) u();
      throw err;
    }
    this.forget();
    this.losses = Float64Array.from(s.losses);
    this.errors = s.errors ? Float64Array.from(s.errors) : new Float64Array(this.members.length);
    this.fitErrors = s.fitErrors ? Float64Array.from(s.fitErrors) : new Float64Array(this.members.length);
    this.fitLosses = s.fitLosses ? Float64Array.from(s.fitLosses) : new Float64Array(this.members.length);
    this.meter.restore(s.violations, s.history);
    this.skipped = s.skippedBatches;
  }

  dispose(): void {
    for (const { learner } of this.solos) learner.dispose();
  }
}
