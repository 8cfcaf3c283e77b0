import { ConfusionMatrix, accuracyOf, f1Of, kappaOf, precisionOf, recallOf } from '../metrics/confusion-matrix';
import { Brier } from '../metrics/brier';
import { LogLoss } from '../metrics/log-loss';
import { RocAuc } from '../metrics/roc-auc';
import { shown } from '../options/check-options';
import { OptionError } from '../options/option-error';
import type { ConstraintMeasure, Confusion, F1Accuracy, MetricsSummary, Outcome, SeriesPoint } from './summary';

export type { Outcome, MetricsSummary } from './summary';

/** Options of {@link PrequentialCollector}. */
export interface CollectorOptions {
  /** Size of the rolling window, and the spacing of the rolling series. Default 1000. */
  window?: number;
  /** Events on each side of a regime's return used to measure forgetting. Default 1000. */
  forgettingWindow?: number;
  /**
   * The first this many scored events are the burn-in, left out of `violationRateAfterBurnIn` and
   * the per-constraint `rateAfterBurnIn` (a random start violates constraints it has not learned).
   * Default 1000.
   */
  burnIn?: number;
}

/** Per-constraint tallies (by name) from the outcomes' constraint detail. */
interface ConstraintTally {
  count: number;
  countAfter: number;
  sum: number;
}

interface Span {
  /** model correct */
  correct: number;
  n: number;
  /** oracle correct, over events that had an oracle */
  bayesCorrect: number;
  bayesN: number;
}

const emptySpan = (): Span => ({ correct: 0, n: 0, bayesCorrect: 0, bayesN: 0 });

/** Ring codes: bit0 oracle present, bit1 oracle pred, bit2 model pred, bit3 label. */
const LABEL = 8, PRED = 4, OPRED = 2, OVALID = 1;

interface State {
  kind: 'onthefly.collector';
  v: 1;
  window: number;
  forgettingWindow: number;
  events: number;
  duplicates: number;
  violations: number;
  oracleMissing: number;
  cm: Confusion;
  /** ROC AUC / log loss / Brier states (absent in older states: start empty). */
  prob?: { auc: { pos: number[]; neg: number[]; u: number }; logLoss: { sum: number; n: number }; brier: { sum: number; n: number } };
  bayesCm: Confusion;
  rollCm: Confusion;
  rollBayesCm: Confusion;
  ring: number[];
  ringHead: number;
  ringCount: number;
  series: SeriesPoint[];
  n0: number;
  n1: number;
  prev: 0 | 1;
  majCm: Confusion;
  ncCm: Confusion;
  /** Constraint measurements beyond the violation count (absent in older states: none yet). */
  cons?: { burnIn: number; violationsAfter: number; detailed: boolean; crossings: number; byName: [string, ConstraintTally][]; oracleAbs: number; oracleN: number };
  /** Labels of scored novel events not yet available to the learner (absent in older states: none). */
  labelQueue?: number[];
  /** Labels of novel events made available to the baselines (released from the queue). */
  released?: number;
  regime: string | null;
  firstPhase: boolean;
  phaseRing: number[];
  phaseHead: number;
  phaseCount: number;
  before: Array<[string, Span]>;
  seen: string[];
  returned: string | null;
  after: Span | null;
  afterOpen: boolean;
}

/**
 * Prequential metrics, fed one {@link Outcome} per event (test-then-train: the prediction was made before
 * the label was used). Pure bookkeeping — O(1) per update, memory O(window + series) — so the pipeline
 * (`onthefly run`) and `onthefly evaluate` (from the audit log) get identical numbers from identical outcomes.
 * Forgetting: phases are maximal runs of the same non-null regime; outcomes with regime null neither start
 * nor end a phase (they are scored in every other metric).
 */
export class PrequentialCollector {
  private window: number;
  private forgettingWindow: number;
  private events = 0;
  private duplicates = 0;
  private violations = 0;
  private oracleMissing = 0;
  private burnIn: number;
  private violationsAfter = 0;
  /** Some outcome carried per-constraint detail. */
  private detailed = false;
  private crossings = 0;
  private byName = new Map<string, ConstraintTally>();
  private oracleAbs = 0;
  private oracleN = 0;
  private readonly cm = new ConfusionMatrix();
  /** Scores of the predicted probabilities (o.p), over every event whose p is in [0, 1]. */
  private readonly auc = new RocAuc();
  private readonly logLoss = new LogLoss();
  private readonly brier = new Brier();
  private readonly bayesCm = new ConfusionMatrix();
  private readonly rollCm = new ConfusionMatrix();
  private readonly rollBayesCm = new ConfusionMatrix();
  private ring: Uint8Array;
  private ringHead = 0;
  private ringCount = 0;
  private series: SeriesPoint[] = [];
  private n0 = 0;
  private n1 = 0;
  private prev: 0 | 1 = 0;
  private readonly majCm = new ConfusionMatrix();
  private readonly ncCm = new ConfusionMatrix();
  /** Labels of scored novel events not yet learned from (oldest first, from queueHead). */
  private labelQueue: number[] = [];
  private queueHead = 0;
  private released = 0;
  // forgetting
  private regime: string | null = null;
  /** The current phase is the first phase of its regime. */
  private firstPhase = false;
  private phaseRing: Uint8Array;
  private phaseHead = 0;
  private phaseCount = 0;
  private before = new Map<string, Span>();
  private seen = new Set<string>();
  private returned: string | null = null;
  private after: Span | null = null;
  private afterOpen = false;

  constructor(opts: CollectorOptions = {}) {
    this.window = checkWindow(opts.window ?? 1000, 'window');
    this.forgettingWindow = checkWindow(opts.forgettingWindow ?? 1000, 'forgettingWindow');
    const burnIn = opts.burnIn ?? 1000;
    if (!Number.isInteger(burnIn) || burnIn < 0) throw new RangeError(`burnIn must be an integer ≥ 0, got ${burnIn}`);
    this.burnIn = burnIn;
    this.ring = new Uint8Array(this.window);
    this.phaseRing = new Uint8Array(this.forgettingWindow);
  }

  /** Novel (non-duplicate) outcomes seen so far. */
  get novel(): number {
    return this.events - this.duplicates;
  }

  /** Scores one outcome. Throws an OptionError (and counts nothing) when `label` or `pred` is not 0 or 1. */
  update(o: Outcome): void {
    if (o.label !== 0 && o.label !== 1) throw new OptionError('label', `collector: label must be 0 or 1, got ${shown(o.label)}`);
    if (o.pred !== 0 && o.pred !== 1) throw new OptionError('pred', `collector: pred must be 0 or 1, got ${shown(o.pred)}`);
    const y = o.label;
    const pred = o.pred;
    const hasOracle = o.oracle !== null && o.oracle !== undefined && o.oracle === o.oracle;
    const opred = hasOracle && (o.oracle as number) >= 0.5 ? 1 : 0;
    this.events++;
    if (o.duplicate) this.duplicates++;
    if (o.violation) {
      this.violations++;
      if (this.events > this.burnIn) this.violationsAfter++;
    }
    if (o.constraints) this.tallyConstraints(o.constraints);
    if (hasOracle && o.p >= 0 && o.p <= 1) {
      this.oracleAbs += Math.abs(o.p - (o.oracle as number));
      this.oracleN++;
    }
    this.cm.update(y, pred);
    if (o.p >= 0 && o.p <= 1) { // a NaN p (a diverged model) is scored by the 0/1 metrics only
      this.auc.update(y, o.p);
      this.logLoss.update(y, o.p);
      this.brier.update(y, o.p);
    }
    if (hasOracle) this.bayesCm.update(y, opred);
    else this.oracleMissing++;

    // rolling window
    const code = (y ? LABEL : 0) | (pred ? PRED : 0) | (opred ? OPRED : 0) | (hasOracle ? OVALID : 0);
    if (this.ringCount === this.window) {
      const old = this.ring[this.ringHead];
      const oy = (old & LABEL) ? 1 : 0;
      this.rollCm.revert(oy, (old & PRED) ? 1 : 0);
      if (old & OVALID) this.rollBayesCm.revert(oy, (old & OPRED) ? 1 : 0);
    } else {
      this.ringCount++;
    }
    this.ring[this.ringHead] = code;
    this.ringHead = this.ringHead + 1 === this.window ? 0 : this.ringHead + 1;
    this.rollCm.update(y, pred);
    if (hasOracle) this.rollBayesCm.update(y, opred);
    if (this.events % this.window === 0) {
      const point: SeriesPoint = { index: this.events, f1: f1Of(this.rollCm), accuracy: accuracyOf(this.rollCm) };
      if (this.oracleMissing === 0) point.bayesF1 = f1Of(this.rollBayesCm);
      this.series.push(point);
    }

    // Baselines, from the labels available to the learner when this event was predicted: those of the
    // first o.learned novel events (every earlier event's when o.learned is absent).
    const available = o.learned ?? Number.POSITIVE_INFINITY;
    while (this.released < available && this.queueHead < this.labelQueue.length) {
      const l = this.labelQueue[this.queueHead++]!;
      this.released++;
      if (l) this.n1++;
      else this.n0++;
      this.prev = l as 0 | 1;
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.labelQueue.length) {
      this.labelQueue = this.labelQueue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.majCm.update(y, this.n1 > this.n0 ? 1 : 0);
    this.ncCm.update(y, this.prev);
    if (!o.duplicate || o.learned === undefined) this.labelQueue.push(y);

    // forgetting
    const r = o.regime;
    if (r !== null && r !== undefined) {
      if (r !== this.regime) this.changeRegime(r);
      const c = (y === pred ? 1 : 0) | (hasOracle ? 2 : 0) | (hasOracle && y === opred ? 4 : 0);
      if (this.firstPhase) {
        this.phaseRing[this.phaseHead] = c;
        this.phaseHead = this.phaseHead + 1 === this.forgettingWindow ? 0 : this.phaseHead + 1;
        if (this.phaseCount < this.forgettingWindow) this.phaseCount++;
      }
      if (this.afterOpen && this.after) {
        addCode(this.after, c);
        if (this.after.n >= this.forgettingWindow) this.afterOpen = false;
      }
    }
  }

  private tallyConstraints(c: NonNullable<Outcome['constraints']>): void {
    this.detailed = true;
    const after = this.events > this.burnIn;
    // The tallies of the names, looked up once per names array (the pipeline passes the same one for a batch).
    let tallies = this.talliesOf;
    if (c.names !== this.talliesNames || tallies.length !== c.names.length) {
      tallies = this.talliesOf = c.names.map((name) => {
        let t = this.byName.get(name);
        if (!t) {
          t = { count: 0, countAfter: 0, sum: 0 };
          this.byName.set(name, t);
        }
        return t;
      });
      this.talliesNames = c.names;
    }
    const at = c.at ?? 0;
    for (let j = 0; j < tallies.length; j++) {
      const t = tallies[j]!;
      const v = c.amounts[at + j]!;
      if (!(v > 0)) continue;
      t.count++;
      if (after) t.countAfter++;
      t.sum += v;
      if (c.crossed[at + j] === 1) this.crossings++;
    }
  }

  /** The tallies of `talliesNames`, in order (see tallyConstraints). */
  private talliesOf: ConstraintTally[] = [];
  private talliesNames: readonly string[] | null = null;

  private changeRegime(r: string): void {
    // close the current phase
    if (this.regime !== null && this.firstPhase) this.before.set(this.regime, this.phaseSpan());
    this.afterOpen = false;
    this.regime = r;
    this.phaseHead = 0;
    this.phaseCount = 0;
    if (!this.seen.has(r)) {
      this.seen.add(r);
      this.firstPhase = true;
    } else {
      this.firstPhase = false;
      if (this.returned === null && this.before.has(r)) {
        this.returned = r;
        this.after = emptySpan();
        this.afterOpen = true;
      }
    }
  }

  private phaseSpan(): Span {
    const s = emptySpan();
    for (let i = 0; i < this.phaseCount; i++) addCode(s, this.phaseRing[i]);
    return s;
  }

  summary(): MetricsSummary {
    const rate = (x: number) => (this.events > 0 ? x / this.events : 0);
    const bayes = this.oracleMissing === 0 && this.events > 0
      ? { accuracy: accuracyOf(this.bayesCm), f1: f1Of(this.bayesCm), precision: precisionOf(this.bayesCm), recall: recallOf(this.bayesCm), kappa: kappaOf(this.bayesCm) }
      : null;
    const f1 = f1Of(this.cm);
    const accuracy = accuracyOf(this.cm);
    const fa = (cm: ConfusionMatrix): F1Accuracy => ({ f1: f1Of(cm), accuracy: accuracyOf(cm) });
    let forgetting: MetricsSummary['forgetting'] = null;
    if (this.returned !== null && this.after && this.after.n > 0) {
      const b = this.before.get(this.returned) as Span;
      const before = b.n > 0 ? b.correct / b.n : 0;
      const after = this.after.correct / this.after.n;
      forgetting = {
        regime: this.returned,
        before,
        after,
        drop: before - after,
        beforeEvents: b.n,
        afterEvents: this.after.n,
        bayesBefore: b.bayesN > 0 ? b.bayesCorrect / b.bayesN : null,
        bayesAfter: this.after.bayesN > 0 ? this.after.bayesCorrect / this.after.bayesN : null,
      };
    }
    return {
      events: this.events,
      duplicates: this.duplicates,
      metrics: {
        precision: precisionOf(this.cm),
        recall: recallOf(this.cm),
        f1,
        accuracy,
        kappa: kappaOf(this.cm),
        rocAuc: this.auc.get(),
        logLoss: this.logLoss.get(),
        brier: this.brier.get(),
        confusion: this.cm.toJSON(),
      },
      rolling: { window: this.window, f1: f1Of(this.rollCm), accuracy: accuracyOf(this.rollCm), series: this.series.map((p) => ({ ...p })) },
      bayes,
      ratio: bayes ? { f1: bayes.f1 > 0 ? f1 / bayes.f1 : null, accuracy: bayes.accuracy > 0 ? accuracy / bayes.accuracy : null } : null,
      baselines: { majority: fa(this.majCm), noChange: fa(this.ncCm) },
      constraints: this.constraintSummary(),
      oracleMae: this.oracleN > 0 ? this.oracleAbs / this.oracleN : null,
      forgetting,
    };
  }

  private constraintSummary(): MetricsSummary['constraints'] {
    const after = this.events - this.burnIn;
    let perConstraint: Record<string, ConstraintMeasure> | null = null;
    let meanViolation: number | null = null;
    if (this.detailed) {
      perConstraint = {};
      let sum = 0;
      let count = 0;
      for (const [name, t] of this.byName) {
        perConstraint[name] = {
          rate: this.events > 0 ? t.count / this.events : 0,
          rateAfterBurnIn: after > 0 ? t.countAfter / after : null,
          mean: t.count > 0 ? t.sum / t.count : 0,
          violations: t.count,
        };
        sum += t.sum;
        count += t.count;
      }
      meanViolation = count > 0 ? sum / count : null;
    }
    return {
      violationRate: this.events > 0 ? this.violations / this.events : 0,
      violations: this.violations,
      burnIn: this.burnIn,
      violationRateAfterBurnIn: after > 0 ? this.violationsAfter / after : null,
      meanViolation,
      crossings: this.detailed ? this.crossings : null,
      perConstraint,
    };
  }

  /** The whole state as JSON-safe data (for checkpoints). */
  getState(): unknown {
    const s: State = {
      kind: 'onthefly.collector',
      v: 1,
      window: this.window,
      forgettingWindow: this.forgettingWindow,
      events: this.events,
      duplicates: this.duplicates,
      violations: this.violations,
      oracleMissing: this.oracleMissing,
      cm: this.cm.toJSON(),
      prob: { auc: this.auc.toJSON(), logLoss: this.logLoss.toJSON(), brier: this.brier.toJSON() },
      bayesCm: this.bayesCm.toJSON(),
      rollCm: this.rollCm.toJSON(),
      rollBayesCm: this.rollBayesCm.toJSON(),
      ring: Array.from(this.ring),
      ringHead: this.ringHead,
      ringCount: this.ringCount,
      series: this.series.map((p) => ({ ...p })),
      n0: this.n0,
      n1: this.n1,
      prev: this.prev,
      majCm: this.majCm.toJSON(),
      ncCm: this.ncCm.toJSON(),
      cons: {
        burnIn: this.burnIn, violationsAfter: this.violationsAfter, detailed: this.detailed, crossings: this.crossings,
        byName: [...this.byName].map(([k, t]) => [k, { ...t }]), oracleAbs: this.oracleAbs, oracleN: this.oracleN,
      },
      labelQueue: this.labelQueue.slice(this.queueHead),
      released: this.released,
      regime: this.regime,
      firstPhase: this.firstPhase,
      phaseRing: Array.from(this.phaseRing),
      phaseHead: this.phaseHead,
      phaseCount: this.phaseCount,
      before: [...this.before].map(([k, v]) => [k, { ...v }]),
      seen: [...this.seen],
      returned: this.returned,
      after: this.after ? { ...this.after } : null,
      afterOpen: this.afterOpen,
    };
    return s;
  }

  /** Replace the whole state by one from {@link getState} (window sizes included). */
  setState(state: unknown): void {
    const s = state as State;
    if (!s || s.kind !== 'onthefly.collector' || s.v !== 1) throw new Error('PrequentialCollector.setState: not a collector state (v1)');
    if (s.ring.length !== s.window || s.phaseRing.length !== s.forgettingWindow) throw new Error('PrequentialCollector.setState: inconsistent ring sizes');
    this.window = s.window;
    this.forgettingWindow = s.forgettingWindow;
    this.events = s.events;
    this.duplicates = s.duplicates;
    this.violations = s.violations;
    this.oracleMissing = s.oracleMissing;
    this.cm.set(s.cm);
    this.auc.set(s.prob?.auc ?? { pos: [], neg: [], u: 0 });
    this.logLoss.set(s.prob?.logLoss ?? { sum: 0, n: 0 });
    this.brier.set(s.prob?.brier ?? { sum: 0, n: 0 });
    this.bayesCm.set(s.bayesCm);
    this.rollCm.set(s.rollCm);
    this.rollBayesCm.set(s.rollBayesCm);
    this.ring = Uint8Array.from(s.ring);
    this.ringHead = s.ringHead;
    this.ringCount = s.ringCount;
    this.series = s.series.map((p) => ({ ...p }));
    this.n0 = s.n0;
    this.n1 = s.n1;
    this.prev = s.prev;
    this.majCm.set(s.majCm);
    this.ncCm.set(s.ncCm);
    const c = s.cons;
    if (c) this.burnIn = c.burnIn;
    this.violationsAfter = c ? c.violationsAfter : 0;
    this.detailed = c ? c.detailed : false;
    this.crossings = c ? c.crossings : 0;
    this.byName = new Map(c ? c.byName.map(([k, t]) => [k, { ...t }]) : []);
    this.talliesNames = null;
    this.oracleAbs = c ? c.oracleAbs : 0;
    this.oracleN = c ? c.oracleN : 0;
    this.labelQueue = s.labelQueue ? [...s.labelQueue] : [];
    this.queueHead = 0;
    this.released = s.released ?? s.n0 + s.n1;
    this.regime = s.regime;
    this.firstPhase = s.firstPhase;
    this.phaseRing = Uint8Array.from(s.phaseRing);
    this.phaseHead = s.phaseHead;
    this.phaseCount = s.phaseCount;
    this.before = new Map(s.before.map(([k, v]) => [k, { ...v }]));
    this.seen = new Set(s.seen);
    this.returned = s.returned;
    this.after = s.after ? { ...s.after } : null;
    this.afterOpen = s.afterOpen;
  }
}

function addCode(s: Span, c: number): void {
  s.n++;
  if (c & 1) s.correct++;
  if (c & 2) {
    s.bayesN++;
    if (c & 4) s.bayesCorrect++;
  }
}

function checkWindow(w: number, name: string): number {
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${w}`);
  return w;
}
