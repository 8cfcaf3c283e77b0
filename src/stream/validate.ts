import type { Rejected, Row, Schema, StreamRecord } from '../types';
import { FORBIDDEN_KEYS, freezeSchema } from './schema';
import { autoUnit, AUTO_UNIT_NAMES, epochToMs, timestampExpectation, type TimestampFormat } from './timestamp';

/**
 * Record validation: one raw value in, one accepted {@link StreamRecord} or one {@link Rejected} out.
 * Pure (no state between rows) and fast (the schema is compiled once and cached).
 *
 * Rules, in order — each reject's `reason` starts with the text in quotes:
 * 1. The value must be a JSON object: arrays, null, numbers, strings, booleans → "not a JSON object".
 * 2. Own keys `__proto__`, `constructor`, `prototype` → **rejected** ("forbidden key"), never copied.
 *    Accepted records keep only the fields the schema names, copied into an object that inherits nothing
 *    (see {@link FIELDS_PROTO}), so no input can reach or change `Object.prototype`.
 * 3. Label (`schema.label.field`): missing, null or "" → "missing label"; an object/array → "label … is
 *    not a scalar". Otherwise it is matched against `positive` (listed ⇒ 1, else 0) or `negative`
 *    (listed ⇒ 0, else 1). Matching: numbers and numeric strings compare as numbers (1 ≡ "1" ≡ " 1.0 "),
 *    other strings compare trimmed and case-insensitively ("True" ≡ "true"), booleans compare as the
 *    strings "true"/"false" (true ≡ "TRUE", but true ≢ 1).
 * 4. Numeric fields: finite numbers kept; decimal strings (" 12.5 ", "1e3") **repaired** to numbers;
 *    missing, null or "" (an empty CSV cell) → null, i.e. missing, which the learner handles;
 *    NaN, ±Infinity, booleans, objects, non-decimal strings ("abc", "0x1F", "Infinity") → rejected,
 *    "numeric field "name"".
 * 5. Categorical and hashed fields, `key` fields and the `text` field: strings kept, numbers and booleans
 *    **repaired** to strings, missing, null or "" → null; objects and arrays → rejected ("… field "name"").
 *    Unknown categories are accepted (the learner's "other" bucket).
 * 6. Timestamp (`schema.timestamp`), read as `schema.timestampFormat` says (docs/features.md): "iso" (see
 *    {@link parseTime}; no offset = UTC), "epoch_s" / "epoch_ms" / "epoch_us" (a number or decimal string),
 *    or "auto" (the default): ISO strings as "iso", numbers by magnitude (|t| < 1e11 s, < 1e14 ms, else µs).
 *    Missing, null or "" → **repaired** to the line number (a logical clock of 1 ms per line, so a stream
 *    without event times still runs); anything else → rejected ("timestamp"). `"timestamp": null` in the
 *    schema: never read. With `timeFeatures`, the time (epoch ms) is copied into `fields[timestamp]`.
 * 7. Oracle (`schema.oracle`): a number (or numeric string) in [0, 1]; missing/null/"" → null; anything
 *    else → rejected ("oracle").
 * 8. Regime (`schema.regime`): a string, number or boolean (stringified); missing/null/"" → null;
 *    object → rejected ("regime").
 * 9. Id (`schema.id`): a string or number (stringified); missing/null/"" → `line-<n>`; object → rejected.
 * Fields the schema does not name (including `ignore`d ones, the label and the oracle) are not copied.
 * Values shown in a reason or in `raw` are rendered bounded ({@link preview}): a value nested 30,000
 * deep is rejected like any other wrong type, never serialised whole.
 * What reaches validation is decided by the readers, which resynchronise after malformed input (see
 * the header comments of readJsonArray and readCsv) and account for every record.
 */

/** What validation returns for one row. */
export type Validated = { record: StreamRecord } | { rejected: Rejected };

const MAX_RAW = 1000;

/**
 * A JSON-like rendering of `v` of at most `max` characters (then `...`), bounded in time and stack
 * whatever the value: a value nested 30,000 deep or a huge array is never serialised whole (JSON.stringify
 * would recurse through all of it, and overflow the stack on deep nesting). Strings are JSON-quoted;
 * numbers, booleans and null as in JSON; other values (undefined, functions, bigints) by String.
 */
export function preview(v: unknown, max: number): string {
  const out: string[] = [];
  let left = max + 1; // one more than fits: tells "truncated" from "exactly max"
  const put = (s: string): boolean => {
    if (s.length >= left) {
      out.push(s.slice(0, left));
      left = 0;
      return false;
    }
    out.push(s);
    left -= s.length;
    return true;
  };
  // depth of recursion ≤ characters written ≤ max: each level writes at least "[" or "{" first
  const walk = (x: unknown): boolean => {
    if (x === null) return put('null');
    // a string cut to `left` characters still quotes to more than `left`, so put() truncates it
    if (typeof x === 'string') return put(JSON.stringify(x.length > left ? x.slice(0, left) : x));
    if (typeof x !== 'object') return put(String(x));
    if (x instanceof Date) return walk(Number.isNaN(x.getTime()) ? null : x.toISOString());
    if (Array.isArray(x)) {
      if (!put('[')) return false;
      for (let i = 0; i < x.length; i++) if ((i > 0 && !put(',')) || !walk(x[i])) return false;
      return put(']');
    }
    if (!put('{')) return false;
    let first = true;
    for (const k in x) {
      if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
      if ((!first && !put(',')) || !put(`${JSON.stringify(k.length > left ? k.slice(0, left) : k)}:`) || !walk((x as Row)[k])) return false;
      first = false;
    }
    return put('}');
  };
  walk(v);
  const s = out.join('');
  return s.length > max ? `${s.slice(0, Math.max(0, max - 3))}...` : s;
}

/** The raw text of a rejected row, truncated to 1,000 characters (bounded whatever the value, see {@link preview}). */
export function rawText(raw: unknown): string {
  if (typeof raw === 'string') return raw.length > MAX_RAW ? raw.slice(0, MAX_RAW) : raw;
  const s = preview(raw, MAX_RAW + 3);
  return s.length > MAX_RAW ? s.slice(0, MAX_RAW) : s;
}

/** A short rendering of a value for a reject reason: at most 40 characters, bounded (see {@link preview}). */
function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : preview(v, 40);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A decimal number string (trimmed) → number; anything else → NaN. */
function decimal(s: string): number {
  const t = s.trim();
  return isDecimal(t) ? Number(t) : NaN;
}

/** DECIMAL.test(t), by hand (the hot path of CSV cells): sign, digits, optional fraction, optional exponent. */
function isDecimal(t: string): boolean {
  const n = t.length;
  let i = 0;
  let c = n > 0 ? t.charCodeAt(0) : 0;
  if (c === 43 /* + */ || c === 45 /* - */) i++;
  const intStart = i;
  while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++;
  let digits = i - intStart;
  if (i < n && t.charCodeAt(i) === 46 /* . */) {
    i++;
    const fracStart = i;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++;
    digits += i - fracStart;
  }
  if (digits === 0) return false;
  if (i < n && ((c = t.charCodeAt(i)) === 101 /* e */ || c === 69 /* E */)) {
    i++;
    if (i < n && ((c = t.charCodeAt(i)) === 43 || c === 45)) i++;
    const expStart = i;
    while (i < n && (c = t.charCodeAt(i)) >= 48 && c <= 57) i++;
    if (i === expStart) return false;
  }
  return i === n;
}

interface Compiled {
  label: string;
  /** False: a missing label is accepted as 0 (schema.label.required === false). */
  labelRequired: boolean;
  positive: boolean;
  labelNums: Set<number>;
  labelStrs: Set<string>;
  numeric: string[];
  /** categorical + hashed + key (non-numeric) + text, each once, with the role for messages. */
  strings: Array<[string, string]>;
  /** null: the stream has no event time. */
  timestamp: string | null;
  format: TimestampFormat;
  /** Why a timestamp was refused. */
  expect: string;
  /** Copy the event time (epoch ms) into `fields[timestamp]` (the schema has time features). */
  keepTime: boolean;
  /** Units the `auto` format chose so far, as autoUnit bits (for the run's notice). */
  autoUnits: number;
  id: string;
  oracle: string;
  regime: string;
  /** Builds `fields` from its values in layout order (see {@link fieldsBuilder}). */
  build: FieldsBuilder;
  /** validateRow's values of the record being validated, in layout order (reused: validateRow is synchronous). */
  scratch: unknown[];
  /** The distinct field names the checks read (label, numeric, string fields, timestamp, oracle, regime, id), each once. */
  names: string[];
  /** Index in `names` of each role's field (-1: the schema has no timestamp). */
  labelAt: number;
  numAt: number[];
  strAt: number[];
  timeAt: number;
  oracleAt: number;
  regimeAt: number;
  idAt: number;
  /** Reads `row[names[i]]` into `src[i]` (see fieldsReader). */
  readSrc: FieldsReader;
  /** validateRow's values by name (reused). */
  src: unknown[];
  /** checkValues' result (reused). */
  res: CheckedValues;
}

/**
 * What {@link checkValues} computed for an accepted row: the record's scalars, and its `fields` values
 * in layout order in `fields` (numeric fields, string fields, then the time when kept; see recordLayout).
 */
export interface CheckedValues {
  label: 0 | 1;
  time: number;
  oracle: number | null;
  regime: string | null;
  id: string;
  fields: unknown[];
}

const cache = new WeakMap<Schema, Compiled>();

/** Builds an accepted record's `fields` from its values, given in the layout's order. */
export type FieldsBuilder = (values: ArrayLike<unknown>) => Row;

/**
 * A builder of `fields` objects with these keys, in this order (a key given twice keeps its first
 * place and its last value), inheriting from {@link FIELDS_PROTO}. Setting keys through a variable
 * (`o[name] = v` in a loop) makes V8 look each key up anew, several times the cost of building the
 * object, so the builder is compiled once per layout with the keys as constant property names: the
 * names are schema field names, written as JSON string literals (never evaluated as code). Where code
 * cannot be compiled (a page whose Content-Security-Policy forbids it), the loop is used.
 */
export function fieldsBuilder(names: readonly string[]): FieldsBuilder {
  const keys = [...names];
  try {
    // One object literal: V8 lays every key out inside the object (no separate property array, numbers
    // read without a lookup through it), 2–3× faster to build and read than adding the keys one by one.
    // A literal's "__proto__" key would set the prototype instead, so such a layout adds its keys.
    const literal = !keys.includes('__proto__');
    const body = literal
      ? `return { __proto__: P, ${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')} };`
      : `const o = Object.create(P);\n${keys.map((k, i) => `o[${JSON.stringify(k)}] = v[${i}];`).join('\n')}\nreturn o;`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    return new Function('P', `return function fields(v) {\n${body}\n};`)(FIELDS_PROTO) as FieldsBuilder;
  } catch {
    return (v) => {
      const o: Row = Object.create(FIELDS_PROTO);
      for (let i = 0; i < keys.length; i++) o[keys[i]!] = v[i];
      return o;
    };
  }
}

/** Copies the values of fixed keys of an object into `out`, in order. */
export type FieldsReader = (row: Row, out: unknown[]) => void;

/**
 * A reader of these keys (`out[i] = row[names[i]]`), compiled once like {@link fieldsBuilder} — the
 * same lookups (own or inherited), without a lookup through a variable per key; the loop where code
 * cannot be compiled.
 */
export function fieldsReader(names: readonly string[]): FieldsReader {
  const keys = [...names];
  try {
    const body = keys.map((k, i) => `out[${i}] = row[${JSON.stringify(k)}];`).join('\n');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    return new Function(`return function read(row, out) {\n${body}\n};`)() as FieldsReader;
  } catch {
    return (row, out) => {
      for (let i = 0; i < keys.length; i++) out[i] = row[keys[i]!];
    };
  }
}

/** The fields builder of `schema`'s record layout (numeric fields, string fields, then the time when kept; see recordLayout). */
export function fieldsBuilderOf(schema: Schema): FieldsBuilder {
  return compile(schema).build;
}

function compile(schema: Schema): Compiled {
  let c = cache.get(schema);
  if (c) return c;
  // Compiled once per schema object: frozen, so a later edit throws instead of being ignored.
  freezeSchema(schema);
  const values = (schema.label.positive ?? schema.label.negative ?? []) as unknown[];
  const labelNums = new Set<number>();
  const labelStrs = new Set<string>();
  for (const v of values) {
    if (typeof v === 'number') labelNums.add(v);
    else if (typeof v === 'boolean') labelStrs.add(String(v));
    else if (typeof v === 'string') {
      const n = decimal(v);
      if (Number.isFinite(n)) labelNums.add(n);
      else labelStrs.add(v.trim().toLowerCase());
    }
  }
  const numeric = [...schema.numeric];
  const seen = new Set<string>(numeric);
  const strings: Array<[string, string]> = [];
  const add = (names: string[] | undefined, role: string) => {
    for (const n of names ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        strings.push([n, role]);
      }
    }
  };
  add(schema.categorical, 'categorical');
  add(schema.hashed, 'hashed');
  add(schema.key, 'key');
  add([schema.text ?? 'message'], 'text');
  add(schema.textFeatures, 'text');
  add([schema.by, ...(schema.derived ?? []).map((d) => d.by)].filter((b): b is string => b !== undefined), 'by');
  c = {
    label: schema.label.field,
    labelRequired: schema.label.required !== false,
    positive: schema.label.positive !== undefined,
    labelNums,
    labelStrs,
    numeric,
    strings,
    timestamp: schema.timestamp === null ? null : schema.timestamp ?? 'timestamp',
    format: schema.timestampFormat ?? 'auto',
    expect: timestampExpectation(schema.timestampFormat ?? 'auto'),
    keepTime: schema.timestamp !== null && (schema.timeFeatures?.length ?? 0) > 0,
    autoUnits: 0,
    id: schema.id ?? 'event_id',
    oracle: schema.oracle ?? 'oracle_p',
    regime: schema.regime ?? 'regime',
    build: () => cleanObject(),
    scratch: [],
    names: [],
    labelAt: 0, numAt: [], strAt: [], timeAt: -1, oracleAt: 0, regimeAt: 0, idAt: 0,
    readSrc: () => undefined,
    src: [],
    res: { label: 0, time: 0, oracle: null, regime: null, id: '', fields: [] },
  };
  for (const n of [c.label, ...numeric, ...strings.map((s) => s[0]), c.timestamp ?? '', c.id, c.oracle, c.regime]) {
    if (FORBIDDEN_KEYS.has(n)) throw new Error(`schema field name "${n}" is not allowed`);
  }
  const layout = [...numeric, ...strings.map((s) => s[0]), ...(c.keepTime ? [c.timestamp!] : [])];
  c.build = fieldsBuilder(layout);
  c.scratch = new Array<unknown>(layout.length).fill(null);
  const names: string[] = [];
  const nameAt = (n: string): number => {
    const k = names.indexOf(n);
    if (k >= 0) return k;
    names.push(n);
    return names.length - 1;
  };
  c.labelAt = nameAt(c.label);
  c.numAt = numeric.map(nameAt);
  c.strAt = strings.map((s) => nameAt(s[0]));
  c.timeAt = c.timestamp === null ? -1 : nameAt(c.timestamp);
  c.oracleAt = nameAt(c.oracle);
  c.regimeAt = nameAt(c.regime);
  c.idAt = nameAt(c.id);
  c.names = names;
  c.readSrc = fieldsReader(names);
  c.src = new Array<unknown>(names.length).fill(undefined);
  c.res.fields = c.scratch;
  cache.set(schema, c);
  return c;
}

/**
 * The names of an accepted record's `fields`, in the order validateRow writes them: the numeric
 * fields (number or null), then the string fields (string or null).
 */
export function recordLayout(schema: Schema): { numeric: readonly string[]; strings: readonly string[]; time: string | null } {
  const c = compile(schema);
  return { numeric: c.numeric, strings: c.strings.map((s) => s[0]), time: c.keepTime ? c.timestamp : null };
}

/** The units the "auto" timestamp format has chosen for `schema`'s records so far (autoUnit bits). */
export function autoTimestampUnits(schema: Schema): number {
  return compile(schema).autoUnits;
}

/** Forgets the units {@link autoTimestampUnits} reports (a run starts afresh). */
export function clearAutoTimestampUnits(schema: Schema): void {
  compile(schema).autoUnits = 0;
}

/** Adds units chosen elsewhere (a parser thread's records) to {@link autoTimestampUnits}. */
export function noteAutoTimestampUnits(schema: Schema, units: number): void {
  compile(schema).autoUnits |= units;
}

/** The notice for the units "auto" chose, e.g. 'timestamp "ts": read as epoch seconds (timestampFormat "auto": |t| < 1e11)'; null when it chose none. */
export function autoTimestampNotice(schema: Schema): string | null {
  const c = compile(schema);
  if (c.autoUnits === 0 || c.timestamp === null) return null;
  const rules = ['|t| < 1e11', '1e11 ≤ |t| < 1e14', '|t| ≥ 1e14'];
  const chosen = [0, 1, 2].filter((b) => (c.autoUnits & (1 << b)) !== 0);
  return `timestamp "${c.timestamp}": numbers read as ${chosen.map((b) => `${AUTO_UNIT_NAMES[b]} (${rules[b]})`).join(' and ')} by timestampFormat "auto"; set "timestampFormat" in the schema to say which`;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A timestamp value read as `format` → epoch ms (NaN when unreadable); "auto" notes the unit it chose in `c`. */
function timeAs(v: unknown, c: Compiled): number {
  const format = c.format;
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string') {
    const t = v.trim();
    // A date (YYYY-MM-DD…, a "-" at 4 and 7) is never a number: no need to test it as one.
    const date = t.length >= 10 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45;
    if (date || !NUMBER_TEXT.test(t)) return format === 'iso' || format === 'auto' ? parseTime(t) : NaN;
    x = Number(t);
  } else return NaN;
  if (format === 'iso') return NaN;
  if (format === 'auto' && Number.isFinite(x)) c.autoUnits |= autoUnit(x);
  return epochToMs(x, format);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The prototype of every accepted record's `fields`: an empty, frozen object whose own prototype is null.
 * So `fields` inherits nothing (`fields.toString`, `fields.constructor` and `fields.__proto__` are undefined,
 * `'toString' in fields` is false) — the semantics of a null-prototype object —
 * while staying a fast-mode V8 object (a bare `Object.create(null)` is a slow dictionary object).
 */
export const FIELDS_PROTO: object = Object.freeze(Object.create(null));

/** A new empty object with no inherited properties (see {@link FIELDS_PROTO}). */
export function cleanObject(): Row {
  return Object.create(FIELDS_PROTO) as Row;
}

function reject(line: number, reason: string, raw: unknown, text: string | undefined): Validated {
  return { rejected: { line, reason, raw: text !== undefined ? (text.length > MAX_RAW ? text.slice(0, MAX_RAW) : text) : rawText(raw) } };
}

/**
 * Validate one raw row (see the rules above). `line` is the 1-based position in the source; `text`, when
 * given, is the raw source text used for `Rejected.raw` (otherwise the row is re-serialised).
 */
export function validateRow(raw: unknown, line: number, schema: Schema, text?: string): Validated {
  const c = compile(schema);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject(line, `not a JSON object (got ${kindOf(raw)})`, raw, text);
  }
  const row = raw as Row;
  if (hasOwn.call(row, '__proto__')) return reject(line, 'forbidden key "__proto__"', raw, text);
  if (hasOwn.call(row, 'constructor')) return reject(line, 'forbidden key "constructor"', raw, text);
  if (hasOwn.call(row, 'prototype')) return reject(line, 'forbidden key "prototype"', raw, text);

  const src = c.src;
  c.readSrc(row, src);
  const why = check(c, src, line);
  if (why !== null) return reject(line, why, raw, text);
  const r = c.res;
  return { record: { line, id: r.id, time: r.time, fields: c.build(r.fields), label: r.label, oracle: r.oracle, regime: r.regime } };
}

/**
 * The checks of {@link validateRow} (rules 3–9) on a row's values given by name: `src[i]` is the row's
 * value of `names[i]` (undefined when absent). Null when accepted (the results in `c.res`), else the
 * reject's reason.
 */
function check(c: Compiled, src: readonly unknown[], line: number): string | null {
  // label
  const lv = src[c.labelAt];
  let hit: boolean;
  if (typeof lv === 'number') {
    if (!Number.isFinite(lv)) return `label "${c.label}" is not finite (${show(lv)})`;
    hit = c.labelNums.has(lv);
  } else if (typeof lv === 'string') {
    const n = decimal(lv);
    if (Number.isFinite(n)) hit = c.labelNums.has(n);
    else {
      const t = lv.trim();
      if (t === '' && c.labelRequired) return `missing label "${c.label}" (empty string)`;
      hit = t === '' ? !c.positive : c.labelStrs.has(t.toLowerCase());
    }
  } else if (typeof lv === 'boolean') {
    hit = c.labelStrs.has(lv ? 'true' : 'false');
  } else if (lv === undefined || lv === null) {
    if (c.labelRequired) return `missing label "${c.label}"`;
    hit = !c.positive; // label 0
  } else {
    return `label "${c.label}" is not a scalar (${kindOf(lv)})`;
  }
  const res = c.res;
  res.label = hit === c.positive ? 1 : 0;

  // the values of `fields`, in layout order; the object is built once the row is accepted
  const vals = res.fields;
  const m = c.numeric.length;
  // numeric
  for (let i = 0; i < m; i++) {
    const v = src[c.numAt[i]!];
    if (typeof v === 'number') {
      if (v - v !== 0) return `numeric field "${c.numeric[i]}": not a finite number (${show(v)})`;
      vals[i] = v;
    } else if (v === undefined || v === null) {
      vals[i] = null;
    } else if (typeof v === 'string') {
      const t = v.trim();
      if (t === '') vals[i] = null;
      else {
        const n = isDecimal(t) ? Number(t) : NaN; // decimal(v), trimmed once
        if (n - n !== 0) return `numeric field "${c.numeric[i]}": not a finite number (${show(v)})`;
        vals[i] = n;
      }
    } else {
      return `numeric field "${c.numeric[i]}": not a number (${kindOf(v)} ${show(v)})`;
    }
  }
  // categorical, hashed, key, text
  for (let i = 0; i < c.strings.length; i++) {
    const v = src[c.strAt[i]!];
    if (typeof v === 'string') vals[m + i] = v === '' ? null : v;
    else if (v === undefined || v === null) vals[m + i] = null;
    else if (typeof v === 'number' || typeof v === 'boolean') vals[m + i] = String(v);
    else return `${c.strings[i]![1]} field "${c.strings[i]![0]}": ${kindOf(v)} is not allowed`;
  }
  // timestamp
  const tv = c.timeAt < 0 ? undefined : src[c.timeAt];
  let time: number;
  if (tv === undefined || tv === null || tv === '') time = line;
  else {
    time = timeAs(tv, c);
    if (time - time !== 0) return `timestamp "${c.timestamp}": ${c.expect} (${show(tv)})`;
  }
  res.time = time;
  if (c.keepTime) vals[m + c.strings.length] = time;
  // oracle
  const ov = src[c.oracleAt];
  let oracle: number | null = null;
  if (!(ov === undefined || ov === null || ov === '')) {
    const o = typeof ov === 'number' ? ov : typeof ov === 'string' ? decimal(ov) : NaN;
    if (!(o >= 0 && o <= 1)) return `oracle "${c.oracle}": not a probability in [0, 1] (${show(ov)})`;
    oracle = o;
  }
  res.oracle = oracle;
  // regime
  const rv = src[c.regimeAt];
  let regime: string | null = null;
  if (typeof rv === 'string') regime = rv === '' ? null : rv;
  else if (typeof rv === 'number' || typeof rv === 'boolean') regime = String(rv);
  else if (!(rv === undefined || rv === null)) return `regime "${c.regime}": ${kindOf(rv)} is not allowed`;
  res.regime = regime;
  // id
  const iv = src[c.idAt];
  if (typeof iv === 'string' && iv !== '') res.id = iv;
  else if (typeof iv === 'number') res.id = String(iv);
  else if (iv === undefined || iv === null || iv === '') res.id = `line-${line}`;
  else return `id "${c.id}": ${kindOf(iv)} is not allowed`;
  return null;
}

/**
 * validateRow's checks for a reader that finds a row's values itself (a scanner of JSON lines or CSV
 * cells) and never builds the row object: `names` are the fields the checks read, each once.
 */
export interface ValueChecker {
  readonly names: readonly string[];
  /**
   * The values validateRow reads for a name the row lacks, when the row is an object JSON.parse made
   * (undefined, except for names an object inherits, such as "toString").
   */
  readonly absent: readonly unknown[];
  /**
   * The checks of validateRow on the values of a row, `src[i]` being the row's value of `names[i]`
   * (what `row[names[i]]` reads) — a row without a forbidden key. The result (reused: read it before
   * the next call) when validateRow would accept the row; null when it would reject it (the caller
   * then goes through validateRow, which says why).
   */
  check(src: readonly unknown[], line: number): CheckedValues | null;
}

/** The {@link ValueChecker} of a schema. */
export function valueChecker(schema: Schema): ValueChecker {
  const c = compile(schema);
  const proto = {} as Row;
  return {
    names: c.names,
    absent: c.names.map((n) => proto[n]),
    check: (src, line) => (check(c, src, line) === null ? c.res : null),
  };
}

/** Validates one CSV row given as its cells (see {@link csvValidator}); null: the row needs validateRow. */
export type CsvCellValidator = (cells: readonly string[], line: number) => Validated | null;

/**
 * {@link validateRow} for CSV rows as they are read, without building the row object: `cells` are the
 * row's values under `header` (as many, all strings). For a row validateRow accepts, it returns the same
 * record (same values, same `fields` key order); for any row validateRow would reject it returns null,
 * and the caller builds the row and calls validateRow (so every reject, and its reason, comes from
 * validateRow itself). Null for a header holding a forbidden key (every row must go through validateRow).
 */
export function csvValidator(schema: Schema, header: readonly string[]): CsvCellValidator | null {
  const c = compile(schema);
  if (header.some((h) => FORBIDDEN_KEYS.has(h))) return null;
  const at = (name: string): number => header.indexOf(name);
  const labelAt = at(c.label);
  const numeric = c.numeric;
  const numAt = numeric.map(at);
  const strings = c.strings.map((s) => s[0]);
  const strAt = strings.map(at);
  const timeAt = c.timestamp === null ? -1 : at(c.timestamp);
  const oracleAt = at(c.oracle);
  const regimeAt = at(c.regime);
  const idAt = at(c.id);
  const vals = new Array<unknown>(c.scratch.length).fill(null);
  const m = numeric.length;
  return (cells, line) => {
    // label (a missing column reads as a missing label, like an absent key)
    let hit: boolean;
    if (labelAt < 0) {
      if (c.labelRequired) return null;
      hit = !c.positive;
    } else {
      const lv = cells[labelAt]!;
      const n = decimal(lv);
      if (Number.isFinite(n)) hit = c.labelNums.has(n);
      else {
        const t = lv.trim();
        if (t === '') {
          if (c.labelRequired) return null;
          hit = !c.positive;
        } else hit = c.labelStrs.has(t.toLowerCase());
      }
    }
    const label: 0 | 1 = hit === c.positive ? 1 : 0;
    for (let i = 0; i < numeric.length; i++) {
      const k = numAt[i]!;
      const t = k < 0 ? '' : cells[k]!.trim();
      if (t === '') vals[i] = null;
      else {
        const n = isDecimal(t) ? Number(t) : NaN; // decimal(cell), trimmed once
        if (n - n !== 0) return null;
        vals[i] = n;
      }
    }
    for (let i = 0; i < strings.length; i++) {
      const k = strAt[i]!;
      const v = k < 0 ? '' : cells[k]!;
      vals[m + i] = v === '' ? null : v;
    }
    const tv = timeAt < 0 ? '' : cells[timeAt]!;
    let time: number;
    if (tv === '') time = line;
    else {
      time = timeAs(tv, c);
      if (time - time !== 0) return null;
    }
    if (c.keepTime) vals[m + strings.length] = time;
    let oracle: number | null = null;
    const ov = oracleAt < 0 ? '' : cells[oracleAt]!;
    if (ov !== '') {
      const o = decimal(ov);
      if (!(o >= 0 && o <= 1)) return null;
      oracle = o;
    }
    const rv = regimeAt < 0 ? '' : cells[regimeAt]!;
    const regime = rv === '' ? null : rv;
    const iv = idAt < 0 ? '' : cells[idAt]!;
    const id = iv === '' ? `line-${line}` : iv;
    return { record: { line, id, time, fields: c.build(vals), label, oracle, regime } };
  };
}

/**
 * Event time → epoch milliseconds. Accepted (anything else gives NaN):
 * - a finite number: epoch milliseconds;
 * - a string of decimal digits (optionally signed/fractional): epoch milliseconds;
 * - ISO 8601 / RFC 3339: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `…:SS`, `…:SS.f…` (any number of fraction
 *   digits, truncated to the millisecond), `T` or a space between date and time, then `Z`, `±HH:MM`,
 *   `±HHMM`, `±HH` or nothing. **A time without an offset is read as UTC** (not local time), so results
 *   never depend on the machine's time zone. Calendar fields are range-checked (no February 30).
 */
export function parseTime(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v !== 'string') return NaN;
  const s = v.length > 0 && (v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32) ? v.trim() : v;
  if (s.length >= 10 && s.charCodeAt(4) === 45 /* - */ && s.charCodeAt(7) === 45) return parseIso(s);
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

function digits(s: string, at: number, n: number): number {
  let x = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    x = x * 10 + c;
  }
  return x;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseIso(s: string): number {
  const len = s.length;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS[month - 1])) return NaN;
  let i = 10;
  let hh = 0, mm = 0, ss = 0, ms = 0;
  if (i < len && (s.charCodeAt(i) === 84 /* T */ || s.charCodeAt(i) === 32 /* space */ || s.charCodeAt(i) === 116 /* t */)) {
    if (len < i + 6 || s.charCodeAt(i + 3) !== 58 /* : */) return NaN;
    hh = digits(s, i + 1, 2);
    mm = digits(s, i + 4, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN;
    i += 6;
    if (i < len && s.charCodeAt(i) === 58) {
      ss = digits(s, i + 1, 2);
      if (ss < 0 || ss > 60) return NaN;
      i += 3;
      if (i < len && (s.charCodeAt(i) === 46 /* . */ || s.charCodeAt(i) === 44 /* , */)) {
        i++;
        const start = i;
        let frac = 0;
        while (i < len) {
          const c = s.charCodeAt(i) - 48;
          if (!(c >= 0 && c <= 9)) break;
          if (i - start < 3) frac = frac * 10 + c;
          i++;
        }
        const nd = i - start;
        if (nd === 0) return NaN;
        ms = nd >= 3 ? frac : nd === 2 ? frac * 10 : frac * 100;
      }
    }
  }
  let offsetMin = 0;
  if (i < len) {
    const c = s.charCodeAt(i);
    if ((c === 90 /* Z */ || c === 122) && i + 1 === len) {
      i++;
    } else if (c === 43 /* + */ || c === 45 /* - */) {
      const rest = len - i - 1;
      let oh: number, om = 0;
      if (rest === 2) oh = digits(s, i + 1, 2);
      else if (rest === 4) { oh = digits(s, i + 1, 2); om = digits(s, i + 3, 2); }
      else if (rest === 5 && s.charCodeAt(i + 3) === 58) { oh = digits(s, i + 1, 2); om = digits(s, i + 4, 2); }
      else return NaN;
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
      offsetMin = (c === 43 ? 1 : -1) * (oh * 60 + om);
      i = len;
    } else {
      return NaN;
    }
  }
  if (i !== len) return NaN;
  // Date.UTC maps years 0..99 to 1900..1999; fix that up.
  if (year < 100) return new Date(Date.UTC(year, month - 1, day, hh, mm, ss, ms)).setUTCFullYear(year) - offsetMin * 60000;
  // Date.UTC(y, m, d, hh, mm, ss, ms) is Date.UTC(y, m, d) + the time of day, in integers (exact); the
  // day's start is kept, as a stream's timestamps share their day for many records.
  const key = (year * 100 + month) * 100 + day;
  if (key !== lastDay) {
    lastDay = key;
    lastDayMs = Date.UTC(year, month - 1, day);
  }
  return lastDayMs + ((hh * 60 + mm) * 60 + ss) * 1000 + ms - offsetMin * 60000;
}

/** The day parseIso read last (yyyymmdd) and its start in epoch ms. */
let lastDay = -1;
let lastDayMs = 0;
