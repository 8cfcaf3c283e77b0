/** The outcome of one prequential step for one event: what the metrics see. */
export interface Outcome {
  /** True label (revealed after the prediction). */
  label: 0 | 1;
  /** Predicted P(critical = 1) of the model before it learned from this event. */
  p: number;
  /** The model's prediction (usually p ≥ threshold). */
  pred: 0 | 1;
  /** Bayes posterior from the stream, or null. */
  oracle: number | null;
  /** Generator regime name, or null. */
  regime: string | null;
  /** The prediction violated at least one constraint. */
  violation: boolean;
  /**
   * Per-constraint measurements of this event's prediction (from the learner's ViolationDetail),
   * when the learner reports them: names, violation amounts and crossings (1/0), one per constraint.
   */
  constraints?: {
    names: readonly string[];
    amounts: ArrayLike<number>;
    crossed: ArrayLike<number>;
    /** Where this outcome's values start in `amounts` and `crossed` (one per name). Default 0. */
    at?: number;
  };
  /** Dedup marked the event as a duplicate (predicted and scored, not trained on). */
  duplicate: boolean;
  /**
   * Labels the learner had been given (novel events, in order) when this event was predicted: the
   * baselines use exactly those. Absent: every earlier event's label (no batch, no delay).
   */
  learned?: number;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Metrics of the positive class (critical = 1); 0/0 cases are 0 (see src/metrics/confusion-matrix.ts). */
export interface ClassificationMetrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  kappa: number;
  /** Over events whose p is in [0, 1] (a NaN p is skipped). Exact ROC AUC over all (positive, negative) pairs (src/metrics/roc-auc.ts); 0 until both classes were seen. */
  rocAuc: number;
  /** Mean binary cross-entropy of the probabilities, clipped to [1e-15, 1 − 1e-15]. */
  logLoss: number;
  /** Mean squared error of the probabilities (Brier score). */
  brier: number;
  confusion: Confusion;
}

/** One point of the rolling-window series (sampled every `window` events). */
export interface SeriesPoint {
  /** Events seen when sampled (a multiple of the window). */
  index: number;
  f1: number;
  accuracy: number;
  /** Rolling F1 of the oracle's predictions over the same window, when every event so far had an oracle. */
  bayesF1?: number;
}

export interface F1Accuracy {
  f1: number;
  accuracy: number;
}

/** What {@link PrequentialCollector.summary} returns. */
export interface MetricsSummary {
  /** Outcomes seen. */
  events: number;
  /** Outcomes flagged as duplicates (all of them are scored). */
  duplicates: number;
  /** Over the whole stream. */
  metrics: ClassificationMetrics;
  /** Over the last `window` events, plus the series for plots. */
  rolling: F1Accuracy & { window: number; series: SeriesPoint[] };
  /**
   * The Bayes ceiling: the oracle's predictions (oracle ≥ 0.5 ⇒ 1) scored like the model.
   * Null when any outcome lacked an oracle (a partial ceiling would not be comparable) or there were none.
   */
  bayes: { accuracy: number; f1: number; precision: number; recall: number; kappa: number } | null;
  /** achieved / Bayes; null without `bayes`, each ratio null when its Bayes value is 0. */
  ratio: { f1: number | null; accuracy: number | null } | null;
  /**
   * Baselines over the same outcomes, prequentially, under the run's own batch and label delay (see
   * Outcome.learned): `majority` predicts the more frequent class among the labels the learner had
   * been given (0 on a tie or none); `noChange` the last of them (0 when none).
   */
  baselines: { majority: F1Accuracy; noChange: F1Accuracy };
  /** The constraint measurements (see {@link ConstraintSummary}). */
  constraints: ConstraintSummary;
  /** Mean |p − oracle_p| over the events that carry an oracle (null when none does). */
  oracleMae: number | null;
  /**
   * Forgetting where a regime returns (A → B → A): model accuracy over the last `forgettingWindow` events
   * of the regime's first phase (`before`) vs the first `forgettingWindow` events after the stream returns to
   * it (`after`); `drop` = before − after. The first regime to return is reported. Null when no regime returns
   * (or the stream has no regime field).
   */
  forgetting: {
    regime: string;
    before: number;
    after: number;
    drop: number;
    beforeEvents: number;
    afterEvents: number;
    /** The Bayes ceiling's accuracy over the same two spans, when oracles were present there. */
    bayesBefore: number | null;
    bayesAfter: number | null;
  } | null;
}

/** Per constraint: how often and how much its predictions violated it. */
export interface ConstraintMeasure {
  /** Events whose prediction violated it / events. */
  rate: number;
  /** The same over the events after the burn-in (null when there are none). */
  rateAfterBurnIn: number | null;
  /** Mean violation over the events that violated it (0 when none): probability; logits for slope. */
  mean: number;
  /** Events whose prediction violated it. */
  violations: number;
}

/**
 * The constraint measurements of {@link MetricsSummary}. `violationRate` and the burn-in rate are
 * computed from each event's violation flag (so `onthefly evaluate` recomputes them from an audit
 * log); the others need the learner's per-constraint detail (null without it: an audit log, or a
 * learner that does not report it).
 */
export interface ConstraintSummary {
  /** violations / events (0 when no events). */
  violationRate: number;
  /** Events whose prediction violated at least one constraint. */
  violations: number;
  /** Events of the burn-in: the first `burnIn` scored events (default 1000) are left out of violationRateAfterBurnIn. */
  burnIn: number;
  /** Violation rate over the events after the burn-in (null when there are none): without the random start. */
  violationRateAfterBurnIn: number | null;
  /** Mean violation over every (event, constraint) violation (each in its constraint's units); null without detail or when none. */
  meanViolation: number | null;
  /** (event, constraint) violations whose pair of predictions (the row and its shifted/previous twin) lie on opposite sides of 0.5; null without detail. */
  crossings: number | null;
  /** By constraint name; null without detail. */
  perConstraint: Record<string, ConstraintMeasure> | null;
}
