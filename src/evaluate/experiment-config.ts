import type { DedupOptions } from '../dedup/dedup-center';
import type { Learner, LearnerOptions } from '../learn/learner';
import type { ScenarioName } from '../stream/scenarios';
import type { Schema } from '../types';
import type { PackedStream } from './packed-stream';
import type { SynthOptions } from '../synth/synth-stream';

/** Progress of a running experiment, reported about once a second. */
export interface ExperimentProgress {
  /** Records read so far (accepted + rejected). */
  events: number;
  /** Events the source will give in all, when known (generator), else null. */
  total: number | null;
  elapsedMs: number;
}

/** What the pipeline knows after each learning step (for step-wise displays). */
export interface StepSnapshot {
  /** Learning steps done (the model version). */
  version: number;
  /** Records read so far. */
  events: number;
  /** Loss of this step. */
  loss: number;
  /** Milliseconds of this step. */
  ms: number;
}

/**
 * One prequential experiment: a source, a learner, a dedup stage and where to log.
 * Every field has a default; with none, the run is 10,000 `stationary` events, seed 1, logistic.
 */
export interface ExperimentConfig {
  /** Read this file (`.jsonl`, `.json` array, `.csv`, or `-` for JSONL on stdin) instead of the generator. */
  input?: string;
  /**
   * Parse a JSON Lines or CSV `input` on a worker thread (the records are the same either way). Default:
   * for JSONL files of 4 MB or more and CSV files of 1 MB or more, on machines with 2 or more cores (see ReadOptions.parallel).
   */
  parseThread?: boolean;
  /**
   * Records already read, parsed and validated (readPackedStream): replayed instead of reading `input`
   * or generating. They must have been validated with this experiment's `schema`. `input`, `scenario`,
   * `events` and `seed` still describe the run. Default: none (read the source).
   */
  records?: PackedStream;
  /**
   * A synthetic drift stream (docs/synth.md) instead of the generator: its events and seed are `events`
   * and `seed` below, its schema the default `schema`. Exclusive with `input`. Default: none.
   */
  synth?: Omit<SynthOptions, 'events' | 'seed'>;
  /**
   * Your own events — any iterable or async iterable of flat objects (the generator's events as they
   * are, an array, a database cursor) — validated with `schema` like a file's records, instead of
   * `input` or the generator. Default: none.
   */
  stream?: Iterable<object> | AsyncIterable<object>;
  /**
   * Your own learner (createLearner, loadModel, or any {@link Learner}) instead of one built from
   * `learner`; the run learns into it and does not dispose it. Default: none.
   */
  model?: Learner;
  /** Generator scenario when no input is given. Default "stationary". */
  scenario?: ScenarioName;
  /** Generator events. Default 10,000. */
  events?: number;
  /** Generator seed, also the learner's seed unless `learner.seed` is set. Default 1. */
  seed?: string | number;
  /** How to read records. Default: the generator's schema (src/stream/default-schema.ts). */
  schema?: Schema;
  /** Learner options (the schema comes from above). Default: logistic, Adam, λ = 0. */
  learner?: Omit<LearnerOptions, 'schema'>;
  /** Novel events per learning step. Default 256. */
  batch?: number;
  /** Dedup options, or false to train on every event. Default {} (key from the schema, 5-minute window). */
  dedup?: DedupOptions | false;
  /**
   * At each learning point, a penalty-only step (the constraints at λ, no task loss) on the novel
   * events that arrived since the previous one, before their labels exist. Default false.
   */
  unlabelled?: boolean;
  /** A label arrives this many events after its event. Default 0. */
  labelDelay?: number;
  /** Rolling-window size of the rolling metrics. Default 1000. */
  window?: number;
  /** Write one JSONL line per event here. */
  audit?: string;
  /** Write every rejected record here (JSONL: line, reason, raw). */
  rejects?: string;
  /** Stop at the first rejected record with an error. Default false. */
  strict?: boolean;
  /** Save the whole state to this directory every `checkpointEvery` events. */
  checkpoint?: string;
  /** Default 10,000. */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpoint` (a fresh run when none is there yet). */
  resume?: boolean;
  /**
   * Stop the run when this aborts: reading stops, the records read are predicted and logged, a
   * checkpoint is written (with `checkpoint`; resume continues from it) and the result has
   * `stopped: true`. Default: none (the run reads its source to the end).
   */
  signal?: AbortSignal;
  /**
   * Start from the model saved in this directory (saveModel / `run --save-model`): its learner
   * options, state and, unless `schema` is given, its schema; `learner` is then ignored. The
   * schema must have the model's label and feature fields (a ModelError otherwise).
   */
  loadModel?: string;
  /** After the run (all labels learned; when stopped by `signal`, at the stop), save the model to this directory (see saveModel). */
  saveModel?: string;
  /** Called about once a second. */
  onProgress?: (p: ExperimentProgress) => void;
  /** Called after each learning step. */
  onStep?: (s: StepSnapshot) => void;
}
