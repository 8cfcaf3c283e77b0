/** Shared contracts. See docs/design.md §1 and §5. */

/** A raw record as read from any source: a flat object of JSON values. */
export type Row = Record<string, unknown>;

export const INCIDENT_TYPES = [
  'login_failure', 'malware_detection', 'sla_violation', 'network_anomaly',
  'privilege_escalation', 'data_exfiltration', 'config_change', 'thermal_alarm',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const SOURCE_KINDS = ['server', 'endpoint', 'gateway', 'iot_sensor'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One incident emitted by the built-in generator (docs/design.md §1). */
export type IncidentEvent = {
  event_id: string;
  /** ISO 8601, UTC, millisecond precision. */
  timestamp: string;
  incident_type: IncidentType;
  /** 1..5 */
  severity: number;
  /** Asset name, e.g. "srv-03". */
  source: string;
  source_kind: SourceKind;
  source_ip: string;
  dest_ip: string;
  user: string;
  /** 0..1, the asset's utilisation when the event fired. */
  cpu_load: number;
  net_bytes: number;
  temperature_c: number;
  latency_ms: number;
  failed_logins: number;
  message: string;
  /** Name of the generator regime in force ("A", "B", …); never a feature. */
  regime: string;
  /** Ground truth, revealed after prediction; never a feature. */
  critical: 0 | 1;
  /** Exact Bayes posterior P(critical = 1 | observed fields); never a feature. */
  oracle_p: number;
};

/**
 * A feature derived from the past values of a numeric field (docs/design.md §9, docs/features.md):
 * optionally per value of `by` (default: the schema's `by`).
 */
export type DerivedSpec =
  | { kind: 'lag'; field: string; lags: number[]; by?: string }
  | { kind: 'delta'; field: string; by?: string }
  | { kind: 'rolling'; field: string; window: number; stats: Array<'mean' | 'std' | 'min' | 'max'>; by?: string }
  | { kind: 'ewm'; field: string; halfLife: number; by?: string };

/** How to read a stream (docs/design.md §5). Fields not named are ignored. */
export interface Schema {
  /**
   * Exactly one of positive / negative. `required: false` (programmatic only, not in schema files)
   * accepts records without a label as label 0, for scoring unlabeled streams (`onthefly predict`).
   */
  label: { field: string; positive?: unknown[]; negative?: unknown[]; required?: boolean };
  /** Numeric features (Welford-normalised online). */
  numeric: string[];
  /** Small categorical features (one-hot with an "other" bucket). */
  categorical: string[];
  /** Unbounded categorical features (users, IPs): hashed into buckets. Default []. */
  hashed?: string[];
  /** Numeric fields with heavy tails, transformed by sign(x)·log1p(|x|) before normalisation. Default []. */
  log?: string[];
  /** Fields whose equal values make two events duplicates. Default: none (dedup by all features). */
  key?: string[];
  /** Fields named only to say they are never features. */
  ignore?: string[];
  /**
   * Event-time field. Default "timestamp". `null`: the stream has no event time (every record gets the
   * logical clock of 1 ms per line, and nothing is read or rejected for its time).
   */
  timestamp?: string | null;
  /** How the timestamp is read: "iso", "epoch_s", "epoch_ms", "epoch_us" or "auto" (docs/features.md). Default "auto". */
  timestampFormat?: 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'auto';
  /** Cyclic time features of the event time, UTC, each a (sin, cos) pair: "hour" (of day), "weekday". Default []. */
  timeFeatures?: Array<'hour' | 'weekday'>;
  /** Event id field. Default "event_id"; the line number when absent. */
  id?: string;
  /** Field holding the Bayes posterior, when the stream has one. Default "oracle_p". */
  oracle?: string;
  /** Field naming the regime, when the stream has one. Default "regime". */
  regime?: string;
  /** Free-text field used by near-duplicate matching. Default "message". */
  text?: string;
  /** Slots per categorical field (docs/design.md §9); a learner option overrides it. Default 32. */
  categoricalCapacity?: number;
  /** Buckets per hashed field (docs/design.md §9); a learner option overrides it. Default 32. */
  hashBuckets?: number;
  /**
   * Free-text feature fields (docs/design.md §9; a schema file writes them as `"text": [fields]`, the
   * first then also being the near-duplicate `text` field): tokens and word bigrams hashed into
   * `textBuckets` signed columns each (docs/features.md). Default [].
   */
  textFeatures?: string[];
  /** Columns per text feature field. Default 4096. */
  textBuckets?: number;
  /** Features from past events only (lags, deltas, rolling statistics, EWMs). Default []. */
  derived?: DerivedSpec[];
  /** Field whose values keep separate histories for `derived` (e.g. "source"). Default: none. */
  by?: string;
}

/** A record accepted by validation: what dedup, the learner and the metrics see. */
export interface StreamRecord {
  /** 1-based position in the source (line number for JSONL/CSV, element index for JSON arrays). */
  line: number;
  id: string;
  /** Event time, epoch milliseconds (NaN never: validation repairs or rejects). */
  time: number;
  /** The raw fields (null prototype), features read from here through the schema. */
  fields: Row;
  label: 0 | 1;
  /** Bayes posterior when the stream carries one, else null. */
  oracle: number | null;
  regime: string | null;
}

/** A record refused by validation, with why. */
export interface Rejected {
  line: number;
  reason: string;
  /** The raw text (truncated to 1,000 characters). */
  raw: string;
}
