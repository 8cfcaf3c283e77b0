import type { BuiltinConstraint } from '../constraints/constraint';
import { ConstraintMeter, type MeterCounts } from '../constraints/constraint-meter';
import type { SourceHistoryState } from '../constraints/source-history';
import type { ViolationDetail } from '../constraints/violation-detail';
import { Adwin } from '../drift/adwin';
import { createDetector, DETECTOR_NAMES, type DetectorName } from '../drift/create-detector';
import type { DriftDetector } from '../drift/detector';
import { DriftDetectorError } from '../drift/detector-error';
import { OptionError } from '../options/option-error';
import { shown } from '../options/check-options';
import type { Row } from '../types';
import type { ResolvedOptions } from './incremental-learner';
import type { Learner, LearnStep } from './learner';
import { RowCoder } from './tree/row-coder';
import { LearnerBase } from './learner-base';

/** What the drift wrapper did at one label: a background learner started, or the foreground was replaced. */
export type DriftEvent = 'warning' | 'drift';

/** The models `drift` can wrap (hat and arf have their own detectors per node / per tree; auto is an ensemble). */
export const DRIFT_MODELS = ['logistic', 'mlp', 'naive-bayes', 'hoeffding-tree'] as const;

/** Default δ of the warning ADWIN that runs beside the drift ADWIN (ARF's warning δ, Gomes et al. 2017). */
export const ADWIN_WARNING_DELTA = 0.01;

/** What `run --json` reports of a run with a drift detector. */
export interface DriftReport {
  detector: DetectorName;
  /** Where the foreground learner was replaced (see DriftLearner: label ordinals here, event positions in run --json). */
  detections: number[];
  /** Where a background learner started. */
  warnings: number[];
}

/** Checkpoint format of a {@link DriftLearner} (JSON-safe). */
export interface DriftLearnerState {
  format: 'onthefly-learner';
  version: 1;
  model: 'drift';
  detector: DetectorName;
  foreground: unknown;
  background: unknown;
  detectors: { drift: unknown; warning: unknown };
  /** DDM only: whether the last label left DDM in its warning zone. */
  inWarning: boolean;
  /** Learners built so far (the k-th is seeded "<seed>/drift-k"; the first has the run's seed). */
  created: number;
  /** Labels learned from (non-skipped batches). */
  labels: number;
  detections: number[];
  warnings: number[];
  history: SourceHistoryState[];
  skippedBatches: number;
  violations: { totals: number[]; rows: number };
}

/** Builds the k-th learner of a DriftLearner (k = 0: the first foreground, with the run's seed). */
export type LearnerFactory = (k: number) => Learner;

/** The seed of the k-th learner a DriftLearner builds: the run's seed for k = 0, else "<seed>/drift-k". */
export function driftSeed(seed: string | number, k: number): string | number {
  return k === 0 ? seed : `${String(seed)}/drift-${k}`;
}

const now = (): number => performance.now();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * The detectors of a DriftLearner, from `drift` and `driftOptions`; an OptionError naming
 * `driftOptions` (or `driftOptions.warningDelta`) on a bad option.
 * - adwin: the drift ADWIN with `driftOptions` (δ 0.002 by default) and a warning ADWIN with the same
 *   options but δ = `warningDelta` (default 0.01, at least the drift δ);
 * - page-hinkley: `mode` "up" unless given (only a rising error is a drift); no warning detector;
 * - ddm: its own warning zone; no second detector.
 */
export function makeDriftDetectors(name: DetectorName, options: Record<string, unknown>): { drift: DriftDetector; warning: Adwin | null } {
  try {
    if (name === 'adwin') {
      const { warningDelta, ...rest } = options;
      const drift = new Adwin(rest);
      const w = warningDelta ?? ADWIN_WARNING_DELTA;
      if (typeof w !== 'number' || !Number.isFinite(w) || !(w > 0) || !(w < 1)) throw new OptionError('driftOptions.warningDelta', `driftOptions.warningDelta must be a number in (0, 1), got ${shown(w)}`);
      if (w < drift.options.delta) throw new OptionError('driftOptions.warningDelta', `driftOptions.warningDelta (${w}) must be ≥ the drift δ (${drift.options.delta}): the warning detector is the looser one`);
      return { drift, warning: new Adwin({ ...rest, delta: w }) };
    }
    if (name === 'page-hinkley') return { drift: createDetector('page-hinkley', { mode: 'up', ...options }), warning: null };
    if ('warningDelta' in options) throw new OptionError('driftOptions.warningDelta', `driftOptions.warningDelta is an option of drift "adwin" only, not "${name}"`);
    return { drift: createDetector(name, options), warning: null };
  } catch (err) {
    if (err instanceof DriftDetectorError) throw new OptionError('driftOptions', `driftOptions: ${err.message}`);
    throw err;
  }
}

/**
 * `drift: "adwin" | "page-hinkley" | "ddm"`: a learner (logistic, mlp, naive-bayes, hoeffding-tree)
 * whose prequential 0/1 error stream feeds a drift detector, and which is replaced when it drifts.
 *
 * At each learnMany the foreground learner first predicts the batch (so with no label delay the error
 * is that of the prediction the run logged), then it and the background learner, if any, learn the
 * batch; then the errors go to the detector one row at a time, in order:
 * - a **warning** starts a fresh background learner (same options, seed "<seed>/drift-k") that learns
 *   alongside from the next batch on, replacing any earlier one. ADWIN has no warning zone: a second
 *   ADWIN with a looser δ (`warningDelta`, 0.01) gives the warnings, as in ARF. DDM's warning is the
 *   entry into its warning zone; leaving the zone without a drift drops the background (Gama et al.:
 *   a false alarm). Page-Hinkley never warns.
 * - a **drift** replaces the foreground by the background learner, or by a fresh one when no warning
 *   came first (always with Page-Hinkley), and resets the detectors. The rest of the batch's errors,
 *   which were the old learner's, are not fed.
 * Only a rising error is a change: an ADWIN cut after which the window's mean error fell is ignored
 * (as MOA's ADWINChangeDetector), Page-Hinkley runs in mode "up", DDM only detects rises.
 *
 * Constraints are measured on the foreground's prediction, with this wrapper's own source history (a
 * replaced learner does not reset it). The state holds both learners and the detectors; a batch with
 * a non-finite value or label is refused before any learner or detector sees it.
 */
export class DriftLearner extends LearnerBase implements Learner {
  private fg: Learner;
  private bg: Learner | null = null;
  private drift: DriftDetector;
  private warning: Adwin | null;
  private inWarning = false;
  private created = 1;
  private labels = 0;
  private detections: number[] = [];
  private warnings: number[] = [];
  private skipped = 0;
  private readonly meter: ConstraintMeter;
  private readonly coder: RowCoder;
  private readonly num: Float64Array;
  /** What the last learnMany call did, by row of its batch. */
  private last: { row: number; event: DriftEvent }[] = [];

  constructor(
    readonly options: Readonly<ResolvedOptions>,
    readonly constraints: readonly BuiltinConstraint[],
    private readonly make: LearnerFactory,
    first: Learner,
  ) {
    super();
    this.fg = first;
    ({ drift: this.drift, warning: this.warning } = makeDriftDetectors(this.detector, options.driftOptions as Record<string, unknown>));
    this.coder = new RowCoder(options.schema, { categoricalCapacity: options.categoricalCapacity, hashBuckets: options.hashBuckets });
    this.num = new Float64Array(this.coder.m);
    this.meter = new ConstraintMeter(constraints);
  }

  /** The detector's name. */
  get detector(): DetectorName {
    return this.options.drift as DetectorName;
  }

  get backend(): string {
    return this.fg.backend;
  }

  get skippedBatches(): number {
    return this.skipped;
  }

  /** The learner that predicts now. */
  get foreground(): Learner {
    return this.fg;
  }

  /** The learner started at the last warning, or null. */
  get background(): Learner | null {
    return this.bg;
  }

  /** Feature state of the foreground (what saveModel records). */
  get features(): unknown {
    return (this.fg as Learner & { features?: unknown }).features;
  }

  /**
   * What the last learnMany did: for each warning or drift, the row of that call's batch whose error
   * raised it (in order). Empty after a call that raised nothing or was skipped.
   */
  lastEvents(): readonly { row: number; event: DriftEvent }[] {
    return this.last;
  }

  /** Detector, and the 1-based label ordinals (labels learned from, in order) of the drifts and warnings so far. */
  report(): DriftReport {
    return { detector: this.detector, detections: [...this.detections], warnings: [...this.warnings] };
  }

  predictMany(rows: Row[]): Float64Array {
    return this.fg.predictMany(rows);
  }

  violationsMany(rows: Row[], probs: Float64Array, times: number[]): Uint8Array {
    return this.meter.measure(rows, probs, times, { predictMany: (r: Row[]) => this.predictMany(r) });
  }

  /** Per constraint (by name), rows whose foreground prediction violated it, and rows measured. */
  violationCounts(): { rows: number; byConstraint: Record<string, number> } {
    return this.meter.counts();
  }

  /** What the last violationsMany call measured, per row and constraint (null before the first). */
  lastViolationDetail(): ViolationDetail | null {
    return this.meter.lastDetail();
  }

  constrainMany(rows: Row[]): LearnStep {
    const step = this.fg.constrainMany?.(rows) ?? { rows: 0, loss: 0, skipped: false, ms: 0 };
    this.bg?.constrainMany?.(rows);
    return step;
  }

  learnMany(rows: Row[], labels: ArrayLike<number>, times?: ArrayLike<number>): LearnStep {
    const t0 = now();
    this.last = [];
    const n = rows.length;
    if (n === 0) return { rows: 0, loss: Number.NaN, skipped: false, ms: now() - t0 };
    let bad = false;
    for (let i = 0; !bad && i < n; i++) if (typeof labels[i] === 'number' && !Number.isFinite(labels[i]!)) bad = true;
    for (let i = 0; !bad && i < n; i++) if (rows[i] && !this.coder.readNumeric(rows[i]!, this.num)) bad = true;
    if (bad) {
      this.skipped += 1;
      return { rows: 0, loss: Number.NaN, skipped: true, ms: now() - t0 };
    }
    const p = this.fg.predictMany(rows);
    const step = this.fg.learnMany(rows, labels, times);
    if (step.skipped) {
      // The learner refused a batch that passed the check above (its own checks are the reference).
      this.skipped += 1;
      return step;
    }
    this.bg?.learnMany(rows, labels, times);
    const base = this.labels;
    this.labels += n;
    for (let i = 0; i < n; i++) {
      const wrong = (p[i]! >= 0.5 ? 1 : 0) !== (labels[i]! >= 0.5 ? 1 : 0) ? 1 : 0;
      const event = this.observe(wrong);
      if (event === null) continue;
      this.last.push({ row: i, event });
      (event === 'drift' ? this.detections : this.warnings).push(base + i + 1);
      if (event === 'drift') break; // the rest of the batch's errors are the replaced learner's
    }
    return { ...step, ms: now() - t0 };
  }

  /** One error indicator to the detectors, and what the policy did about it. */
  private observe(wrong: number): DriftEvent | null {
    let drifted: boolean;
    let warned = false;
    if (this.warning) {
      const before = (this.drift as Adwin).estimation;
      this.drift.update(wrong);
      drifted = this.drift.driftDetected && (this.drift as Adwin).estimation > before;
      const wBefore = this.warning.estimation;
      this.warning.update(wrong);
      warned = this.warning.driftDetected && this.warning.estimation > wBefore;
    } else {
      const signal = this.drift.update(wrong);
      drifted = signal === 'drift';
      if (this.detector === 'ddm') {
        warned = signal === 'warning' && !this.inWarning;
        if (signal === 'none' && this.inWarning && this.bg) {
          this.bg.dispose();
          this.bg = null;
        }
        this.inWarning = signal === 'warning';
      }
    }
    if (drifted) {
      const old = this.fg;
      this.fg = this.bg ?? this.make(this.created++);
      this.bg = null;
      old.dispose();
      this.drift.reset();
      this.warning?.reset();
      this.inWarning = false;
      return 'drift';
    }
    if (warned) {
      this.bg?.dispose();
      this.bg = this.make(this.created++);
      return 'warning';
    }
    return null;
  }

  getState(): DriftLearnerState {
    return {
      format: 'onthefly-learner',
      version: 1,
      model: 'drift',
      detector: this.detector,
      foreground: this.fg.getState(),
      background: this.bg ? this.bg.getState() : null,
      detectors: { drift: this.drift.getState(), warning: this.warning ? this.warning.getState() : null },
      inWarning: this.inWarning,
      created: this.created,
      labels: this.labels,
      detections: [...this.detections],
      warnings: [...this.warnings],
      history: this.meter.historyStates(),
      skippedBatches: this.skipped,
      violations: this.meter.getCounts(),
    };
  }

  /** Checks the whole state, builds the learners and detectors it holds, and only then replaces this one's (atomic). */
  setState(state: unknown): void {
    if (!isObject(state) || state.format !== 'onthefly-learner') throw new OptionError('state', 'not a learner state (no "format": "onthefly-learner")');
    const s = state;
    if (s.model !== 'drift' || s.detector !== this.detector) {
      throw new OptionError('state', `learner state does not match this learner (model ${shown(s.model)}${s.model === 'drift' ? `, detector ${shown(s.detector)}` : ''}; this learner: drift detector "${this.detector}")`);
    }
    const fail = (path: string, why: string): never => { throw new OptionError(`state.${path}`, `learner state: ${path} ${why}`); };
    if (s.version !== 1) fail('version', `must be 1, got ${shown(s.version)}`);
    for (const k of ['created', 'labels', 'skippedBatches'] as const) if (!isCount(s[k])) fail(k, `must be an integer ≥ 0, got ${shown(s[k])}`);
    if ((s.created as number) < 1) fail('created', `must be ≥ 1, got ${shown(s.created)}`);
    if (typeof s.inWarning !== 'boolean') fail('inWarning', `must be true or false, got ${shown(s.inWarning)}`);
    for (const k of ['detections', 'warnings'] as const) {
      const list = s[k];
      if (!Array.isArray(list) || !list.every((x, i) => isCount(x) && x >= 1 && x <= (s.labels as number) && (i === 0 || x >= (list[i - 1] as number)))) fail(k, `must be increasing label ordinals in [1, labels], got ${shown(list)}`);
    }
    const v = s.violations;
    if (!isObject(v) || !Array.isArray(v.totals) || v.totals.length !== this.constraints.length || !v.totals.every(isCount) || !isCount(v.rows)) {
      fail('violations', `must be { totals: ${this.constraints.length} counts, rows }, got ${shown(v)}`);
    }
    if (!Array.isArray(s.history) || s.history.length !== this.meter.histories) fail('history', `must hold ${this.meter.histories} source histories, got ${shown(s.history)}`);
    (s.history as unknown[]).forEach((h, i) => {
      if (!Array.isArray(h) || !h.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isObject(e[1]) && isObject(e[1].fields) && typeof e[1].time === 'number')) {
        fail(`history[${i}]`, `must be a list of [source, { fields, time }], got ${shown(h)}`);
      }
    });
    const d = s.detectors;
    if (!isObject(d)) fail('detectors', `must be { drift, warning }, got ${shown(d)}`);
    const det = d as Record<string, unknown>;
    if ((det.warning === null) !== (this.warning === null)) fail('detectors.warning', this.warning ? 'is required for adwin' : `must be null for ${this.detector}`);

    const built: Learner[] = [];
    try {
      const { drift, warning } = makeDriftDetectors(this.detector, this.options.driftOptions as Record<string, unknown>);
      try {
        drift.setState(det.drift);
        if (warning) warning.setState(det.warning);
      } catch (err) {
        fail('detectors', (err as Error).message);
      }
      const fg = this.make(0);
      built.push(fg);
      fg.setState(s.foreground);
      let bg: Learner | null = null;
      if (s.background !== null && s.background !== undefined) {
        bg = this.make(0);
        built.push(bg);
        bg.setState(s.background);
      }
      this.meter.restore(v as unknown as MeterCounts, s.history as SourceHistoryState[]);
      // Everything checked: replace.
      this.fg.dispose();
      this.bg?.dispose();
      this.fg = fg;
      this.bg = bg;
      this.drift = drift;
      this.warning = warning;
    } catch (err) {
      for (const l of built) l.dispose();
      throw err;
    }
    this.inWarning = s.inWarning as boolean;
    this.created = s.created as number;
    this.labels = s.labels as number;
    this.detections = [...(s.detections as number[])];
    this.warnings = [...(s.warnings as number[])];
    this.skipped = s.skippedBatches as number;
    this.last = [];
  }

  dispose(): void {
    this.fg.dispose();
    this.bg?.dispose();
  }
}

/** True for a detector name `drift` accepts ("none" aside). */
export function isDriftName(x: unknown): x is DetectorName {
  return typeof x === 'string' && (DETECTOR_NAMES as readonly string[]).includes(x);
}
