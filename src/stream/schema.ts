import { readFileSync } from 'node:fs';
import { derivedNames } from '../features/derived';
import type { DerivedSpec, Schema } from '../types';
import { TIMESTAMP_FORMATS } from './timestamp';

/** A schema file or object that does not describe a usable stream. The message says what to fix. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** Field names that can never be used: they would reach Object.prototype machinery. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const LIST_KEYS = ['numeric', 'categorical', 'hashed', 'log', 'key', 'ignore'] as const;
const NAME_KEYS = ['timestamp', 'id', 'oracle', 'regime', 'text'] as const;
/** Positive-integer sizes of the encoding (docs/design.md §9). */
const SIZE_KEYS = ['categoricalCapacity', 'hashBuckets', 'textBuckets'] as const;
const KNOWN_KEYS = new Set<string>(['label', ...LIST_KEYS, ...NAME_KEYS, ...SIZE_KEYS, 'textFeatures', 'timestampFormat', 'timeFeatures', 'derived', 'by', '$schema', 'description']);

/** Defaults filled in by {@link parseSchema}. */
export const SCHEMA_DEFAULTS = {
  timestamp: 'timestamp',
  id: 'event_id',
  oracle: 'oracle_p',
  regime: 'regime',
  text: 'message',
} as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldName(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new SchemaError(`${where} must be a non-empty string, got ${JSON.stringify(v)}`);
  if (FORBIDDEN_KEYS.has(v)) throw new SchemaError(`${where}: "${v}" cannot be a field name`);
  return v;
}

function nameList(obj: Record<string, unknown>, key: string, required: boolean): string[] {
  const v = obj[key];
  if (v === undefined) {
    if (required) throw new SchemaError(`"${key}" is required (a list of field names, possibly empty)`);
    return [];
  }
  if (!Array.isArray(v)) throw new SchemaError(`"${key}" must be an array of field names, got ${JSON.stringify(v)}`);
  const out = v.map((x, i) => fieldName(x, `"${key}"[${i}]`));
  const seen = new Set<string>();
  for (const n of out) {
    if (seen.has(n)) throw new SchemaError(`"${key}" lists "${n}" twice`);
    seen.add(n);
  }
  return out;
}

/** Largest `categoricalCapacity` / `hashBuckets` a schema may ask for. */
export const MAX_ENCODING_SIZE = 1 << 20;

function sizeValue(v: unknown, key: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_ENCODING_SIZE) {
    throw new SchemaError(`"${key}" must be an integer from 1 to ${MAX_ENCODING_SIZE}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Largest lag, rolling window or half-life a derived spec may ask for. */
export const MAX_DERIVED_DEPTH = 10_000;

function positiveInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DERIVED_DEPTH) {
    throw new SchemaError(`${where} must be an integer from 1 to ${MAX_DERIVED_DEPTH}, got ${JSON.stringify(v)}`);
  }
  return v;
}

const DERIVED_KEYS: Record<string, string[]> = {
  lag: ['lags'], delta: [], rolling: ['window', 'stats'], ewm: ['halfLife'],
};

/** One entry of "derived" (docs/features.md), checked; `numeric` are the schema's numeric fields. */
function derivedSpec(v: unknown, i: number, numeric: string[]): DerivedSpec {
  const where = `"derived"[${i}]`;
  if (!isPlainObject(v)) throw new SchemaError(`${where} must be an object such as {"kind": "lag", "field": "value", "lags": [1]}`);
  const kind = v.kind;
  if (typeof kind !== 'string' || !(kind in DERIVED_KEYS)) throw new SchemaError(`${where}.kind must be one of lag, delta, rolling, ewm, got ${JSON.stringify(kind)}`);
  const known = new Set(['kind', 'field', 'by', ...DERIVED_KEYS[kind]!]);
  for (const k of Object.keys(v)) if (!known.has(k)) throw new SchemaError(`unknown key "${k}" in ${where} (a ${kind} takes: ${[...known].join(', ')})`);
  const field = fieldName(v.field, `${where}.field`);
  if (!numeric.includes(field)) throw new SchemaError(`${where}.field "${field}" must be listed in "numeric"`);
  const by = v.by === undefined ? {} : { by: fieldName(v.by, `${where}.by`) };
  switch (kind) {
    case 'lag': {
      if (!Array.isArray(v.lags) || v.lags.length === 0) throw new SchemaError(`${where}.lags must be a non-empty array of integers ≥ 1, got ${JSON.stringify(v.lags)}`);
      const lags = v.lags.map((x, j) => positiveInt(x, `${where}.lags[${j}]`));
      if (new Set(lags).size !== lags.length) throw new SchemaError(`${where}.lags lists a lag twice`);
      return { kind, field, lags, ...by };
    }
    case 'delta': return { kind, field, ...by };
    case 'rolling': {
      const window = positiveInt(v.window, `${where}.window`);
      const stats = v.stats ?? ['mean', 'std', 'min', 'max'];
      if (!Array.isArray(stats) || stats.length === 0 || stats.some((x) => !['mean', 'std', 'min', 'max'].includes(x as string)) || new Set(stats).size !== stats.length) {
        throw new SchemaError(`${where}.stats must list distinct names of mean, std, min, max, got ${JSON.stringify(v.stats)}`);
      }
      return { kind, field, window, stats: stats as Array<'mean' | 'std' | 'min' | 'max'>, ...by };
    }
    default: {
      const h = v.halfLife;
      if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0 || h > MAX_DERIVED_DEPTH) {
        throw new SchemaError(`${where}.halfLife must be a number of events in (0, ${MAX_DERIVED_DEPTH}], got ${JSON.stringify(h)}`);
      }
      return { kind: 'ewm', field, halfLife: h, ...by };
    }
  }
}

function labelValues(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw new SchemaError(`${where} must be a non-empty array of label values, got ${JSON.stringify(v)}`);
  v.forEach((x, i) => {
    const ok = (typeof x === 'string' && x.trim() !== '') || (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean';
    if (!ok) throw new SchemaError(`${where}[${i}] must be a non-empty string, a finite number or a boolean, got ${JSON.stringify(x)}`);
  });
  return [...v];
}

/**
 * The fields a schema names, so that a dedup key may use them (parseSchema's check of `key`, and
 * `--dedup-key` / `dedup.key`): its features (numeric, categorical, hashed), its `timestamp`, `id`,
 * `regime` and `text` fields (defaults filled in when absent), the fields listed in `ignore` (named on
 * purpose, not features) and the schema's own `key`. Not the label or the oracle.
 */
export function namedFields(schema: Pick<Schema, 'numeric' | 'categorical'> & Partial<Schema>): Set<string> {
  return new Set<string>([
    ...schema.numeric, ...schema.categorical, ...(schema.hashed ?? []),
    schema.timestamp ?? SCHEMA_DEFAULTS.timestamp, schema.id ?? SCHEMA_DEFAULTS.id,
    schema.regime ?? SCHEMA_DEFAULTS.regime, schema.text ?? SCHEMA_DEFAULTS.text,
    ...(schema.ignore ?? []), ...(schema.key ?? []),
  ]);
}

/**
 * Freezes a schema in place, deeply (the object, `label`, its value lists and every field list), and
 * returns it. The library freezes a schema at its first use (createLearner, runExperiment, validateRow),
 * because what it compiled from the schema (feature layout, validation plan) cannot follow later edits:
 * an edit afterwards throws a TypeError (in strict-mode code; sloppy-mode assignments are ignored by the
 * language) instead of being silently ignored. To change a schema, pass a new object.
 */
export function freezeSchema<T extends Schema>(schema: T): T {
  if (Object.isFrozen(schema)) return schema;
  const obj = schema as unknown as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (Array.isArray(v)) Object.freeze(v);
    else if (typeof v === 'object' && v !== null) {
      for (const w of Object.values(v)) if (Array.isArray(w)) Object.freeze(w);
      Object.freeze(v);
    }
  }
  return Object.freeze(schema);
}

/**
 * Check a schema object (docs/design.md §5) and return it with defaults filled in: `hashed`, `log`, `ignore`
 * default to [], `timestamp` "timestamp", `id` "event_id", `oracle` "oracle_p", `regime` "regime",
 * `text` "message"; `key` stays undefined when absent (dedup then uses all features).
 * `"text": [fields]` (a list) declares text features: `textFeatures` holds the list and `text` its first
 * field (the near-duplicate field); `categoricalCapacity`, `hashBuckets`, `textBuckets` are integers in
 * 1..2^20, kept only when given (docs/features.md).
 * `numeric` and `categorical` may be omitted (= []), but at least one feature must be named.
 * Throws a {@link SchemaError} naming the problem: unknown top-level keys (typos), a label with both or
 * neither of `positive`/`negative`, non-string field names, a field both numeric and categorical/hashed,
 * a `log` field that is not numeric, the label or oracle field used as a feature, `__proto__`-like names,
 * a `key` field the schema names nowhere else (see {@link namedFields}: a typo there would make every
 * event one duplicate group). The result is a new, frozen object (see {@link freezeSchema}).
 */
export function parseSchema(obj: unknown): Schema {
  if (!isPlainObject(obj)) throw new SchemaError(`a schema must be a JSON object, got ${Array.isArray(obj) ? 'an array' : JSON.stringify(obj)}`);
  for (const k of Object.keys(obj)) {
    if (!KNOWN_KEYS.has(k)) throw new SchemaError(`unknown schema key "${k}" (known: ${[...KNOWN_KEYS].filter((x) => !x.startsWith('$') && x !== 'description').join(', ')})`);
  }
  const label = obj.label;
  if (!isPlainObject(label)) throw new SchemaError('"label" is required: { "field": NAME, "positive": [values] } or { "field": NAME, "negative": [values] }');
  for (const k of Object.keys(label)) {
    if (k !== 'field' && k !== 'positive' && k !== 'negative') throw new SchemaError(`unknown key "label.${k}" (known: field, positive, negative)`);
  }
  const labelField = fieldName(label.field, '"label.field"');
  const hasPos = label.positive !== undefined;
  const hasNeg = label.negative !== undefined;
  if (hasPos === hasNeg) {
    throw new SchemaError('"label" needs exactly one of "positive" (values meaning critical) or "negative" (values meaning not critical)');
  }
  const outLabel: Schema['label'] = hasPos
    ? { field: labelField, positive: labelValues(label.positive, '"label.positive"') }
    : { field: labelField, negative: labelValues(label.negative, '"label.negative"') };

  const numeric = nameList(obj, 'numeric', false);
  const categorical = nameList(obj, 'categorical', false);
  const hashed = nameList(obj, 'hashed', false);
  const log = nameList(obj, 'log', false);
  const ignore = nameList(obj, 'ignore', false);
  const key = obj.key === undefined ? undefined : nameList(obj, 'key', false);

  // "text": [fields] lists text features (§9); a string names only the near-duplicate text field.
  // "textFeatures" is the parsed form of the list (so a parsed schema parses again to itself).
  if (Array.isArray(obj.text) && obj.textFeatures !== undefined) throw new SchemaError('give text features once: "text": [fields] or "textFeatures": [fields], not both');
  const textList = Array.isArray(obj.text) ? nameList(obj, 'text', false) : nameList(obj, 'textFeatures', false);
  const names: Record<string, string> = {};
  for (const k of NAME_KEYS) {
    if (k === 'text' && Array.isArray(obj.text)) names.text = textList[0] ?? SCHEMA_DEFAULTS.text;
    else if (k === 'timestamp' && obj.timestamp === null) continue; // the stream has no event time
    else names[k] = obj[k] === undefined ? SCHEMA_DEFAULTS[k] : fieldName(obj[k], `"${k}"`);
  }

  if (numeric.length + categorical.length + hashed.length + textList.length === 0) {
    throw new SchemaError('the schema names no feature: list fields in "numeric", "categorical", "hashed" or "text"');
  }
  const kinds = new Map<string, string>();
  for (const [kind, list] of [['numeric', numeric], ['categorical', categorical], ['hashed', hashed], ['text', textList]] as const) {
    for (const f of list) {
      const prev = kinds.get(f);
      if (prev) throw new SchemaError(`field "${f}" is both ${prev} and ${kind}`);
      kinds.set(f, kind);
    }
  }
  for (const f of log) if (!numeric.includes(f)) throw new SchemaError(`"log" field "${f}" must also be listed in "numeric"`);
  for (const f of ignore) {
    if (kinds.has(f)) throw new SchemaError(`field "${f}" is both ignored and ${kinds.get(f)}`);
  }
  if (kinds.has(labelField)) throw new SchemaError(`the label field "${labelField}" cannot also be a feature (${kinds.get(labelField)})`);
  if (kinds.has(names.oracle)) throw new SchemaError(`the oracle field "${names.oracle}" cannot be a feature (${kinds.get(names.oracle)})`);
  if (key) {
    if (key.length === 0) throw new SchemaError('"key" must list at least one field when present');
    if (key.includes(labelField)) throw new SchemaError(`the label field "${labelField}" cannot be part of the dedup "key"`);
    const named = namedFields({ numeric, categorical, hashed, ignore, ...names });
    for (const f of key) {
      if (!named.has(f)) {
        throw new SchemaError(`"key" field "${f}" is not named anywhere else in the schema (a typo?): every event would share its empty value. ` +
          `List it in "numeric", "categorical", "hashed" or "ignore", or name it as "timestamp", "id", "regime" or "text" (named: ${[...named].join(', ')})`);
      }
    }
  }

  const schema: Schema = {
    label: outLabel,
    numeric,
    categorical,
    hashed,
    log,
    ...(key ? { key } : {}),
    ignore,
    timestamp: names.timestamp,
    id: names.id,
    oracle: names.oracle,
    regime: names.regime,
    text: names.text,
  };
  if (textList.length > 0) schema.textFeatures = textList;
  if (obj.timestamp === null) schema.timestamp = null;
  if (obj.by !== undefined) schema.by = fieldName(obj.by, '"by"');
  if (obj.derived !== undefined) {
    if (!Array.isArray(obj.derived)) throw new SchemaError(`"derived" must be an array of specs, got ${JSON.stringify(obj.derived)}`);
    const specs = obj.derived.map((d, i) => derivedSpec(d, i, numeric));
    const taken = new Set<string>([...kinds.keys(), labelField, ...ignore]);
    for (const d of specs) {
      const by = d.by ?? schema.by;
      if (by !== undefined && (by === labelField || by === names.oracle)) throw new SchemaError(`"by" field "${by}" cannot be the label or the oracle`);
      for (const n of derivedNames(d, by)) {
        if (taken.has(n)) throw new SchemaError(`derived column "${n}" is defined twice or clashes with a field of the same name`);
        taken.add(n);
      }
    }
    if (specs.length > 0) schema.derived = specs;
  }
  if (obj.timestampFormat !== undefined) {
    if (!(TIMESTAMP_FORMATS as readonly unknown[]).includes(obj.timestampFormat)) {
      throw new SchemaError(`"timestampFormat" must be one of ${TIMESTAMP_FORMATS.join(', ')}, got ${JSON.stringify(obj.timestampFormat)}`);
    }
    schema.timestampFormat = obj.timestampFormat as Schema['timestampFormat'];
  }
  const timeFeatures = nameList(obj, 'timeFeatures', false);
  for (const t of timeFeatures) if (t !== 'hour' && t !== 'weekday') throw new SchemaError(`"timeFeatures" may list "hour" and "weekday", got "${t}"`);
  if (timeFeatures.length > 0) {
    if (schema.timestamp === null) throw new SchemaError('"timeFeatures" need a timestamp, but "timestamp" is null');
    if (kinds.has(schema.timestamp!)) throw new SchemaError(`the timestamp field "${schema.timestamp}" cannot also be a feature (${kinds.get(schema.timestamp!)}) when "timeFeatures" are used`);
    schema.timeFeatures = timeFeatures as Schema['timeFeatures'];
  }
  for (const k of SIZE_KEYS) if (obj[k] !== undefined) schema[k] = sizeValue(obj[k], k);
  return freezeSchema(schema);
}

/** Read and check a schema file (JSON). Errors name the file. */
export function loadSchema(file: string): Schema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SchemaError(`cannot read schema ${file}: ${(err as Error).message}`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new SchemaError(`schema ${file} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseSchema(obj);
  } catch (err) {
    if (err instanceof SchemaError) throw new SchemaError(`schema ${file}: ${err.message}`);
    throw err;
  }
}
