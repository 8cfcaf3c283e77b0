import { performance } from 'node:perf_hooks';
import type { ViolationDetail } from '../constraints/violation-detail';
import { DedupCenter, type DedupOptions } from '../dedup/dedup-center';
import { dedupOptionsForSchema } from '../dedup/dedup-options';
import { DedupReplay, type PackedGrouping } from '../dedup/dedup-replay';
import { DriftLearner } from '../learn/drift-learner';
import type { Learner } from '../learn/learner';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { rawText, validateRow } from '../stream/validate';
import type { Rejected, Row, Schema, StreamRecord } from '../types';
import type { AuditLine } from './audit';
import { PrequentialCollector, type MetricsSummary } from './collector';
import type { StepSnapshot } from './experiment-config';

/** Options for {@link OnlinePipeline}. Every field but `learner` has a default. */
export interface OnlinePipelineOptions {
  /** The model (e.g. from createLearner, synchronous for the fused engine). Required. */
  learner: Learner;
  /** How to read events. Default: the generator's schema. It must be the learner's schema. */
  schema?: Schema;
  /** Labelled novel events per learning step. Default 256. */
  batch?: number;
  /** Dedup options, or false to learn from every labelled event. Default {} (the schema's key, a 5-minute window). */
  dedup?: DedupOptions | false;
  /**
   * The dedup decisions for exactly the records this pipeline will be given, made beforehand with
   * `dedup` (groupPackedStream; a sweep makes them once per stream). Replayed instead of grouping
   * again: no fingerprints (no onOutcome) and no checkpoint. Default: none (a DedupCenter groups).
   */
  grouping?: PackedGrouping;
  /** Rolling-metric window. Default 1000. */
  window?: number;
  /**
   * Predicted events kept while they wait for a label (by id). Past this the oldest is dropped and
   * counted in `expiredLabels`; its label, if it ever comes, counts as unknown. Default 100,000.
   */
  maxPending?: number;
  /**
   * When the label of the event at position `index` (1-based, events given so far, rejected ones
   * included) reaches the learner, as a position: it is learned from once that many events have been
   * given (Infinity: never, the event is only predicted and scored). Default `index + labelDelay`.
   */
  labelArrival?: (index: number) => number;
  /** With the default labelArrival: a label reaches the learner this many events after its event. Default 0. */
  labelDelay?: number;
  /** Penalty-only steps (Learner.constrainMany) on the novel events predicted since the last learning point, before each one. Default false. */
  unlabelled?: boolean;
  /**
   * Called with every predicted event's audit line, in event order (the audit log's line). With a drift
   * detector a line waits until its event's label has reached the learner (or is known never to), and
   * carries `drift` when the detector fired there. Also makes the pipeline keep fingerprints and
   * prediction latencies (only the audit uses them). Default: none.
   */
  onOutcome?: (line: AuditLine) => void;
  /** Called after each learning step. Default: none. */
  onStep?: (s: StepSnapshot) => void;
}

/** What {@link OnlinePipeline.process} answers for an accepted event. */
export interface Prediction {
  id: string;
  /** P(critical = 1) from the model as it stood when the event arrived. */
  p: number;
  prediction: 0 | 1;
  /** Dedup group (−1 without dedup). */
  group: number;
  duplicate: boolean;
  /** Learning steps done when the event was predicted (the model version). */
  version: number;
}

/** What {@link OnlinePipeline.label} did with a label. */
export type LabelOutcome =
  /** Scored, and queued for learning (a novel event). */
  | 'queued'
  /** Scored, not learned from (a duplicate). */
  | 'duplicate'
  /** No predicted event waits under that id (never seen, already labelled, or expired). */
  | 'unknown';

/** Counters of an {@link OnlinePipeline}. */
export interface PipelineCounts {
  /** Events given (accepted + rejected). */
  events: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Labels that scored an event. */
  labelled: number;
  /** Events learned from. */
  learned: number;
  /** Labels for ids with no waiting event. */
  unknownLabels: number;
  /** Events dropped from the waiting list unlabelled (maxPending). */
  expiredLabels: number;
  /** Predicted events still waiting for a label. */
  pending: number;
  /** Learning steps (the model version). */
  version: number;
}

/** A predicted event waiting for its label (by id). */
interface Waiting {
  fields: Row;
  /** Position among the events given. */
  index: number;
  /** Event time (epoch ms), for the constraints that learn from it (smoothness). */
  time: number;
  p: number;
  oracle: number | null;
  regime: string | null;
  violation: boolean;
  /** Labels the learner had when the event was predicted (for the fair baselines). */
  learned: number;
  /** The learner's per-constraint measurement of the prediction, when it reports one. */
  constraints?: { names: string[]; amounts: number[]; crossed: number[] };
  duplicate: boolean;
}

/**
 * The accepted events not predicted yet (events are predicted in groups, at the latest at the next
 * learning point), column by column: no object per event. Entries [0, n) are in use; the arrays keep
 * their length from group to group.
 */
interface Admitted {
  n: number;
  record: StreamRecord[];
  /** Position among the events given. */
  index: number[];
  /** performance.now() at admission (only with onOutcome). */
  arrival: number[];
  /** Dedup group (−1 without dedup) and its slot in the center (−1: none, see DedupCenter.lastSlot). */
  group: number[];
  slot: number[];
  /** Dedup fingerprint (only with onOutcome and dedup). */
  fingerprint: string[];
  duplicate: boolean[];
  /** Whether the event brought its label. */
  labelled: boolean[];
}

/** The Outcome the collector scores, reused from event to event (the collector reads it at once and keeps nothing of it). */
type ScoredOutcome = Parameters<PrequentialCollector['update']>[0];

/**
 * The prequential state that {@link OnlinePipeline.getCore} hands to a checkpoint (JSON-safe); the
 * fields of runExperiment's checkpoint file (`state.json`) beside the run's own.
 */
export interface PipelineCore {
  /** Events given (accepted + rejected). */
  consumed: number;
  accepted: number;
  rejected: number;
  /** Learning steps done. */
  version: number;
  /** Milliseconds of each learning step. */
  stepMs: number[];
  learner: unknown;
  dedup: unknown;
  collector: unknown;
  /** Novel labelled events not learned yet (label delay, partial batch), with their positions. */
  train: { rows: Row[]; labels: number[]; index: number[]; times?: number[] };
  /** With `unlabelled`: the novel events predicted since the last learning point. Absent: none. */
  arrivals?: Row[];
  /** Novel events since the last learning point (a learning point comes every `batch` novel events). Absent: 0. */
  novel?: number;
  /** Events learned from so far. Absent: 0. */
  learned?: number;
  /**
   * With a drift detector: the positions of its drifts and warnings so far, and (with onOutcome) the
   * audit lines still waiting for their events' labels. Absent otherwise.
   */
  drift?: { detections: number[]; warnings: number[]; held: { index: number; line: AuditLine }[] };
}

/** Checkpoint format of an {@link OnlinePipeline} (JSON-safe). */
export interface OnlinePipelineState {
  format: 'onthefly-online-pipeline';
  version: 2;
  core: PipelineCore;
  counts: { duplicates: number; labelled: number; unknownLabels: number; expiredLabels: number };
  /** Predicted events waiting for a label, oldest first. */
  waiting: [string, Waiting][];
}

/** Events held before they are predicted, at most: max(batch, PENDING_CAP). */
export const PENDING_CAP = 1024;

const positiveInteger = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`OnlinePipeline: ${name} must be a positive integer, got ${String(v)}`);
  return v;
};

/**
 * The prequential (test-then-train) pipeline: dedup → predict → score → learn, one event at a time.
 * River's `progressive_val_score` turned inside out, for services and notebooks, and the core that
 * runExperiment loops over.
 *
 * `process(event)` validates an event, groups it (dedup) and predicts it with the current model at
 * once. Its label comes with the event (the schema's label field) or later through `label(id, y)`.
 * Every label scores its event in the prequential metrics; novel labelled events are learned from
 * `batch` at a time, at a learning point: every `batch` novel events (labels that came with their
 * events, after `labelDelay`), or as soon as `batch` labels sent by id wait.
 *
 * `admit(record)` is the same step for a record the library's readers validated, with the prediction
 * deferred: admitted events are predicted in groups (one predictMany) at the next learning point, when
 * max(batch, 1024) wait, or on `predictWaiting()`. The model only changes at learning points, so the
 * grouping never changes a prediction; `onOutcome` receives each event's audit line.
 */
export class OnlinePipeline {
  readonly schema: Schema;
  readonly batch: number;
  readonly maxPending: number;
  private readonly learner: Learner;
  private readonly dedup: DedupCenter | DedupReplay | null;
  private readonly collector: PrequentialCollector;
  /** The labelArrival option, or null for its default (index + labelDelay, see labelAt). */
  private readonly arrival: ((index: number) => number) | null;
  private readonly delay: number;
  private readonly unlabelled: boolean;
  private readonly onOutcome: ((line: AuditLine) => void) | null;
  private readonly onStep: ((s: StepSnapshot) => void) | null;
  private readonly drifting: DriftLearner | null;
  private readonly cap: number;
  /** Predicted events waiting for a label sent by id. */
  private readonly waiting = new Map<string, Waiting>();
  /** Accepted events not predicted yet. */
  private readonly admitted: Admitted = { n: 0, record: [], index: [], arrival: [], group: [], slot: [], fingerprint: [], duplicate: [], labelled: [] };
  private readonly outcome: ScoredOutcome = {
    label: 0, p: 0, pred: 0, oracle: null, regime: null, violation: false, constraints: undefined, duplicate: false, learned: 0,
  };
  private trainRows: Row[] = [];
  private trainLabels: number[] = [];
  private trainIndex: number[] = [];
  /** Event times of the training rows (validation keeps them in record.time, not in the fields). */
  private trainTimes: number[] = [];
  /** With `unlabelled`: novel events predicted since the last learning point. */
  private arrivals: Row[] = [];
  /** Novel events since the last learning point. */
  private novel = 0;
  private stepMs: number[] = [];
  private driftLog: { detections: number[]; warnings: number[] } = { detections: [], warnings: [] };
  /** With a drift detector and onOutcome: the audit lines waiting for their events' labels, in order. */
  private held: { index: number; line: AuditLine }[] = [];
  private heldAt = new Map<number, AuditLine>();
  private maxGroup = 0;
  private readonly c: Omit<PipelineCounts, 'pending'> = {
    events: 0, accepted: 0, rejected: 0, duplicates: 0, labelled: 0, learned: 0, unknownLabels: 0, expiredLabels: 0, version: 0,
  };

  constructor(options: OnlinePipelineOptions) {
    if (!options || !options.learner) throw new TypeError('OnlinePipeline: options.learner is required');
    this.learner = options.learner;
    this.schema = options.schema ?? GENERATOR_SCHEMA;
    this.batch = positiveInteger('batch', options.batch ?? 256);
    this.maxPending = positiveInteger('maxPending', options.maxPending ?? 100_000);
    if (options.grouping && (options.dedup === false || options.onOutcome)) throw new RangeError('OnlinePipeline: a grouping replays dedup decisions: it needs dedup on and no onOutcome (audit lines carry fingerprints)');
    this.dedup = options.dedup === false
      ? null
      : options.grouping ? new DedupReplay(options.grouping) : new DedupCenter(dedupOptionsForSchema(this.schema, options.dedup ?? {}));
    this.collector = new PrequentialCollector({ window: options.window ?? 1000, forgettingWindow: options.window ?? 1000 });
    const delay = options.labelDelay ?? 0;
    if (!Number.isInteger(delay) || delay < 0) throw new RangeError(`OnlinePipeline: labelDelay must be a non-negative integer, got ${String(delay)}`);
    this.arrival = options.labelArrival ?? null;
    this.delay = delay;
    this.unlabelled = options.unlabelled ?? false;
    this.onOutcome = options.onOutcome ?? null;
    this.onStep = options.onStep ?? null;
    this.drifting = this.learner instanceof DriftLearner ? this.learner : null;
    this.cap = Math.max(this.batch, PENDING_CAP);
  }

  /** The model version: learning steps done. */
  get version(): number {
    return this.c.version;
  }

  /** Events given so far (accepted + rejected): the position of the last one. */
  get events(): number {
    return this.c.events;
  }

  /** The most events that waited for a prediction at once (a storm of duplicates between learning points). */
  get largestGroup(): number {
    return this.maxGroup;
  }

  /** Milliseconds of each learning step so far. */
  get stepTimes(): readonly number[] {
    return this.stepMs;
  }

  /** With a drift detector: the positions where it drifted and warned (else empty). */
  get driftEvents(): { detections: readonly number[]; warnings: readonly number[] } {
    return this.driftLog;
  }

  /** The dedup center, or the replay of a precomputed grouping (null without dedup). */
  get dedupCenter(): DedupCenter | DedupReplay | null {
    return this.dedup;
  }

  /**
   * Validate, group and predict one event (a flat object; the generator's events as they are). An
   * event that carries the schema's label field is scored and queued for learning at once; one without
   * waits for `label(id, y)`. A bad event is returned as `{ rejected }` with its reason.
   */
  process(event: object, line = this.c.events + 1): Prediction | { rejected: Rejected } {
    const labelled = Object.prototype.hasOwnProperty.call(event, this.schema.label.field)
      && (event as Row)[this.schema.label.field] !== undefined;
    // Validation requires a label: an unlabelled event is checked with a placeholder one (then ignored).
    const v = validateRow(labelled ? event : { ...(event as Row), [this.schema.label.field]: placeholderLabel(this.schema) }, line, this.schema);
    if ('rejected' in v) {
      if (!labelled) v.rejected.raw = rawText(event);
      this.reject();
      return { rejected: v.rejected };
    }
    const version = this.c.version;
    this.enter(v.record, labelled);
    // Predicted now, unless the event's learning point (or a full group) predicted it already, before learning.
    const p = this.admitted.n > 0 ? this.predictWaiting() : this.lastP;
    return { id: v.record.id, p, prediction: p >= 0.5 ? 1 : 0, group: this.lastGroup, duplicate: this.lastDup, version };
  }

  /**
   * One validated record (its label on it), predicted at the latest at the next learning point; its
   * audit line goes to onOutcome. The batch path of runExperiment.
   */
  admit(record: StreamRecord): void {
    this.enter(record, true);
  }

  /** Count a record rejected by the reader at the next position. */
  reject(): void {
    this.c.events++;
    this.c.rejected++;
  }

  /** The label of an event predicted earlier (0/1 or a boolean). */
  label(id: string, y: 0 | 1 | boolean): LabelOutcome {
    if (y !== 0 && y !== 1 && y !== true && y !== false) throw new RangeError(`OnlinePipeline.label: label must be 0, 1, true or false, got ${String(y)}`);
    const w = this.waiting.get(id);
    if (!w) {
      this.c.unknownLabels++;
      return 'unknown';
    }
    this.waiting.delete(id);
    const label: 0 | 1 = y === true || y === 1 ? 1 : 0;
    this.c.labelled++;
    this.collector.update({ label, p: w.p, pred: w.p >= 0.5 ? 1 : 0, oracle: w.oracle, regime: w.regime, violation: w.violation, duplicate: w.duplicate, learned: w.learned, constraints: w.constraints });
    if (w.duplicate) return 'duplicate';
    if (this.labelAt(w.index) !== Number.POSITIVE_INFINITY) this.queue(w.fields, label, w.index, w.time);
    // Labels sent by id are learned from as soon as a batch of them waits.
    if (this.trainRows.length >= this.batch) this.learnReady(false);
    return 'queued';
  }

  /** Predict, score and log every admitted event with the current model; returns the last prediction made. */
  predictWaiting(): number {
    const a = this.admitted;
    const n = a.n;
    if (n === 0) return this.lastP;
    const records = a.record;
    const rows: Row[] = [];
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      rows.push(r.fields);
      times.push(r.time);
    }
    // Labels given to the learner so far: the novel events scored, less those still waiting to be learned.
    const learned = this.collector.novel - this.trainRows.length;
    const probs = this.learner.predictMany(rows);
    const done = this.onOutcome ? performance.now() : 0;
    const violations = this.learner.violationsMany(rows, probs, times);
    const detail = this.learner.lastViolationDetail?.() ?? null;
    const C = detail ? detail.names.length : 0;
    // One constraints view for the group, moved along it (the collector reads it at once, keeps nothing).
    const constraints = detail ? { names: detail.names, amounts: detail.amounts, crossed: detail.crossed, at: 0 } : undefined;
    const version = this.c.version;
    const dedup = this.dedup;
    const o = this.outcome;
    o.learned = learned;
    o.constraints = constraints;
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      const p = probs[i]!;
      const pred: 0 | 1 = p >= 0.5 ? 1 : 0;
      const violation = violations[i] === 1;
      const group = a.group[i]!;
      const duplicate = a.duplicate[i]!;
      const index = a.index[i]!;
      if (dedup && group >= 0) dedup.setPredictionAt(group, a.slot[i]!, p);
      if (!a.labelled[i]) {
        this.wait(r, index, duplicate, p, violation, learned, detail, i * C);
        continue;
      }
      if (constraints) constraints.at = i * C;
      this.c.labelled++;
      o.label = r.label;
      o.p = p;
      o.pred = pred;
      o.oracle = r.oracle;
      o.regime = r.regime;
      o.violation = violation;
      o.duplicate = duplicate;
      this.collector.update(o);
      if (this.onOutcome) {
        const line: AuditLine = {
          id: r.id, line: r.line, time: r.time, fingerprint: a.fingerprint[i]!, group, duplicate,
          p, pred, label: r.label, oracle: r.oracle, regime: r.regime, version, learned,
          latency_us: Math.round((done - a.arrival[i]!) * 1000), violation,
        };
        if (this.drifting) {
          this.held.push({ index, line });
          this.heldAt.set(index, line);
        } else {
          this.onOutcome(line);
        }
      }
      if (this.unlabelled && !duplicate) this.arrivals.push(r.fields);
      // An event whose label never reaches the learner (the `scarce` scenario) is only predicted.
      if (!duplicate && this.labelAt(index) !== Number.POSITIVE_INFINITY) this.queue(r.fields, r.label, index, r.time);
    }
    o.constraints = undefined;
    this.lastP = probs[n - 1]!;
    a.n = 0;
    this.release();
    return this.lastP;
  }

  /**
   * The end of the stream: predict what waits, take the last penalty-only step, learn from every
   * labelled novel event still short of a batch, and hand over the audit lines still held.
   */
  flush(): void {
    this.predictWaiting();
    this.constrainArrivals();
    this.learnReady(true);
    this.release(true);
  }

  /** Hand over the audit lines held for their labels as they stand (a run stopped before its end). */
  releaseHeld(): void {
    this.release(true);
  }

  counts(): PipelineCounts {
    return { ...this.c, pending: this.waiting.size };
  }

  /** The prequential metrics of every labelled event so far. */
  metrics(): MetricsSummary {
    return this.collector.summary();
  }

  /** The prequential state without the waiting-for-label list (what runExperiment's checkpoint keeps). Predict what waits first (predictWaiting). */
  getCore(): PipelineCore {
    if (this.admitted.n > 0) throw new Error('OnlinePipeline.getCore: admitted events wait for their prediction; call predictWaiting() first');
    return {
      consumed: this.c.events, accepted: this.c.accepted, rejected: this.c.rejected, version: this.c.version, stepMs: this.stepMs,
      learner: this.learner.getState(), dedup: this.dedup?.getState() ?? null, collector: this.collector.getState(),
      train: { rows: this.trainRows, labels: this.trainLabels, index: this.trainIndex, times: this.trainTimes }, novel: this.novel,
      ...(this.unlabelled ? { arrivals: this.arrivals } : {}),
      learned: this.c.learned,
      ...(this.drifting ? { drift: { ...this.driftLog, held: this.held.map((h) => ({ index: h.index, line: h.line })) } } : {}),
    };
  }

  /**
   * Replace the prequential state by one from getCore(). A section that does not fit throws an Error
   * whose message starts with its name (`learner: …`, `dedup: …`, `collector: …`).
   */
  setCore(core: PipelineCore): void {
    const section = (name: string, set: () => void): void => {
      try {
        set();
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      }
    };
    if (!core || !core.train || !Array.isArray(core.train.rows) || !Array.isArray(core.train.labels) || !Array.isArray(core.train.index)
      || core.train.rows.length !== core.train.labels.length || core.train.rows.length !== core.train.index.length) {
      throw new Error('train: the queued training rows are malformed');
    }
    for (const k of ['consumed', 'accepted', 'rejected', 'version'] as const) {
      if (!Number.isInteger(core[k]) || core[k] < 0) throw new Error(`${k}: not a count`);
    }
    if ((core.dedup === null) !== (this.dedup === null)) throw new Error('dedup: the state was saved with dedup ' + (core.dedup === null ? 'off' : 'on'));
    section('learner', () => this.learner.setState(core.learner));
    if (this.dedup) section('dedup', () => this.dedup!.setState(core.dedup));
    section('collector', () => this.collector.setState(core.collector));
    this.clearAdmitted();
    this.c.events = core.consumed;
    this.c.accepted = core.accepted;
    this.c.rejected = core.rejected;
    this.c.version = core.version;
    this.c.learned = core.learned ?? 0;
    this.stepMs = [...(core.stepMs ?? [])];
    this.trainRows = [...core.train.rows];
    this.trainLabels = [...core.train.labels];
    this.trainIndex = [...core.train.index];
    this.trainTimes = Array.isArray(core.train.times) && core.train.times.length === core.train.rows.length ? [...core.train.times] : core.train.rows.map(() => Number.NaN);
    this.novel = core.novel ?? 0;
    this.arrivals = [...(core.arrivals ?? [])];
    this.driftLog = { detections: [...(core.drift?.detections ?? [])], warnings: [...(core.drift?.warnings ?? [])] };
    this.held = this.drifting && this.onOutcome ? (core.drift?.held ?? []).map((h) => ({ index: h.index, line: { ...h.line } })) : [];
    this.heldAt = new Map(this.held.map((h) => [h.index, h.line]));
  }

  getState(): OnlinePipelineState {
    this.predictWaiting();
    const { duplicates, labelled, unknownLabels, expiredLabels } = this.c;
    return {
      format: 'onthefly-online-pipeline',
      version: 2,
      core: this.getCore(),
      counts: { duplicates, labelled, unknownLabels, expiredLabels },
      waiting: [...this.waiting],
    };
  }

  /** Replace the whole state by one from getState(). Checked before anything is replaced. */
  setState(state: unknown): void {
    const s = state as OnlinePipelineState;
    if (!s || s.format !== 'onthefly-online-pipeline') throw new TypeError('OnlinePipeline.setState: not an onthefly online-pipeline state');
    if (s.version !== 2) throw new TypeError(`OnlinePipeline.setState: state version ${String(s.version)} is not this version's (2); it was saved by another onthefly`);
    if (!Array.isArray(s.waiting) || !s.counts) throw new TypeError('OnlinePipeline.setState: waiting/counts sections are malformed');
    for (const k of ['duplicates', 'labelled', 'unknownLabels', 'expiredLabels'] as const) {
      if (!Number.isInteger(s.counts[k]) || s.counts[k] < 0) throw new TypeError(`OnlinePipeline.setState: counts.${k} is not a count`);
    }
    try {
      this.setCore(s.core);
    } catch (err) {
      throw new TypeError(`OnlinePipeline.setState: ${(err as Error).message}`);
    }
    Object.assign(this.c, s.counts);
    this.waiting.clear();
    for (const [id, w] of s.waiting) this.waiting.set(id, w);
  }

  /** When the label of the event at `index` reaches the learner (see the labelArrival option). */
  private labelAt(index: number): number {
    return this.arrival === null ? index + this.delay : this.arrival(index);
  }

  // The last event entered: its group and duplicate flag, and the last prediction made.
  private lastGroup = -1;
  private lastDup = false;
  private lastP = Number.NaN;

  /** One accepted event: dedup, then wait for its prediction (at the next learning point at the latest). */
  private enter(r: StreamRecord, labelled: boolean): void {
    const index = ++this.c.events;
    this.c.accepted++;
    const dedup = this.dedup;
    // The fingerprint and the arrival time only reach the audit line: without one, neither is made.
    const group = dedup ? dedup.observeGroup(r.fields, r.time, r.id) : -1;
    const duplicate = dedup ? dedup.lastDuplicate : false;
    const outcome = this.onOutcome !== null;
    if (duplicate) this.c.duplicates++;
    this.lastGroup = group;
    this.lastDup = duplicate;
    const a = this.admitted;
    const k = a.n++;
    a.record[k] = r;
    a.index[k] = index;
    a.arrival[k] = outcome ? performance.now() : 0;
    a.group[k] = group;
    a.slot[k] = dedup ? dedup.lastSlot : -1;
    a.fingerprint[k] = dedup && outcome ? dedup.lastFingerprint() : '';
    a.duplicate[k] = duplicate;
    a.labelled[k] = labelled;
    if (a.n > this.maxGroup) this.maxGroup = a.n;
    if (!duplicate && ++this.novel >= this.batch) {
      this.predictWaiting();
      this.novel = 0;
      this.constrainArrivals();
      this.learnReady(false);
    } else if (a.n >= this.cap) {
      this.predictWaiting();
    }
  }

  /** Forget the admitted events (and let their records go). */
  private clearAdmitted(): void {
    const a = this.admitted;
    a.n = 0;
    a.record.length = 0;
    a.fingerprint.length = 0;
  }

  /** A predicted event without its label: it waits (by id) for label(). */
  private wait(r: StreamRecord, index: number, duplicate: boolean, p: number, violation: boolean, learned: number, detail: ViolationDetail | null, at: number): void {
    const w: Waiting = { fields: r.fields, index, time: r.time, p, oracle: r.oracle, regime: r.regime, violation, learned, duplicate };
    if (detail) {
      const C = detail.names.length;
      w.constraints = { names: [...detail.names], amounts: Array.from(detail.amounts.subarray(at, at + C)), crossed: Array.from(detail.crossed.subarray(at, at + C)) };
    }
    if (this.waiting.has(r.id)) this.waiting.delete(r.id);
    this.waiting.set(r.id, w);
    while (this.waiting.size > this.maxPending) {
      this.waiting.delete(this.waiting.keys().next().value as string);
      this.c.expiredLabels++;
    }
  }

  private queue(fields: Row, label: number, index: number, time: number): void {
    this.trainRows.push(fields);
    this.trainLabels.push(label);
    this.trainIndex.push(index);
    this.trainTimes.push(time);
  }

  /** With `unlabelled`: a penalty-only step on the novel events that arrived since the last learning point. */
  private constrainArrivals(): void {
    if (!this.unlabelled || this.arrivals.length === 0) return;
    const rows = this.arrivals;
    this.arrivals = [];
    this.learner.constrainMany?.(rows);
  }

  /** Learn from every full batch of novel events whose labels have reached the learner (`final`: from all of them). */
  private learnReady(final: boolean): void {
    const B = this.batch;
    const consumed = this.c.events;
    let ready = 0;
    while (ready < this.trainIndex.length && (final || this.labelAt(this.trainIndex[ready]!) <= consumed)) ready++;
    let from = 0;
    while (ready - from >= B || (final && ready - from > 0)) {
      const n = Math.min(B, ready - from);
      const step = this.learner.learnMany(this.trainRows.slice(from, from + n), this.trainLabels.slice(from, from + n), this.trainTimes.slice(from, from + n));
      if (this.drifting && !step.skipped) {
        for (const e of this.drifting.lastEvents()) {
          const at = this.trainIndex[from + e.row]!;
          (e.event === 'drift' ? this.driftLog.detections : this.driftLog.warnings).push(at);
          const line = this.heldAt.get(at);
          if (line && line.drift !== 'drift') line.drift = e.event;
        }
      }
      from += n;
      if (step.skipped) continue;
      this.c.learned += n;
      this.c.version++;
      this.stepMs.push(step.ms);
      this.onStep?.({ version: this.c.version, events: consumed, loss: step.loss, ms: step.ms });
    }
    if (from > 0) {
      this.trainRows = this.trainRows.slice(from);
      this.trainLabels = this.trainLabels.slice(from);
      this.trainIndex = this.trainIndex.slice(from);
      this.trainTimes = this.trainTimes.slice(from);
    }
    this.release();
  }

  /** Hands over the held audit lines of every event before the first one whose label the learner has yet to see. */
  private release(all = false): void {
    const held = this.held;
    if (held.length === 0 || !this.onOutcome) return;
    const limit = all || this.trainIndex.length === 0 ? Number.POSITIVE_INFINITY : this.trainIndex[0]!;
    let k = 0;
    while (k < held.length && held[k]!.index < limit) {
      const h = held[k++]!;
      this.onOutcome(h.line);
      this.heldAt.delete(h.index);
    }
    if (k > 0) held.splice(0, k);
  }
}

/** A value the schema reads as a valid label (only to validate an event whose label comes later). */
function placeholderLabel(schema: Schema): unknown {
  const pos = schema.label.positive;
  if (pos && pos.length > 0) return pos[0];
  const neg = schema.label.negative;
  if (neg && neg.length > 0) return neg[0];
  return 0;
}
