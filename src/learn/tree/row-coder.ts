import { BAD, readNumber } from '../../features/feature-space';
import { fnv1a } from '../../features/hash';
import type { Row, Schema } from '../../types';

/** Options of {@link RowCoder}. */
export interface RowCoderOptions {
  /** Values per categorical field that get their own code (the first seen in training). Default 32. */
  categoricalCapacity?: number;
  /** Codes per hashed field. Default 32. */
  hashBuckets?: number;
}

/** JSON-safe state of a {@link RowCoder}: per categorical field, the values owning a code, in code order. */
export type RowCoderState = string[][];

/** Missing categorical value: null, undefined or ''. */
function categoryKey(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'string' ? v : String(v);
}

/**
 * Reads raw rows for the tree and Bayes models, without a dense encoding: each row becomes m numeric
 * values and q nominal codes.
 *
 * - numeric (schema.numeric, in order): t(x) = sign(x)·log1p(|x|) for fields in schema.log, else x;
 *   NaN when missing (see readNumber), +Infinity when not finite (the batch is then refused).
 * - nominal: first the categorical fields, then the hashed ones. A categorical field has
 *   `categoricalCapacity` codes for the first values seen in training, then "other" (code capacity)
 *   and "missing" (capacity + 1); a hashed field has `hashBuckets` codes fnv1a(value) mod buckets
 *   and "missing" (code buckets). The number of codes per field is fixed, so counts are typed arrays.
 */
export class RowCoder {
  readonly numericFields: string[];
  readonly nominalFields: string[];
  /** Numeric fields m. */
  readonly m: number;
  /** Nominal fields q. */
  readonly q: number;
  /** Codes per nominal field. */
  readonly cardinality: Int32Array;
  /** Offset of nominal field j's codes in a flat per-code array (sum of earlier cardinalities). */
  readonly nominalOffset: Int32Array;
  /** Sum of the cardinalities. */
  readonly totalCodes: number;
  private readonly isLog: Uint8Array;
  private readonly categorical: number;
  private readonly capacity: number;
  private readonly buckets: number;
  private slots: Map<string, number>[];

  constructor(schema: Schema, options: RowCoderOptions = {}) {
    this.capacity = options.categoricalCapacity ?? 32;
    this.buckets = options.hashBuckets ?? 32;
    this.numericFields = [...schema.numeric];
    const hashed = [...(schema.hashed ?? [])];
    const categorical = [...(schema.categorical ?? [])];
    this.nominalFields = [...categorical, ...hashed];
    this.categorical = categorical.length;
    this.m = this.numericFields.length;
    this.q = this.nominalFields.length;
    const log = new Set(schema.log ?? []);
    this.isLog = Uint8Array.from(this.numericFields, (f) => (log.has(f) ? 1 : 0));
    this.cardinality = Int32Array.from(this.nominalFields, (_, j) => (j < this.categorical ? this.capacity + 2 : this.buckets + 1));
    this.nominalOffset = new Int32Array(this.q);
    let off = 0;
    for (let j = 0; j < this.q; j++) {
      this.nominalOffset[j] = off;
      off += this.cardinality[j]!;
    }
    this.totalCodes = off;
    this.slots = categorical.map(() => new Map());
  }

  /**
   * Reads the numeric fields of `row` into num[offset .. offset + m). Returns false when one is not
   * finite (NaN or ±Infinity as data: see readNumber), true otherwise.
   */
  readNumeric(row: Row, num: Float64Array, offset = 0): boolean {
    let ok = true;
    for (let k = 0; k < this.m; k++) {
      const v = row[this.numericFields[k]!];
      let x = typeof v === 'number' && v - v === 0 ? v : readNumber(v);
      if (x === BAD) ok = false;
      else if (this.isLog[k] === 1 && x - x === 0) x = x < 0 ? -Math.log1p(-x) : Math.log1p(x);
      num[offset + k] = x;
    }
    return ok;
  }

  /**
   * Writes the nominal codes of `row` into nom[offset .. offset + q). With `learn`, a categorical value
   * without a code gets the next free one (training rows only, so prediction never changes the coder).
   */
  readNominal(row: Row, nom: Int32Array, learn: boolean, offset = 0): void {
    for (let j = 0; j < this.q; j++) {
      const key = categoryKey(row[this.nominalFields[j]!]);
      if (j < this.categorical) {
        if (key === null) nom[offset + j] = this.capacity + 1;
        else {
          const map = this.slots[j]!;
          let slot = map.get(key);
          if (slot === undefined && learn && map.size < this.capacity) {
            slot = map.size;
            map.set(key, slot);
          }
          nom[offset + j] = slot === undefined ? this.capacity : slot;
        }
      } else {
        nom[offset + j] = key === null ? this.buckets : fnv1a(key) % this.buckets;
      }
    }
  }

  getState(): RowCoderState {
    return this.slots.map((m) => [...m.keys()]);
  }

  setState(state: RowCoderState): void {
    if (!Array.isArray(state) || state.length !== this.categorical) throw new Error('row coder state does not match the schema');
    this.slots = state.map((values) => new Map(values.map((v, i) => [v, i] as [string, number])));
  }
}
