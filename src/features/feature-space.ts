import type { Row, Schema } from '../types';
import { fieldsReader, parseTime, type FieldsReader } from '../stream/validate';
import { DerivedFeatures, type DerivedState } from './derived';
import { writeTimeFeatures, type TimeFeature } from './time-features';
import { DEFAULT_TEXT_BUCKETS, encodeTextInto, TEXT_NON_ZERO_WIDTH } from './text';
import { welford, welfordAdd, welfordStd, type WelfordState } from './welford';
import { sparseRows, type SparseRows } from './sparse-rows';
import { ewm, ewmAdd, ewmDecay, ewmStd, parseNormalise, type EwmState } from './ewm';

/** Options of {@link FeatureSpace}. */
export interface FeatureOptions {
  /** Slots per categorical field: the first N distinct values seen in training get one each. Default: the schema's `categoricalCapacity`, else 32. */
  categoricalCapacity?: number;
  /** Buckets per hashed field. Default: the schema's `hashBuckets`, else 32. */
  hashBuckets?: number;
  /** Columns per text feature field (schema.textFeatures). Default: the schema's `textBuckets`, else 4096. */
  textBuckets?: number;
  /** Standardised numeric values are clipped to ±clip. Default 10. */
  clip?: number;
  /**
   * "cumulative": running mean/variance of all training values (Welford); "ewm:N": exponentially
   * weighted, a value's weight halving every N training values of its field (see ./ewm.ts).
   * Default "cumulative".
   */
  normalise?: string;
}

/** JSON-safe state of a {@link FeatureSpace}: everything the encoding depends on. */
export interface FeatureState {
  /** Welford accumulators ("cumulative", the default) or EWM ones ("ewm:N"). */
  numeric: WelfordState[] | EwmState[];
  /** The normalisation the numeric states are for; absent means "cumulative". */
  normalise?: string;
  /** Per categorical field, the values that own a slot, in slot order. */
  categorical: string[][];
  /** The histories of the derived features (schema.derived), when the schema has some. */
  derived?: DerivedState;
}

/** Status returned by {@link readNumber} for a missing value. */
export const MISSING = Number.NaN;
/** Status returned by {@link readNumber} for a non-finite value (NaN, ±Infinity): the batch is bad. */
export const BAD = Number.POSITIVE_INFINITY;

/**
 * Reads a raw numeric field. Returns the number; {@link MISSING} (NaN) for null, undefined, '' or a
 * non-numeric string; {@link BAD} (+Infinity) for a value that is NaN or ±Infinity (number or
 * string "NaN"/"Infinity"). Booleans read as 0/1.
 */
export function readNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : BAD;
  if (v === null || v === undefined) return MISSING;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return MISSING;
    const x = Number(s);
    if (Number.isFinite(x)) return x;
    if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY || /^[+-]?(nan|inf)$/i.test(s)) return BAD;
    return MISSING;
  }
  return MISSING;
}

/** Entries of the text encodings' pool at least (3 MB, allocated on the first text value). */
const TEXT_POOL = 8192 * 32;

/** From this many categorical fields on, rows are read by their own keys (see FeatureSpace.catIndex). */
export const WIDE_CATEGORICAL = 256;

/** fnv1a(text) % buckets (src/features/hash.ts), returning the small bucket number only (no heap number for a hash ≥ 2³⁰). */
function fnv1aBucket(text: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** Reads a row's numeric fields as {@link FeatureSpace.readRaw} does, into out[at …]. */
type RawReader = (row: Row, out: Float64Array, at: number) => void;

/**
 * A {@link RawReader} of these fields, compiled once with the names written out (as fieldsReader in
 * src/stream/validate.ts does: named property loads, the same lookups as row[name]), so that a value
 * goes from the row into the Float64Array without a heap number in between; the loop where code
 * cannot be compiled.
 */
function rawReader(names: readonly string[]): RawReader {
  const keys = [...names];
  try {
    const body = keys.map((k, i) => `v = row[${JSON.stringify(k)}];\nout[at + ${i}] = typeof v === 'number' && v - v === 0 ? v : readNumber(v);`).join('\n');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    return new Function('readNumber', `return function readNumeric(row, out, at) {\nlet v;\n${body}\n};`)(readNumber) as RawReader;
  } catch {
    return (row, out, at) => {
      for (let k = 0; k < keys.length; k++) {
        const v = row[keys[k]!];
        out[at + k] = typeof v === 'number' && v - v === 0 ? v : readNumber(v);
      }
    };
  }
}

/** Missing categorical value: null, undefined or ''. */
function categoryKey(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'string' ? v : String(v);
}

/**
 * The online feature pipeline: a schema-driven map from raw rows to a fixed-width vector.
 *
 * Layout (width {@link dim}, known from the schema alone, so weights never resize):
 * - numeric fields (schema.numeric): one standardised column each, z = clip((t(x) − mean) / sd),
 *   where t(x) = sign(x)·log1p(|x|) for fields in schema.log and t(x) = x otherwise, and mean / sd
 *   are running (Welford) statistics of t(x) over the training rows seen so far (sd = 1 until two
 *   values were seen), or exponentially weighted ones with normalise "ewm:N"; then one missing-indicator column per numeric field. A missing value
 *   (null, undefined, '', non-numeric text) gives z = 0 and indicator 1.
 * - categorical fields: `categoricalCapacity` slots (the first values seen in training, in order),
 *   one "other" slot (values without a slot) and one "missing" slot, one-hot.
 * - hashed fields: `hashBuckets` buckets, one-hot on fnv1a(String(value)) mod buckets; a missing
 *   value sets no bucket.
 * - text fields (schema.textFeatures): `textBuckets` columns each, the l2-normalised signed hashed
 *   counts of the value's tokens and word bigrams ({@link encodeText}, docs/features.md); a missing
 *   value sets none.
 * - time features (schema.timeFeatures): a (sin, cos) pair each of the event time's phase (hour of
 *   day, weekday; UTC) read from row[schema.timestamp] (epoch ms, as validation writes it, or an ISO
 *   string); a row without a readable time leaves the pair (0, 0).
 *
 * - derived features (schema.derived): standardised like numeric fields (after them in the numeric
 *   block, with their own missing indicators), from the values {@link observe} wrote into the row.
 *
 * Statistics change only in {@link update} and are a pure function of the rows passed to it; the
 * derived features' histories only in {@link observe}.
 */
export class FeatureSpace {
  readonly dim: number;
  readonly numericFields: string[];
  readonly categoricalFields: string[];
  readonly hashedFields: string[];
  readonly capacity: number;
  readonly buckets: number;
  readonly textFields: string[];
  readonly textBuckets: number;
  readonly timeFeatures: TimeFeature[];
  private readonly timeField: string | null;
  private readonly timeOffset: number;
  readonly clip: number;
  private readonly isLog: boolean[];
  private readonly catOffset: number[];
  private readonly hashOffset: number[];
  private readonly textOffset: number[];
  /**
   * Text encodings of the last batches by row position (the encoding is a pure function of the text:
   * this only saves work, e.g. learnMany encoding the very rows predictMany just encoded): for slot
   * i·F + k (row i of a batch, text field k) the value it was written for, the pool generation and the
   * position of its entries in textCols / textValues (start · 256 + count; a value sets at most
   * TEXT_NON_ZERO_WIDTH < 256 columns). A string comparison (the same string object: at once), no
   * hashing of the text. The pool starts again (generation + 1, every slot stale) when a batch might
   * not fit in what is left of it.
   */
  private textCols: Int32Array | null = null;
  private textValues: Float64Array | null = null;
  private textUsed = 0;
  private textGen = 1;
  private slotValues: (string | undefined)[] = [];
  private slotGen = new Float64Array(0);
  private slotPacked = new Float64Array(0);
  /** The row position being encoded by a batch call (encodeMany, encodeSparse), −1 for one row alone. */
  private rowSlot = -1;

  /** Lags, deltas, rolling statistics, EWMs (schema.derived); their columns end `numericFields`. */
  readonly derived: DerivedFeatures;
  private stats: WelfordState[];
  private ewmStats: EwmState[];
  /** The normalisation ("cumulative" or "ewm:N"). */
  readonly normalise: string;
  /** λ of "ewm:N", or null for "cumulative". */
  private readonly decay: number | null;
  private slots: Map<string, number>[];
  private readonly means: Float64Array;
  private readonly invSd: Float64Array;
  private dirty = true;

  constructor(readonly schema: Schema, options: FeatureOptions = {}) {
    this.capacity = options.categoricalCapacity ?? schema.categoricalCapacity ?? 32;
    this.buckets = options.hashBuckets ?? schema.hashBuckets ?? 32;
    this.clip = options.clip ?? 10;
    this.normalise = options.normalise ?? 'cumulative';
    const halfLife = parseNormalise(this.normalise);
    this.decay = halfLife === null ? null : ewmDecay(halfLife);
    this.derived = new DerivedFeatures(schema.derived ?? [], schema.by);
    this.numericFields = [...schema.numeric, ...this.derived.names];
    this.categoricalFields = [...schema.categorical];
    this.hashedFields = [...(schema.hashed ?? [])];
    const log = new Set(schema.log ?? []);
    this.isLog = this.numericFields.map((f) => log.has(f));
    let offset = 2 * this.numericFields.length;
    this.catOffset = this.categoricalFields.map(() => {
      const o = offset;
      offset += this.capacity + 2;
      return o;
    });
    this.hashOffset = this.hashedFields.map(() => {
      const o = offset;
      offset += this.buckets;
      return o;
    });
    this.textFields = [...(schema.textFeatures ?? [])];
    this.textBuckets = options.textBuckets ?? schema.textBuckets ?? DEFAULT_TEXT_BUCKETS;
    this.textOffset = this.textFields.map(() => {
      const o = offset;
      offset += this.textBuckets;
      return o;
    });
    this.timeFeatures = [...(schema.timeFeatures ?? [])];
    this.timeField = schema.timestamp === null ? null : schema.timestamp ?? 'timestamp';
    this.timeOffset = offset;
    offset += 2 * this.timeFeatures.length;
    this.dim = offset;
    this.stats = this.decay === null ? this.numericFields.map(() => welford()) : [];
    this.ewmStats = this.decay === null ? [] : this.numericFields.map(() => ewm());
    this.slots = this.categoricalFields.map(() => new Map());
    if (this.categoricalFields.length >= WIDE_CATEGORICAL) {
      this.catIndex = new Map();
      this.categoricalFields.forEach((f, k) => {
        const list = this.catIndex!.get(f);
        if (list) list.push(k);
        else this.catIndex!.set(f, [k]);
      });
      this.catValues = new Array(this.categoricalFields.length).fill(undefined);
    }
    this.means = new Float64Array(this.numericFields.length);
    this.invSd = new Float64Array(this.numericFields.length);
    // Rows are read by generated functions with the field names written out (named property loads,
    // cached per row shape) rather than row[name] with a variable name; the same values.
    this.readNumeric = rawReader(this.numericFields);
    this.rowRaw = new Float64Array(this.numericFields.length);
    const others = [...(this.catIndex ? [] : this.categoricalFields), ...this.hashedFields, ...this.textFields, ...(this.timeFeatures.length > 0 ? [String(this.timeField)] : [])];
    this.readOthers = fieldsReader(others);
    this.otherVals = new Array<unknown>(others.length).fill(undefined);
    this.hashedAt = this.catIndex ? 0 : this.categoricalFields.length;
    this.textAt = this.hashedAt + this.hashedFields.length;
  }

  /** Reads a row's numeric fields (numericFields order) as numbers (see readRaw). */
  private readonly readNumeric: RawReader;
  /** One row's numeric values, for an encoding given no raw values. */
  private readonly rowRaw: Float64Array;
  /**
   * Reads a row's categorical fields (unless wide: those are read by catIndex), hashed fields, text
   * fields and, with time features, its time field, in that order, into otherVals.
   */
  private readonly readOthers: FieldsReader;
  private readonly otherVals: unknown[];
  /** Positions of the hashed and text fields in otherVals. */
  private readonly hashedAt: number;
  private readonly textAt: number;

  /** Column names, for inspection ("severity", "severity:missing", "source#3", "source:other", "user@7"). */
  columnNames(): string[] {
    const names: string[] = [];
    for (const f of this.numericFields) names.push(f);
    for (const f of this.numericFields) names.push(`${f}:missing`);
    this.categoricalFields.forEach((f, k) => {
      const values = [...this.slots[k]!.keys()];
      for (let s = 0; s < this.capacity; s++) names.push(s < values.length ? `${f}=${values[s]}` : `${f}#${s}`);
      names.push(`${f}:other`, `${f}:missing`);
    });
    for (const f of this.hashedFields) for (let b = 0; b < this.buckets; b++) names.push(`${f}@${b}`);
    for (const f of this.textFields) for (let b = 0; b < this.textBuckets; b++) names.push(`${f}~${b}`);
    for (const t of this.timeFeatures) names.push(`${this.timeField}:${t}_sin`, `${this.timeField}:${t}_cos`);
    return names;
  }

  /** Index of a numeric field in schema.numeric, or -1. Its standardised column has the same index. */
  numericIndex(field: string): number {
    return this.numericFields.indexOf(field);
  }

  /** t(x): the heavy-tail transform of numeric field k (identity unless the field is in schema.log). */
  transform(k: number, x: number): number {
    return this.isLog[k] ? Math.sign(x) * Math.log1p(Math.abs(x)) : x;
  }

  /** Standardised value of a raw finite value x of numeric field k, with the current statistics. */
  standardise(k: number, x: number): number {
    if (this.dirty) this.refresh();
    return this.zscore(k, x);
  }

  /** {@link standardise} with the cached statistics as they are (the caller refreshed them). */
  private zscore(k: number, x: number): number {
    const z = (this.transform(k, x) - this.means[k]!) * this.invSd[k]!;
    return z > this.clip ? this.clip : z < -this.clip ? -this.clip : z;
  }

  /** Caches mean and 1/sd per numeric field after the statistics changed. */
  private refresh(): void {
    for (let k = 0; k < this.stats.length; k++) {
      this.means[k] = this.stats[k]!.mean;
      this.invSd[k] = 1 / welfordStd(this.stats[k]!);
    }
    for (let k = 0; k < this.ewmStats.length; k++) {
      this.means[k] = this.ewmStats[k]!.mean;
      this.invSd[k] = 1 / ewmStd(this.ewmStats[k]!);
    }
    this.dirty = false;
  }

  /**
   * The raw numeric values of rows (rows.length × numeric fields, row-major), read once with
   * {@link readNumber}: NaN = missing, +Infinity = non-finite input. Pass it to {@link update},
   * {@link encodeMany} and {@link hasNonFinite} to avoid reading the rows again.
   */
  readRaw(rows: readonly Row[]): Float64Array {
    const m = this.numericFields.length;
    const raw = new Float64Array(rows.length * m);
    // Finite numbers as they are (v − v is 0 only when v is finite), else readNumber(v).
    for (let i = 0; i < rows.length; i++) this.readNumeric(rows[i]!, raw, i * m);
    return raw;
  }

  /** True when a numeric feature of some row is NaN or ±Infinity (see {@link readNumber}). */
  hasNonFinite(rows: readonly Row[], raw = this.readRaw(rows)): boolean {
    for (let i = 0; i < raw.length; i++) if (raw[i] === BAD) return true;
    return false;
  }

  /**
   * Rows arriving (predicted or learned for the first time), in event order: each row not observed
   * before gets its derived features from the events before it, written into the row under their
   * column names (null = no history), and then joins the history. A no-op without schema.derived.
   */
  observe(rows: readonly Row[]): void {
    this.derived.observe(rows);
  }

  /** Updates the statistics with training rows (Welford for numeric fields, slots for categorical). */
  update(rows: readonly Row[], raw = this.readRaw(rows)): void {
    this.dirty = true;
    const m = this.numericFields.length;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      for (let k = 0; k < m; k++) {
        const x = raw[i * m + k]!;
        if (!Number.isFinite(x)) continue;
        // transform(k, x), written out (a call would box its result)
        const t = this.isLog[k] === true ? Math.sign(x) * Math.log1p(Math.abs(x)) : x;
        if (this.decay === null) welfordAdd(this.stats[k]!, t);
        else ewmAdd(this.ewmStats[k]!, t, this.decay);
      }
      const wide = this.catIndex ? this.gatherCategorical(row) : null;
      const vals = this.otherVals;
      if (!wide) this.readOthers(row, vals);
      for (let k = 0; k < this.categoricalFields.length; k++) {
        const key = categoryKey(wide ? wide[k] : vals[k]);
        const map = this.slots[k]!;
        if (key !== null && map.size < this.capacity && !map.has(key)) map.set(key, map.size);
      }
    }
  }

  /** Writes the encoding of `row` into out[offset .. offset + dim). Non-finite numbers encode as missing. */
  encode(row: Row, out: Float64Array, offset = 0, raw?: Float64Array, rawOffset = 0): void {
    out.fill(0, offset, offset + this.dim);
    if (this.dirty) this.refresh();
    this.encodeZeroed(row, out, offset, raw, rawOffset);
  }

  /** Columns a row's encoding can set: one per numeric field (value or missing), categorical field and hashed field, and up to TEXT_NON_ZERO_WIDTH per text field. */
  get nonZeroWidth(): number {
    return this.numericFields.length + this.categoricalFields.length + this.hashedFields.length + this.textFields.length * TEXT_NON_ZERO_WIDTH + 2 * this.timeFeatures.length;
  }

  /**
   * Makes room in the text pool for the text values of `rows` rows (each of at most
   * TEXT_NON_ZERO_WIDTH entries per field) and in the slot arrays: a batch never restarts the pool
   * half-way, and the pool holds two batches, so the rows of one call are still there in the next.
   */
  private reserveText(rows: number): void {
    const F = this.textFields.length;
    if (F === 0) return;
    const need = rows * F * TEXT_NON_ZERO_WIDTH;
    if (this.textCols === null || this.textCols.length < 2 * need) {
      const size = Math.max(TEXT_POOL, 2 * need);
      this.textCols = new Int32Array(size);
      this.textValues = new Float64Array(size);
      this.textUsed = 0;
      this.textGen++;
    } else if (this.textUsed + need > this.textCols.length) {
      this.textUsed = 0;
      this.textGen++;
    }
    if (this.slotGen.length < rows * F) {
      const slots = rows * F;
      this.slotValues = new Array(slots).fill(undefined);
      this.slotGen = new Float64Array(slots);
      this.slotPacked = new Float64Array(slots);
    }
  }

  /**
   * Writes the encoding of text field k's value at cols/values[e …] with columns offset by `base`,
   * reusing the encoding written at this row position of the last batches when it was of the same
   * value; returns the position after the last entry written.
   */
  private writeText(k: number, value: string, base: number, cols: Int32Array, values: Float64Array, e: number): number {
    const slot = this.rowSlot < 0 ? -1 : this.rowSlot * this.textFields.length + k;
    let packed: number;
    if (slot >= 0 && this.slotValues[slot] === value && this.slotGen[slot] === this.textGen) {
      packed = this.slotPacked[slot]!;
    } else {
      if (slot < 0) this.reserveText(1);
      const start = this.textUsed;
      const count = encodeTextInto(value, this.textBuckets, this.textCols!, this.textValues!, start);
      this.textUsed += count;
      packed = start * 256 + count;
      if (slot >= 0) {
        this.slotValues[slot] = value;
        this.slotGen[slot] = this.textGen;
        this.slotPacked[slot] = packed;
      }
    }
    const count = packed % 256;
    const start = (packed - count) / 256;
    const tc = this.textCols!;
    const tv = this.textValues!;
    for (let j = 0; j < count; j++) {
      cols[e] = base + tc[start + j]!;
      values[e++] = tv[start + j]!;
    }
    return e;
  }

  /**
   * Encodes rows into a row-major matrix (rows.length × dim): `out` when given (exactly that length;
   * zeroed here first), else a new array. `nz`, when given (rows.length × nonZeroWidth), receives each
   * row's possibly non-zero columns, ascending, padded with −1 (a SparseIndex of the matrix).
   */
  encodeMany(rows: readonly Row[], raw?: Float64Array, out?: Float64Array, nz?: Int32Array): Float64Array {
    if (out && out.length !== rows.length * this.dim) throw new Error(`encodeMany: out has ${out.length} entries, not ${rows.length} × ${this.dim}`);
    const width = this.nonZeroWidth;
    if (nz && nz.length !== rows.length * width) throw new Error(`encodeMany: nz has ${nz.length} entries, not ${rows.length} × ${width}`);
    let X: Float64Array;
    if (!out) X = new Float64Array(rows.length * this.dim);
    else if (out.length > 256) X = out.fill(0);
    else {
      // A small batch: a loop (TypedArray fill is a runtime call).
      for (let i = 0; i < out.length; i++) out[i] = 0;
      X = out;
    }
    if (this.dirty) this.refresh();
    const m = this.numericFields.length;
    this.reserveText(rows.length);
    try {
      for (let i = 0; i < rows.length; i++) {
        this.rowSlot = i;
        this.encodeZeroed(rows[i]!, X, i * this.dim, raw, i * m, nz, i * width);
      }
    } finally {
      this.rowSlot = -1;
    }
    return X;
  }

  /** {@link encode} into a zeroed slice, statistics fresh; the columns set go to nz[nzOffset …] when given. */
  private encodeZeroed(row: Row, out: Float64Array, offset: number, raw: Float64Array | undefined, rawOffset: number, nz?: Int32Array, nzOffset = 0): void {
    const cols = this.entryCols;
    const vals = this.entryValues;
    const count = this.writeEntries(row, cols, vals, 0, raw, rawOffset);
    for (let e = 0; e < count; e++) out[offset + cols[e]!] = vals[e]!;
    if (nz) {
      // Plain loops (a row has a handful of entries): subarray + set + fill cost a view and two runtime calls per row.
      for (let e = 0; e < count; e++) nz[nzOffset + e] = cols[e]!;
      const end = nzOffset + this.nonZeroWidth;
      for (let e = nzOffset + count; e < end; e++) nz[e] = -1;
    }
  }

  /**
   * Encodes rows as sparse rows (CSR, src/features/sparse-rows.ts): the same values as
   * {@link encodeMany}, only the columns a row's encoding can set (at most {@link nonZeroWidth} a
   * row), ascending. `into`, when given and large enough (rowPtr ≥ rows + 1, cols and values ≥
   * rows × nonZeroWidth), is filled and returned (reused scratch); else new arrays are allocated.
   */
  encodeSparse(rows: readonly Row[], raw?: Float64Array, into?: SparseRows): SparseRows {
    const n = rows.length;
    const width = this.nonZeroWidth;
    const S = into && into.rowPtr.length >= n + 1 && into.cols.length >= n * width && into.values.length >= n * width ? into : sparseRows(n, this.dim, n * width);
    S.n = n;
    S.dim = this.dim;
    if (this.dirty) this.refresh();
    const m = this.numericFields.length;
    const rowPtr = S.rowPtr;
    rowPtr[0] = 0;
    let e = 0;
    this.reserveText(n);
    try {
      for (let i = 0; i < n; i++) {
        this.rowSlot = i;
        e = this.writeEntries(rows[i]!, S.cols, S.values, e, raw, i * m);
        rowPtr[i + 1] = e;
      }
    } finally {
      this.rowSlot = -1;
    }
    return S;
  }

  /**
   * Wide schemas ({@link WIDE_CATEGORICAL} categorical fields or more): field name → its indices in
   * categoricalFields, and the values of one row by index (undefined = absent), so a row is read by
   * its own keys (for…in) rather than by one property lookup per schema field: an event that sets 100
   * of 10,000 fields costs 100 lookups. Equal to row[field] for rows whose fields are enumerable
   * properties (what JSON, CSV and the generator produce); reset after each row.
   */
  private catIndex: Map<string, number[]> | null = null;
  private catValues: unknown[] = [];
  private catTouched: number[] = [];

  /** The categorical values of `row` by field index (see {@link catIndex}); valid until the next call. */
  private gatherCategorical(row: Row): readonly unknown[] {
    const values = this.catValues;
    const touched = this.catTouched;
    for (let t = 0; t < touched.length; t++) values[touched[t]!] = undefined;
    touched.length = 0;
    const index = this.catIndex!;
    for (const name in row) {
      const ks = index.get(name);
      if (ks === undefined) continue;
      const v = row[name];
      for (let t = 0; t < ks.length; t++) {
        values[ks[t]!] = v;
        touched.push(ks[t]!);
      }
    }
    return values;
  }

  /** Scratch entries of one row (dense encodings scatter them). */
  private get entryCols(): Int32Array {
    return (this.rowCols ??= new Int32Array(this.nonZeroWidth));
  }

  private get entryValues(): Float64Array {
    return (this.rowValues ??= new Float64Array(this.nonZeroWidth));
  }

  private rowCols: Int32Array | null = null;
  private rowValues: Float64Array | null = null;
  /** Per numeric field, 1 when the row being encoded misses it. */
  private rowMissing: Uint8Array | null = null;
  private timeValues: Float64Array | null = null;

  /**
   * Writes the entries of one row's encoding (statistics fresh) at cols/values[e …], ascending
   * columns: the numeric values, the missing indicators, the categorical and hashed one-hots, the
   * text values, the time pairs. Returns the position after the last entry written.
   */
  private writeEntries(row: Row, cols: Int32Array, values: Float64Array, e: number, raw: Float64Array | undefined, rawOffset: number): number {
    const numeric = this.numericFields;
    const n = numeric.length;
    const missingOf = (this.rowMissing ??= new Uint8Array(n));
    let missing = 0;
    if (!raw) {
      raw = this.rowRaw;
      rawOffset = 0;
      this.readNumeric(row, raw, 0);
    }
    const isLog = this.isLog;
    const means = this.means;
    const invSd = this.invSd;
    const clip = this.clip;
    for (let k = 0; k < n; k++) {
      const x = raw[rawOffset + k]!;
      if (x - x === 0) {
        // zscore(k, x), written out: a call per value would box x and z (a heap number each)
        const t = isLog[k] === true ? Math.sign(x) * Math.log1p(Math.abs(x)) : x;
        const z = (t - means[k]!) * invSd[k]!;
        cols[e] = k;
        values[e++] = z > clip ? clip : z < -clip ? -clip : z;
        missingOf[k] = 0;
      } else {
        missingOf[k] = 1;
        missing++;
      }
    }
    if (missing > 0) {
      for (let k = 0; k < n; k++) {
        if (missingOf[k] === 1) {
          cols[e] = n + k;
          values[e++] = 1;
        }
      }
    }
    const cats = this.categoricalFields;
    const wide = this.catIndex ? this.gatherCategorical(row) : null;
    const ov = this.otherVals;
    this.readOthers(row, ov);
    for (let k = 0; k < cats.length; k++) {
      const key = categoryKey(wide ? wide[k] : ov[k]);
      const base = this.catOffset[k]!;
      let col: number;
      if (key === null) col = base + this.capacity + 1;
      else {
        const slot = this.slots[k]!.get(key);
        col = base + (slot === undefined ? this.capacity : slot);
      }
      cols[e] = col;
      values[e++] = 1;
    }
    const hashed = this.hashedFields;
    const hashedAt = this.hashedAt;
    for (let k = 0; k < hashed.length; k++) {
      const key = categoryKey(ov[hashedAt + k]);
      if (key === null) continue;
      cols[e] = this.hashOffset[k]! + fnv1aBucket(key, this.buckets);
      values[e++] = 1;
    }
    const texts = this.textFields;
    const textAt = this.textAt;
    for (let k = 0; k < texts.length; k++) {
      const key = categoryKey(ov[textAt + k]);
      if (key === null) continue;
      e = this.writeText(k, key, this.textOffset[k]!, cols, values, e);
    }
    if (this.timeFeatures.length > 0) {
      const v = ov[textAt + texts.length];
      const ms = typeof v === 'number' ? v : typeof v === 'string' ? parseTime(v) : NaN;
      if (ms - ms === 0) {
        const T = 2 * this.timeFeatures.length;
        const tv = (this.timeValues ??= new Float64Array(T));
        writeTimeFeatures(ms, this.timeFeatures, tv, 0);
        for (let j = 0; j < T; j++) {
          cols[e] = this.timeOffset + j;
          values[e++] = tv[j]!;
        }
      }
    }
    return e;
  }

  /** JSON-safe copy of the statistics. */
  getState(): FeatureState {
    const state: FeatureState = {
      numeric: this.decay === null ? this.stats.map((s) => ({ ...s })) : this.ewmStats.map((s) => ({ ...s })),
      categorical: this.slots.map((m) => [...m.keys()]),
      ...(this.derived.names.length > 0 ? { derived: this.derived.getState() } : {}),
    };
    if (this.decay !== null) state.normalise = this.normalise;
    return state;
  }

  /** Replaces the statistics by a state from {@link getState}. */
  setState(state: FeatureState): void {
    if (state.numeric.length !== this.numericFields.length || state.categorical.length !== this.categoricalFields.length) {
      throw new Error('feature state does not match the schema');
    }
    if ((state.normalise ?? 'cumulative') !== this.normalise) {
      throw new Error(`feature state is for normalise "${state.normalise ?? 'cumulative'}", not "${this.normalise}"`);
    }
    if (this.derived.names.length > 0) this.derived.setState(state.derived ?? []);
    if (this.decay === null) this.stats = (state.numeric as WelfordState[]).map((s) => ({ count: s.count, mean: s.mean, m2: s.m2 }));
    else this.ewmStats = (state.numeric as EwmState[]).map((s) => ({ count: s.count, mean: s.mean, variance: s.variance, w: s.w, w2: s.w2 }));
    this.dirty = true;
    this.slots = state.categorical.map((values) => new Map(values.map((v, i) => [v, i] as [string, number])));
  }
}
