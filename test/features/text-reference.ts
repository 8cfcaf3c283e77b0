/*
 * Reference copy of src/features/text.ts's tokenize and encodeText as of main 00b5d93 (before the fused
 * scanner): masked string, token strings, bigram hashes continued from the first token's. The differential
 * tests compare the fast path against it; do not optimise it.
 */
import { referenceMaskTemplate as maskTemplate } from '../dedup/template-mask-reference';
import { fnv1a } from '../../src/features/hash';

/*
 * Text features (docs/features.md, "Text"): a free-text value becomes signed, hashed counts of its
 * tokens and word bigrams, l2-normalised. Pure functions of the text: the same string gives the same
 * columns in every run, thread and process, before and after a checkpoint.
 */

/** Tokens kept per value (the first ones); so a value sets at most 2·MAX_TEXT_TOKENS − 1 columns. */
const MAX_TEXT_TOKENS = 64;
/** Columns a text value can set: its tokens and its bigrams. */
const TEXT_NON_ZERO_WIDTH = 2 * MAX_TEXT_TOKENS - 1;
/** Default `textBuckets`. */
const DEFAULT_TEXT_BUCKETS = 4096;

/** A letter or digit outside ASCII (Unicode `\p{L}` / `\p{N}`). */
const WIDE_ALNUM = /^[\p{L}\p{N}]$/u;

/** 1 for an ASCII letter or digit, 0 otherwise. */
const ASCII_ALNUM = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_ALNUM[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;

/** Length (in UTF-16 units) of the letter or digit at s[i], 0 when s[i] is neither. */
function alnumAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII_ALNUM[c]!;
  const cp = s.codePointAt(i)!;
  const n = cp > 0xffff ? 2 : 1;
  return WIDE_ALNUM.test(String.fromCodePoint(cp)) ? n : 0;
}

/** Length of a placeholder `<A…Z>` at s[i], 0 when there is none. */
function placeholderAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 60 /* < */) return 0;
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c >= 65 && c <= 90) j++;
    else break;
  }
  return j > i + 1 && s.charCodeAt(j) === 62 /* > */ ? j + 1 - i : 0;
}

/**
 * The tokens of a text: the dedup template mask first (numbers, hex ids, IPs, UUIDs, paths, URLs,
 * e-mails, timestamps → `<NUM>`, `<HEX>`, `<IP>`, …; see src/dedup/template-mask.ts), then the
 * masked text is split on everything that is not a letter or a digit (Unicode), words are
 * lower-cased (`String.prototype.toLowerCase`, locale-independent) and placeholders kept as they
 * are (upper-case, so no word equals one). At most {@link MAX_TEXT_TOKENS}, the first ones.
 */
export function referenceTokenize(text: string): string[] {
  const s = maskTemplate(text);
  const out: string[] = [];
  // The pieces of /<[A-Z]+>|[\p{L}\p{N}]+/gu, left to right, without the regular expression's cost.
  let i = 0;
  while (i < s.length && out.length < MAX_TEXT_TOKENS) {
    const p = placeholderAt(s, i);
    if (p > 0) {
      out.push(s.slice(i, i + p));
      i += p;
      continue;
    }
    let j = i;
    for (let n = alnumAt(s, j); n > 0; n = j < s.length ? alnumAt(s, j) : 0) j += n;
    if (j > i) {
      out.push(s.slice(i, j).toLowerCase());
      i = j;
    } else {
      i++;
    }
  }
  return out;
}

/** The strings hashed for a text: every token, then every pair of neighbours joined by one space. */
function textTerms(text: string): string[] {
  const tokens = referenceTokenize(text);
  const terms = tokens.slice();
  for (let i = 0; i + 1 < tokens.length; i++) terms.push(`${tokens[i]} ${tokens[i + 1]}`);
  return terms;
}

/** FNV-1a continued over more text: fnv1aMore(fnv1a(a), b) === fnv1a(a + b). */
function fnv1aMore(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads FNV-1a's bits before the modulo and the sign bit. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket and sign of one term: g = mix32(fnv1a(term)); bucket = g mod buckets; sign = −1 when bit 31 of g is set. */
function termHash(term: string, buckets: number): { bucket: number; sign: 1 | -1 } {
  const g = mix32(fnv1a(term));
  return { bucket: g % buckets, sign: g >>> 31 === 1 ? -1 : 1 };
}

/** A text's sparse encoding: columns (ascending, distinct, relative to its block) and their values. */
export interface TextEncoding {
  cols: Int32Array;
  values: Float64Array;
}

const EMPTY: TextEncoding = { cols: new Int32Array(0), values: new Float64Array(0) };

/**
 * The encoding of a text into `buckets` columns: each term adds its sign to its bucket (collisions
 * add up, and may cancel), then the vector is divided by its l2 norm (so every non-empty text has
 * norm 1, whatever its length; a text whose sums all cancel stays all-zero). Columns that ended at
 * 0 are kept in `cols` (value 0), so `cols` lists every column a term touched.
 */
export function referenceEncodeText(text: string, buckets: number): TextEncoding {
  const tokens = referenceTokenize(text);
  const n = tokens.length;
  if (n === 0) return EMPTY;
  // Each term as bucket·2 + (sign > 0), sorted, so equal buckets are neighbours (scratch arrays: at
  // most 2·MAX_TEXT_TOKENS − 1 terms; keys are below 2·buckets, whole numbers exact in a double).
  const T = 2 * n - 1;
  const keys = KEYS;
  const h = HASHES;
  for (let i = 0; i < n; i++) h[i] = fnv1a(tokens[i]!);
  for (let i = 0; i < n; i++) keys[i] = termKey(h[i]!, buckets);
  for (let i = 0; i + 1 < n; i++) keys[n + i] = termKey(fnv1aMore(fnv1aMore(h[i]!, ' '), tokens[i + 1]!), buckets); // = fnv1a(`${a} ${b}`)
  // Insertion sort: at most 127 keys, faster than a typed-array sort and no allocation.
  for (let i = 1; i < T; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  const colsAll = COLS;
  const sums = SUMS;
  let m = -1;
  for (let k = 0; k < T; k++) {
    const key = keys[k]!;
    const bucket = Math.floor(key / 2);
    if (m < 0 || colsAll[m] !== bucket) {
      colsAll[++m] = bucket;
      sums[m] = 0;
    }
    sums[m] = sums[m]! + (key - bucket * 2 === 1 ? 1 : -1);
  }
  const cols = colsAll.slice(0, m + 1);
  const values = sums.slice(0, m + 1);
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += values[i]! * values[i]!;
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * inv;
  }
  return { cols, values };
}

/** A term's sort key from its FNV-1a hash: bucket·2 + 1 for sign +1, bucket·2 for sign −1 (see {@link termHash}). */
function termKey(hash: number, buckets: number): number {
  const g = mix32(hash);
  return (g % buckets) * 2 + (g >>> 31 === 1 ? 0 : 1);
}

/** Scratch of {@link encodeText} (single-threaded: never live across two calls). */
const KEYS = new Float64Array(TEXT_NON_ZERO_WIDTH);
const HASHES = new Float64Array(MAX_TEXT_TOKENS);
const COLS = new Int32Array(TEXT_NON_ZERO_WIDTH);
const SUMS = new Float64Array(TEXT_NON_ZERO_WIDTH);
