import type { OptionRule } from '../options/check-options';
import type { LearnerOptions } from './learner';

/**
 * The one table of what each {@link LearnerOptions} field may hold, checked by createLearner and
 * resolveLearnerOptions (and, for `learner`, by runExperiment). Typed by LearnerOptions' keys, so a new
 * option does not compile until it has its line here; a new model or optimizer is one more word in its
 * `values`. `null`: checked elsewhere (the schema by parseSchema, constraints by makeConstraint).
 */
export const LEARNER_OPTION_RULES: Readonly<Record<keyof LearnerOptions, OptionRule | null>> = {
  schema: null,
  model: { type: 'choice', values: ['logistic', 'mlp', 'naive-bayes', 'hoeffding-tree', 'hat', 'arf', 'auto'] },
  auto: { type: 'object' }, // its fields are checked by resolveAutoOptions
  hidden: { type: 'integers', min: 1 },
  optimizer: { type: 'choice', values: ['sgd', 'adam', 'adagrad', 'ftrl'] },
  lrSchedule: { type: 'choice', values: ['constant', 'optimal', 'invscaling'] },
  alpha: { type: 'number' }, // range checked by resolveOptimizerOptions
  powerT: { type: 'number' }, // range checked by resolveOptimizerOptions
  beta1: { type: 'number' }, // range checked by resolveOptimizerOptions
  beta2: { type: 'number' }, // range checked by resolveOptimizerOptions
  ftrlBeta: { type: 'number' }, // range checked by resolveOptimizerOptions
  l1: { type: 'number' }, // range checked by resolveOptimizerOptions
  l2: { type: 'number' }, // range checked by resolveOptimizerOptions
  normalise: { type: 'string' },
  learningRate: { type: 'number' }, // range checked by resolveOptimizerOptions
  lambda: null, // a number ≥ 0 or "auto": checked by resolveLearnerOptions
  violationTarget: { type: 'number', min: 0, max: 1 }, // only with lambda "auto": checked by resolveLearnerOptions
  lambdaRate: { type: 'number', above: 0 }, // only with lambda "auto": checked by resolveLearnerOptions
  constraintPoints: { type: 'choice', values: ['local', 'range'] },
  unlabelledStep: { type: 'number', min: 0, max: 1 },
  penaltyWarmup: { type: 'number', integer: true, min: 0 },
  constraints: { type: 'array' },
  replay: { type: 'number', min: 0 },
  replaySize: { type: 'number', integer: true, min: 1 },
  consolidation: { type: 'number', min: 0 },
  consolidationKind: { type: 'choice', values: ['ewc', 'l2'] },
  classWeight: { type: 'choice', values: ['none', 'balanced'] },
  seed: { type: 'seed' },
  engine: { type: 'choice', values: ['auto', 'fused', 'tfjs'] },
  tfjsBackend: { type: 'choice', values: ['auto', 'wasm', 'cpu', 'tensorflow'] },
  anchorEvery: { type: 'number', integer: true, min: 1 },
  fisherDecay: { type: 'number', min: 0, max: 1 },
  categoricalCapacity: { type: 'number', integer: true, min: 1 },
  hashBuckets: { type: 'number', integer: true, min: 1 },
  batchScaling: { type: 'choice', values: ['sqrt', 'none'] },
  tree: { type: 'object' }, // its fields are checked by resolveTreeOptions
  drift: { type: 'choice', values: ['none', 'adwin', 'page-hinkley', 'ddm'] },
  driftOptions: { type: 'object' }, // its fields are checked by the detector (makeDriftDetectors)
};
