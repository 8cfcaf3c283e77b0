/**
 * Validated records packed into typed arrays, so a parser thread can hand them to the pipeline
 * without structured-cloning one object per record: numbers travel in transferred buffers, strings
 * either once through an interning table (categories, sources, users: few distinct values) or in
 * one concatenated string (ids, messages). Unpacking rebuilds records equal to the ones packed:
 * same values, same `fields` prototype and key order (see recordLayout).
 */
import type { Rejected, Row, Schema, StreamRecord } from '../types';
import { PackedBuilder } from './packed-builder';
import { fieldsBuilderOf, noteAutoTimestampUnits, recordLayout, type FieldsBuilder, type Validated } from './validate';

/** One batch of validated records in transferable form. */
export interface PackedBatch {
  /** Items (records and rejects, in source order). */
  n: number;
  /** Per item: 0 = record, 1 = rejected. */
  kind: Uint8Array;
  line: Float64Array;
  time: Float64Array;
  /** NaN = null. */
  oracle: Float64Array;
  label: Uint8Array;
  /** n × numeric fields. */
  num: Float64Array;
  /** n × numeric fields: 1 where the value is null. */
  numNull: Uint8Array;
  /** n × (string fields + 2): the string fields, then regime, then id; -1 = null, -2 = next inline string, k ≥ 0 = table entry k. */
  str: Int32Array;
  /** The inline strings, concatenated, and their lengths in order. */
  inline: string;
  inlineLen: Int32Array;
  /** Strings appended to the table by this batch, in order. */
  newStrings: string[];
  /** The rejects, in item order. */
  rejected: Rejected[];
  /** Units the sender's "auto" timestamp format chose so far (see autoTimestampUnits). */
  timeUnits?: number;
}

/** The buffers of a batch, for postMessage's transfer list. */
export function transferList(b: PackedBatch): ArrayBuffer[] {
  return [b.kind, b.line, b.time, b.oracle, b.label, b.num, b.numNull, b.str, b.inlineLen].map((a) => a.buffer as ArrayBuffer);
}

/** Packs batches; keeps the sender's half of the interning table. */
export class RecordPacker {
  private readonly builder: PackedBuilder;

  constructor(schema: Schema) {
    this.builder = new PackedBuilder(schema);
  }

  pack(items: readonly Validated[]): PackedBatch {
    const b = this.builder;
    b.reserve(items.length);
    for (let i = 0; i < items.length; i++) b.add(items[i]!);
    return b.take();
  }
}

/** Unpacks batches; keeps the receiver's half of the interning table. */
export class RecordUnpacker {
  private readonly numeric: readonly string[];
  private readonly strings: readonly string[];
  private readonly table: string[] = [];
  /** The field that carries the event time in `fields`, when the schema has time features. */
  private readonly time: string | null;

  constructor(private readonly schema: Schema) {
    const layout = recordLayout(schema);
    this.numeric = layout.numeric;
    this.strings = layout.strings;
    this.time = layout.time;
    this.build = fieldsBuilderOf(schema);
    this.vals = new Array<unknown>(this.numeric.length + this.strings.length + (this.time !== null ? 1 : 0)).fill(null);
  }

  /** Builds a record's fields from its values in layout order (see fieldsBuilder). */
  private readonly build: FieldsBuilder;
  private readonly vals: unknown[];

  unpack(b: PackedBatch): Validated[] {
    for (const v of b.newStrings) this.table.push(v);
    if (b.timeUnits) noteAutoTimestampUnits(this.schema, b.timeUnits);
    const out: Validated[] = new Array(b.n);
    const m = this.numeric.length;
    const s = this.strings.length + 2;
    const table = this.table;
    let pos = 0;
    let li = 0;
    let ri = 0;
    const get = (code: number): string | null => {
      if (code >= 0) return table[code]!;
      if (code === -1) return null;
      const len = b.inlineLen[li++]!;
      const v = b.inline.slice(pos, pos + len);
      pos += len;
      return v;
    };
    for (let i = 0; i < b.n; i++) {
      if (b.kind[i] === 1) {
        out[i] = { rejected: b.rejected[ri++]! };
        continue;
      }
      const vals = this.vals;
      for (let k = 0; k < m; k++) vals[k] = b.numNull[i * m + k] === 1 ? null : b.num[i * m + k]!;
      for (let k = 0; k < this.strings.length; k++) vals[m + k] = get(b.str[i * s + k]!);
      if (this.time !== null) vals[m + this.strings.length] = b.time[i]!;
      const fields = this.build(vals);
      const regime = get(b.str[i * s + s - 2]!);
      const id = get(b.str[i * s + s - 1]!)!;
      const o = b.oracle[i]!;
      const record: StreamRecord = { line: b.line[i]!, id, time: b.time[i]!, fields, label: b.label[i] as 0 | 1, oracle: o === o ? o : null, regime };
      out[i] = { record };
    }
    return out;
  }
}
