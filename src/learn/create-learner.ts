import { defaultConstraints } from '../constraints/default-constraints';
import { makeConstraint, type Constraint } from '../constraints/make-constraint';
import { FeatureSpace } from '../features/feature-space';
import type { Engine } from './engine';
import { FusedEngine } from './fused-engine';
import { IncrementalLearner, type ResolvedOptions } from './incremental-learner';
import type { LearnerOptions } from './learner';
import { Network } from './network';
import { optimizerConfig, resolveOptimizerOptions } from './optimizer-options';
import { Rng } from './rng';
import { LEARNER_OPTION_RULES } from './learner-option-rules';
import { checkOptions, shown } from '../options/check-options';
import { OptionError } from '../options/option-error';
import { freezeSchema, parseSchema, SchemaError } from '../stream/schema';
import { createRowLearner, isRowModel } from './create-row-learner';
import type { RowLearner } from './row-learner';
import { resolveTreeOptions } from './tree/tree-options';
import { AUTO_MEMBERS, AutoLearner, resolveAutoOptions, type AutoMemberRuntime, type ResolvedAutoOptions } from './auto-learner';
import { LogisticBank } from './logistic-bank';
import { SmoothnessConstraint } from '../constraints/smoothness';
import type { BuiltinConstraint } from '../constraints/constraint';
import { DRIFT_MODELS, DriftLearner, driftSeed, makeDriftDetectors } from './drift-learner';
import type { DetectorName } from '../drift/create-detector';
import type { Learner } from './learner';

/**
 * Checks learner options from any caller (plain JavaScript included) against {@link LEARNER_OPTION_RULES}
 * and the schema with parseSchema's rules; throws an {@link OptionError} naming the option.
 * Then the schema is frozen (see freezeSchema): a later edit throws instead of being ignored.
 */
export function checkLearnerOptions(options: Omit<LearnerOptions, 'schema'> & { schema?: unknown }, prefix = ''): void {
  checkOptions(options, LEARNER_OPTION_RULES, 'learner option', prefix);
  if (options !== undefined) checkLambda(options, prefix);
}

function checkSchema(schema: unknown): void {
  if (schema === undefined || schema === null) throw new OptionError('schema', 'createLearner: options.schema is required');
  try {
    parseSchema(schema);
  } catch (err) {
    if (err instanceof SchemaError) throw new OptionError('schema', `schema: ${err.message}`);
    throw err;
  }
}

/**
 * Options only a single gradient model uses (auto's members set their own): with any of them, or engine
 * "tfjs", a drift detector or a custom constraint, and no `model`, the default model is "logistic".
 */
const SINGLE_MODEL_OPTIONS = ['optimizer', 'learningRate', 'lrSchedule', 'alpha', 'powerT', 'beta1', 'beta2', 'ftrlBeta', 'l1', 'l2', 'hidden', 'tfjsBackend'] as const;

/**
 * The model of these options: `model` when set; else "logistic" when an option only a single model uses
 * is set ({@link SINGLE_MODEL_OPTIONS}, engine "tfjs", drift other than "none", a custom constraint),
 * else "auto" (the default: docs/models.md).
 */
export function defaultModel(options: Omit<LearnerOptions, 'schema'>): NonNullable<LearnerOptions['model']> {
  if (options.model !== undefined) return options.model;
  const single = SINGLE_MODEL_OPTIONS.some((name) => options[name] !== undefined)
    || options.engine === 'tfjs'
    || (options.drift !== undefined && options.drift !== 'none')
    || (options.constraints ?? []).some((c) => (c as { kind?: unknown }).kind === 'custom');
  return single ? 'logistic' : 'auto';
}

/** Fills in the documented defaults of {@link LearnerOptions}, after checking them (an {@link OptionError} on nonsense). */
export function resolveLearnerOptions(options: LearnerOptions): ResolvedOptions {
  checkLearnerOptions(options);
  checkSchema(options.schema);
  const model = defaultModel(options);
  const auto = checkAuto(options, model);
  checkDrift(options, model);
  return {
    schema: options.schema,
    model,
    hidden: [...(options.hidden ?? [16])],
    ...resolveOptimizerOptions(options),
    lambda: options.lambda ?? 0,
    violationTarget: options.violationTarget ?? 0.01, // the defaults of checkLambda
    lambdaRate: options.lambdaRate ?? 1,
    penaltyWarmup: options.penaltyWarmup ?? 20,
    constraintPoints: options.constraintPoints ?? 'local',
    unlabelledStep: options.unlabelledStep ?? 1,
    replay: options.replay ?? 0,
    replaySize: options.replaySize ?? 2000,
    consolidation: options.consolidation ?? 0,
    consolidationKind: options.consolidationKind ?? 'ewc',
    classWeight: options.classWeight ?? 'none',
    seed: options.seed ?? 'onthefly',
    engine: options.engine ?? 'auto',
    tfjsBackend: options.tfjsBackend ?? 'auto',
    anchorEvery: options.anchorEvery ?? 1000,
    fisherDecay: options.fisherDecay ?? 0.9,
    categoricalCapacity: options.categoricalCapacity ?? options.schema.categoricalCapacity ?? 32,
    hashBuckets: options.hashBuckets ?? options.schema.hashBuckets ?? 32,
    batchScaling: options.batchScaling ?? 'sqrt',
    tree: resolveTreeOptions(model, options.tree),
    auto,
    drift: options.drift ?? 'none',
    driftOptions: { ...(options.driftOptions ?? {}) },
  };
}

/** With a drift detector: a model that can use it, and detector options it knows (an OptionError naming the option). */
function checkDrift(options: LearnerOptions, model: string): void {
  const drift = options.drift ?? 'none';
  if (drift === 'none') {
    if (options.driftOptions !== undefined && Object.keys(options.driftOptions).length > 0) throw new OptionError('driftOptions', 'createLearner: driftOptions needs a drift detector (drift "adwin", "page-hinkley" or "ddm")');
    return;
  }
  if (!(DRIFT_MODELS as readonly string[]).includes(model)) {
    const why = model === 'auto' ? 'an ensemble whose members are chosen by their recent loss' : 'it has its own drift detectors (ADWIN per node / per tree)';
    throw new OptionError('drift', `createLearner: drift "${drift}" cannot be used with model "${model}" (${why}); use drift "none", or model ${DRIFT_MODELS.join(', ')}`);
  }
  makeDriftDetectors(drift as DetectorName, options.driftOptions ?? {});
}

/** λ: a number ≥ 0 or "auto"; violationTarget and lambdaRate only with "auto". */
function checkLambda(options: Omit<LearnerOptions, 'schema'>, prefix: string): void {
  const l = options.lambda ?? 0;
  if (l !== 'auto' && (typeof l !== 'number' || !Number.isFinite(l))) throw new OptionError(`${prefix}lambda`, `${prefix}lambda must be a number or "auto", got ${shown(l)}`);
  if (typeof l === 'number' && l < 0) throw new OptionError(`${prefix}lambda`, `${prefix}lambda must be ≥ 0, got ${l}`);
  // Their defaults pass with any λ: resolved options (a saved model's) name them.
  const defaults = { violationTarget: 0.01, lambdaRate: 1 };
  for (const name of ['violationTarget', 'lambdaRate'] as const) {
    if (options[name] !== undefined && options[name] !== defaults[name] && l !== 'auto') throw new OptionError(`${prefix}${name}`, `${prefix}${name} needs lambda "auto" (got lambda ${shown(l)})`);
  }
}

/** The auto options, resolved; and with model "auto" the options its members set themselves are refused. */
function checkAuto(options: LearnerOptions, model: string): ResolvedAutoOptions {
  let auto: ResolvedAutoOptions;
  try {
    auto = resolveAutoOptions(options.auto);
  } catch (err) {
    throw new OptionError('auto', `createLearner: ${(err as Error).message}`);
  }
  if (model !== 'auto') return auto;
  // Their defaults pass: resolved options (a saved auto model's) name them.
  const defaults = resolveOptimizerOptions({} as LearnerOptions);
  for (const name of ['optimizer', 'learningRate', 'lrSchedule'] as const) {
    if (options[name] !== undefined && options[name] !== defaults[name]) throw new OptionError(name, `createLearner: ${name} cannot be set with model "auto" (its members use their own: ${AUTO_MEMBERS.map((m) => m.name).join(', ')}); choose a single model to set it`);
  }
  if (options.engine === 'tfjs') throw new OptionError('engine', 'createLearner: model "auto" runs on the fused engine (its AdaGrad member has no tfjs version); use engine "auto" or "fused"');
  return auto;
}

/**
 * Creates an incremental learner over raw rows (see {@link Learner}).
 *
 * The engine is "fused" (typed arrays, hand-derived gradients) unless options.engine is "tfjs" or a
 * custom (tfjs) constraint is present with engine "auto". TensorFlow.js is loaded only for the tfjs
 * engine. When options.constraints is undefined, {@link defaultConstraints} of the schema are used
 * (measured always, trained with weight λ·weight when λ > 0).
 */
export async function createLearner(options: LearnerOptions & { model: 'logistic' | 'mlp'; drift?: 'none' }): Promise<IncrementalLearner>;
export async function createLearner(options: LearnerOptions): Promise<IncrementalLearner | RowLearner | AutoLearner | DriftLearner>;
export async function createLearner(options: LearnerOptions): Promise<IncrementalLearner | RowLearner | AutoLearner | DriftLearner> {
  const built = buildLearner(options, null);
  if (built !== NEEDS_TFJS) return built;
  const { loadTf, TfjsEngine } = await import('./tfjs-engine');
  const loaded = await loadTf(resolveLearnerOptions(options).tfjsBackend);
  return buildLearner(options, { ...loaded, TfjsEngine }) as IncrementalLearner;
}

/**
 * {@link createLearner} without a Promise, for every learner that needs no TensorFlow.js (the fused
 * engine — the default — and the tree and Bayes families). Throws an OptionError when the options need
 * the tfjs engine (`engine: "tfjs"`, or a custom constraint), which loads asynchronously.
 */
export function createLearnerSync(options: LearnerOptions & { model: 'logistic' | 'mlp'; drift?: 'none' }): IncrementalLearner;
export function createLearnerSync(options: LearnerOptions): IncrementalLearner | RowLearner | AutoLearner | DriftLearner;
export function createLearnerSync(options: LearnerOptions): IncrementalLearner | RowLearner | AutoLearner | DriftLearner {
  const built = buildLearner(options, null);
  if (built === NEEDS_TFJS) throw new OptionError('engine', 'createLearnerSync: these options need the tfjs engine (engine "tfjs" or a custom constraint), which loads asynchronously: use createLearner');
  return built;
}

const NEEDS_TFJS = Symbol('needs tfjs');

/** The learner for these options, or NEEDS_TFJS when it needs the tfjs engine and `tfjs` was not given. */
function buildLearner(
  options: LearnerOptions,
  tfjs: { tf: unknown; backend: string; TfjsEngine: typeof import('./tfjs-engine').TfjsEngine } | null,
): IncrementalLearner | RowLearner | AutoLearner | DriftLearner | typeof NEEDS_TFJS {
  if (!options || !options.schema) throw new OptionError('schema', 'createLearner: options.schema is required');
  const o = resolveLearnerOptions(options);
  freezeSchema(o.schema);
  const constraints: Constraint[] = options.constraints === undefined
    ? defaultConstraints(o.schema)
    : options.constraints.map(makeConstraint);
  const hasCustom = constraints.some((c) => c.kind === 'custom');
  if (o.drift !== 'none') {
    if (hasCustom) throw new OptionError('constraints', `createLearner: custom constraints cannot be used with drift "${o.drift}" (the drift wrapper measures built-in constraints only)`);
    const { drift: _drift, driftOptions: _driftOptions, ...inner } = options;
    const make = (k: number): Learner => {
      const built = buildLearner({ ...inner, model: o.model, seed: driftSeed(o.seed, k) }, tfjs);
      if (built === NEEDS_TFJS) throw new Error('createLearner: the tfjs engine was not loaded'); // the first build below decides
      return built;
    };
    const first = buildLearner({ ...inner, model: o.model, seed: o.seed }, tfjs);
    if (first === NEEDS_TFJS) return NEEDS_TFJS;
    return new DriftLearner(o, constraints as BuiltinConstraint[], make, first);
  }
  if (o.model === 'auto') {
    if (hasCustom) throw new OptionError('constraints', 'createLearner: custom constraints need model "logistic" or "mlp", not "auto" (its tree member cannot train them)');
    const { auto: _auto, ...shared } = options;
    return new AutoLearner(o, constraints as BuiltinConstraint[], o.auto as ResolvedAutoOptions, AUTO_MEMBERS.map((m) => m.name), autoMembers(shared, o, constraints));
  }
  if (isRowModel(o.model)) return createRowLearner(o, constraints);
  if (o.engine === 'fused' && hasCustom) throw new OptionError('engine', 'createLearner: custom constraints need engine "tfjs" or "auto"');
  const useTfjs = o.engine === 'tfjs' || (o.engine === 'auto' && hasCustom);
  if (useTfjs && (o.optimizer === 'adagrad' || o.optimizer === 'ftrl')) {
    throw new OptionError('optimizer', `createLearner: optimizer "${o.optimizer}" runs on the fused engine only, not on tfjs${hasCustom ? ' (needed by the custom constraints)' : ''}; use optimizer "sgd" or "adam" there`);
  }
  if (useTfjs && tfjs === null) return NEEDS_TFJS;
  const features = new FeatureSpace(o.schema, { categoricalCapacity: o.categoricalCapacity, hashBuckets: o.hashBuckets, normalise: o.normalise });
  const net = new Network(features.dim, o.model === 'mlp' ? o.hidden : []);
  const rng = new Rng(o.seed);
  const theta = net.init(rng);
  const engine: Engine = useTfjs && tfjs
    ? new tfjs.TfjsEngine(tfjs.tf as never, tfjs.backend, net, theta, optimizerConfig(o))
    : new FusedEngine(net, theta, optimizerConfig(o));
  return new IncrementalLearner({ ...o, engine: useTfjs ? 'tfjs' : 'fused' }, constraints, features, net, engine, rng, useTfjs && tfjs ? tfjs.tf : null);
}

/**
 * The members of model "auto". When only the task loss trains them (λ = 0, no replay, no
 * consolidation), the logistic members share one {@link LogisticBank} (one encoding and one pass per
 * batch, bit-identical to separate learners); otherwise each is a learner of its own.
 */
function autoMembers(shared: Omit<LearnerOptions, 'auto'>, o: ResolvedOptions, constraints: readonly Constraint[]): AutoMemberRuntime[] {
  const fusable = o.lambda === 0 && o.replay === 0 && o.consolidation === 0;
  const logistic = AUTO_MEMBERS.flatMap((m, k) => (fusable && m.options.model === 'logistic' ? [k] : []));
  const bank = logistic.length > 0
    ? new LogisticBank(o, logistic.map((k) => resolveLearnerOptions({ ...shared, ...AUTO_MEMBERS[k]!.options, engine: 'fused' } as LearnerOptions)),
      constraints.filter((c) => c instanceof SmoothnessConstraint || c.kind === 'smoothness').length, constraints.length)
    : null;
  return AUTO_MEMBERS.map((m, k) => {
    const index = logistic.indexOf(k);
    if (bank && index >= 0) return { bank, index };
    return { learner: buildLearner({ ...shared, ...m.options, engine: 'fused' } as LearnerOptions, null) as IncrementalLearner | RowLearner };
  });
}
