import { maskTemplate } from '../dedup/template-mask';
import { fnv1a } from './hash';

/*
 * Text features (docs/features.md, "Text"): a free-text value becomes signed, hashed counts of its
 * tokens and word bigrams, l2-normalised. Pure functions of the text: the same string gives the same
 * columns in every run, thread and process, before and after a checkpoint.
 */

/** Tokens kept per value (the first ones); so a value sets at most 2·MAX_TEXT_TOKENS − 1 columns. */
export const MAX_TEXT_TOKENS = 64;
/** Columns a text value can set: its tokens and its bigrams. */
export const TEXT_NON_ZERO_WIDTH = 2 * MAX_TEXT_TOKENS - 1;
/** Default `textBuckets`. */
export const DEFAULT_TEXT_BUCKETS = 4096;

/** A masked placeholder (`<NUM>`, `<IP>`, …) or a run of letters and digits. */
const PIECE = /<[A-Z]+>|[\p{L}\p{N}]+/gu;

/**
 * The tokens of a text: the dedup template mask first (numbers, hex ids, IPs, UUIDs, paths, URLs,
 * e-mails, timestamps → `<NUM>`, `<HEX>`, `<IP>`, …; see src/dedup/template-mask.ts), then the
 * masked text is split on everything that is not a letter or a digit (Unicode), words are
 * lower-cased (`String.prototype.toLowerCase`, locale-independent) and placeholders kept as they
 * are (upper-case, so no word equals one). At most {@link MAX_TEXT_TOKENS}, the first ones.
 */
export function tokenize(text: string): string[] {
  const masked = maskTemplate(text);
  const out: string[] = [];
  PIECE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (out.length < MAX_TEXT_TOKENS && (m = PIECE.exec(masked)) !== null) {
    const t = m[0];
    out.push(t.charCodeAt(0) === 60 /* < */ ? t : t.toLowerCase());
  }
  return out;
}

/** The strings hashed for a text: every token, then every pair of neighbours joined by one space. */
export function textTerms(text: string): string[] {
  const tokens = tokenize(text);
  const terms = tokens.slice();
  for (let i = 0; i + 1 < tokens.length; i++) terms.push(`${tokens[i]} ${tokens[i + 1]}`);
  return terms;
}

/** murmur3's 32-bit finaliser: spreads FNV-1a's bits before the modulo and the sign bit. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket and sign of one term: g = mix32(fnv1a(term)); bucket = g mod buckets; sign = −1 when bit 31 of g is set. */
export function termHash(term: string, buckets: number): { bucket: number; sign: 1 | -1 } {
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
export function encodeText(text: string, buckets: number): TextEncoding {
  const terms = textTerms(text);
  if (terms.length === 0) return EMPTY;
  const acc = new Map<number, number>();
  for (const t of terms) {
    const { bucket, sign } = termHash(t, buckets);
    acc.set(bucket, (acc.get(bucket) ?? 0) + sign);
  }
  const cols = Int32Array.from(acc.keys()).sort();
  const values = new Float64Array(cols.length);
  let sq = 0;
  for (let i = 0; i < cols.length; i++) {
    const v = acc.get(cols[i]!)!;
    values[i] = v;
    sq += v * v;
  }
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * inv;
  }
  return { cols, values };
}
