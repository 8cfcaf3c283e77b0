import { createHash } from 'node:crypto';
import type { DedupOptions } from '../dedup/dedup-center';
import { dedupOptionsForSchema } from '../dedup/dedup-options';
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

/** Fill in the defaults of an experiment and check its numbers. */
export function resolveExperiment(config: ExperimentConfig): ResolvedExperiment {
  const scenario = config.scenario ?? 'stationary';
  if (!isScenarioName(scenario)) throw new RangeError(`unknown scenario "${String(scenario)}"`);
  const input = config.input ?? null;
  const seed = config.seed ?? 1;
  if (config.synth !== undefined && input !== null) throw new RangeError('synth and input are exclusive');
  const synth = config.synth === undefined ? null : resolveSynth({ ...config.synth, events: config.events ?? 10_000, seed });
  const schema = config.schema ?? (synth ? synthSchema(synth) : GENERATOR_SCHEMA);
  const learner = { seed, ...config.learner };
  const dedup: DedupOptions | false = config.dedup === false
    ? false
    : dedupOptionsForSchema(schema, config.dedup ?? {});
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
    source: synth ? { synth: { ...synth, resolved: undefined } } : input === null ? { generator: { scenario, events: resolved.events, seed } } : { input },
    schema,
    learner,
    batch: resolved.batch,
    dedup: dedup === false ? false : { ...dedup, onClose: undefined },
    labelDelay,
    window: resolved.window,
  };
  const fingerprint = createHash('sha256').update(JSON.stringify(described)).digest('hex').slice(0, 16);
  return { ...resolved, described, fingerprint };
}
