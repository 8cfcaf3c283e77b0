import { DedupCenter, type DedupOptions } from '../dedup/dedup-center';
import { dedupOptionsForSchema } from '../dedup/dedup-options';
import type { Learner } from '../learn/learner';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { rawText, validateRow } from '../stream/validate';
import type { Rejected, Row, Schema, StreamRecord } from '../types';
import { PrequentialCollector, type MetricsSummary } from './collector';

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
  /** Rolling-metric window. Default 1000. */
  window?: number;
  /**
   * Predicted events kept while they wait for a label (by id). Past this the oldest is dropped and
   * counted in `expiredLabels`; its label, if it ever comes, counts as unknown. Default 100,000.
   */
  maxPending?: number;
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
  /** Events given to process (accepted + rejected). */
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

interface Waiting {
  fields: Row;
  /** Event time (epoch ms), for the constraints that learn from it (smoothness). */
  time: number;
  p: number;
  oracle: number | null;
  regime: string | null;
  violation: boolean;
  /** The learner's per-constraint measurement of the prediction, when it reports one. */
  constraints?: { names: string[]; amounts: number[]; crossed: number[] };
  duplicate: boolean;
}

/** Checkpoint format of an {@link OnlinePipeline} (JSON-safe). */
export interface OnlinePipelineState {
  format: 'onthefly-online-pipeline';
  version: 1;
  counts: Omit<PipelineCounts, 'pending'>;
  learner: unknown;
  dedup: unknown;
  collector: unknown;
  /** Predicted events waiting for a label, oldest first. */
  waiting: [string, Waiting][];
  train: { rows: Row[]; labels: number[]; times?: number[] };
}

const positiveInteger = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`OnlinePipeline: ${name} must be a positive integer, got ${String(v)}`);
  return v;
};

/**
 * The prequential pipeline one event at a time, for services and notebooks (River's
 * `progressive_val_score`, turned inside out): `process(event)` validates the event, groups it
 * (dedup) and predicts it with the current model at once; its label comes with the event (the label
 * field of the schema) or later through `label(id, y)`; novel labelled events are learned from
 * `batch` at a time. Every label scores its event in the same prequential metrics as runExperiment.
 *
 * Fed a stream event by event with each label right after its event, it computes exactly
 * runExperiment's predictions and metrics on that stream (label delay 0; tested).
 */
export class OnlinePipeline {
  readonly schema: Schema;
  readonly batch: number;
  readonly maxPending: number;
  private readonly learner: Learner;
  private readonly dedup: DedupCenter | null;
  private readonly collector: PrequentialCollector;
  private readonly waiting = new Map<string, Waiting>();
  private trainRows: Row[] = [];
  private trainLabels: number[] = [];
  private trainTimes: number[] = [];
  private readonly c: Omit<PipelineCounts, 'pending'> = {
    events: 0, accepted: 0, rejected: 0, duplicates: 0, labelled: 0, learned: 0, unknownLabels: 0, expiredLabels: 0, version: 0,
  };

  constructor(options: OnlinePipelineOptions) {
    if (!options || !options.learner) throw new TypeError('OnlinePipeline: options.learner is required');
    this.learner = options.learner;
    this.schema = options.schema ?? GENERATOR_SCHEMA;
    this.batch = positiveInteger('batch', options.batch ?? 256);
    this.maxPending = positiveInteger('maxPending', options.maxPending ?? 100_000);
    this.dedup = options.dedup === false ? null : new DedupCenter(dedupOptionsForSchema(this.schema, options.dedup ?? {}));
    this.collector = new PrequentialCollector({ window: options.window ?? 1000, forgettingWindow: options.window ?? 1000 });
  }

  /** The model version: learning steps done. */
  get version(): number {
    return this.c.version;
  }

  /**
   * Validate, group and predict one event (a flat object; the generator's events as they are). An
   * event that carries the schema's label field is scored and queued for learning at once; one without
   * waits for `label(id, y)`. A bad event is returned as `{ rejected }` with its reason.
   */
  process(event: object, line = this.c.events + 1): Prediction | { rejected: Rejected } {
    this.c.events++;
    const labelled = Object.prototype.hasOwnProperty.call(event, this.schema.label.field)
      && (event as Row)[this.schema.label.field] !== undefined;
    // Validation requires a label: an unlabelled event is checked with a placeholder one (then ignored).
    const v = validateRow(labelled ? event : { ...(event as Row), [this.schema.label.field]: placeholderLabel(this.schema) }, line, this.schema);
    if ('rejected' in v) {
      this.c.rejected++;
      if (!labelled) v.rejected.raw = rawText(event);
      return { rejected: v.rejected };
    }
    this.c.accepted++;
    return this.predict(v.record, labelled);
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
    this.score(w, y === true || y === 1 ? 1 : 0);
    return w.duplicate ? 'duplicate' : 'queued';
  }

  /** Learn from the labelled novel events still short of a batch (e.g. at the end of a stream). */
  flush(): void {
    this.learnReady(true);
  }

  counts(): PipelineCounts {
    return { ...this.c, pending: this.waiting.size };
  }

  /** The prequential metrics of every labelled event so far. */
  metrics(): MetricsSummary {
    return this.collector.summary();
  }

  getState(): OnlinePipelineState {
    return {
      format: 'onthefly-online-pipeline',
      version: 1,
      counts: { ...this.c },
      learner: this.learner.getState(),
      dedup: this.dedup?.getState() ?? null,
      collector: this.collector.getState(),
      waiting: [...this.waiting],
      train: { rows: this.trainRows, labels: this.trainLabels, times: this.trainTimes },
    };
  }

  /** Replace the whole state by one from getState(). Checked before anything is replaced. */
  setState(state: unknown): void {
    const s = state as OnlinePipelineState;
    if (!s || s.format !== 'onthefly-online-pipeline' || s.version !== 1) throw new TypeError('OnlinePipeline.setState: not an onthefly online-pipeline state');
    if (!Array.isArray(s.waiting) || !s.train || !Array.isArray(s.train.rows) || !Array.isArray(s.train.labels) || s.train.rows.length !== s.train.labels.length) {
      throw new TypeError('OnlinePipeline.setState: waiting/train sections are malformed');
    }
    for (const k of Object.keys(this.c) as (keyof typeof this.c)[]) {
      if (!Number.isInteger(s.counts?.[k]) || s.counts[k] < 0) throw new TypeError(`OnlinePipeline.setState: counts.${k} is not a count`);
    }
    if ((s.dedup === null) !== (this.dedup === null)) throw new TypeError('OnlinePipeline.setState: the state was saved with dedup ' + (s.dedup === null ? 'off' : 'on'));
    this.learner.setState(s.learner);
    this.dedup?.setState(s.dedup);
    this.collector.setState(s.collector);
    Object.assign(this.c, s.counts);
    this.waiting.clear();
    for (const [id, w] of s.waiting) this.waiting.set(id, w);
    this.trainRows = [...s.train.rows];
    this.trainLabels = [...s.train.labels];
    this.trainTimes = Array.isArray(s.train.times) && s.train.times.length === s.train.rows.length ? [...s.train.times] : s.train.rows.map(() => Number.NaN);
  }

  private predict(r: StreamRecord, labelled: boolean): Prediction {
    const d = this.dedup ? this.dedup.observe(r.fields, r.time, r.id) : null;
    const duplicate = d ? d.duplicate : false;
    const group = d ? d.group : -1;
    const rows = [r.fields];
    const probs = this.learner.predictMany(rows);
    const p = probs[0]!;
    const violation = this.learner.violationsMany(rows, probs, [r.time])[0] === 1;
    const detail = this.learner.lastViolationDetail?.() ?? null;
    if (d && group >= 0) this.dedup!.setPrediction(group, p);
    if (duplicate) this.c.duplicates++;
    const prediction: 0 | 1 = p >= 0.5 ? 1 : 0;
    const out: Prediction = { id: r.id, p, prediction, group, duplicate, version: this.c.version };
    const w: Waiting = { fields: r.fields, time: r.time, p, oracle: r.oracle, regime: r.regime, violation, duplicate };
    if (detail) w.constraints = { names: [...detail.names], amounts: Array.from(detail.amounts), crossed: Array.from(detail.crossed) };
    if (labelled) {
      this.score(w, r.label);
    } else {
      if (this.waiting.has(r.id)) this.waiting.delete(r.id);
      this.waiting.set(r.id, w);
      while (this.waiting.size > this.maxPending) {
        this.waiting.delete(this.waiting.keys().next().value as string);
        this.c.expiredLabels++;
      }
    }
    return out;
  }

  private score(w: Waiting, label: 0 | 1): void {
    this.c.labelled++;
    this.collector.update({ label, p: w.p, pred: w.p >= 0.5 ? 1 : 0, oracle: w.oracle, regime: w.regime, violation: w.violation, duplicate: w.duplicate, constraints: w.constraints });
    if (w.duplicate) return;
    this.trainRows.push(w.fields);
    this.trainLabels.push(label);
    this.trainTimes.push(w.time);
    this.learnReady(false);
  }

  private learnReady(final: boolean): void {
    let from = 0;
    while (this.trainRows.length - from >= this.batch || (final && this.trainRows.length - from > 0)) {
      const n = Math.min(this.batch, this.trainRows.length - from);
      const step = this.learner.learnMany(this.trainRows.slice(from, from + n), this.trainLabels.slice(from, from + n), this.trainTimes.slice(from, from + n));
      from += n;
      this.c.learned += n;
      if (!step.skipped) this.c.version++;
    }
    if (from > 0) {
      this.trainRows = this.trainRows.slice(from);
      this.trainLabels = this.trainLabels.slice(from);
      this.trainTimes = this.trainTimes.slice(from);
    }
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
