import type { Row } from '../types';
import type { ConstraintBase, Penalty } from './constraint';

/**
 * A user-written constraint, evaluated with TensorFlow.js (the learner switches to the tfjs engine
 * when one is present). `fn(probs, batch)` receives the model's P(critical) as a 1-D tensor (one
 * entry per row, differentiable) and the batch (raw rows and the encoded features X, a 2-D tensor),
 * and returns a 1-D tensor of non-negative violations, one per row. Typed loosely so that this file
 * never loads tfjs: probs and X are tf.Tensor, the result a tf.Tensor.
 */
export interface CustomOptions {
  fn: (probs: any, batch: { rows: readonly Row[]; X: any }) => any;
  /** Default 1. */
  weight?: number;
  /** Default "squared". */
  penalty?: Penalty;
  /** Unit of the training penalty, in logits: ℓ = (v/scale)² or v/scale, with v in logits (probability-space violations count 1/4 of probability as one logit). Default 1. */
  scale?: number;
  /** Default "custom". */
  name?: string;
}

/** A constraint written by the user as a tfjs function. */
export class CustomConstraint implements ConstraintBase {
  readonly kind = 'custom' as const;
  readonly name: string;
  readonly weight: number;
  readonly penalty: Penalty;
  readonly scale: number;
  readonly fn: CustomOptions['fn'];

  constructor(options: CustomOptions) {
    this.fn = options.fn;
    this.weight = options.weight ?? 1;
    this.penalty = options.penalty ?? 'squared';
    this.scale = options.scale ?? 1;
    this.name = options.name ?? 'custom';
  }
}
