import type { Row, Schema } from '../types';
import type { ViolationDetail } from '../constraints/violation-detail';
import type { AutoOptions } from './auto-learner';
import type { TreeOptions } from './tree/tree-options';

/** Options for {@link createLearner}. Every field has a documented default. */
export interface LearnerOptions {
  /** Which fields are features. Required. */
  schema: Schema;
  /**
   * Model family. Default "auto" (the ensemble below), or "logistic" when an option only a single model
   * uses is set (optimizer, learningRate, lrSchedule, alpha, powerT, beta1, beta2, ftrlBeta, l1, l2,
   * hidden, tfjsBackend, engine "tfjs", a drift detector, a custom constraint; see defaultModel). "naive-bayes", "hoeffding-tree", "hat" (Hoeffding adaptive tree)
   * and "arf" (adaptive random forest) read raw rows and measure constraints without training them (docs/models.md).
   */
  model?: 'logistic' | 'mlp' | 'naive-bayes' | 'hoeffding-tree' | 'hat' | 'arf' | 'auto';
  /**
   * Options of model "auto" (an ensemble of logistic/SGD at step sizes 0.01, 0.1, 1, logistic/AdaGrad and
   * a Hoeffding tree that predicts with the member of fewest recent prequential errors; see AutoLearner).
   * Defaults in {@link AutoOptions}. With "auto", optimizer, learningRate and lrSchedule are the members'
   * own and may not be set.
   */
  auto?: AutoOptions;
  /**
   * A drift detector on the learner's prequential 0/1 error stream, and what the learner does on a
   * detection (DriftLearner, docs/drift.md): on a warning a background learner (same options, seed
   * "<seed>/drift-k") starts learning alongside; on a drift it (or, without a warning, a fresh learner)
   * replaces the foreground one. Default "none". Models logistic, mlp, naive-bayes and hoeffding-tree
   * only (hat and arf have their own detectors; auto is an ensemble), built-in constraints only.
   */
  drift?: 'none' | 'adwin' | 'page-hinkley' | 'ddm';
  /**
   * Options of the `drift` detector (AdwinOptions, PageHinkleyOptions, DdmOptions; their defaults,
   * except Page-Hinkley's mode "up"), and for "adwin" `warningDelta`: δ of the second, looser ADWIN
   * whose detections are the warnings (default 0.01, ≥ the drift δ). Default {}.
   */
  driftOptions?: Record<string, unknown>;
  /** Options of the tree models ("hoeffding-tree", "hat", "arf"); defaults per model in {@link TreeOptions}. */
  tree?: TreeOptions;
  /** MLP hidden layer sizes. Default [16]. */
  hidden?: number[];
  /**
   * Default "adam". "adagrad" and "ftrl" run on the fused engine only; "ftrl" (FTRL-Proximal) needs
   * model "logistic" (its closed-form weights are centred on 0 and would erase the MLP's random
   * initialisation). See src/learn/optimizer.ts for each update rule.
   */
  optimizer?: 'sgd' | 'adam' | 'adagrad' | 'ftrl';
  /** Default 0.01 (adam), 0.05 (sgd), 0.1 (adagrad, ftrl: FTRL's α). Must be > 0. */
  learningRate?: number;
  /**
   * SGD step-size schedule, as scikit-learn's SGDClassifier (t = steps taken, 1-based; at batch 1
   * one step per event): "constant" η = learningRate; "optimal" η = 1/(alpha·(t0 + t − 1)) with
   * scikit-learn's t0 (learningRate unused) and, as there, the L2 penalty (alpha/2)·Σ W²; "invscaling" η = learningRate / t^powerT.
   * Default "constant". Only with optimizer "sgd".
   */
  lrSchedule?: 'constant' | 'optimal' | 'invscaling';
  /**
   * The α of the "optimal" schedule, which (as scikit-learn's default penalty="l2") also adds the L2
   * penalty (α/2)·Σ W² on the weights (not the biases). Default 1e-4 (scikit-learn's).
   */
  alpha?: number;
  /** Exponent of the "invscaling" schedule. Default 0.25. */
  powerT?: number;
  /** Adam's β1 (first-moment decay, in [0, 1)). Default 0.9. */
  beta1?: number;
  /** Adam's β2 (second-moment decay, in [0, 1)). Default 0.999. */
  beta2?: number;
  /** FTRL-Proximal's β (per-coordinate rate learningRate / (β + √n)). Default 1. */
  ftrlBeta?: number;
  /** FTRL-Proximal's L1 strength λ1 (≥ 0; sets weights exactly to 0). Default 0. */
  l1?: number;
  /** FTRL-Proximal's L2 strength λ2 (≥ 0). Default 0. */
  l2?: number;
  /**
   * Global weight λ of the constraint penalties. Default 0 (constraints only measured). Units: task
   * loss (nats of log-loss per row) per squared logit of violation, summed over the constrained pairs
   * and divided by the step's rows (so a violation of one logit on every row costs λ); 0.1–10 is the
   * useful range.
   */
  lambda?: number | 'auto';
  /**
   * With `lambda: "auto"`: the violation rate E each constraint is steered to — the share of a step's
   * rows whose prediction violates it. Each constraint j gets its own multiplier λ_j, starting from 0
   * and updated after every step by projected dual ascent λ_j ← max(0, λ_j + lambdaRate · (v̂_j − E)),
   * v̂_j the share of the step's rows violating j before the step. Default 0.01. Only with "auto".
   */
  violationTarget?: number;
  /** Step size η_λ of the multipliers' dual ascent under `lambda: "auto"` (λ per unit of violation rate). Default 1. Only with "auto". */
  lambdaRate?: number;
  /**
   * Where the monotone and slope constraints build their pairs: "local" = at the step's rows (x and
   * x + δ); "range" = also at one point per novel row with each monotone/slope field drawn uniformly
   * over the values seen so far in training (their running min and max), so that the constraint acts
   * where the labels are silent (Karpatne et al. 2017). Range points carry no task loss. Default "local".
   */
  constraintPoints?: 'local' | 'range';
  /** Step size of the penalty-only steps (constrainMany, `--unlabelled on`) as a share of the learning rate, in [0, 1]. Default 1. */
  unlabelledStep?: number;
  /** The penalty's λ ramps up linearly over this many steps (0: none). Default 20. */
  penaltyWarmup?: number;
  /** Constraints; default: the built-ins that hold for the generator's oracle, for the fields the schema has. */
  constraints?: unknown[];
  /** Replay ratio: replayed examples per novel example in a step. Default 0 (off). */
  replay?: number;
  /** Replay buffer capacity (class-stratified reservoir). Default 2000. */
  replaySize?: number;
  /** Consolidation strength c (0 = off): the loss gains (c/2)·Σ_k F_k (θ_k − θ*_k)² (F = 1 for "l2"). Useful range 1–100. Default 0. */
  consolidation?: number;
  /** Default "ewc". */
  consolidationKind?: 'ewc' | 'l2';
  /** Class weighting of the task loss. Default "none". */
  classWeight?: 'none' | 'balanced';
  /** Seeds weight initialisation, replay sampling. Default "onthefly". */
  seed?: string | number;
  /** "fused" (typed arrays, hand-derived gradients; built-in models and constraints only) or "tfjs". Default "auto": fused unless a custom constraint needs tfjs. */
  engine?: 'auto' | 'fused' | 'tfjs';
  /** tfjs engine only: "auto" (tensorflow when @tensorflow/tfjs-node resolves, else wasm, else cpu), "wasm", "cpu" or "tensorflow". Default "auto". */
  tfjsBackend?: 'auto' | 'wasm' | 'cpu' | 'tensorflow';
  /** Consolidation: the anchor θ* (and the EWC Fisher) is refreshed every this many novel rows. Default 1000. */
  anchorEvery?: number;
  /** Online EWC: F ← γ·F + (1 − γ)·F_new at each anchor refresh. Default 0.9. */
  fisherDecay?: number;
  /** Slots per categorical field (values beyond go to "other"). Default: the schema's `categoricalCapacity`, else 32. */
  categoricalCapacity?: number;
  /** Buckets per hashed field. Default: the schema's `hashBuckets`, else 32. */
  hashBuckets?: number;
  /**
   * Standardisation statistics of numeric features: "cumulative" (running mean and variance of
   * every training value so far, Welford) or "ewm:N" (exponentially weighted mean and variance
   * with a half-life of N training events, N > 0: forgets). Default "cumulative".
   */
  normalise?: 'cumulative' | `ewm:${number}`;
  /** Step size of a step with n novel rows: "sqrt" = learningRate·√n (so one default suits batch 1 and 256), "none" = learningRate. Default "sqrt". */
  batchScaling?: 'sqrt' | 'none';
}

/** What one call to learnMany did. */
export interface LearnStep {
  /** Rows used (novel rows + replayed rows); 0 when the batch was skipped. */
  rows: number;
  /** Total loss of the step (task + λ·constraints + consolidation). NaN when skipped. */
  loss: number;
  /** True when the batch held NaN/Infinity and the weights were left unchanged. */
  skipped: boolean;
  /** Wall-clock milliseconds of the step. */
  ms: number;
}

/** An incremental binary classifier over raw rows (River-style: dict in, probability out). */
export interface Learner {
  readonly options: Readonly<Required<Omit<LearnerOptions, 'constraints'>>>;
  /** Engine and backend that ran, e.g. "fused" or "tfjs-wasm". */
  readonly backend: string;
  /** P(critical = 1) for each row, with the current model. Pure: changes no state. */
  predictMany(rows: Row[]): Float64Array;
  /**
   * For each row, whether the current model's prediction violates any constraint
   * (PGNN's "physical inconsistency"). May update per-source history used by temporal smoothness.
   */
  violationsMany(rows: Row[], probs: Float64Array, times: number[]): Uint8Array;
  /**
   * One optimisation step on these rows and 0/1 labels (plus replay). Updates feature statistics first.
   * `times` are the rows' event times (epoch ms, e.g. the validated records' `time`), used by temporal
   * constraints; default: read from the rows' timestamp field (raw generator rows carry it, validated
   * records' fields do not).
   */
  learnMany(rows: Row[], labels: ArrayLike<number>, times?: ArrayLike<number>): LearnStep;
  /** P(critical = 1) for one row: predictMany([row])[0] (see LearnerBase). */
  predictOne(row: Row): number;
  /** One step on one row and its 0/1 (or boolean) label: learnMany([row], [label]) (see LearnerBase). */
  learnOne(row: Row, label: 0 | 1 | boolean, time?: number): LearnStep;
  /**
   * Optional: what the last violationsMany call measured, per row and constraint (violation amounts
   * and crossings of 0.5); null before the first call. runExperiment reports it in `constraints`.
   */
  lastViolationDetail?(): ViolationDetail | null;
  /** Optional: the constraint multipliers by constraint name (λ·weight, or the adapted ones of `lambda: "auto"`). */
  multipliers?(): Record<string, number>;
  /** Optional: a penalty-only step (constraints, no task loss) on rows whose labels are not known yet. */
  constrainMany?(rows: Row[]): LearnStep;
  /** Batches skipped because of non-finite values. */
  readonly skippedBatches: number;
  /** Whole state (weights, optimizer slots, feature stats, replay, RNG) as JSON-safe data. */
  getState(): unknown;
  /** Replace the whole state by one from getState(). Predictions become bit-identical. */
  setState(state: unknown): void;
  /** Free tensors (tfjs engine). */
  dispose(): void;
}
