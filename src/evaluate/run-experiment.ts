import { performance } from 'node:perf_hooks';
import { DedupCenter } from '../dedup/dedup-center';
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
import type { Row, StreamRecord } from '../types';
import { AuditWriter, type AuditLine } from './audit';
import { CheckpointStore, type PipelineState } from './checkpoint-store';
import { FileError } from './file-error';
import { PrequentialCollector } from './collector';
import { replayPackedStream } from './packed-stream';
import { FieldPresence } from './field-presence';
import type { ExperimentConfig } from './experiment-config';
import { RejectsWriter } from './rejects-writer';
import { resolveExperiment, type ResolvedExperiment } from './resolve-experiment';
import type { RunResult } from './run-result';
import { quantile } from './quantile';
import { checkFileIdentity, identify, RecordDigest, type SourceIdentity } from './source-identity';
import { untilAborted } from './until-aborted';

/** Raised by a `strict` run at its first rejected record. */
export class StrictModeError extends Error {
  override name = 'StrictModeError';
}

interface Pending {
  record: StreamRecord;
  index: number;
  arrival: number;
  group: number;
  fingerprint: string;
  duplicate: boolean;
}

/** Events held before they are predicted, at most: max(batch, PENDING_CAP). */
export const PENDING_CAP = 1024;
/** Audit log and rejects reach the disk at least this often (ms), even on a stalled live stream. */
const FLUSH_MS = 1000;

/**
 * Run one prequential (test-then-train) experiment: source → dedup → predict → learn → log.
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

/** Restore one stage from a checkpoint, turning its complaint into a one-line error naming the file. */
function restore(store: CheckpointStore, section: string, set: () => void): void {
  try {
    set();
  } catch (err) {
    throw new FileError(`checkpoint ${store.path} is not a valid checkpoint (${section}: ${(err as Error).message}); remove it to start over`);
  }
}

async function runWith(
  cfg: ResolvedExperiment,
  learner: Learner,
  store: CheckpointStore | null,
  saved: PipelineState | null,
  records: AsyncIterable<Validated[]> | Iterable<Validated[]>,
): Promise<RunResult> {
  const dedup = cfg.dedup ? new DedupCenter(cfg.dedup) : null;
  const collector = new PrequentialCollector({ window: cfg.window, forgettingWindow: cfg.window });
  const presence = new FieldPresence(cfg.schema);
  if (saved && store) {
    restore(store, 'learner', () => learner.setState(saved.learner));
    if (dedup) restore(store, 'dedup', () => dedup.setState(saved.dedup));
    restore(store, 'collector', () => collector.setState(saved.collector));
    const missing = (option: string, bytes: number | null): void => {
      if (bytes === null && saved.consumed > 0) {
        throw new FileError(`checkpoint ${store.path} was written by a run without --${option}: its first ${saved.consumed} events are in no ${option} file; resume without --${option}, or remove the checkpoint to start over`);
      }
    };
    if (cfg.audit) missing('audit', saved.auditBytes);
    if (cfg.rejects && saved.rejected > 0) missing('rejects', saved.rejectsBytes);
  }
  const audit = cfg.audit ? new AuditWriter(cfg.audit, { append: saved !== null, truncateTo: saved?.auditBytes ?? 0 }) : null;
  // With a drift detector: the events (positions) where it warned and drifted. A warning or drift is
  // known only when the event's label reaches the learner, so with an audit log each line waits (in
  // order) until its event's label was learned from, or is known never to be, and carries `drift`.
  const drifting = learner instanceof DriftLearner ? learner : null;
  const driftLog = { detections: [...(saved?.drift?.detections ?? [])], warnings: [...(saved?.drift?.warnings ?? [])] };
  const held: { index: number; line: AuditLine }[] = drifting && audit ? (saved?.drift?.held ?? []).map((h) => ({ index: h.index, line: { ...h.line } })) : [];
  const heldAt = new Map<number, AuditLine>(held.map((h) => [h.index, h.line]));
  const rejects = cfg.rejects ? new RejectsWriter(cfg.rejects, saved ? saved.rejectsBytes ?? 0 : null) : null;

  let consumed = saved?.consumed ?? 0;
  let accepted = saved?.accepted ?? 0;
  let rejected = saved?.rejected ?? 0;
  let timestampRejected = 0; // this process's records rejected for their timestamp
  clearAutoTimestampUnits(cfg.schema);
  let version = saved?.version ?? 0;
  let learned = saved?.learned ?? 0;
  const stepMs: number[] = saved?.stepMs ?? [];
  let trainRows: Row[] = saved?.train.rows ?? [];
  let trainLabels: number[] = saved?.train.labels ?? [];
  let trainIndex: number[] = saved?.train.index ?? [];
  /** Event times of the training rows (validation keeps them in record.time, not in the fields). */
  let trainTimes: number[] = saved?.train.times ?? trainIndex.map(() => Number.NaN);
  /** Novel events since the last learning point. */
  let novel = saved?.novel ?? 0;
  /** With cfg.unlabelled: novel events predicted since the last learning point (for the penalty-only step). */
  let arrivals: Row[] = saved?.arrivals ?? [];
  let lastCheckpoint = consumed;
  const resumedAt = consumed;
  const head = new RecordDigest();

  const pending: Pending[] = [];
  let maxPending = 0;
  const cap = Math.max(cfg.batch, PENDING_CAP);
  const started = performance.now();
  let lastProgress = started;
  const B = cfg.batch;

  /** When the label of the event read at position `index` reaches the learner (events read by then; Infinity: never). */
  const schedule = cfg.input === null && hasLabelSchedule(cfg.scenario);
  const labelAt = (index: number): number => {
    const at = index + cfg.labelDelay;
    return schedule ? Math.max(at, labelArrival(cfg.scenario, cfg.seed, index)) : at;
  };

  /** Learn from every full batch of novel events whose labels are known (`final`: from all of them). */
  const learnReady = (final: boolean): void => {
    // Labels of events at least labelDelay events old are known (and, for a generated scenario with a
    // label schedule, released by it).
    let ready = 0;
    while (ready < trainIndex.length && (final || labelAt(trainIndex[ready]) <= consumed)) ready++;
    let from = 0;
    while (ready - from >= B || (final && ready - from > 0)) {
      const n = Math.min(B, ready - from);
      const step = learner.learnMany(trainRows.slice(from, from + n), trainLabels.slice(from, from + n), trainTimes.slice(from, from + n));
      if (drifting && !step.skipped) {
        for (const e of drifting.lastEvents()) {
          const at = trainIndex[from + e.row]!;
          (e.event === 'drift' ? driftLog.detections : driftLog.warnings).push(at);
          const line = heldAt.get(at);
          if (line && line.drift !== 'drift') line.drift = e.event;
        }
      }
      from += n;
      if (step.skipped) continue;
      learned += n;
      version++;
      stepMs.push(step.ms);
      cfg.onStep?.({ version, events: consumed, loss: step.loss, ms: step.ms });
    }
    if (from > 0) {
      trainRows = trainRows.slice(from);
      trainLabels = trainLabels.slice(from);
      trainIndex = trainIndex.slice(from);
      trainTimes = trainTimes.slice(from);
    }
    release();
  };

  /** Writes the held audit lines of every event before the first one whose label the learner has yet to see. */
  const release = (all = false): void => {
    if (held.length === 0 || !audit) return;
    const limit = all || trainIndex.length === 0 ? Number.POSITIVE_INFINITY : trainIndex[0]!;
    let k = 0;
    while (k < held.length && held[k]!.index < limit) {
      const h = held[k++]!;
      audit.write(h.line);
      heldAt.delete(h.index);
    }
    if (k > 0) held.splice(0, k);
  };

  /** With cfg.unlabelled: a penalty-only step on the novel events that arrived since the last learning point. */
  const constrainArrivals = (): void => {
    if (!cfg.unlabelled || arrivals.length === 0) return;
    const rows = arrivals;
    arrivals = [];
    learner.constrainMany?.(rows);
  };

  /** Predict, score and log every waiting event with the current model; novel ones join the training rows. */
  const predictPending = (): void => {
    if (pending.length === 0) return;
    const rows = pending.map((e) => e.record.fields);
    // Labels given to the learner so far: the novel events scored, less those still waiting to be learned.
    const learned = collector.novel - trainRows.length;
    const probs = learner.predictMany(rows);
    const done = performance.now();
    const violations = learner.violationsMany(rows, probs, pending.map((e) => e.record.time));
    const detail = learner.lastViolationDetail?.() ?? null;
    const C = detail ? detail.names.length : 0;
    // One constraints view for the batch, moved along it (the collector reads it at once, keeps nothing).
    const constraints = detail ? { names: detail.names, amounts: detail.amounts, crossed: detail.crossed, at: 0 } : undefined;
    for (let i = 0; i < pending.length; i++) {
      const e = pending[i];
      const r = e.record;
      const p = probs[i];
      const pred: 0 | 1 = p >= 0.5 ? 1 : 0;
      const violation = violations[i] === 1;
      if (constraints) constraints.at = i * C;
      collector.update({ label: r.label, p, pred, oracle: r.oracle, regime: r.regime, violation, duplicate: e.duplicate, learned, constraints });
      if (dedup && e.group >= 0) dedup.setPrediction(e.group, p);
      if (audit) {
        const line: AuditLine = {
          id: r.id, line: r.line, time: r.time, fingerprint: e.fingerprint, group: e.group, duplicate: e.duplicate,
          p, pred, label: r.label, oracle: r.oracle, regime: r.regime, version, learned,
          latency_us: Math.round((done - e.arrival) * 1000), violation,
        };
        if (drifting) {
          held.push({ index: e.index, line });
          heldAt.set(e.index, line);
        } else {
          audit.write(line);
        }
      }
      if (cfg.unlabelled && !e.duplicate) arrivals.push(r.fields);
      // An event whose label never reaches the learner (the `scarce` scenario) is only predicted.
      if (!e.duplicate && labelAt(e.index) !== Number.POSITIVE_INFINITY) {
        trainRows.push(r.fields);
        trainLabels.push(r.label);
        trainIndex.push(e.index);
        trainTimes.push(r.time);
      }
    }
    pending.length = 0;
    release();
  };

  /** One accepted event: dedup, then wait for its prediction (at the next learning point at the latest). */
  const admit = (r: StreamRecord): void => {
    // The fingerprint and the arrival time only reach the audit log: without one, neither is made.
    const group = dedup ? dedup.observeGroup(r.fields, r.time, r.id) : -1;
    const duplicate = dedup ? dedup.lastDuplicate : false;
    const fingerprint = dedup && audit ? dedup.lastFingerprint() : '';
    pending.push({ record: r, index: consumed, arrival: audit ? performance.now() : 0, group, fingerprint, duplicate });
    if (pending.length > maxPending) maxPending = pending.length;
    if (!duplicate && ++novel >= B) {
      predictPending();
      novel = 0;
      constrainArrivals();
      learnReady(false);
    } else if (pending.length >= cap) {
      predictPending();
    }
  };

  const checkpoint = (): void => {
    if (!store) return;
    predictPending();
    audit?.flush();
    rejects?.flush();
    store.save({
      fingerprint: cfg.fingerprint, consumed, accepted, rejected, version, stepMs,
      learner: learner.getState(), dedup: dedup?.getState() ?? null, collector: collector.getState(),
      train: { rows: trainRows, labels: trainLabels, index: trainIndex, times: trainTimes }, novel,
      ...(cfg.unlabelled ? { arrivals } : {}),
      auditBytes: audit ? audit.bytesWritten : null, rejectsBytes: rejects ? rejects.bytesWritten : null,
      source: identify(cfg.input, head), learned,
      ...(drifting ? { drift: { ...driftLog, held: held.map((h) => ({ index: h.index, line: h.line })) } } : {}),
    });
    lastCheckpoint = consumed;
  };

  // Between batches (a live stream waiting for input), about once a second: predict and log what waits.
  const stop = new AbortController();
  let failure: unknown = null;
  const timer = setInterval(() => {
    try {
      predictPending();
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

  let skip = consumed;
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
        consumed++;
        if ('rejected' in item) {
          rejected++;
          if (item.rejected.reason.startsWith('timestamp "')) timestampRejected++;
          if (cfg.strict) throw new StrictModeError(`line ${item.rejected.line}: ${item.rejected.reason}`);
          rejects?.write(item.rejected);
        } else {
          accepted++;
          presence.observe(item.record.fields);
          admit(item.record);
        }
        if (store && consumed - lastCheckpoint >= cfg.checkpointEvery) checkpoint();
      }
      const now = performance.now();
      if (cfg.onProgress && now - lastProgress >= 1000) {
        lastProgress = now;
        cfg.onProgress({ events: consumed, total: cfg.input === null ? cfg.events : null, elapsedMs: now - started });
      }
    }
  } finally {
    clearInterval(timer);
    cfg.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== null) throw failure;
  const stopped = stop.signal.aborted;
  if (skip > 0 && !stopped) {
    throw new SourceError(`${cfg.input ?? 'the generator'}: ended after ${consumed - skip} records, but the checkpoint in ${store?.dir} is at record ${consumed}; it is not the stream the checkpoint belongs to`);
  }
  predictPending();
  if (accepted === 0 && timestampRejected > 0) {
    throw new SourceError(`every record was rejected and ${timestampRejected} for its timestamp "${cfg.schema.timestamp}" (${cfg.schema.timestampFormat ?? 'auto'}): set "timestampFormat" (iso, epoch_s, epoch_ms, epoch_us, auto) in the schema, or "timestamp": null if the stream has no event time`);
  }
  const warnings: string[] = [];
  const timeNotice = autoTimestampNotice(cfg.schema);
  if (timeNotice) warnings.push(timeNotice);
  const streamMs = performance.now() - started;
  if (stopped) {
    if (skip === 0) checkpoint();
  } else {
    constrainArrivals();
    learnReady(true);
  }
  // Stopped: the lines still waiting for their labels are written as they stand (a resume truncates
  // the log to the checkpoint and writes them again when their labels come).
  release(true);
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

  const { events: _scored, duplicates: _flagged, ...summary } = collector.summary();
  const stats = dedup?.stats();
  const unique = stats ? stats.unique : accepted;
  return {
    events: consumed,
    accepted,
    rejected,
    unique,
    duplicates: accepted - unique,
    learned,
    ...summary,
    constraints: { ...summary.constraints, lambda: learner.multipliers?.() ?? null },
    timing: {
      trainMsPerBatchP50: quantile(stepMs, 0.5),
      trainMsPerBatchP95: quantile(stepMs, 0.95),
      batches: stepMs.length,
      // This process's share (after a resume, the events it read itself).
      eventsPerSec: streamMs > 0 ? Math.round(((consumed - resumedAt) / streamMs) * 1000) : 0,
      wallMs: Math.round(streamMs),
      maxPending,
    },
    backend: learner.backend,
    auto: learner instanceof AutoLearner ? learner.report() : null,
    drift: drifting ? { detector: drifting.detector, detections: driftLog.detections, warnings: driftLog.warnings } : null,
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
