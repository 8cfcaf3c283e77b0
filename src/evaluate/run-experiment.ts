import { performance } from 'node:perf_hooks';
import { createLearner } from '../learn/create-learner';
import { loadModel } from '../learn/export/load-model';
import { prepareModelDir, saveModel } from '../learn/export/save-model';
import { AutoLearner } from '../learn/auto-learner';
import { DriftLearner } from '../learn/drift-learner';
import type { Learner } from '../learn/learner';
import { batchesOf, batchesOfAsync } from '../stream/batches';
import { validateRow } from '../stream/validate';
import { OptionError } from '../options/option-error';
import { hasLabelSchedule, labelArrival } from '../stream/scenarios';
import { openSourceBatches, recordsFromEvents, SourceError, type BatchSource, type Validated } from '../stream/source';
import { autoTimestampNotice, clearAutoTimestampUnits } from '../stream/validate';
import { AuditWriter } from './audit';
import { CheckpointStore, type PipelineState } from './checkpoint-store';
import { FileError } from './file-error';
import { groupingKey, replayPackedStream } from './packed-stream';
import { FieldPresence } from './field-presence';
import { OnlinePipeline } from './online-pipeline';
import type { ExperimentConfig } from './experiment-config';
import { RejectsWriter } from './rejects-writer';
import { resolveExperiment, type ResolvedExperiment } from './resolve-experiment';
import type { RunResult } from './run-result';
import { quantile } from './quantile';
import { checkFileIdentity, identify, RecordDigest, type SourceIdentity } from './source-identity';
import { untilAborted } from './until-aborted';
import type { Row } from '../types';

/** Raised by a `strict` run at its first rejected record. */
export class StrictModeError extends Error {
  override name = 'StrictModeError';
}

/** Audit log and rejects reach the disk at least this often (ms), even on a stalled live stream. */
const FLUSH_MS = 1000;

/**
 * Run one prequential (test-then-train) experiment: source → dedup → predict → learn → log, a loop
 * over an {@link OnlinePipeline} (read → admit or reject → checkpoint; the audit log is its onOutcome).
 * Every event, duplicates included, is predicted by the current model before its label is used;
 * only novel events are learned from, `batch` at a time (after `labelDelay` further events).
 * Events are predicted (and logged) in groups: at each learning point (every `batch` novel events),
 * when max(batch, 1024) events are waiting (a storm of duplicates), at a checkpoint, and about once
 * a second — the model only changes at learning points, so the grouping never changes a prediction.
 * With `signal`, an abort stops reading: the batch read so far is finished, predicted and logged, a
 * checkpoint is written (with `checkpoint`) and the result says `stopped: true`.
 * The same function backs `onthefly run`, `sweep`, `reproduce`, the notebook and the tests.
 */
export async function runExperiment(config: ExperimentConfig = {}): Promise<RunResult> {
  const cfg = resolveExperiment(config);
  if (cfg.saveModel !== undefined) prepareModelDir(cfg.saveModel); // fail before the run, not after
  const store = cfg.checkpoint ? new CheckpointStore(cfg.checkpoint) : null;
  try {
    const saved = store && cfg.resume ? store.load(cfg.fingerprint) : null;
    // Opened first: a file parsed on a worker thread starts while the learner is built.
    const records = openRecords(cfg);
    try {
      if (saved?.source && cfg.input !== null && cfg.input !== '-') checkFileIdentity(cfg.input, saved.source);
      if (cfg.model !== undefined && (typeof cfg.model !== 'object' || typeof (cfg.model as Learner).predictMany !== 'function' || typeof (cfg.model as Learner).learnMany !== 'function')) {
        throw new OptionError('model', 'model must be a Learner (createLearner, loadModel), got ' + typeof cfg.model);
      }
      const learner = cfg.model ?? (cfg.loadModel !== undefined
        ? (await loadModel(cfg.loadModel, { schema: cfg.schema })).learner
        : await createLearner({ ...cfg.learner, schema: cfg.schema }));
      try {
        return await runWith(cfg, learner, store, saved, records);
      } finally {
        if (cfg.model === undefined) learner.dispose();
      }
    } finally {
      if ('close' in records) await records.close();
    }
  } finally {
    store?.close();
  }
}

/** The source's records in batches of consecutive ones: one await per batch, not per record. */
function openRecords(cfg: ResolvedExperiment): BatchSource | Iterable<Validated[]> {
  if (cfg.records) {
    if (JSON.stringify(cfg.records.schema) !== JSON.stringify(cfg.schema)) throw new RangeError('records: validated with another schema than the experiment\'s');
    return replayPackedStream(cfg.records);
  }
  if (cfg.input !== null) return openSourceBatches(cfg.input, cfg.schema, { parallel: cfg.parseThread });
  if (cfg.stream !== undefined) return userStream(cfg.stream, cfg.schema);
  if (cfg.synth !== null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SynthStream } = require('../synth/synth-stream') as typeof import('../synth/synth-stream');
    return batchesOf(recordsFromEvents(new SynthStream(cfg.synth), cfg.schema), 1024);
  }
  // Loaded here, not at start-up: a file input never needs the generator (or its message tables).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { IncidentGenerator } = require('../stream/generator') as typeof import('../stream/generator');
  const generator = new IncidentGenerator({ scenario: cfg.scenario, events: cfg.events, seed: cfg.seed });
  return batchesOf(recordsFromEvents(generator as Iterable<unknown> as Iterable<Row>, cfg.schema), 1024);
}

/** The caller's own events, validated in batches (sync iterables without an await per batch). */
function userStream(stream: Iterable<object> | AsyncIterable<object>, schema: ResolvedExperiment['schema']): Iterable<Validated[]> | AsyncIterable<Validated[]> {
  if (stream !== null && typeof stream === 'object' && Symbol.asyncIterator in stream) {
    const it = stream as AsyncIterable<object>;
    return batchesOfAsync((async function* () {
      let line = 0;
      for await (const e of it) yield validateRow(e, ++line, schema);
    })(), 1024);
  }
  if (stream === null || typeof stream !== 'object' || !(Symbol.iterator in stream)) throw new OptionError('stream', 'stream must be an iterable or async iterable of events');
  return batchesOf(recordsFromEvents(stream as Iterable<Row>, schema), 1024);
}

async function runWith(
  cfg: ResolvedExperiment,
  learner: Learner,
  store: CheckpointStore | null,
  saved: PipelineState | null,
  records: AsyncIterable<Validated[]> | Iterable<Validated[]>,
): Promise<RunResult> {
  const presence = new FieldPresence(cfg.schema);
  if (saved && store) {
    const missing = (option: string, bytes: number | null): void => {
      if (bytes === null && saved.consumed > 0) {
        throw new FileError(`checkpoint ${store.path} was written by a run without --${option}: its first ${saved.consumed} events are in no ${option} file; resume without --${option}, or remove the checkpoint to start over`);
      }
    };
    if (cfg.audit) missing('audit', saved.auditBytes);
    if (cfg.rejects && saved.rejected > 0) missing('rejects', saved.rejectsBytes);
  }
  const audit = cfg.audit ? new AuditWriter(cfg.audit, { append: saved !== null, truncateTo: saved?.auditBytes ?? 0 }) : null;
  // When the label of the event read at position `index` reaches the learner (events read by then; Infinity: never).
  const schedule = cfg.input === null && hasLabelSchedule(cfg.scenario);
  // A sweep's stream comes with its dedup decisions made once: replayed, not made again.
  const groupedAs = cfg.records ? groupingKey(cfg) : null;
  const pipeline = new OnlinePipeline({
    learner, schema: cfg.schema, batch: cfg.batch, dedup: cfg.dedup, window: cfg.window,
    grouping: groupedAs !== null ? cfg.records?.groupings?.[groupedAs] : undefined,
    labelArrival: schedule ? (index) => Math.max(index + cfg.labelDelay, labelArrival(cfg.scenario, cfg.seed, index)) : undefined,
    labelDelay: cfg.labelDelay, unlabelled: cfg.unlabelled,
    onOutcome: audit ? (line) => audit.write(line) : undefined,
    onStep: cfg.onStep,
  });
  if (saved && store) {
    try {
      pipeline.setCore(saved);
    } catch (err) {
      throw new FileError(`checkpoint ${store.path} is not a valid checkpoint (${(err as Error).message}); remove it to start over`);
    }
  }
  const rejects = cfg.rejects ? new RejectsWriter(cfg.rejects, saved ? saved.rejectsBytes ?? 0 : null) : null;
  let timestampRejected = 0; // this process's records rejected for their timestamp
  clearAutoTimestampUnits(cfg.schema);
  const resumedAt = pipeline.events;
  let lastCheckpoint = resumedAt;
  const head = new RecordDigest();
  const started = performance.now();
  let lastProgress = started;

  const checkpoint = (): void => {
    if (!store) return;
    pipeline.predictWaiting();
    audit?.flush();
    rejects?.flush();
    store.save({
      fingerprint: cfg.fingerprint, ...pipeline.getCore(),
      auditBytes: audit ? audit.bytesWritten : null, rejectsBytes: rejects ? rejects.bytesWritten : null,
      source: identify(cfg.input, head),
    });
    lastCheckpoint = pipeline.events;
  };

  // Between batches (a live stream waiting for input), about once a second: predict and log what waits.
  const stop = new AbortController();
  let failure: unknown = null;
  const timer = setInterval(() => {
    try {
      pipeline.predictWaiting();
      audit?.flush();
      rejects?.flush();
    } catch (err) {
      failure = err;
      stop.abort();
    }
  }, FLUSH_MS);
  timer.unref();
  const onAbort = (): void => stop.abort();
  cfg.signal?.addEventListener('abort', onAbort, { once: true });
  if (cfg.signal?.aborted) stop.abort();

  // The loop: read → (reject | admit: dedup, predict, learn) → checkpoint.
  let skip = resumedAt;
  let headChecked = !saved?.source;
  try {
    for await (const items of untilAborted(records, stop.signal)) {
      for (const item of items) {
        // The digest of the first records is only for a checkpoint (and checked only when resuming one).
        if (store) head.update(item);
        if (skip > 0) {
          // Resuming: the checkpoint has these records already; check they are the same ones.
          skip--;
          if (!headChecked && head.records === saved?.source?.headRecords) headChecked = checkHead(cfg, saved.source, head);
          continue;
        }
        if ('rejected' in item) {
          pipeline.reject();
          if (item.rejected.reason.startsWith('timestamp "')) timestampRejected++;
          if (cfg.strict) throw new StrictModeError(`line ${item.rejected.line}: ${item.rejected.reason}`);
          rejects?.write(item.rejected);
        } else {
          presence.observe(item.record.fields);
          pipeline.admit(item.record);
        }
        if (store && pipeline.events - lastCheckpoint >= cfg.checkpointEvery) checkpoint();
      }
      const now = performance.now();
      if (cfg.onProgress && now - lastProgress >= 1000) {
        lastProgress = now;
        cfg.onProgress({ events: pipeline.events, total: cfg.input === null ? cfg.events : null, elapsedMs: now - started });
      }
    }
  } finally {
    clearInterval(timer);
    cfg.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw failure;
  const stopped = stop.signal.aborted;
  const { events: consumed, accepted, rejected, learned } = pipeline.counts();
  if (skip > 0 && !stopped) {
    throw new SourceError(`${cfg.input ?? 'the generator'}: ended after ${consumed - skip} records, but the checkpoint in ${store?.dir} is at record ${consumed}; it is not the stream the checkpoint belongs to`);
  }
  pipeline.predictWaiting();
  if (accepted === 0 && timestampRejected > 0) {
    throw new SourceError(`every record was rejected and ${timestampRejected} for its timestamp "${cfg.schema.timestamp}" (${cfg.schema.timestampFormat ?? 'auto'}): set "timestampFormat" (iso, epoch_s, epoch_ms, epoch_us, auto) in the schema, or "timestamp": null if the stream has no event time`);
  }
  const warnings: string[] = [];
  const timeNotice = autoTimestampNotice(cfg.schema);
  if (timeNotice) warnings.push(timeNotice);
  const streamMs = performance.now() - started;
  if (stopped) {
    if (skip === 0) checkpoint();
    // The lines still waiting for their labels are written as they stand (a resume truncates the log
    // to the checkpoint and writes them again when their labels come).
    pipeline.releaseHeld();
  } else {
    pipeline.flush();
  }
  const dedup = pipeline.dedupCenter;
  if (dedup && accepted > 0 && accepted - dedup.stats().unique > accepted / 2) {
    const o = dedup.options;
    const window = o.windowEvents !== undefined ? `${o.windowEvents} events` : Number.isFinite(o.windowMs) ? `${o.windowMs} ms` : 'no end';
    warnings.push(
      `dedup withheld ${accepted - dedup.stats().unique} of ${accepted} events from learning as duplicates (key: ${o.key.length > 0 ? o.key.join(', ') : 'none'}; window: ${window}); ` +
        'if they are not duplicates, name the fields that make two events the same (--dedup-key), shorten the window (--dedup-window, e.g. 1000ev for a stream without timestamps) or pass --no-dedup',
    );
  }
  await audit?.close();
  rejects?.close();
  // The model as it stands: after the last label is learned, or, when stopped, at the stop.
  if (cfg.saveModel !== undefined) saveModel(learner, cfg.saveModel);
  if (store && !stopped) store.finish();

  const { events: _scored, duplicates: _flagged, ...summary } = pipeline.metrics();
  const stats = dedup?.stats();
  const unique = stats ? stats.unique : accepted;
  const stepMs = pipeline.stepTimes as number[];
  const driftEvents = pipeline.driftEvents;
  return {
    events: consumed,
    accepted,
    rejected,
    unique,
    duplicates: accepted - unique,
    learned: pipeline.counts().learned,
    ...summary,
    constraints: { ...summary.constraints, lambda: learner.multipliers?.() ?? null },
    timing: {
      trainMsPerBatchP50: quantile(stepMs, 0.5),
      trainMsPerBatchP95: quantile(stepMs, 0.95),
      batches: stepMs.length,
      // This process's share (after a resume, the events it read itself).
      eventsPerSec: streamMs > 0 ? Math.round(((consumed - resumedAt) / streamMs) * 1000) : 0,
      wallMs: Math.round(streamMs),
      maxPending: pipeline.largestGroup,
    },
    backend: learner.backend,
    auto: learner instanceof AutoLearner ? learner.report() : null,
    drift: learner instanceof DriftLearner ? { detector: learner.detector, detections: [...driftEvents.detections], warnings: [...driftEvents.warnings] } : null,
    skippedBatches: learner.skippedBatches,
    dedup: stats
      ? { enabled: true, groups: stats.groups, live: stats.live, evictions: stats.evictions, compression: stats.compression }
      : { enabled: false, groups: accepted, live: 0, evictions: 0, compression: 1 },
    config: cfg.described,
    warnings: [...presence.warnings(), ...warnings],
    ...(stopped ? { stopped: true } : {}),
  };
}

/** On resume, once the records the checkpoint's digest covers have been skipped again: they must be the same. */
function checkHead(cfg: ResolvedExperiment, want: SourceIdentity, head: RecordDigest): true {
  if (head.value() !== want.head) {
    throw new SourceError(`${cfg.input ?? 'the generator'}: its first ${want.headRecords} records differ from those the checkpoint was written from; it is not the stream the checkpoint belongs to (remove the checkpoint to start over)`);
  }
  return true;
}
