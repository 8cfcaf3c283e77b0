import type { AutoReport } from '../learn/auto-learner';
import type { MetricsSummary } from './summary';

/** What {@link runExperiment} returns, and `onthefly run --json` prints (docs/design.md §5). */
export interface RunResult extends Omit<MetricsSummary, 'events' | 'duplicates' | 'constraints'> {
  /**
   * The collector's constraint measurements, and `lambda`: the multiplier of each constraint by name at
   * the end of the run (λ · weight; with `lambda: "auto"` the adapted ones), null for models that do
   * not train constraints.
   */
  constraints: MetricsSummary['constraints'] & { lambda: Record<string, number> | null };
  /** Records read: accepted + rejected. */
  events: number;
  accepted: number;
  rejected: number;
  /** Accepted events that opened a dedup group (all accepted events without dedup). */
  unique: number;
  /** Accepted events that joined a group: unique + duplicates + rejected = events. */
  duplicates: number;
  /** Events the model learned from (novel events, less those of batches skipped for NaN/Infinity). */
  learned: number;
  timing: {
    /** Median wall-clock milliseconds of a learning step. */
    trainMsPerBatchP50: number;
    trainMsPerBatchP95: number;
    /** Learning steps taken. */
    batches: number;
    /** Records per second through the whole pipeline (read, validate, dedup, predict, learn, log), counting only the records this process read (after a resume: since the checkpoint). */
    eventsPerSec: number;
    wallMs: number;
    /** Most events that waited for their prediction at once: at most max(batch, 1024), whatever the duplicate ratio. */
    maxPending: number;
  };
  /** The engine and TensorFlow.js backend that ran, e.g. "fused" or "tfjs-wasm". */
  backend: string;
  /**
   * Model "auto" only (null otherwise): its members, the one with the lowest recent prequential log loss
   * at the end of the run, and their Hedge weights (see AutoLearner).
   */
  auto: AutoReport | null;
  /**
   * With a drift detector (learner option `drift`; null otherwise): the detector, and the positions
   * (1-based: records read when the event arrived) of the events at whose label it reported a drift
   * (the learner was replaced) and a warning (a background learner started). See DriftLearner.
   */
  drift: { detector: string; detections: number[]; warnings: number[] } | null;
  /** Batches skipped because they held NaN or Infinity. */
  skippedBatches: number;
  dedup: { enabled: boolean; groups: number; live: number; evictions: number; compression: number };
  /** The resolved configuration, JSON-safe. */
  config: Record<string, unknown>;
  /** Present (true) when the run's `signal` stopped it before the end of its source. */
  stopped?: true;
  /**
   * Things that look wrong but did not stop the run, one sentence each: a schema feature or key field
   * missing or empty in all of the first 1000 accepted records (see FieldPresence; after a resume, the
   * first 1000 this process read); how timestampFormat "auto" read numeric timestamps; dedup withholding
   * more than half of the events from learning. `onthefly run` prints each to stderr as `onthefly run: warning: …`.
   */
  warnings: string[];
}
