import { isWhiteSpace, MASK_MATCHES, MASK_TOKENS, MASKABLE, MAX_TEMPLATE_INPUT, maskTemplate, maskTokenByRegex, needsRegex, needsRegexUnits, scanMasks, scanMaskUnits, templateInput } from '../dedup/template-mask';
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
export function tokenize(text: string): string[] {
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
export function textTerms(text: string): string[] {
  const tokens = tokenize(text);
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

/** A text's sparse encoding: columns (ascending, distinct, relative to its block) and their values (views of a buffer shared with other encodings). */
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
  const m = encodeTextInto(text, buckets, COLS, SUMS, 0);
  if (m === 0) return EMPTY;
  // Views into a shared slab rather than two new typed arrays (each its own ArrayBuffer: that cost
  // more than the encoding); the slab is freed once no encoding cut from it is referenced.
  const bytes = 12 * m;
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const values = new Float64Array(slab, slabUsed, m);
  const cols = new Int32Array(slab, slabUsed + 8 * m, m);
  slabUsed += (bytes + 7) & ~7;
  for (let i = 0; i < m; i++) {
    cols[i] = COLS[i]!;
    values[i] = SUMS[i]!;
  }
  return { cols, values };
}
/** The slab {@link encodeText}'s results are cut from (room for TEXT_NON_ZERO_WIDTH entries many times over). */
const SLAB_BYTES = 1 << 16;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * {@link encodeText} written into cols/values[at …] (room for {@link TEXT_NON_ZERO_WIDTH} entries
 * needed); returns the number of entries written (0 for a text without tokens).
 */
export function encodeTextInto(text: string, buckets: number, cols: Int32Array, values: Float64Array, at: number): number {
  const n = tokenHashes(text);
  if (n === 0) return 0;
  // A whole number of buckets up to BITMAP_BUCKETS: summed per bucket, normalised as written out.
  if (buckets >= 1 && buckets <= BITMAP_BUCKETS && Math.floor(buckets) === buckets) return accumulateByBitmap(n, buckets, cols, values, at) - at;
  const end = accumulateBySort(n, buckets, cols, values, at);
  let sq = 0;
  for (let i = at; i < end; i++) sq += values[i]! * values[i]!;
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let i = at; i < end; i++) values[i] = values[i]! * inv;
  }
  return end - at;
}

/*
 * The fast path of tokenize + hashing, in one pass over the text without building the masked text,
 * token strings or bigram strings: white-space tokens are masked as maskTemplate does (scanMasks, or
 * the memoised regex for tokens with `:`, `/`, `\` or `@`), the masked pieces split into tokens as
 * {@link tokenize} does, and each token's FNV-1a hash is computed from its (lower-cased) UTF-16 units
 * together with its bigram's: FNV-1a of "a b" continues the state of "a" over " " and b's units. The
 * same hashes as the definition (test/features/text-fast-path.test.ts compares them).
 */

/** MAX_TEXT_TOKENS as a module-local constant (an exported one is read as a property of `exports` in the hot loops). */
const CAP = MAX_TEXT_TOKENS;

/** FNV-1a's offset basis and prime (src/features/hash.ts). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Scratch of {@link tokenHashes}: per token, FNV-1a of the token (UNI) and of its bigram with the next token (BI[i] = tokens i, i + 1). */
const UNI = new Int32Array(CAP);
const BI = new Int32Array(CAP);

/** The units of the placeholders (MASK_TOKENS order) and their FNV-1a hashes. */
const PLACEHOLDER_UNITS: Int32Array[] = MASK_TOKENS.map((t) => Int32Array.from(t, (ch) => ch.charCodeAt(0)));
const PLACEHOLDER_HASH: number[] = MASK_TOKENS.map((t) => fnv1a(t));

/** The state FNV-1a of a bigram starts from before its second token (token n): token n − 1's hash, then " ". */
function bigramStart(n: number): number {
  return n > 0 ? Math.imul(UNI[n - 1]! ^ 32, FNV_PRIME) : 0;
}

/** Appends placeholder k of MASK_TOKENS as token n; returns n + 1. */
function pushPlaceholder(k: number, n: number): number {
  const units = PLACEHOLDER_UNITS[k]!;
  let hb = bigramStart(n);
  for (let j = 0; j < units.length; j++) hb = Math.imul(hb ^ units[j]!, FNV_PRIME);
  if (n > 0) BI[n - 1] = hb;
  UNI[n] = PLACEHOLDER_HASH[k]!;
  return n + 1;
}

/** A letter or digit outside ASCII by UTF-16 unit (BMP): 1 yes, 2 no, 0 not looked up yet. */
const WIDE_BMP = new Uint8Array(65536);

/** {@link alnumAt} for a run that must not reach past b (the end of a masked piece). */
function alnumIn(s: string, i: number, b: number): number {
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII_ALNUM[c]!;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < b) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return WIDE_ALNUM.test(s.slice(i, i + 2)) ? 2 : 0;
  }
  let w = WIDE_BMP[c]!;
  if (w === 0) {
    w = WIDE_ALNUM.test(String.fromCharCode(c)) ? 1 : 2;
    WIDE_BMP[c] = w;
  }
  return w === 1 ? 1 : 0;
}

/**
 * Appends the tokens of the masked piece s[a, b) (text that is followed, in the masked text, by white
 * space, a placeholder or the end) from token n on: placeholders `<A…Z>` as they are, runs of letters
 * and digits lower-cased; stops at MAX_TEXT_TOKENS tokens. Returns the new number of tokens.
 */
function pushPiece(s: string, a: number, b: number, n: number): number {
  let i = a;
  while (i < b && n < CAP) {
    const c = s.charCodeAt(i);
    if (c < 128 && ASCII_ALNUM[c] === 1) {
      // An ASCII run: lower-case by unit; a non-ASCII unit in it sends the run to the general path.
      let h = FNV_OFFSET;
      let hb = n > 0 ? Math.imul(UNI[n - 1]! ^ 32, FNV_PRIME) : 0;
      let j = i;
      let u = c;
      for (;;) {
        if (u <= 90 && u >= 65) u += 32;
        h = Math.imul(h ^ u, FNV_PRIME);
        hb = Math.imul(hb ^ u, FNV_PRIME);
        if (++j === b) break;
        u = s.charCodeAt(j);
        if (u >= 128 || ASCII_ALNUM[u] === 0) break;
      }
      if (j === b || u < 128) {
        if (n > 0) BI[n - 1] = hb;
        UNI[n++] = h;
        i = j;
        continue;
      }
    } else if (c === 60 /* < */) {
      let j = i + 1;
      while (j < b) {
        const d = s.charCodeAt(j);
        if (d >= 65 && d <= 90) j++;
        else break;
      }
      if (j > i + 1 && j < b && s.charCodeAt(j) === 62 /* > */) {
        let h = FNV_OFFSET;
        let hb = bigramStart(n);
        for (let k = i; k <= j; k++) {
          const u = s.charCodeAt(k);
          h = Math.imul(h ^ u, FNV_PRIME);
          hb = Math.imul(hb ^ u, FNV_PRIME);
        }
        if (n > 0) BI[n - 1] = hb;
        UNI[n++] = h;
        i = j + 1;
        continue;
      }
      i++;
      continue;
    } else if (c < 128) {
      i++;
      continue;
    }
    // The general path: the run of Unicode letters and digits at i, lower-cased as a string.
    let j = i;
    for (let w = alnumIn(s, j, b); w > 0; w = j < b ? alnumIn(s, j, b) : 0) j += w;
    if (j === i) {
      i++;
      continue;
    }
    const word = s.slice(i, j).toLowerCase();
    let h = FNV_OFFSET;
    let hb = bigramStart(n);
    for (let k = 0; k < word.length; k++) {
      const u = word.charCodeAt(k);
      h = Math.imul(h ^ u, FNV_PRIME);
      hb = Math.imul(hb ^ u, FNV_PRIME);
    }
    if (n > 0) BI[n - 1] = hb;
    UNI[n++] = h;
    i = j;
  }
  return n;
}

// Character bits of a white-space token, as src/dedup/template-mask.ts's classifyToken gives them.
const B_DIGIT = 1;
const B_DOT = 8;
/** Bits per ASCII unit: digit 1, '-' 2, ':' 4, '.' 8, '/' or '\' 16, '@' 32; 0 for the rest. */
const UNIT_BITS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) UNIT_BITS[c] = B_DIGIT;
UNIT_BITS[45] = 2;
UNIT_BITS[58] = 4;
UNIT_BITS[46] = B_DOT;
UNIT_BITS[47] = 16;
UNIT_BITS[92] = 16;
UNIT_BITS[64] = 32;
/** 1 for the ASCII units `\s` matches (tab, line feed, vertical tab, form feed, carriage return, space). */
const ASCII_WHITE = new Uint8Array(128);
for (const c of [9, 10, 11, 12, 13, 32]) ASCII_WHITE[c] = 1;

/** Classes of ASCII units for the plain-token pass of {@link tokenHashes}. */
const P_SEPARATOR = 0; // neither a letter nor a digit, and no mask looks at it ('.', ',', '(', …)
const P_LETTER = 1; // A-Z, a-z
const P_WHITE = 2; // white space: the token ends
const P_OTHER = 3; // a digit, - : / \ @ or < (and any unit beyond ASCII): the general path
const PLAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const other = (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 47 || c === 92 || c === 64 || c === 60;
  PLAIN[c] = letter ? P_LETTER : ASCII_WHITE[c] === 1 ? P_WHITE : other ? P_OTHER : P_SEPARATOR;
}

/**
 * The tokens of `text` ({@link tokenize}) as FNV-1a hashes: UNI[0 … n) of the tokens, BI[0 … n − 1)
 * of their bigrams; returns n. White-space tokens are found and classified in one pass; a token with
 * no digit and none of - : / \ @ is its own masked text, a number alone is `<NUM>`, the rest are masked
 * by scanMasks (or by the regex: tokens with `/`, `\`, `@` or a possible IPv6 address, see needsRegex).
 */
function tokenHashes(text: string): number {
  const s = templateInput(text);
  const len = s.length;
  // An ASCII text (its UTF-8 is as long as it is) is read from its bytes (tokenHashesAscii): a typed
  // array's reads are cheaper than a string's, which check the string's representation each time.
  if (len >= ASCII_MIN && ENCODER.encodeInto(s, ASCII).written === len) return tokenHashesAscii(s, len);
  return tokenHashesString(s, len);
}

/** Texts shorter than this are read as strings (encodeInto's call costs more than it saves). */
const ASCII_MIN = 8;
const ENCODER = new TextEncoder();
/** The bytes of an ASCII text (room for the UTF-8 of MAX_TEMPLATE_INPUT units: at most 3 bytes each). */
const ASCII = new Uint8Array(3 * MAX_TEMPLATE_INPUT);

/**
 * {@link tokenHashesString} for an ASCII text s of len units, read from its bytes in ASCII: the same
 * passes, the masks found by scanMaskUnits, the tokens by pushPieceAscii.
 */
function tokenHashesAscii(s: string, len: number): number {
  const B = ASCII;
  let n = 0;
  let i = 0;
  while (i < len && n < CAP) {
    let c = B[i]!;
    if (ASCII_WHITE[c] === 1) {
      i++;
      continue;
    }
    // One pass over the white-space token: its runs of letters hashed as tokens (what a token without
    // a digit, - : / \ @ or < is: its own masked text), and the other units' bits (UNIT_BITS, and
    // A_LT for '<'), so a token that needs more is dispatched without being read again.
    const a = i;
    const n0 = n;
    let full = false;
    let bits = 0;
    let others = 0; // units other than digits and '.'
    let dots = 0;
    for (;;) {
      const k = ASCII_CLASS[c]!;
      if (k === A_LETTER) {
        // A run of ASCII letters, lower-cased, hashed alone (h) and after the previous token and " " (hb).
        let h = Math.imul(FNV_OFFSET ^ (c | 32), FNV_PRIME);
        let hb = n > 0 ? Math.imul(Math.imul(UNI[n - 1]! ^ 32, FNV_PRIME) ^ (c | 32), FNV_PRIME) : Math.imul(c | 32, FNV_PRIME);
        others++;
        while (++i < len) {
          c = B[i]!;
          if (ASCII_CLASS[c] !== A_LETTER) break;
          const l = c | 32;
          h = Math.imul(h ^ l, FNV_PRIME);
          hb = Math.imul(hb ^ l, FNV_PRIME);
        }
        if (n < CAP) {
          if (n > 0) BI[n - 1] = hb;
          UNI[n++] = h;
        } else full = true;
        if (i === len) break;
        continue;
      }
      if (k === A_WHITE) break;
      bits |= k;
      if (k === B_DOT) dots++;
      else if (k !== B_DIGIT) others++;
      if (++i === len) break;
      c = B[i]!;
    }
    if ((bits & (MASKABLE | A_LT)) === 0) {
      // letters and separators only: the tokens pushed are the token's
      if (full) return CAP;
      continue;
    }
    n = n0;
    if ((bits & MASKABLE) === 0) n = pushPieceAscii(B, a, i, n);
    else if (others === 0 && (dots === 0 || (dots === 1 && B[a] !== 46 && B[i - 1] !== 46))) n = pushPlaceholder(NUM_INDEX, n);
    else n = pushMaskedToken(s, B, a, i, bits, n);
  }
  return n;
}

/** {@link ASCII_CLASS} of a letter and of white space; other units have their UNIT_BITS, and '<' A_LT. */
const A_LETTER = 128;
const A_WHITE = 129;
const A_LT = 64;
/** Per ASCII unit for {@link tokenHashesAscii}: A_LETTER (A-Z, a-z), A_WHITE (`\s`), else UNIT_BITS (| A_LT for '<'). */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  ASCII_CLASS[c] = letter ? A_LETTER : ASCII_WHITE[c] === 1 ? A_WHITE : UNIT_BITS[c]! | (c === 60 ? A_LT : 0);
}

/** {@link pushPiece} for the piece B[a, b) of an ASCII text's bytes. */
function pushPieceAscii(B: Uint8Array, a: number, b: number, n: number): number {
  let i = a;
  while (i < b && n < CAP) {
    const c = B[i]!;
    if (ASCII_ALNUM[c] === 1) {
      let h = FNV_OFFSET;
      let hb = n > 0 ? Math.imul(UNI[n - 1]! ^ 32, FNV_PRIME) : 0;
      let u = c;
      for (;;) {
        if (u <= 90 && u >= 65) u += 32;
        h = Math.imul(h ^ u, FNV_PRIME);
        hb = Math.imul(hb ^ u, FNV_PRIME);
        if (++i === b) break;
        u = B[i]!;
        if (ASCII_ALNUM[u] === 0) break;
      }
      if (n > 0) BI[n - 1] = hb;
      UNI[n++] = h;
      continue;
    }
    if (c === 60 /* < */) {
      let j = i + 1;
      while (j < b) {
        const d = B[j]!;
        if (d >= 65 && d <= 90) j++;
        else break;
      }
      if (j > i + 1 && j < b && B[j] === 62 /* > */) {
        let h = FNV_OFFSET;
        let hb = bigramStart(n);
        for (let k = i; k <= j; k++) {
          const u = B[k]!;
          h = Math.imul(h ^ u, FNV_PRIME);
          hb = Math.imul(hb ^ u, FNV_PRIME);
        }
        if (n > 0) BI[n - 1] = hb;
        UNI[n++] = h;
        i = j + 1;
        continue;
      }
    }
    i++;
  }
  return n;
}

/** The tokens of the text s of len units (at most MAX_TEMPLATE_INPUT) as hashes: see {@link tokenHashes}. */
function tokenHashesString(s: string, len: number): number {
  let n = 0;
  let i = 0;
  while (i < len && n < CAP) {
    let c = s.charCodeAt(i);
    if (c < 128 ? ASCII_WHITE[c] === 1 : isWhiteSpace(c)) {
      i++;
      continue;
    }
    const a = i;
    // The common token first: ASCII letters and separators only (no digit, none of - : / \ @ <, nothing
    // beyond ASCII), which is its own masked text: hashed in the same pass. Anything else undoes the
    // token's tokens (n back to n0) and takes the general path below.
    const n0 = n;
    let full = false;
    let plain = true;
    for (;;) {
      const t = c < 128 ? PLAIN[c]! : P_OTHER;
      if (t === P_LETTER) {
        // A run of ASCII letters, lower-cased, hashed alone (h) and after the previous token and " " (hb).
        let h = Math.imul(FNV_OFFSET ^ (c | 32), FNV_PRIME);
        let hb = n > 0 ? Math.imul(Math.imul(UNI[n - 1]! ^ 32, FNV_PRIME) ^ (c | 32), FNV_PRIME) : Math.imul(c | 32, FNV_PRIME);
        while (++i < len) {
          c = s.charCodeAt(i);
          if (c >= 128 || PLAIN[c] !== P_LETTER) break;
          const l = c | 32;
          h = Math.imul(h ^ l, FNV_PRIME);
          hb = Math.imul(hb ^ l, FNV_PRIME);
        }
        if (n < CAP) {
          if (n > 0) BI[n - 1] = hb;
          UNI[n++] = h;
        } else full = true;
        if (i === len) break;
        continue;
      }
      if (t === P_OTHER) {
        plain = false;
        break;
      }
      if (t === P_WHITE || ++i === len) break;
      c = s.charCodeAt(i);
    }
    if (plain) {
      if (full) return CAP;
      continue;
    }
    n = n0;
    i = a;
    c = s.charCodeAt(i);
    let bits = 0;
    let others = 0; // units other than digits and '.'
    let dots = 0;
    for (;;) {
      if (c < 128) {
        const k = UNIT_BITS[c]!;
        bits |= k;
        if (k === B_DOT) dots++;
        else if (k !== B_DIGIT) others++;
      } else others++;
      if (++i === len) break;
      c = s.charCodeAt(i);
      if (c < 128 ? ASCII_WHITE[c] === 1 : isWhiteSpace(c)) break;
    }
    if ((bits & MASKABLE) === 0) n = pushPiece(s, a, i, n);
    else if (others === 0 && (dots === 0 || (dots === 1 && s.charCodeAt(a) !== 46 && s.charCodeAt(i - 1) !== 46))) n = pushPlaceholder(NUM_INDEX, n);
    else n = pushMaskedToken(s, null, a, i, bits, n);
  }
  return n;
}
const NUM_INDEX = MASK_TOKENS.indexOf('<NUM>');

/**
 * The tokens of the token s[a, i) whose mask is more than `<NUM>` (bits: its character bits, see
 * classifyToken): the regular expression's mask for URLs, e-mails, paths and IPv6, else the scanners'
 * matches as placeholders with the pieces between them. B: the text's bytes when the text is ASCII (read
 * from them, see tokenHashesAscii), null to read s itself (tokenHashesString).
 */
function pushMaskedToken(s: string, B: Uint8Array | null, a: number, i: number, bits: number, n: number): number {
  if (B ? needsRegexUnits(B, a, i, bits) : needsRegex(s, a, i, bits)) {
    const masked = maskTokenByRegex(s.slice(a, i), bits & 63);
    return pushPiece(masked, 0, masked.length, n);
  }
  const m = B ? scanMaskUnits(B, a, i) : scanMasks(s, a, i);
  let at = a;
  for (let k = 0; k < m && n < CAP; k++) {
    const start = MASK_MATCHES[3 * k]!;
    if (start > at) n = B ? pushPieceAscii(B, at, start, n) : pushPiece(s, at, start, n);
    if (n < CAP) n = pushPlaceholder(MASK_MATCHES[3 * k + 2]!, n);
    at = MASK_MATCHES[3 * k + 1]!;
  }
  if (at < i) n = B ? pushPieceAscii(B, at, i, n) : pushPiece(s, at, i, n);
  return n;
}

/** Up to this many buckets, terms are summed per bucket and the touched buckets found by a bitmap; above, by sorting. */
const BITMAP_BUCKETS = 16384;
/**
 * Scratch of {@link accumulateByBitmap} (all zero between calls): the sums per bucket (whole numbers of
 * magnitude at most TEXT_NON_ZERO_WIDTH = 127, so 8 bits: a small array stays in cache), the touched
 * buckets (one bit each) and the touched words of that bitmap (one bit per word).
 */
const BUCKET_SUMS = new Int8Array(BITMAP_BUCKETS);
const TOUCHED = new Int32Array(BITMAP_BUCKETS / 32);
const TOUCHED_WORDS = new Int32Array(BITMAP_BUCKETS / 1024);

/**
 * The n tokens' and n − 1 bigrams' signed counts per bucket (UNI / BI hashes), l2-normalised, written at
 * cols/values[at …] in ascending bucket order; returns the end. `buckets` is a whole number in
 * 1 … BITMAP_BUCKETS. Counts are whole numbers, so their sums, and the sum of their squares (kept as
 * they change: (v ± 1)² − v² = ±2v + 1), do not depend on the order they are added in: the same values
 * as {@link accumulateBySort} followed by the normalisation of {@link encodeTextInto}.
 */
function accumulateByBitmap(n: number, buckets: number, cols: Int32Array, values: Float64Array, at: number): number {
  const sums = BUCKET_SUMS;
  const touched = TOUCHED;
  const words = TOUCHED_WORDS;
  // Unsigned 32-bit operands, so g % b is an integer division (a double's % is a library call); a
  // power of two is a mask.
  const b = buckets >>> 0;
  const mask = (b & (b - 1)) === 0 ? b - 1 : -1;
  // The tokens' hashes, then the bigrams'; each term adds its sign s = ±1 to its bucket's sum v, and
  // (v + s)² − v² = 2sv + 1 to the squared norm: no branch on the sign (a coin flip per term).
  let sq = 0;
  const T = 2 * n - 1;
  for (let t = 0; t < T; t++) {
    let h = t < n ? UNI[t]! : BI[t - n]!;
    // mix32, inlined
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const g = h >>> 0;
    const bucket = mask >= 0 ? g & mask : g % b;
    const sign = 1 - 2 * (g >>> 31);
    const v = sums[bucket]!;
    sums[bucket] = v + sign;
    sq += 2 * sign * v + 1;
    const w = bucket >>> 5;
    touched[w] = touched[w]! | (1 << (bucket & 31));
    words[w >>> 5] = words[w >>> 5]! | (1 << (w & 31));
  }
  // (a text has 2n − 1 terms, an odd number, so some sum is odd and sq > 0)
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 1;
  let m = at;
  for (let ww = 0; ww < words.length; ww++) {
    let summary = words[ww]!;
    if (summary === 0) continue;
    words[ww] = 0;
    while (summary !== 0) {
      const w = (ww << 5) | (31 - Math.clz32(summary & -summary));
      summary &= summary - 1;
      let word = touched[w]!;
      touched[w] = 0;
      while (word !== 0) {
        const bucket = (w << 5) | (31 - Math.clz32(word & -word));
        word &= word - 1;
        cols[m] = bucket;
        values[m++] = sums[bucket]! * inv;
        sums[bucket] = 0;
      }
    }
  }
  return m;
}

/** {@link accumulateByBitmap} for any number of buckets: the terms' keys (bucket·2 + sign bit) sorted, equal buckets summed. */
function accumulateBySort(n: number, buckets: number, cols: Int32Array, values: Float64Array, at: number): number {
  // Each term as bucket·2 + (sign > 0), sorted, so equal buckets are neighbours (scratch arrays: at
  // most 2·CAP − 1 terms; keys are below 2·buckets, whole numbers exact in a double).
  const T = 2 * n - 1;
  const keys = KEYS;
  for (let i = 0; i < n; i++) keys[i] = termKey(UNI[i]!, buckets);
  for (let i = 0; i + 1 < n; i++) keys[n + i] = termKey(BI[i]!, buckets);
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
  let m = at - 1;
  for (let k = 0; k < T; k++) {
    const key = keys[k]!;
    const bucket = Math.floor(key / 2);
    if (m < at || cols[m] !== bucket) {
      cols[++m] = bucket;
      values[m] = 0;
    }
    values[m] = values[m]! + (key - bucket * 2 === 1 ? 1 : -1);
  }
  return m + 1;
}

/** A term's sort key from its FNV-1a hash: bucket·2 + 1 for sign +1, bucket·2 for sign −1 (see {@link termHash}). */
function termKey(hash: number, buckets: number): number {
  const g = mix32(hash);
  return (g % buckets) * 2 + (g >>> 31 === 1 ? 0 : 1);
}

/** Scratch of {@link encodeText} (single-threaded: never live across two calls). */
const KEYS = new Float64Array(TEXT_NON_ZERO_WIDTH);
const COLS = new Int32Array(TEXT_NON_ZERO_WIDTH);
const SUMS = new Float64Array(TEXT_NON_ZERO_WIDTH);
