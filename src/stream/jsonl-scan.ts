/**
 * A JSON line read without JSON.parse: a scanner of flat JSON objects that finds the values of the
 * fields a schema reads (see ValueChecker), checks them with validateRow's own checks and adds the
 * record to a {@link PackedBuilder}, building no object per line. It takes only what it can read
 * exactly as JSON.parse would; anything else — escapes or control characters in a string, nested
 * values, a key the schema reads given twice, a forbidden key (`__proto__`, `constructor`,
 * `prototype`), malformed JSON, a row validateRow would reject — it declines, and the caller reads the
 * line with JSON.parse and validateRow (the same record, or the reject with its reason and raw text).
 * Numbers: up to 15 digits without exponent as digits / 10^k (both exact, so the quotient is the
 * correctly rounded value, as Number() gives), others by Number() of their text: the same doubles as
 * JSON.parse's.
 */
import type { PackedBuilder } from './packed-builder';
import { FORBIDDEN_KEYS } from './schema';
import { valueChecker, type ValueChecker } from './validate';
import type { Schema } from '../types';
import { POW10 } from './pow10';

/** The slot of a key of `len` characters starting with `first` and ending with `last`, in a table of `mask` + 1 slots. */
function slotOf(len: number, first: number, last: number, mask: number): number {
  return (Math.imul(len, 0x9e3779b1) ^ Math.imul(first, 31) ^ last) & mask;
}

/** The first position at or after `p` that is not JSON whitespace (n: none). */
function skipWs(b: Uint8Array, p: number, n: number): number {
  while (p < n) {
    const c = b[p]!;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return p;
    p++;
  }
  return n;
}

/** The closing quote of the string whose contents start at `p`; -1 when it has an escape or a control character, or does not end. */
function stringEnd(b: Uint8Array, p: number, n: number): number {
  for (; p < n; p++) {
    const d = b[p]!;
    if (d === 34) return p;
    if (d === 92 || d < 32) return -1;
  }
  return -1;
}

/** Where the number read by {@link numberAt} ended. */
let numberEnd = 0;

/**
 * The JSON number at b[start] (its end in numberEnd), or NaN when it is not one (JSON.parse never gives
 * NaN); `text` holds the same characters at `start - off`.
 */
function numberAt(b: Uint8Array, start: number, n: number, text: string, off: number): number {
  let p = start;
  let c = b[p]!;
  const neg = c === 45;
  if (neg) {
    p++;
    if (p >= n) return NaN;
    c = b[p]!;
  }
  let m = 0;
  let digits = 0;
  if (c === 48) {
    p++;
    digits = 1;
    c = p < n ? b[p]! : 0;
    if (c >= 48 && c <= 57) return NaN; // a leading zero
  } else if (c >= 49 && c <= 57) {
    do {
      m = m * 10 + (c - 48);
      digits++;
      p++;
      c = p < n ? b[p]! : 0;
    } while (c >= 48 && c <= 57);
  } else return NaN;
  let frac = 0;
  if (c === 46 /* . */) {
    p++;
    c = p < n ? b[p]! : 0;
    if (!(c >= 48 && c <= 57)) return NaN;
    do {
      m = m * 10 + (c - 48);
      frac++;
      p++;
      c = p < n ? b[p]! : 0;
    } while (c >= 48 && c <= 57);
  }
  let exact = digits + frac <= 15;
  if (c === 101 || c === 69 /* e E */) {
    exact = false;
    p++;
    c = p < n ? b[p]! : 0;
    if (c === 43 || c === 45) {
      p++;
      c = p < n ? b[p]! : 0;
    }
    if (!(c >= 48 && c <= 57)) return NaN;
    do {
      p++;
      c = p < n ? b[p]! : 0;
    } while (c >= 48 && c <= 57);
  }
  numberEnd = p;
  if (!exact) return Number(text.slice(start - off, p - off));
  const v = frac === 0 ? m : m / POW10[frac]!;
  return neg ? -v : v;
}

export class JsonlScanner {
  private readonly checker: ValueChecker;
  /** The names the checks read, then the forbidden keys. */
  private readonly keys: string[];
  /** Open addressing: key index + 1, 0 = empty. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly known: number;
  private readonly src: unknown[];
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(schema: Schema) {
    this.checker = valueChecker(schema);
    this.known = this.checker.names.length;
    this.keys = [...this.checker.names, ...FORBIDDEN_KEYS];
    let size = 16;
    while (size < this.keys.length * 4) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size);
    this.keys.forEach((k, e) => {
      let j = slotOf(k.length, k.charCodeAt(0), k.charCodeAt(k.length - 1), this.mask);
      while (this.table[j] !== 0) j = (j + 1) & this.mask;
      this.table[j] = e + 1;
    });
    this.src = new Array<unknown>(this.known).fill(undefined);
    this.seen = new Int32Array(this.known);
  }

  /** The index in `keys` of the key text[a, q) (q > a), or -1. */
  private keyAt(text: string, a: number, q: number): number {
    const len = q - a;
    const table = this.table;
    const mask = this.mask;
    for (let j = slotOf(len, text.charCodeAt(a), text.charCodeAt(q - 1), mask); table[j] !== 0; j = (j + 1) & mask) {
      const k = table[j]! - 1;
      const key = this.keys[k]!;
      if (key.length === len && text.startsWith(key, a)) return k;
    }
    return -1;
  }

  /**
   * Reads line `line`, the bytes b[start, end) — whose decoded text is text[start - off, end - off),
   * one UTF-16 unit per byte — and adds its record to `out`; false (nothing added) when the line needs
   * JSON.parse and validateRow (see above).
   */
  scan(b: Uint8Array, start: number, end: number, text: string, off: number, line: number, out: PackedBuilder): boolean {
    const n = end;
    const src = this.src;
    const seen = this.seen;
    const known = this.known;
    const stamp = ++this.stamp;
    let p = skipWs(b, start, n);
    if (p >= n || b[p] !== 123 /* { */) return false;
    p = skipWs(b, p + 1, n);
    if (p >= n) return false;
    if (b[p] === 125 /* } */) p++;
    else {
      for (;;) {
        // a key
        if (b[p] !== 34) return false;
        const q = stringEnd(b, p + 1, n);
        if (q < 0) return false;
        const e = q > p + 1 ? this.keyAt(text, p + 1 - off, q - off) : -1;
        if (e >= known) return false; // a forbidden key
        p = skipWs(b, q + 1, n);
        if (p >= n || b[p] !== 58 /* : */) return false;
        p = skipWs(b, p + 1, n);
        if (p >= n) return false;
        // its value
        const c = b[p]!;
        let v: unknown;
        if (c === 34) {
          const r = stringEnd(b, p + 1, n);
          if (r < 0) return false;
          if (e >= 0) v = text.slice(p + 1 - off, r - off);
          p = r + 1;
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          const x = numberAt(b, p, n, text, off);
          if (x !== x) return false;
          v = x;
          p = numberEnd;
        } else if (c === 116 && p + 3 < n && b[p + 1] === 114 && b[p + 2] === 117 && b[p + 3] === 101) {
          v = true;
          p += 4;
        } else if (c === 102 && p + 4 < n && b[p + 1] === 97 && b[p + 2] === 108 && b[p + 3] === 115 && b[p + 4] === 101) {
          v = false;
          p += 5;
        } else if (c === 110 && p + 3 < n && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108) {
          v = null;
          p += 4;
        } else return false; // nested, or not JSON
        if (e >= 0) {
          if (seen[e] === stamp) return false; // given twice: JSON.parse keeps the last
          seen[e] = stamp;
          src[e] = v;
        }
        p = skipWs(b, p, n);
        if (p >= n) return false;
        const d = b[p]!;
        p++;
        if (d === 125) break;
        if (d !== 44 /* , */) return false;
        p = skipWs(b, p, n);
        if (p >= n) return false;
      }
    }
    if (skipWs(b, p, n) !== n) return false;
    const absent = this.checker.absent;
    for (let e = 0; e < known; e++) if (seen[e] !== stamp) src[e] = absent[e];
    const res = this.checker.check(src, line);
    if (res === null) return false;
    out.addChecked(line, res);
    return true;
  }
}
