import { namedFields } from '../stream/schema';
import type { Schema } from '../types';
import type { GroupRecord } from './group-record';

/**
 * Options of the deduplication center (see docs/dedup.md).
 * Every field is optional and has the default written beside it.
 */
export interface DedupOptions {
  /**
   * Fields whose values form the fingerprint, in this order.
   * Default `['incident_type', 'source', 'user']` (the built-in generator's schema `key`).
   * An empty list puts every event in one fingerprint (plus its template when `nearDup`).
   */
  key?: string[];
  /**
   * Event-time length of a group, in milliseconds, counted from the group's earliest event:
   * an event joins while `max(lastSeen, t) − min(firstSeen, t) < windowMs`.
   * `Infinity` never closes a group by time (PagerDuty-like); `0` makes every event novel.
   * Default 300 000 (5 minutes).
   */
  windowMs?: number;
  /**
   * An event-count window instead of `windowMs`, for streams without event times: an event joins
   * while (its position − the group's first event's position) < windowEvents, positions counted by
   * the center (1, 2, …). Integer ≥ 1. Default: none (the time window applies).
   */
  windowEvents?: number;
  /** Bound on live groups; the least-recently-seen group is evicted beyond it. Integer ≥ 1. Default 100 000. */
  maxGroups?: number;
  /**
   * Near-duplicate matching: mask the variable tokens of `textField` (numbers, IPs, UUIDs, hex ids,
   * paths, e-mails, URLs, …) into a template that joins the fingerprint. Default false.
   */
  nearDup?: boolean;
  /** Free-text field masked when `nearDup`. Default `'message'`. */
  textField?: string;
  /**
   * Called when a group stops being live, with a copy of its final record and why:
   * `'evicted'` (live-group bound), `'expired'` (a later event of its fingerprint fell outside its
   * window and opened a new group) or `'late'` (an out-of-order event too old for the live group
   * became a group of one, closed at once). Not part of the saved state. Default: none.
   */
  onClose?: (group: GroupRecord, reason: CloseReason) => void;
}

/** Why a group stopped being live. */
export type CloseReason = 'evicted' | 'expired' | 'late';

/** The generator's default fingerprint fields. */
export const DEFAULT_DEDUP_KEY: readonly string[] = Object.freeze(['incident_type', 'source', 'user']);
/** 5 minutes. */
export const DEFAULT_DEDUP_WINDOW_MS = 300_000;
export const DEFAULT_MAX_GROUPS = 100_000;
export const DEFAULT_TEXT_FIELD = 'message';
/** The event-count window a stream without timestamps (schema `"timestamp": null`) gets by default. */
export const DEFAULT_DEDUP_WINDOW_EVENTS = 1000;

/** Options with every default filled in (callback excluded). */
export interface ResolvedDedupOptions {
  key: string[];
  windowMs: number;
  /** Present only for an event-count window (then `windowMs` is not used). */
  windowEvents?: number;
  maxGroups: number;
  nearDup: boolean;
  textField: string;
}

/** Fill defaults and validate; throws RangeError/TypeError on a bad value. */
export function resolveDedupOptions(options: DedupOptions = {}): ResolvedDedupOptions {
  const key = options.key === undefined ? [...DEFAULT_DEDUP_KEY] : [...options.key];
  if (!Array.isArray(options.key ?? key) || key.some((k) => typeof k !== 'string')) {
    throw new TypeError('dedup: key must be an array of field names');
  }
  const windowMs = options.windowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  if (typeof windowMs !== 'number' || Number.isNaN(windowMs) || windowMs < 0) {
    throw new RangeError(`dedup: windowMs must be a number ≥ 0 (or Infinity), got ${String(windowMs)}`);
  }
  const windowEvents = options.windowEvents ?? null;
  if (windowEvents !== null) {
    if (!Number.isSafeInteger(windowEvents) || windowEvents < 1) throw new RangeError(`dedup: windowEvents must be an integer ≥ 1, got ${String(windowEvents)}`);
    if (options.windowMs !== undefined) throw new RangeError('dedup: give windowMs or windowEvents, not both');
  }
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  if (!Number.isSafeInteger(maxGroups) || maxGroups < 1) {
    throw new RangeError(`dedup: maxGroups must be an integer ≥ 1, got ${String(maxGroups)}`);
  }
  const nearDup = options.nearDup ?? false;
  const textField = options.textField ?? DEFAULT_TEXT_FIELD;
  if (typeof textField !== 'string') throw new TypeError('dedup: textField must be a string');
  return { key, windowMs, ...(windowEvents !== null ? { windowEvents } : {}), maxGroups, nearDup: Boolean(nearDup), textField };
}

/**
 * Dedup options for a stream read through `schema`: `key` is the schema's `key`, or — when it has
 * none — every feature field (numeric, categorical, hashed: "dedup by all features", docs/design.md §5);
 * `textField` is the schema's `text` (default 'message'); a schema without timestamps (`"timestamp": null`)
 * gets the event-count window {@link DEFAULT_DEDUP_WINDOW_EVENTS} unless `overrides` set a window. `overrides` win.
 */
export function dedupOptionsForSchema(schema: Schema, overrides: DedupOptions = {}): DedupOptions {
  const key = schema.key ?? [...new Set([...schema.numeric, ...schema.categorical, ...(schema.hashed ?? [])])];
  const noTime = schema.timestamp === null && overrides.windowMs === undefined && overrides.windowEvents === undefined;
  return { key, textField: schema.text ?? DEFAULT_TEXT_FIELD, ...(noTime ? { windowEvents: DEFAULT_DEDUP_WINDOW_EVENTS } : {}), ...overrides };
}

/**
 * Why a dedup key (`--dedup-key`, `dedup.key`) cannot be used with `schema`, or null when it can.
 * Every key field must be one the schema names (see namedFields: a feature, the timestamp, id, regime
 * or text field, an `ignore`d field or a schema `key` field), and not the label: a field the records do
 * not have (a typo) gives every event the same empty value, so the stream would collapse into one group.
 * With near-duplicate matching the text field's *template* joins the fingerprint on its own: the key need
 * not name the text field (naming it matches the exact text as well).
 */
export function dedupKeyProblem(schema: Schema, key: readonly string[]): string | null {
  const named = namedFields(schema);
  for (const f of key) {
    if (typeof f !== 'string' || f === '') return `key fields must be non-empty field names, got ${JSON.stringify(f)}`;
    if (f === schema.label.field) return `"${f}" is the label field: it cannot be part of the dedup key`;
    if (!named.has(f)) {
      return `"${f}" is not a field the schema names (a typo?): every event would share its empty value and the stream ` +
        `would collapse into one duplicate group (fields: ${[...named].join(', ')})`;
    }
  }
  return null;
}

/**
 * The schema to read a stream with when dedup fingerprints `key`: the fields a record keeps are the
 * features, the schema's `key` and its text field, so a key field named only as the timestamp, id or
 * regime field or in `ignore` is added to the schema's `key` (a new object; `schema` is returned as it is
 * when nothing is missing).
 */
export function schemaReadingKey(schema: Schema, key: readonly string[]): Schema {
  const kept = new Set<string>([...schema.numeric, ...schema.categorical, ...(schema.hashed ?? []), ...(schema.key ?? []), schema.text ?? DEFAULT_TEXT_FIELD]);
  const missing = key.filter((f) => !kept.has(f));
  return missing.length === 0 ? schema : { ...schema, key: [...(schema.key ?? []), ...new Set(missing)] };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parse `--dedup-window`: "1000ev" (an event-count window, integer ≥ 1) → { windowEvents }, anything
 * else as {@link parseDedupWindow} → { windowMs }. Throws a RangeError on a bad value.
 */
export function parseDedupWindowOption(text: string): { windowMs: number } | { windowEvents: number } {
  const m = /^\s*(\d+)\s*ev(?:ents?)?\s*$/i.exec(text);
  if (m) {
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`dedup window: an event count must be an integer ≥ 1, got "${text}"`);
    return { windowEvents: n };
  }
  return { windowMs: parseDedupWindow(text) };
}

/**
 * Parse a window for `--dedup-window`: a number of milliseconds ("300000"), a number with a unit
 * ("250ms", "30s", "5m", "5min", "2h", "1d", decimals allowed), or "inf"/"infinity"/"none" for Infinity.
 * Throws a RangeError on anything else or a negative value.
 */
export function parseDedupWindow(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === 'infinity' || t === 'none') return Infinity;
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|min|m|h|d)?$/.exec(t);
  if (!m) throw new RangeError(`dedup window: expected e.g. 300000, 30s, 5m, 2h or inf, got "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
}
