import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from '../../types';
import { createLearner } from '../create-learner';
import type { Learner, LearnerOptions } from '../learner';
import { defaultConstraints } from '../../constraints/default-constraints';
import { makeConstraint } from '../../constraints/make-constraint';
import { ModelError, SAVED_MODEL_FILE, schemaMismatch, type SavedModel } from './saved-model';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Check that this schema can feed the model (same label and feature fields, see schemaMismatch);
   * a ModelError otherwise. Default: no check.
   */
  schema?: Schema;
  /**
   * The constraints the model was trained with, when they were not the schema's defaults (custom
   * ones cannot be saved). Default: defaultConstraints(schema), which must match the saved names.
   */
  constraints?: unknown[];
}

/** A loaded model: the learner, restored exactly, and its onthefly.json. */
export interface LoadedModel {
  learner: Learner;
  model: SavedModel;
}

/** Reads and checks `dir/onthefly.json` (throws {@link ModelError} naming the file). */
export function readSavedModel(dir: string): SavedModel {
  const file = join(dir, SAVED_MODEL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelError(`${file}: ${code === 'ENOENT' ? 'not found (not a saved model directory)' : (err as Error).message}`);
  }
  let m: SavedModel;
  try {
    m = JSON.parse(text) as SavedModel;
  } catch (err) {
    throw new ModelError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!m || typeof m !== 'object' || m.format !== 'onthefly-model') throw new ModelError(`${file}: not an onthefly model (no "format": "onthefly-model")`);
  if (typeof m.version !== 'number' || m.version > 1) throw new ModelError(`${file}: format version ${String(m.version)} is not supported (this onthefly reads version 1)`);
  const schema = m.schema as Partial<Schema> | undefined;
  if (!schema || typeof schema !== 'object' || !schema.label || !Array.isArray(schema.numeric) || !Array.isArray(schema.categorical)) {
    throw new ModelError(`${file}: the schema is missing or incomplete`);
  }
  if (!m.learner || typeof m.learner !== 'object') throw new ModelError(`${file}: the learner options are missing`);
  if (m.state === undefined || m.state === null) throw new ModelError(`${file}: the learner state is missing`);
  return m;
}

/**
 * Loads a model saved by saveModel: a learner built from the saved options and schema, with the
 * saved state (predictions bit-identical to the saved learner's). Throws {@link ModelError} with a
 * one-line message naming the file when the directory is missing, corrupted or does not fit.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const model = readSavedModel(dir);
  const file = join(dir, SAVED_MODEL_FILE);
  if (options.schema) {
    const why = schemaMismatch(model.schema, options.schema);
    if (why) throw new ModelError(`${file}: the model does not fit this input's schema: ${why}`);
  }
  let constraints: unknown[] | undefined = options.constraints;
  if (constraints === undefined && Array.isArray(model.constraints)) {
    const names = defaultConstraints(model.schema).map((c) => c.name);
    if (names.join('\n') !== model.constraints.join('\n')) {
      throw new ModelError(`${file}: the model was trained with other constraints (${model.constraints.join(', ') || 'none'}); pass them to loadModel`);
    }
  } else if (constraints !== undefined) {
    const names = constraints.map((c) => makeConstraint(c).name);
    if (Array.isArray(model.constraints) && names.join('\n') !== model.constraints.join('\n')) {
      throw new ModelError(`${file}: the model was trained with constraints ${model.constraints.join(', ') || '(none)'}, not ${names.join(', ') || '(none)'}`);
    }
  }
  let learner: Learner;
  try {
    learner = await createLearner({ ...(model.learner as Omit<LearnerOptions, 'schema'>), schema: model.schema, ...(constraints ? { constraints } : {}) });
  } catch (err) {
    throw new ModelError(`${file}: cannot rebuild the learner: ${(err as Error).message}`);
  }
  try {
    learner.setState(model.state);
  } catch (err) {
    learner.dispose();
    throw new ModelError(`${file}: the saved state does not load: ${(err as Error).message}`);
  }
  return { learner, model };
}
