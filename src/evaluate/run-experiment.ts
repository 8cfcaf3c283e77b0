import { performance } from 'node:perf_hooks';
import { DedupCenter } from '../dedup/dedup-center';
import { createLearner } from '../learn/create-learner';
import type { Learner } from '../learn/learner';
import { batchesOf } from '../stream/batches';
import { openSourceBatches, recordsFromEvents, type BatchSource, type Validated } from '../stream/source';
import type { Row, StreamRecord } from '../types';
import { AuditWriter } from './audit';
import { CheckpointStore, type PipelineState } from './checkpoint-store';
import { PrequentialCollector } from './collector';
import { replayPackedStream } from './packed-stream';
import type { ExperimentConfig } from './experiment-config';
import { RejectsWriter } from './rejects-writer';
import { resolveExperiment, type ResolvedExperiment } from './resolve-experiment';
import type { RunResult } from './run-result';
import { quantile } from './quantile';

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

/**
 * Run one prequential (test-then-train) experiment: source → dedup → predict → learn → log.
 * Every event, duplicates included, is predicted by the current model before its label is used;
 * only novel events are learned from, `batch` at a time (after `labelDelay` further events).
 * The same function backs `onthefly run`, `sweep`, `reproduce`, the notebook and the tests.
 */
export async function runExperiment(config: ExperimentConfig = {}): Promise<RunResult> {
  const cfg = resolveExperiment(config);
  const store = cfg.checkpoint ? new CheckpointStore(cfg.checkpoint) : null;
  const saved = store && cfg.resume ? store.load(cfg.fingerprint) : null;

  // Opened first: a file parsed on a worker thread starts while the learner is built.
  const records = openRecords(cfg);
  try {
    const learner = await createLearner({ ...cfg.learner, schema: cfg.schema });
    try {
      return await runWith(cfg, learner, store, saved, records);
    } finally {
      learner.dispose();
    }
  } finally {
    if ('close' in records) await records.close();
  }
}

/** The source's records in batches of consecutive ones: one await per batch, not per record. */
function openRecords(cfg: ResolvedExperiment): BatchSource | Iterable<Validated[]> {
  if (cfg.records) {
    if (JSON.stringify(cfg.records.schema) !== JSON.stringify(cfg.schema)) throw new RangeError('records: validated with another schema than the experiment\'s');
    return replayPackedStream(cfg.records);
  }
  if (cfg.input !== null) return openSourceBatches(cfg.input, cfg.schema, { parallel: cfg.parseThread });
  // Loaded here, not at start-up: a file input never needs the generator (or its message tables).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { IncidentGenerator } = require('../stream/generator') as typeof import('../stream/generator');
  const generator = new IncidentGenerator({ scenario: cfg.scenario, events: cfg.events, seed: cfg.seed });
  return batchesOf(recordsFromEvents(generator as Iterable<unknown> as Iterable<Row>, cfg.schema), 1024);
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
  const audit = cfg.audit ? new AuditWriter(cfg.audit, { append: saved !== null, truncateTo: saved?.auditBytes }) : null;
  const rejects = cfg.rejects ? new RejectsWriter(cfg.rejects, saved?.rejectsBytes ?? null) : null;

  let consumed = 0;
  let accepted = 0;
  let rejected = 0;
  let version = 0;
  let stepMs: number[] = [];
  let trainRows: Row[] = [];
  let trainLabels: number[] = [];
  let trainIndex: number[] = [];
  if (saved) {
    learner.setState(saved.learner);
    dedup?.setState(saved.dedup);
    collector.setState(saved.collector);
    ({ consumed, accepted, rejected, version, stepMs } = saved);
    trainRows = saved.train.rows;
    trainLabels = saved.train.labels;
    trainIndex = saved.train.index;
  }
  let lastCheckpoint = consumed;
  const resumedAt = consumed;

  const pending: Pending[] = [];
  let pendingNovel = 0;
  const started = performance.now();
  let lastProgress = started;
  const B = cfg.batch;

  const learnReady = (final: boolean): void => {
    // Labels of events at least labelDelay events old are known.
    let ready = 0;
    while (ready < trainIndex.length && (final || trainIndex[ready] <= consumed - cfg.labelDelay)) ready++;
    let from = 0;
    while (ready - from >= B || (final && ready - from > 0)) {
      const n = Math.min(B, ready - from);
      const step = learner.learnMany(trainRows.slice(from, from + n), trainLabels.slice(from, from + n));
      from += n;
      if (step.skipped) continue;
      version++;
      stepMs.push(step.ms);
      cfg.onStep?.({ version, events: consumed, loss: step.loss, ms: step.ms });
    }
    if (from > 0) {
      trainRows = trainRows.slice(from);
      trainLabels = trainLabels.slice(from);
      trainIndex = trainIndex.slice(from);
    }
  };

  const flush = (): void => {
    if (pending.length === 0) return;
    const rows = pending.map((e) => e.record.fields);
    const probs = learner.predictMany(rows);
    const done = performance.now();
    const violations = learner.violationsMany(rows, probs, pending.map((e) => e.record.time));
    for (let i = 0; i < pending.length; i++) {
      const e = pending[i];
      const r = e.record;
      const p = probs[i];
      const pred: 0 | 1 = p >= 0.5 ? 1 : 0;
      const violation = violations[i] === 1;
      collector.update({ label: r.label, p, pred, oracle: r.oracle, regime: r.regime, violation, duplicate: e.duplicate });
      if (dedup && e.group >= 0) dedup.setPrediction(e.group, p);
      audit?.write({
        id: r.id, line: r.line, time: r.time, fingerprint: e.fingerprint, group: e.group, duplicate: e.duplicate,
        p, pred, label: r.label, oracle: r.oracle, regime: r.regime, version,
        latency_us: Math.round((done - e.arrival) * 1000), violation,
      });
      if (!e.duplicate) {
        trainRows.push(r.fields);
        trainLabels.push(r.label);
        trainIndex.push(e.index);
      }
    }
    pending.length = 0;
    pendingNovel = 0;
    learnReady(false);
  };

  const checkpoint = (): void => {
    if (!store) return;
    audit?.flush();
    rejects?.flush();
    store.save({
      fingerprint: cfg.fingerprint, consumed, accepted, rejected, version, stepMs,
      learner: learner.getState(), dedup: dedup?.getState() ?? null, collector: collector.getState(),
      train: { rows: trainRows, labels: trainLabels, index: trainIndex },
      auditBytes: audit?.bytesWritten ?? 0, rejectsBytes: rejects?.bytesWritten ?? 0,
    });
    lastCheckpoint = consumed;
  };

  let skip = consumed;
  for await (const items of records) {
    for (const item of items) {
      if (skip > 0) {
        skip--;
        continue;
      }
      consumed++;
      if ('rejected' in item) {
        rejected++;
        if (cfg.strict) throw new StrictModeError(`line ${item.rejected.line}: ${item.rejected.reason}`);
        rejects?.write(item.rejected);
      } else {
        accepted++;
        const r = item.record;
        const d = dedup ? dedup.observe(r.fields, r.time, r.id) : null;
        const duplicate = d ? d.duplicate : false;
        pending.push({ record: r, index: consumed, arrival: performance.now(), group: d ? d.group : -1, fingerprint: d ? d.fingerprint : '', duplicate });
        if (!duplicate && ++pendingNovel >= B) flush();
      }
      if (store && pending.length === 0 && consumed - lastCheckpoint >= cfg.checkpointEvery) checkpoint();
    }
    const now = performance.now();
    if (cfg.onProgress && now - lastProgress >= 1000) {
      lastProgress = now;
      cfg.onProgress({ events: consumed, total: cfg.input === null ? cfg.events : null, elapsedMs: now - started });
    }
  }
  flush();
  const streamMs = performance.now() - started;
  learnReady(true);
  await audit?.close();
  rejects?.close();
  if (store) store.finish();

  const { events: _scored, duplicates: _flagged, ...summary } = collector.summary();
  const stats = dedup?.stats();
  const unique = stats ? stats.unique : accepted;
  return {
    events: consumed,
    accepted,
    rejected,
    unique,
    duplicates: accepted - unique,
    ...summary,
    timing: {
      trainMsPerBatchP50: quantile(stepMs, 0.5),
      trainMsPerBatchP95: quantile(stepMs, 0.95),
      batches: stepMs.length,
      // This process's share (after a resume, the events it read itself).
      eventsPerSec: streamMs > 0 ? Math.round(((consumed - resumedAt) / streamMs) * 1000) : 0,
      wallMs: Math.round(streamMs),
    },
    backend: learner.backend,
    skippedBatches: learner.skippedBatches,
    dedup: stats
      ? { enabled: true, groups: stats.groups, live: stats.live, evictions: stats.evictions, compression: stats.compression }
      : { enabled: false, groups: accepted, live: 0, evictions: 0, compression: 1 },
    config: cfg.described,
  };
}
