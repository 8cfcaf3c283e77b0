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
  steps?: unknown;
  classCounts?: unknown;
}

/** Largest |logit| of the constant output of an untrained model (σ(−30) ≈ 9e−14, inside 1e−6 of 0). */
const MAX_LOGIT = 30;

/**
 * The dense network in a learner state of the built-in families (logistic, mlp), else null. An
 * untrained learner (no step yet) predicts the class prior of the labels it was given (0 before
 * any), not its network: its exported network gives that constant (last layer's kernel 0, bias
 * logit(prior), clamped to ±30).
 */
function denseNetwork(state: unknown): { dim: number; hidden: number[]; params: number[] } | null {
  const s = state as NetworkState | null;
  if (!s || s.format !== 'onthefly-learner' || (s.model !== 'logistic' && s.model !== 'mlp')) return null;
  if (typeof s.dim !== 'number' || !Array.isArray(s.hidden) || !Array.isArray(s.params)) return null;
  const net = { dim: s.dim, hidden: s.hidden as number[], params: s.params as number[] };
  if (s.steps !== 0 || !Array.isArray(s.classCounts)) return net;
  const [neg, pos] = s.classCounts as [number, number];
  const prior = neg + pos > 0 ? pos / (neg + pos) : 0;
  const logit = Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, Math.log(prior / (1 - prior))));
  const params = [...net.params];
  const sizes = [net.dim, ...net.hidden];
  const last = sizes[sizes.length - 1]!;
  const kernel = params.length - last - 1; // the last layer: kernel (last × 1), then its bias
  for (let k = kernel; k < kernel + last; k++) params[k] = 0;
  params[params.length - 1] = logit;
  return { ...net, params };
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
  // A drift wrapper's network is its foreground learner's (the one that predicts).
  const net = denseNetwork((state as { model?: unknown; foreground?: unknown } | null)?.model === 'drift' ? (state as { foreground: unknown }).foreground : state);
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
