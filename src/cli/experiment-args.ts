import type { ExperimentConfig } from '../evaluate/experiment-config';
import { scenarioOption } from './scenario-option';
import type { LearnerOptions } from '../learn/learner';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { schemaOption } from './schema-option';
import { SCENARIO_NAMES } from '../stream/scenarios';
import { numberOption, UsageError, type ArgSpec, type ParsedArgs } from './args';
import { dedupKeyProblem, parseDedupWindowOption } from '../dedup/dedup-options';
import { parseNormalise } from '../features/ewm';
import { LEARNER_OPTION_RULES } from '../learn/learner-option-rules';
import { DRIFT_MODELS } from '../learn/drift-learner';

/** The allowed values of a choice option, from the library's one table (learner-option-rules.ts). */
function allowed<K extends keyof LearnerOptions>(name: K): readonly NonNullable<LearnerOptions[K]>[] {
  const rule = LEARNER_OPTION_RULES[name];
  if (!rule || rule.type !== 'choice') throw new Error(`learner option ${name} is not a choice`);
  return rule.values as readonly NonNullable<LearnerOptions[K]>[];
}
import { checkSynth, SYNTH_ARGS, SYNTH_HELP, synthOption } from './synth-option';
import { synthSchema } from '../synth/synth-stream';
import { ConstraintFileError, readConstraintFile } from '../constraints/constraint-file';

/** Options shared by `run`, `sweep` and `reproduce`: the stream, the learner, dedup. */
export const EXPERIMENT_ARGS: Required<ArgSpec> = {
  values: [
    'input', 'schema', 'scenario', 'events', 'seed', 'lambda', 'model', 'hidden', 'optimizer', 'lr',
    'batch', 'replay', 'replay-size', 'consolidation', 'consolidation-kind', 'class-weight', 'engine',
    'dedup-window', 'dedup-key', 'max-groups', 'label-delay', 'window',
    'lr-schedule', 'alpha', 'beta1', 'beta2', 'l1', 'l2', 'normalise',
    ...SYNTH_ARGS,
    'categorical-capacity', 'hash-buckets',
    'constraints', 'unlabelled', 'drift', 'violation-target', 'constraint-points', 'unlabelled-step',
  ],
  flags: ['dedup', 'near-dup'],
};

export const EXPERIMENT_HELP = `stream:
  --input FILE|-          read FILE (.jsonl, .json array, .csv; - = JSONL on stdin) instead of the generator
  --schema FILE           how to read the input (docs/design.md §5); default: the generator's schema
  --scenario NAME         ${SCENARIO_NAMES.join(' | ')} (default stationary)
  --events N              generated events (default 10000)
  --seed S                generator and learner seed (default 1)
  --synth NAME            a synthetic drift stream instead (see below and docs/synth.md)
learner:
  --model auto            (default) logistic/sgd 0.01, 0.1, 1, logistic/adagrad and a Hoeffding tree learn
                          every event; predicts with the one of fewest recent errors (docs/models.md); with
                          --optimizer, --lr, --lr-schedule, --hidden, --drift or --engine tfjs the default is logistic
         |logistic|mlp                          --hidden 16,8      MLP hidden sizes (default 16)
         |naive-bayes|hoeffding-tree|hat|arf  read raw rows; constraints measured, not trained (docs/models.md)
  --drift none|adwin|page-hinkley|ddm  a drift detector on the model's prequential 0/1 error (default
                          none; logistic, mlp, naive-bayes, hoeffding-tree): a warning starts a background
                          model, a drift replaces the model by it, or by a fresh one (docs/drift.md)
  --optimizer adam|sgd|adagrad|ftrl (default adam; adagrad, ftrl: fused engine only; ftrl: logistic only)
  --lr X                  learning rate > 0 (default 0.01 adam, 0.05 sgd, 0.1 adagrad and ftrl)
  --lr-schedule constant|optimal|invscaling  sgd step sizes as scikit-learn (default constant):
                          optimal 1/(alpha·(t0 + t − 1)), invscaling lr / t^0.25 (t = steps)
  --alpha A               the optimal schedule's alpha, also its L2 penalty on the weights (default 0.0001)
  --beta1 B --beta2 B     adam's moment decays in [0, 1) (default 0.9, 0.999)
  --l1 X --l2 X           ftrl's L1 / L2 strengths (default 0)
  --normalise cumulative|ewm:N  feature standardisation: all values so far (default), or an
                          exponentially weighted mean/variance with a half-life of N events
  --lambda L|auto         weight of the constraint penalties, task loss per squared logit of violation
                          (default 0: constraints measured only; useful 0.1–10); auto: one multiplier per
                          constraint from 0, adapted after every step by dual ascent towards the target
  --violation-target E    with --lambda auto: the share of a step's rows allowed to violate each
                          constraint (default 0.01)
  --constraint-points local|range  where monotone/slope pairs are built: at the step's rows (local, the
                          default), or also at as many points drawn over the feature's observed range
  --unlabelled-step F     step size of the --unlabelled penalty-only steps, as a share of the
                          learning rate (default 1)
  --unlabelled on|off     penalty-only steps on arriving events before their labels exist (default off)
  --constraints FILE      JSON list of constraint specs replacing the defaults (docs/design.md §8), e.g.
                          [{"kind":"slope","feature":"failed_logins","min":0.9,"max":1.3}]
  --batch B               novel events per learning step (default 256; 1 = per event)
  --replay R              replayed examples per novel one (default 0 = off)
  --replay-size N         replay buffer capacity (default 2000)
  --consolidation C       consolidation strength (default 0 = off)
  --consolidation-kind ewc|l2 (default ewc)
  --class-weight none|balanced (default none)
  --engine auto|fused|tfjs (default auto: fused typed arrays; tfjs for custom constraints)
  --categorical-capacity N slots per categorical field (default: the schema's categoricalCapacity, else 32)
  --hash-buckets N        buckets per hashed field (default: the schema's hashBuckets, else 32)
  --label-delay N         a label arrives N events after its event (default 0)
  --window N              rolling-metric window in events (default 1000)
dedup:
  --no-dedup              train on every event (no grouping)
  --dedup-key a,b,c       fields whose equal values make duplicates (default: the schema's key); each must be
                          a field the schema names (a typo is a usage error, not one big group)
  --dedup-window D        group window in event time, e.g. 30s, 5m, 1h, inf (default 5m), or in events,
                          e.g. 1000ev (the default for a schema with "timestamp": null)
  --near-dup              also match messages by template (numbers, IPs, ids masked)
  --max-groups N          live-group bound, least-recently-seen evicted (default 100000)
${SYNTH_HELP}`;

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[]): T | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function dedupWindow(raw: string): { windowMs: number } | { windowEvents: number } {
  try {
    return parseDedupWindowOption(raw);
  } catch {
    throw new UsageError(`--dedup-window must be a duration such as 30s, 5m, 1h, 1500ms (a bare number is ms) or inf, or an event count such as 1000ev, got "${raw}"`);
  }
}

/** A number option that must be > 0 (e.g. --lr 0 is refused). */
function positiveOption(args: ParsedArgs, name: string): number | undefined {
  if (!args.values.has(name)) return undefined;
  const v = numberOption(args, name, 0);
  if (!(v > 0)) throw new UsageError(`--${name} must be > 0, got ${args.values.get(name)}`);
  return v;
}

/** --lambda L|auto and, with auto, --violation-target E. */
function lambdaOptions(args: ParsedArgs): Pick<LearnerOptions, 'lambda' | 'violationTarget'> {
  const raw = args.values.get('lambda');
  const auto = raw !== undefined && raw.trim() === 'auto';
  const lambda = auto ? 'auto' as const : numberOption(args, 'lambda', 0, { min: 0 });
  if (!args.values.has('violation-target')) return { lambda };
  if (!auto) throw new UsageError(`--violation-target needs --lambda auto (got --lambda ${raw ?? '0, the default'})`);
  const target = numberOption(args, 'violation-target', 0, { min: 0, max: 1 });
  return { lambda, violationTarget: target };
}

/** A number option in [0, 1). */
function unitOption(args: ParsedArgs, name: string): number | undefined {
  if (!args.values.has(name)) return undefined;
  const v = numberOption(args, name, 0, { min: 0 });
  if (!(v < 1)) throw new UsageError(`--${name} must be in [0, 1), got ${args.values.get(name)}`);
  return v;
}

/** --normalise cumulative|ewm:N. */
function normaliseOption(args: ParsedArgs): LearnerOptions['normalise'] {
  const raw = args.values.get('normalise');
  if (raw === undefined) return undefined;
  try {
    parseNormalise(raw);
  } catch {
    throw new UsageError(`--normalise must be cumulative or ewm:N with a half-life N > 0 events, got "${raw}"`);
  }
  return raw as LearnerOptions['normalise'];
}

/** Combinations of the learner options that cannot run, named by their options. */
function checkOptimizerCombination(learner: Omit<LearnerOptions, 'schema'>): void {
  const optimizer = learner.optimizer ?? 'adam';
  if (learner.lrSchedule !== undefined && learner.lrSchedule !== 'constant' && optimizer !== 'sgd') {
    throw new UsageError(`--lr-schedule ${learner.lrSchedule} needs --optimizer sgd`);
  }
  if (optimizer === 'ftrl' && learner.model === 'mlp') throw new UsageError('--optimizer ftrl needs --model logistic (FTRL-Proximal\'s weights are centred on 0)');
  if ((optimizer === 'adagrad' || optimizer === 'ftrl') && learner.engine === 'tfjs') {
    throw new UsageError(`--optimizer ${optimizer} runs on the fused engine only, not --engine tfjs`);
  }
  if ((learner.beta1 !== undefined || learner.beta2 !== undefined) && optimizer !== 'adam') throw new UsageError('--beta1/--beta2 need --optimizer adam');
  if ((learner.l1 !== undefined || learner.l2 !== undefined) && optimizer !== 'ftrl') throw new UsageError('--l1/--l2 need --optimizer ftrl');
  if (learner.alpha !== undefined && learner.lrSchedule !== 'optimal') throw new UsageError('--alpha needs --lr-schedule optimal');
}

/** An on|off option (absent: off). */
function onOff(args: ParsedArgs, name: string): boolean {
  const raw = args.values.get(name);
  if (raw === undefined || raw === 'off') return false;
  if (raw === 'on') return true;
  throw new UsageError(`--${name} must be on or off, got "${raw}"`);
}

/** --constraints FILE: its specs; bad content is a usage error (exit 2), an unreadable file exits 1. */
function constraintsFromFile(file: string, schema: Parameters<typeof readConstraintFile>[1]): unknown[] {
  try {
    return readConstraintFile(file, schema);
  } catch (err) {
    if (err instanceof ConstraintFileError && !err.unreadable) throw new UsageError(`--constraints ${err.message}`);
    if (err instanceof ConstraintFileError) throw new Error(`--constraints ${err.message}`);
    throw err;
  }
}

/** The experiment the shared options describe (without audit, checkpoint and callbacks). */
export function experimentFromArgs(args: ParsedArgs): ExperimentConfig {
  const input = args.values.get('input');
  const scenario = scenarioOption(args);
  const schemaFile = args.values.get('schema');
  let schema = schemaOption(args) ?? GENERATOR_SCHEMA;
  // Kept as the string typed, exactly as `generate` does, so both give the same stream.
  const seed = args.values.get('seed') ?? '1';
  if (seed === '') throw new UsageError('--seed must not be empty');
  const synth = synthOption(args) ?? undefined;
  if (synth) {
    if (input !== undefined) throw new UsageError('--synth and --input are exclusive');
    checkSynth({ ...synth, events: numberOption(args, 'events', 10_000, { integer: true, min: 1, max: 1e9 }), seed });
    if (schemaFile === undefined) schema = synthSchema({ ...synth, seed });
  }
  const hiddenRaw = args.values.get('hidden');
  const hidden = hiddenRaw?.split(',').map((s) => Number(s.trim()));
  if (hidden && hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new UsageError(`--hidden must list positive integers, got "${hiddenRaw}"`);
  const learner: Omit<LearnerOptions, 'schema'> = {
    model: choice(args, 'model', allowed('model')),
    hidden,
    optimizer: choice(args, 'optimizer', allowed('optimizer')),
    learningRate: positiveOption(args, 'lr'),
    lrSchedule: choice(args, 'lr-schedule', allowed('lrSchedule')),
    alpha: positiveOption(args, 'alpha'),
    beta1: unitOption(args, 'beta1'),
    beta2: unitOption(args, 'beta2'),
    l1: args.values.has('l1') ? numberOption(args, 'l1', 0, { min: 0 }) : undefined,
    l2: args.values.has('l2') ? numberOption(args, 'l2', 0, { min: 0 }) : undefined,
    normalise: normaliseOption(args),
    ...lambdaOptions(args),
    replay: numberOption(args, 'replay', 0, { min: 0 }),
    replaySize: args.values.has('replay-size') ? numberOption(args, 'replay-size', 0, { integer: true, min: 1 }) : undefined,
    consolidation: numberOption(args, 'consolidation', 0, { min: 0 }),
    consolidationKind: choice(args, 'consolidation-kind', allowed('consolidationKind')),
    classWeight: choice(args, 'class-weight', allowed('classWeight')),
    engine: choice(args, 'engine', allowed('engine')),
    constraintPoints: choice(args, 'constraint-points', allowed('constraintPoints')),
    unlabelledStep: args.values.has('unlabelled-step') ? numberOption(args, 'unlabelled-step', 1, { min: 0, max: 1 }) : undefined,
    categoricalCapacity: args.values.has('categorical-capacity') ? numberOption(args, 'categorical-capacity', 0, { integer: true, min: 1, max: 1 << 20 }) : undefined,
    drift: choice(args, 'drift', allowed('drift')),
    hashBuckets: args.values.has('hash-buckets') ? numberOption(args, 'hash-buckets', 0, { integer: true, min: 1, max: 1 << 20 }) : undefined,
  };
  const constraintsFile = args.values.get('constraints');
  if (constraintsFile !== undefined) learner.constraints = constraintsFromFile(constraintsFile, schema);
  for (const k of Object.keys(learner) as (keyof typeof learner)[]) if (learner[k] === undefined) delete learner[k];
  checkOptimizerCombination(learner);
  if (learner.drift !== undefined && learner.drift !== 'none' && !(DRIFT_MODELS as readonly string[]).includes(learner.model ?? 'logistic')) {
    throw new UsageError(`--drift ${learner.drift} cannot be used with --model ${learner.model} (${learner.model === 'auto' ? 'an ensemble' : 'it has its own drift detectors'}); use --model ${DRIFT_MODELS.join(', ')}, or --drift none`);
  }
  const dedupKeyRaw = args.values.get('dedup-key');
  const dedupKey = dedupKeyRaw?.split(',').map((s) => s.trim()).filter(Boolean);
  if (dedupKey !== undefined && args.flags.get('dedup') !== false) {
    if (dedupKey.length === 0) throw new UsageError(`--dedup-key must name at least one field, got "${dedupKeyRaw}"`);
    const problem = dedupKeyProblem(schema, dedupKey);
    if (problem) throw new UsageError(`--dedup-key: ${problem}`);
  }
  const windowRaw = args.values.get('dedup-window');
  return {
    input,
    ...(synth ? { synth } : {}),
    scenario,
    events: numberOption(args, 'events', 10_000, { integer: true, min: 1, max: 1e9 }),
    seed,
    schema,
    learner,
    batch: numberOption(args, 'batch', 256, { integer: true, min: 1, max: 1_000_000 }),
    dedup: args.flags.get('dedup') === false
      ? false
      : {
        ...(dedupKey !== undefined ? { key: dedupKey } : {}),
        ...(windowRaw !== undefined ? dedupWindow(windowRaw) : {}),
        ...(args.flags.get('near-dup') ? { nearDup: true } : {}),
        ...(args.values.has('max-groups') ? { maxGroups: numberOption(args, 'max-groups', 0, { integer: true, min: 1 }) } : {}),
      },
    labelDelay: numberOption(args, 'label-delay', 0, { integer: true, min: 0 }),
    ...(onOff(args, 'unlabelled') ? { unlabelled: true } : {}),
    window: numberOption(args, 'window', 1000, { integer: true, min: 1 }),
  };
}
