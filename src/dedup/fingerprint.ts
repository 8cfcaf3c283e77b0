import { fieldsReader, type FieldsReader } from '../stream/validate';
import type { Row } from '../types';

/*
 * Fingerprint hashing: the key values of an event → one 53-bit integer (a safe JS number, usable
 * as a Map key with no string built per event).
 *
 * Each value is encoded as a type tag followed by its content, strings length-prefixed, so the
 * word stream is parseable and the encoding injective:
 *   - 1 and "1" differ (number vs string tag); 1 and 1.0 are the same number; -0 is 0; all NaN are one;
 *   - a missing field (undefined) and null are the same "absent" value, distinct from "" and "null";
 *   - true / false are their own tags; objects and arrays are hashed by their JSON text;
 *   - ("ab","c") and ("a","bc") differ (length prefix).
 * The words go through two independent 32-bit lanes (a MurmurHash3 block round and an xxHash32
 * round, each with its own finaliser); 32 + 21 bits of them make the key. Two different key tuples
 * collide with probability ~2⁻⁵³ per pair: among 100 000 live groups, ~5·10⁻⁷ for a whole run.
 * The key field names are hashed into the seeds, so a fingerprint names its key set too.
 */

const T_ABSENT = 1;
const T_STR = 2;
const T_NUM = 3;
const T_INT = 4;
const T_TRUE = 5;
const T_FALSE = 6;
const T_OTHER = 7;
const T_TEXT = 8;
const T_NOTEXT = 9;
const T_NAME = 10;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** MurmurHash3 x86_32 block round. */
function m1(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** xxHash32 accumulator round. */
function m2(h: number, w: number): number {
  h = (h + Math.imul(w, 0x85ebca77)) | 0;
  h = (h << 13) | (h >>> 19);
  return Math.imul(h, 0x9e3779b1);
}

/** MurmurHash3 finaliser (avalanche), to an unsigned 32-bit value. */
function fmix1(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** xxHash32 finaliser, to an unsigned 32-bit value. */
function fmix2(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 2^21: the second lane contributes its top 21 bits. */
const LOW = 2097152;

/** Hashes the values of a fixed list of key fields (and optionally a text template) to a 53-bit integer. */
export class FingerprintHasher {
  readonly key: readonly string[];
  private readonly fields: string[];
  private readonly seed1: number;
  private readonly seed2: number;

  constructor(key: readonly string[]) {
    this.key = Object.freeze([...key]);
    this.fields = [...key];
    let h1 = 0x2f0f1f3c;
    let h2 = 0x6a09e667;
    h1 = m1(h1, key.length);
    h2 = m2(h2, key.length);
    for (const name of key) {
      h1 = m1(h1, T_NAME);
      h2 = m2(h2, T_NAME);
      const n = name.length;
      h1 = m1(h1, n);
      h2 = m2(h2, n);
      for (let i = 0; i < n; i++) {
        const c = name.charCodeAt(i);
        h1 = m1(h1, c);
        h2 = m2(h2, c);
      }
    }
    this.seed1 = h1;
    this.seed2 = h2;
    this.read = fieldsReader(this.fields);
    this.vals = new Array<unknown>(this.fields.length).fill(undefined);
  }

  /** Reads the key values of a row into `vals` (see fieldsReader). */
  private readonly read: FieldsReader;
  private readonly vals: unknown[];

  /** High lane of the last {@link lanes} call: the fingerprint's top 32 bits, as an int32. */
  hi = 0;
  /** Low part of the last {@link lanes} call: the fingerprint's low 21 bits (0 ≤ lo < 2²¹). */
  lo = 0;

  /**
   * The 53-bit fingerprint of `fields`' key values. When `withText` is true, `text` (a template,
   * or null/undefined for "no text") is hashed after the key values.
   */
  hash(fields: Row, withText = false, text?: string | null): number {
    this.lanes(fields, withText, text);
    return (this.hi >>> 0) * LOW + this.lo;
  }

  /** Like {@link hash} but leaves the two parts in `hi` / `lo` (no number built: the hot path). */
  lanes(fields: Row, withText = false, text?: string | null): void {
    let h1 = this.seed1;
    let h2 = this.seed2;
    const vals = this.vals;
    this.read(fields, vals);
    const nf = vals.length;
    // The key values in order, then (withText) the text: a string under its own tag, else "no text".
    const count = withText ? nf + 1 : nf;
    for (let f = 0; f < count; f++) {
      const isText = f === nf;
      const v = isText ? text : vals[f];
      if (typeof v === 'string') {
        const n = v.length;
        const tag = isText ? T_TEXT : T_STR;
        h1 = m1(h1, tag);
        h2 = m2(h2, tag);
        h1 = m1(h1, n);
        h2 = m2(h2, n);
        let i = 0;
        for (; i + 1 < n; i += 2) {
          const w = v.charCodeAt(i) | (v.charCodeAt(i + 1) << 16);
          h1 = m1(h1, w);
          h2 = m2(h2, w);
        }
        if (i < n) {
          const w = v.charCodeAt(i);
          h1 = m1(h1, w);
          h2 = m2(h2, w);
        }
      } else if (isText) {
        h1 = m1(h1, T_NOTEXT);
        h2 = m2(h2, T_NOTEXT);
      } else if (typeof v === 'number') {
        if ((v | 0) === v) {
          // int32 (and -0, which | 0 maps to 0)
          h1 = m1(h1, T_INT);
          h2 = m2(h2, T_INT);
          h1 = m1(h1, v | 0);
          h2 = m2(h2, v | 0);
        } else {
          let lo = 0x7ff80000; // one canonical NaN
          let hi = 0;
          if (v === v) {
            F64[0] = v;
            lo = U32[0];
            hi = U32[1];
          }
          h1 = m1(h1, T_NUM);
          h2 = m2(h2, T_NUM);
          h1 = m1(h1, lo);
          h2 = m2(h2, lo);
          h1 = m1(h1, hi);
          h2 = m2(h2, hi);
        }
      } else if (v === undefined || v === null) {
        h1 = m1(h1, T_ABSENT);
        h2 = m2(h2, T_ABSENT);
      } else if (v === true) {
        h1 = m1(h1, T_TRUE);
        h2 = m2(h2, T_TRUE);
      } else if (v === false) {
        h1 = m1(h1, T_FALSE);
        h2 = m2(h2, T_FALSE);
      } else {
        const s = otherText(v);
        h1 = m1(h1, T_OTHER);
        h2 = m2(h2, T_OTHER);
        h1 = m1(h1, s.length);
        h2 = m2(h2, s.length);
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          h1 = m1(h1, c);
          h2 = m2(h2, c);
        }
      }
    }
    this.hi = fmix1(h1) | 0;
    this.lo = fmix2(h2) >>> 11;
  }
}

function otherText(v: unknown): string {
  if (typeof v === 'bigint') return `${v.toString()}n`;
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** A 53-bit fingerprint as 14 lower-case hex digits. */
export function fingerprintHex(fp: number): string {
  return fp.toString(16).padStart(14, '0');
}

const HEXC = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/**
 * {@link fingerprintHex} of the number built from (hi, lo) parts, without building the number:
 * one flat 14-character string from char codes (the hot path's per-event fingerprint).
 */
export function fingerprintString(hi: number, lo: number): string {
  const a = hi >>> 7; // top 25 bits
  const b = ((hi & 0x7f) << 21) | lo; // low 28 bits
  return String.fromCharCode(
    HEXC[(a >>> 24) & 15], HEXC[(a >>> 20) & 15], HEXC[(a >>> 16) & 15], HEXC[(a >>> 12) & 15],
    HEXC[(a >>> 8) & 15], HEXC[(a >>> 4) & 15], HEXC[a & 15],
    HEXC[(b >>> 24) & 15], HEXC[(b >>> 20) & 15], HEXC[(b >>> 16) & 15], HEXC[(b >>> 12) & 15],
    HEXC[(b >>> 8) & 15], HEXC[(b >>> 4) & 15], HEXC[b & 15],
  );
}

/** The 53-bit fingerprint number of (hi, lo) parts as produced by {@link FingerprintHasher.lanes}. */
export function fingerprintNumber(hi: number, lo: number): number {
  return (hi >>> 0) * LOW + lo;
}

/** Splits a 53-bit fingerprint number back into [hi (int32), lo]. */
export function fingerprintParts(fp: number): [number, number] {
  const lo = fp % LOW;
  return [((fp - lo) / LOW) | 0, lo];
}
