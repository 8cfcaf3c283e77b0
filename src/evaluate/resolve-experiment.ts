import { createHash } from 'node:crypto';
import type { DedupOptions } from '../dedup/dedup-center';
import { dedupKeyProblem, dedupOptionsForSchema, schemaReadingKey } from '../dedup/dedup-options';
import { checkLearnerOptions } from '../learn/create-learner';
import { readSavedModel } from '../learn/export/load-model';
import { checkOptions } from '../options/check-options';
import { OptionError } from '../options/option-error';
import { freezeSchema, parseSchema, SchemaError } from '../stream/schema';
import { DEDUP_OPTION_RULES, EXPERIMENT_OPTION_RULES } from './experiment-option-rules';
import type { LearnerOptions } from '../learn/learner';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { isScenarioName, type ScenarioName } from '../stream/scenarios';
import type { Schema } from '../types';
import type { ExperimentConfig } from './experiment-config';
import { resolveSynth, synthSchema, type ResolvedSynth } from '../synth/synth-stream';

/** An {@link ExperimentConfig} with every default filled in. */
export interface ResolvedExperiment extends Omit<ExperimentConfig, 'scenario' | 'learner' | 'dedup' | 'input' | 'synth'> {
  input: string | null;
  /** The synthetic stream read instead of the generator, resolved (events and seed included), or null. */
  synth: ResolvedSynth | null;
  scenario: ScenarioName;
  events: number;
  seed: string | number;
  schema: Schema;
  learner: Omit<LearnerOptions, 'schema'>;
  batch: number;
  dedup: DedupOptions | false;
  labelDelay: number;
  window: number;
  checkpointEvery: number;
  /** The configuration as JSON-safe data (what a result and a checkpoint record). */
  described: Record<string, unknown>;
  /** Hash of `described`: a checkpoint resumes only the run that wrote it. */
  fingerprint: string;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Check every option from any caller (plain JavaScript included), before anything runs: the tables of
 * experiment-option-rules.ts and learner-option-rules.ts, the schema (parseSchema's rules) and the dedup
 * key against the schema. Throws an {@link OptionError} naming the option (`batch`, `learner.lambda`,
 * `dedup.key`, …); the CLI reports the same words with exit code 2.
 */
function checkExperiment(config: ExperimentConfig): void {
  checkOptions(config, EXPERIMENT_OPTION_RULES, 'experiment option');
  if (config.schema !== undefined) {
    try {
      parseSchema(config.schema);
    } catch (err) {
      if (err instanceof SchemaError) throw new OptionError('schema', `schema: ${err.message}`);
      throw err;
    }
  }
  if (config.learner !== undefined) {
    const learner = config.learner as Record<string, unknown>;
    if (typeof learner === 'object' && learner !== null && 'schema' in learner) throw new OptionError('learner.schema', 'learner.schema: give the schema as the experiment\'s "schema"');
    checkLearnerOptions(config.learner, 'learner.');
  }
  if (config.dedup !== undefined && config.dedup !== false) checkOptions(config.dedup, DEDUP_OPTION_RULES, 'dedup option', 'dedup.');
}

/** Fill in the defaults of an experiment and check its options (an {@link OptionError} on nonsense). */
export function resolveExperiment(config: ExperimentConfig): ResolvedExperiment {
  checkExperiment(config);
  const scenario = config.scenario ?? 'stationary';
  if (!isScenarioName(scenario)) throw new RangeError(`unknown scenario "${String(scenario)}"`);
  const input = config.input ?? null;
  const seed = config.seed ?? 1;
  if (config.synth !== undefined && input !== null) throw new RangeError('synth and input are exclusive');
  const synth = config.synth === undefined ? null : resolveSynth({ ...config.synth, events: config.events ?? 10_000, seed });
  // A loaded model brings its learner options (and, by default, its schema).
  const saved = config.loadModel !== undefined ? readSavedModel(config.loadModel) : null;
  const given = freezeSchema(config.schema ?? saved?.schema ?? (synth ? synthSchema(synth) : GENERATOR_SCHEMA));
  const learner = saved ? (saved.learner as Omit<LearnerOptions, 'schema'>) : { seed, ...config.learner };
  const dedup: DedupOptions | false = config.dedup === false
    ? false
    : dedupOptionsForSchema(given, config.dedup ?? {});
  if (dedup) {
    const problem = dedupKeyProblem(given, dedup.key ?? []);
    if (problem) throw new OptionError('dedup.key', `dedup.key: ${problem}`);
    const text = dedup.textField ?? given.text ?? 'message';
    if (dedup.nearDup && problem === null && dedupKeyProblem(given, [text]) !== null) {
      throw new OptionError('dedup.textField', `dedup.textField: ${dedupKeyProblem(given, [text])}`);
    }
  }
  // A key field the records would not keep (e.g. the id field) is read through the schema's key.
  const schema = dedup ? freezeSchema(schemaReadingKey(given, [...(dedup.key ?? []), ...(dedup.nearDup && dedup.textField ? [dedup.textField] : [])])) : given;
  const labelDelay = config.labelDelay ?? 0;
  if (!Number.isInteger(labelDelay) || labelDelay < 0) throw new RangeError(`labelDelay must be a non-negative integer, got ${labelDelay}`);
  const resolved = {
    ...config,
    input,
    synth,
    scenario,
    events: positiveInteger('events', config.events ?? 10_000),
    seed,
    schema,
    learner,
    batch: positiveInteger('batch', config.batch ?? 256),
    dedup,
    labelDelay,
    window: positiveInteger('window', config.window ?? 1000),
    checkpointEvery: positiveInteger('checkpointEvery', config.checkpointEvery ?? 10_000),
  };
  const described: Record<string, unknown> = {
    source: config.stream !== undefined ? { stream: 'in memory' } : synth ? { synth: { ...synth, resolved: undefined } } : input === null ? { generator: { scenario, events: resolved.events, seed } } : { input },
    schema,
    learner,
    batch: resolved.batch,
    dedup: dedup === false ? false : { ...dedup, onClose: undefined },
    labelDelay,
    window: resolved.window,
    ...(config.unlabelled ? { unlabelled: true } : {}),
  };
  if (config.loadModel !== undefined) described.loadModel = config.loadModel;
  const fingerprint = createHash('sha256').update(JSON.stringify(described)).digest('hex').slice(0, 16);
  return { ...resolved, described, fingerprint };
}
