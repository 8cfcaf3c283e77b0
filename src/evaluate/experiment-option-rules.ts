import type { DedupOptions } from '../dedup/dedup-options';
import type { OptionRule } from '../options/check-options';
import { SCENARIO_NAMES } from '../stream/scenarios';
import type { ExperimentConfig } from './experiment-config';

/**
 * What each {@link ExperimentConfig} field may hold, checked by resolveExperiment (one line per option;
 * typed by the config's keys, so a new option does not compile without its line). `null`: checked
 * on its own (`schema` by parseSchema, `learner` by the learner's table, `dedup` by
 * {@link DEDUP_OPTION_RULES}).
 */
export const EXPERIMENT_OPTION_RULES: Readonly<Record<keyof ExperimentConfig, OptionRule | null>> = {
  input: { type: 'string' },
  parseThread: { type: 'boolean' },
  records: { type: 'object' },
  stream: null, // an iterable: checked by openRecords
  model: null, // a Learner: checked by runExperiment
  synth: { type: 'object' }, // its fields are checked by resolveSynth
  scenario: { type: 'choice', values: SCENARIO_NAMES },
  events: { type: 'number', integer: true, min: 1 },
  seed: { type: 'seed' },
  schema: null,
  learner: null,
  batch: { type: 'number', integer: true, min: 1 },
  dedup: null,
  labelDelay: { type: 'number', integer: true, min: 0 },
  unlabelled: { type: 'boolean' },
  window: { type: 'number', integer: true, min: 1 },
  audit: { type: 'string' },
  rejects: { type: 'string' },
  strict: { type: 'boolean' },
  checkpoint: { type: 'string' },
  checkpointEvery: { type: 'number', integer: true, min: 1 },
  resume: { type: 'boolean' },
  onProgress: { type: 'function' },
  onStep: { type: 'function' },
  signal: { type: 'object' },
  loadModel: { type: 'string' },
  saveModel: { type: 'string' },
};

/** What each {@link DedupOptions} field may hold (`dedup.*` of an experiment). `key` is checked against the schema. */
export const DEDUP_OPTION_RULES: Readonly<Record<keyof DedupOptions, OptionRule | null>> = {
  key: { type: 'array' },
  windowMs: { type: 'number', min: 0, infinity: true },
  windowEvents: { type: 'number', integer: true, min: 1 },
  maxGroups: { type: 'number', integer: true, min: 1 },
  nearDup: { type: 'boolean' },
  textField: { type: 'string' },
  onClose: { type: 'function' },
};
