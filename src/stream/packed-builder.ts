/**
 * Fills {@link PackedBatch}es record by record: from validated records (RecordPacker) or straight from
 * a checked row's values (the parser thread's scanners, src/stream/packed-reader.ts), so no `fields`
 * object is built on the way. Keeps the sender's half of the interning table across batches.
 */
import type { Rejected, Schema } from '../types';
import type { PackedBatch } from './packed-records';
import { autoTimestampUnits, fieldsReader, recordLayout, type CheckedValues, type FieldsReader, type Validated } from './validate';

/** Entries the interning table may hold; values past it travel inline. */
const TABLE_CAP = 1 << 16;

/**
 * `s` as a string of its own: a string sliced from a longer one (a chunk of the file) would keep all of
 * it alive as long as the interning table holds it.
 */
function own(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function lengths(strings: readonly string[]): Int32Array {
  const out = new Int32Array(strings.length);
  for (let i = 0; i < strings.length; i++) out[i] = strings[i]!.length;
  return out;
}

export class PackedBuilder {
  private readonly m: number;
  /** String fields, then regime, then id. */
  private readonly s: number;
  /** Per string field: interned (all but the free text). */
  private readonly interned: boolean[];
  private readonly table = new Map<string, number>();
  private readonly read: FieldsReader;
  private readonly vals: unknown[];
  private cap = 0;
  private n = 0;
  private kind!: Uint8Array;
  private line!: Float64Array;
  private time!: Float64Array;
  private oracle!: Float64Array;
  private label!: Uint8Array;
  private num!: Float64Array;
  private numNull!: Uint8Array;
  private str!: Int32Array;
  private inline: string[] = [];
  private newStrings: string[] = [];
  private rejected: Rejected[] = [];

  constructor(private readonly schema: Schema, capacity = 256) {
    const layout = recordLayout(schema);
    this.m = layout.numeric.length;
    this.s = layout.strings.length + 2;
    const free = new Set([schema.text ?? 'message', ...(schema.textFeatures ?? [])]);
    this.interned = layout.strings.map((f) => !free.has(f));
    this.read = fieldsReader([...layout.numeric, ...layout.strings]);
    this.vals = new Array<unknown>(this.m + layout.strings.length).fill(null);
    this.nextCap = Math.max(1, capacity);
  }

  /** Capacity of the next batch's arrays (allocated at its first item). */
  private nextCap: number;

  /** Sizes the next batch's arrays for `n` items (before its first item). */
  reserve(n: number): void {
    if (this.cap === 0) this.nextCap = Math.max(1, n);
  }

  /** Items added since the last {@link take}. */
  get size(): number {
    return this.n;
  }

  private alloc(cap: number): void {
    this.cap = cap;
    this.kind = new Uint8Array(cap);
    this.line = new Float64Array(cap);
    this.time = new Float64Array(cap);
    this.oracle = new Float64Array(cap);
    this.label = new Uint8Array(cap);
    this.num = new Float64Array(cap * this.m);
    this.numNull = new Uint8Array(cap * this.m);
    this.str = new Int32Array(cap * this.s);
  }

  private grow(): void {
    if (this.cap === 0) {
      this.alloc(this.nextCap);
      return;
    }
    const { kind, line, time, oracle, label, num, numNull, str } = this;
    this.alloc(this.cap * 2);
    this.kind.set(kind);
    this.line.set(line);
    this.time.set(time);
    this.oracle.set(oracle);
    this.label.set(label);
    this.num.set(num);
    this.numNull.set(numNull);
    this.str.set(str);
  }

  private put(v: string | null, intern: boolean): number {
    if (v === null) return -1;
    if (intern) {
      const k = this.table.get(v);
      if (k !== undefined) return k;
      if (this.table.size < TABLE_CAP) {
        const o = own(v);
        this.table.set(o, this.table.size);
        this.newStrings.push(o);
        return this.table.size - 1;
      }
    }
    this.inline.push(v);
    return -2;
  }

  /** Adds a reject. */
  addRejected(r: Rejected): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.kind[i] = 1;
    this.line[i] = r.line;
    this.rejected.push(r);
  }

  /** Adds a validated record or reject. */
  add(item: Validated): void {
    if ('rejected' in item) {
      this.addRejected(item.rejected);
      return;
    }
    const r = item.record;
    this.read(r.fields, this.vals);
    this.addValues(r.line, r.time, r.label, r.oracle, r.regime, r.id, this.vals);
  }

  /** Adds an accepted record from its checked values (see ValueChecker). */
  addChecked(line: number, v: CheckedValues): void {
    this.addValues(line, v.time, v.label, v.oracle, v.regime, v.id, v.fields);
  }

  /** `vals`: the numeric fields' values, then the string fields' (layout order). */
  private addValues(line: number, time: number, label: 0 | 1, oracle: number | null, regime: string | null, id: string, vals: readonly unknown[]): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    const m = this.m;
    const s = this.s;
    this.kind[i] = 0;
    this.line[i] = line;
    this.time[i] = time;
    this.oracle[i] = oracle === null ? Number.NaN : oracle;
    this.label[i] = label;
    const num = this.num;
    const numNull = this.numNull;
    for (let k = 0; k < m; k++) {
      const v = vals[k] as number | null;
      if (v === null) {
        numNull[i * m + k] = 1;
        num[i * m + k] = 0;
      } else {
        numNull[i * m + k] = 0;
        num[i * m + k] = v;
      }
    }
    const str = this.str;
    const interned = this.interned;
    for (let k = 0; k < s - 2; k++) str[i * s + k] = this.put(vals[m + k] as string | null, interned[k]!);
    str[i * s + s - 2] = this.put(regime, true);
    str[i * s + s - 1] = this.put(id, false);
  }

  /** The batch of the items added since the last take (the builder starts a new one). */
  take(): PackedBatch {
    const n = this.n;
    const m = this.m;
    const s = this.s;
    const inline = this.inline;
    if (this.cap === 0) this.alloc(0);
    const b: PackedBatch = {
      n,
      kind: this.kind.subarray(0, n), line: this.line.subarray(0, n), time: this.time.subarray(0, n), oracle: this.oracle.subarray(0, n),
      label: this.label.subarray(0, n), num: this.num.subarray(0, n * m), numNull: this.numNull.subarray(0, n * m), str: this.str.subarray(0, n * s),
      inline: inline.join(''), inlineLen: lengths(inline), newStrings: this.newStrings, rejected: this.rejected,
      timeUnits: autoTimestampUnits(this.schema),
    };
    // the next batch is about as large as this one
    this.nextCap = Math.max(16, n + (n >> 3));
    this.cap = 0;
    this.n = 0;
    this.inline = [];
    this.newStrings = [];
    this.rejected = [];
    return b;
  }
}
