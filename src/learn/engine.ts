import type { Rows, SparseIndex } from './network';
import type { Row } from '../types';
import type { ConstraintPlan, Penalty } from '../constraints/constraint';
import type { CustomConstraint } from '../constraints/custom';

/**
 * Optimizer slots, JSON-safe, in the parameter layout of {@link Network}: Adam's moments m, v;
 * AdaGrad's accumulator v; FTRL's z (m) and n (v); SGD has none.
 */
export interface OptimizerState {
  kind: 'sgd' | 'adam' | 'adagrad' | 'ftrl';
  /** Steps taken. */
  t: number;
  m?: number[];
  v?: number[];
}

/** Everything one optimisation step needs, already encoded. */
export interface TrainBatch {
  /**
   * The encoded rows: sparse (FeatureSpace.encodeSparse; what the learner gives the fused engine) or
   * dense n × dim, row-major (the tfjs engine densifies sparse rows: it is the reference).
   */
  X: Rows;
  /** A dense X's possibly non-zero columns per row, when known (the fused engine then visits only those). */
  nz?: SparseIndex;
  n: number;
  /** Labels in [0, 1]. */
  y: Float64Array;
  /** Per-row weight of the task loss (class weighting). */
  c: Float64Array;
  /** Raw rows (custom constraints only). */
  rows: readonly Row[];
  /** Built-in constraints to penalise, with coef = λ · weight. */
  plans: { plan: ConstraintPlan; coef: number; penalty: Penalty }[];
  /** Custom (tfjs) constraints with coef = λ · weight. */
  custom: { constraint: CustomConstraint; coef: number }[];
  /** Step size of this step. */
  learningRate: number;
  /** Consolidation penalty (strength/2)·Σ F_k (θ_k − θ*_k)²; F null means the plain L2 anchor (F = 1). */
  consolidation: { strength: number; F: Float64Array | null; anchor: Float64Array } | null;
  /** L2 penalty (α/2)·Σ W² on the weights, not the biases (scikit-learn's penalty="l2"); absent or 0 = off. */
  weightDecay?: number;
}

/**
 * The loss of a step:
 *   L = (1/n) Σ_i c_i·BCE(y_i, σ(z_i))
 *     + Σ_constraints coef · (1/n) Σ_i ℓ(v_i)
 *     + (strength/2) Σ_k F_k (θ_k − θ*_k)²
 *     + (weightDecay/2) Σ_weights W².
 */
export interface Engine {
  /** e.g. "fused", "tfjs-wasm". */
  readonly backend: string;
  /** P(critical) for n encoded rows (dense or sparse). */
  predict(X: Rows, n: number): Float64Array;
  /** One step; returns the loss before the update, or NaN (and no update) when the gradient is not finite. */
  step(batch: TrainBatch): number;
  /** The loss and its gradient at the current parameters, without updating (for tests). */
  lossAndGrad(batch: TrainBatch): { loss: number; grad: Float64Array };
  getParams(): Float64Array;
  setParams(theta: Float64Array): void;
  getOptimizerState(): OptimizerState;
  setOptimizerState(state: OptimizerState): void;
  dispose(): void;
}
