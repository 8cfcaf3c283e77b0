import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion } from '../../version';
import type { Learner } from '../learner';
import { layersModelArtifacts } from './layers-model';
import { ModelError, SAVED_MODEL_FILE, TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE, type SavedModel } from './saved-model';

/** What saveModel wrote. */
export interface SaveModelResult {
  dir: string;
  /** Files written, relative to dir. */
  files: string[];
  /** The onthefly.json content. */
  model: SavedModel;
}

interface NetworkState {
  format?: unknown;
  model?: unknown;
  dim?: unknown;
  hidden?: unknown;
  params?: unknown;
}

/** The dense network in a learner state of the built-in families (logistic, mlp), else null. */
function denseNetwork(state: unknown): { dim: number; hidden: number[]; params: number[] } | null {
  const s = state as NetworkState | null;
  if (!s || s.format !== 'onthefly-learner' || (s.model !== 'logistic' && s.model !== 'mlp')) return null;
  if (typeof s.dim !== 'number' || !Array.isArray(s.hidden) || !Array.isArray(s.params)) return null;
  return { dim: s.dim, hidden: s.hidden as number[], params: s.params as number[] };
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/**
 * Creates `dir` when missing and checks that it is a writable directory (a {@link ModelError}
 * otherwise): a run that will save its model checks this before it starts, not after.
 */
export function prepareModelDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ModelError(`${dir}: cannot save a model there (${e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'not a directory' : e.message})`);
  }
}

/**
 * Saves a learner to `dir` (created when missing; files of an earlier save are replaced):
 * `onthefly.json` ({@link SavedModel}: schema, feature state, family, options, whole state) for
 * every family, and for logistic regression and the MLP also `model.json` + `weights.bin`, a
 * TensorFlow.js LayersModel that `tf.loadLayersModel` loads and that maps encoded rows to the
 * same probabilities. TensorFlow.js is not loaded. Each file is replaced atomically and
 * onthefly.json is written last. Throws {@link ModelError} when dir is not a writable directory.
 */
export function saveModel(learner: Learner, dir: string): SaveModelResult {
  const { schema, ...options } = learner.options as typeof learner.options & Record<string, unknown>;
  const state = learner.getState();
  const withFeatures = learner as Learner & { features?: { getState?: () => unknown; columnNames?: () => string[] } };
  const constraints = (learner as Learner & { constraints?: readonly { name: string }[] }).constraints ?? [];
  const net = denseNetwork(state);
  prepareModelDir(dir);
  const files: string[] = [];
  if (net) {
    const { modelJson, weights } = layersModelArtifacts(net, { weightsPath: TFJS_WEIGHTS_FILE, generatedBy: `onthefly ${packageVersion()}` });
    writeAtomic(join(dir, TFJS_WEIGHTS_FILE), weights);
    writeAtomic(join(dir, TFJS_MODEL_FILE), JSON.stringify(modelJson));
    files.push(TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE);
  } else {
    // A family without a TensorFlow.js form: no stale files of an earlier save stay beside it.
    for (const f of [TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE]) rmSync(join(dir, f), { force: true });
  }
  const model: SavedModel = {
    format: 'onthefly-model',
    version: 1,
    generatedBy: `onthefly ${packageVersion()}`,
    family: String(learner.options.model),
    schema,
    learner: options,
    constraints: constraints.map((c) => c.name),
    features: withFeatures.features?.getState?.() ?? null,
    columns: net ? withFeatures.features?.columnNames?.() ?? null : null,
    tfjs: net ? { model: TFJS_MODEL_FILE, weights: TFJS_WEIGHTS_FILE } : null,
    state,
  };
  writeAtomic(join(dir, SAVED_MODEL_FILE), JSON.stringify(model));
  files.push(SAVED_MODEL_FILE);
  return { dir, files, model };
}
