import type { Schema } from '../../types';
import { canonicalJson } from '../../options/canonical-json';

/** The `onthefly.json` of a saved model directory (docs/design.md §11). JSON-safe. */
export interface SavedModel {
  format: 'onthefly-model';
  /** Format version; a reader refuses newer versions. */
  version: 1;
  /** e.g. "onthefly 0.1.0". */
  generatedBy: string;
  /** Model family (the learner's `options.model`), e.g. "logistic", "mlp". */
  family: string;
  /** The schema the model was trained with: how raw rows become features. */
  schema: Schema;
  /** The learner's options after defaults (without the schema): createLearner(learner + schema) rebuilds it. */
  learner: Record<string, unknown>;
  /** Names of the learner's constraints, in order (their per-source histories are in `state`). */
  constraints: string[];
  /** The feature pipeline's state (FeatureSpace.getState()), when the family has one; also inside `state`. */
  features: unknown;
  /** Names of the encoded columns the TensorFlow.js model takes, in order (FeatureSpace.columnNames()). */
  columns: string[] | null;
  /** The TensorFlow.js LayersModel files beside this one, for the families that have one (logistic, mlp). */
  tfjs: { model: string; weights: string } | null;
  /** The learner's whole state (Learner.getState()): setState on a learner built from `learner` restores it exactly. */
  state: unknown;
}

/** A saved model directory that cannot be read or does not fit: the message names the file. */
export class ModelError extends Error {
  override name = 'ModelError';
}

export const SAVED_MODEL_FILE = 'onthefly.json';
export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/** The schema fields the encoding depends on. */
const ENCODING_FIELDS = ['label', 'numeric', 'categorical', 'hashed', 'log'] as const;


/**
 * Why `given` cannot be used with a model trained on `saved` (null when it can): the label and the
 * feature fields (numeric, categorical, hashed, log) must be the same; the other fields (id,
 * timestamp, key, …) say how to read the stream and may differ.
 */
export function schemaMismatch(saved: Schema, given: Schema): string | null {
  for (const k of ENCODING_FIELDS) {
    const a = canonicalJson(saved[k] ?? (k === 'label' ? null : []));
    const b = canonicalJson(given[k] ?? (k === 'label' ? null : []));
    if (a !== b) return `schema field "${k}" differs: the model was trained with ${a}, this schema has ${b}`;
  }
  return null;
}
