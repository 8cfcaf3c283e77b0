/*
 * Drain-style masking of free text: variable tokens become placeholders, so messages that differ
 * only in numbers, addresses or ids share one template ("disk /var/log at 91% on 10.0.0.7" and
 * "disk /data at 97% on 10.0.0.9" → "disk <PATH> at <NUM> on <IP>").
 *
 * The text is split on white space; in each token, one left-to-right pass of one regular expression
 * replaces variable parts, the first kind below that matches at a position winning (kinds the token's
 * characters rule out are left out of the expression). Hex ids need 7+ hex digits with at least one
 * digit and one letter (a git short sha; "deadbeef" stays a word). Tokens are delimited like Drain3's
 * default masks: a token must not be glued to a letter or digit on either side ("user17" and "v1.2"
 * stay as they are, "srv-03" → "srv-<NUM>", "worker_12" → "worker_<NUM>").
 */

/** Placeholders, in the order they are tried. */
export const MASK_TOKENS = [
  '<URL>', '<EMAIL>', '<TS>', '<PATH>', '<UUID>', '<MAC>', '<IP>', '<HEX>', '<NUM>',
] as const;
export type MaskToken = (typeof MASK_TOKENS)[number];

/** Longer texts are cut to this many characters before masking (templates stay small). */
export const MAX_TEMPLATE_INPUT = 4096;

const H = '[0-9A-Fa-f]';
const NB = '(?<![A-Za-z0-9])'; // not glued to an alphanumeric on the left
const NA = '(?![A-Za-z0-9])'; // … nor on the right
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H4 = `${H}{1,4}`;
const IPV6 = [
  `(?:${H4}:){7}${H4}`,
  `(?:${H4}:){6}${IPV4}`,
  `(?:${H4}:){1,5}:(?:${H4}:){0,4}${IPV4}`,
  `::(?:${H4}:){0,5}${IPV4}`,
  `(?:${H4}:){1,6}:${H4}`,
  `(?:${H4}:){1,5}(?::${H4}){1,2}`,
  `(?:${H4}:){1,4}(?::${H4}){1,3}`,
  `(?:${H4}:){1,3}(?::${H4}){1,4}`,
  `(?:${H4}:){1,2}(?::${H4}){1,5}`,
  `${H4}:(?::${H4}){1,6}`,
  `:(?::${H4}){1,7}`,
  `(?:${H4}:){1,7}:`,
  `::`,
].join('|');

// Which characters a token holds (one pass over it) decides which kinds can match in it.
const D = 1; // a digit
const DASH = 2;
const COLON = 4;
const DOT = 8;
const SLASH = 16; // '/' or '\'
const AT = 32;

/** The kinds in priority order: placeholder, pattern, and whether a token with these characters can hold one. */
const KINDS: Array<[MaskToken, string, (bits: number) => boolean]> = [
  ['<URL>', `${NB}[A-Za-z][A-Za-z0-9+.\\-]*://[^\\s"'<>()\\[\\]{}]*[^\\s"'<>()\\[\\]{}.,;:!?]`, (b) => (b & COLON) !== 0 && (b & SLASH) !== 0],
  ['<EMAIL>', `(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+`, (b) => (b & AT) !== 0],
  [
    '<TS>',
    `${NB}(?:\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?` +
      `|\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?)${NA}`,
    (b) => (b & D) !== 0 && (b & (DASH | COLON)) !== 0,
  ],
  [
    '<PATH>',
    `(?<![A-Za-z0-9_.~/\\-])(?:~|\\.{1,2})?(?:/[A-Za-z0-9_.@%+=,~\\-]+)+/?` +
      `|${NB}[A-Za-z]:\\\\(?:[^\\\\\\s:*?"<>|]+\\\\)*[^\\\\\\s:*?"<>|]*`,
    (b) => (b & SLASH) !== 0,
  ],
  ['<UUID>', `${NB}${H}{8}-${H}{4}-${H}{4}-${H}{4}-${H}{12}${NA}`, (b) => (b & DASH) !== 0],
  ['<MAC>', `(?<![A-Za-z0-9:\\-])(?:${H}{2}(?::${H}{2}){5}|${H}{2}(?:-${H}{2}){5})(?![A-Za-z0-9:\\-])`, (b) => (b & (COLON | DASH)) !== 0],
  ['<IP>', `(?<![A-Za-z0-9:.])(?:${IPV6})(?:%[0-9A-Za-z]+)?(?![A-Za-z0-9:]|\\.\\d)`, (b) => (b & COLON) !== 0],
  ['<IP>', `(?<![A-Za-z0-9.])${IPV4}(?![A-Za-z0-9]|\\.\\d)`, (b) => (b & D) !== 0 && (b & DOT) !== 0],
  ['<HEX>', `${NB}(?:0[xX]${H}+|(?=${H}*[A-Fa-f])(?=${H}*\\d)${H}{7,})${NA}`, (b) => (b & D) !== 0],
  ['<NUM>', `(?<![A-Za-z0-9.])[-+]?(?:\\d+(?:\\.\\d+)*|\\.\\d+)(?:[eE][-+]?\\d+)?(?:[A-Za-z%°µ]{1,4})?${NA}`, (b) => (b & D) !== 0],
];

/** A token needs the regular expression only if it holds one of these. */
const ANY = D | DASH | COLON | SLASH | AT;

type Masker = (token: string) => string;
/** One masker per character set, built on first use: one regex of the kinds possible for it. */
const MASKERS: Array<Masker | undefined> = new Array(64);

function masker(bits: number): Masker {
  let m = MASKERS[bits];
  if (m === undefined) {
    const kinds = KINDS.filter(([, , can]) => can(bits));
    const re = new RegExp(kinds.map(([, src]) => `(${src})`).join('|'), 'g');
    const tokens = kinds.map(([t]) => t);
    const n = tokens.length;
    const replace = function (match: string): string {
      for (let i = 1; i <= n; i++) {
        // eslint-disable-next-line prefer-rest-params
        if (arguments[i] !== undefined) return tokens[i - 1];
      }
      return match;
    };
    m = (token: string): string => token.replace(re, replace);
    MASKERS[bits] = m;
  }
  return m;
}

/** Memo of masked tokens that needed a regex (identifiers like "10.0.0.7:8080" recur); cleared when full. */
const MEMO = new Map<string, string>();
const MEMO_MAX = 20_000;

/**
 * A token's mask by the regular expression of its kinds (memoised). For tokens holding a `:`, `/`, `\`
 * or `@`; the others are masked by {@link scanMasks}, which gives the same matches without a regex.
 */
export function maskTokenByRegex(tok: string, bits: number): string {
  let m = MEMO.get(tok);
  if (m === undefined) {
    m = masker(bits)(tok);
    if (MEMO.size >= MEMO_MAX) MEMO.clear();
    MEMO.set(tok, m);
  }
  return m;
}

/** Set in {@link classifyToken}'s result for a token that is a number by itself ("42", "0.93"): its mask is `<NUM>`. */
export const PLAIN_NUMBER = 64;
/** A token with one of these needs {@link maskTokenByRegex} (URLs, e-mails, paths); see {@link needsRegex}. */
const REGEX_ONLY = SLASH | AT;
/** A token without any of these is kept as it is. */
export const MASKABLE = ANY;

/**
 * The character bits of the token s[a, b) (digit, `-`, `:`, `.`, `/` or `\`, `@`), plus
 * {@link PLAIN_NUMBER} when it is digits with at most one inner dot.
 */
export function classifyToken(s: string, a: number, b: number): number {
  let bits = 0;
  let others = 0; // characters other than digits and '.'
  let dots = 0;
  for (let j = a; j < b; j++) {
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      bits |= D;
    } else if (c === 46) {
      bits |= DOT;
      dots++;
    } else {
      others++;
      if (c === 45) bits |= DASH;
      else if (c === 58) bits |= COLON;
      else if (c === 47 || c === 92) bits |= SLASH;
      else if (c === 64) bits |= AT;
    }
  }
  // what NUM would match alone: digits with at most one inner dot
  if (others === 0 && (dots === 0 || (dots === 1 && s.charCodeAt(a) !== 46 && s.charCodeAt(b - 1) !== 46))) bits |= PLAIN_NUMBER;
  return bits;
}

/**
 * True when the token s[a, b) with character bits `bits` ({@link classifyToken}) is masked by the
 * regular expression ({@link maskTokenByRegex}): it holds a `/`, `\` or `@` (URLs, e-mails, paths),
 * or an IPv6 address may start in it ({@link ipv6Possible}). The others are masked by {@link scanMasks}.
 */
export function needsRegex(s: string, a: number, b: number, bits: number): boolean {
  if ((bits & REGEX_ONLY) !== 0) return true;
  if ((bits & COLON) === 0) return false;
  return ipv6Possible(tokenUnits(s, a, b), 0, b - a);
}

/** {@link needsRegex} for the token u[a, b) of units ({@link Units}). */
export function needsRegexUnits(u: Units, a: number, b: number, bits: number): boolean {
  return (bits & REGEX_ONLY) !== 0 || ((bits & COLON) !== 0 && ipv6Possible(u, a, b));
}

/**
 * A text's UTF-16 units as the scanners read them: one byte each, units above 255 as 255 (no scanner
 * looks at a unit above 127 except `°` (0xb0) and `µ` (0xb5), and 255 is neither), so a scanner
 * reads a typed array rather than a string (each read of a string checks its representation).
 */
export type Units = Uint8Array;

/** Scratch of {@link tokenUnits}. */
let TOKEN_UNITS = new Uint8Array(256);

/** The units of s[a, b) at TOKEN_UNITS[0, b − a) (see {@link Units}). */
function tokenUnits(s: string, a: number, b: number): Units {
  if (b - a > TOKEN_UNITS.length) TOKEN_UNITS = new Uint8Array(2 * (b - a));
  const u = TOKEN_UNITS;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    u[i - a] = c > 255 ? 255 : c;
  }
  return u;
}

/**
 * False when no IPv6 match can start in the token s[a, b). Every IPv6 alternative starts, after its
 * look-behind (?<![A-Za-z0-9:.]), with `H{1,4}:` followed by a hex digit or `:` (the start being a
 * whole hex run: a hex digit before it is alphanumeric), or with `::`. True when some `:` has such a
 * start before it (a conservative test: the regex decides those tokens).
 */
function ipv6Possible(s: Units, a: number, b: number): boolean {
  for (let c = a; c < b; c++) {
    if (s[c]! !== 58) continue;
    const next = c + 1 < b ? s[c + 1]! : -1;
    if (next === 58 && (c === a || !ipv6Before(s[c - 1]!))) return true; // "::"
    if (next !== 58 && !(next >= 0 && isHex(next))) continue;
    let p = c;
    while (p > a && c - p < 5 && isHex(s[p - 1]!)) p--;
    if (p < c && c - p <= 4 && (p === a || !ipv6Before(s[p - 1]!))) return true;
  }
  return false;
}

/** [A-Za-z0-9:.]: what IPv6's look-behind refuses before a match. */
function ipv6Before(c: number): boolean {
  return isAlnum(c) || c === 58 || c === 46;
}

/** 1 for [0-9], 2 for [A-Fa-f], 4 for [G-Zg-z] (so alphanumeric = non-zero, hex = 1 | 2). */
const CLS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  CLS[c] = c >= 48 && c <= 57 ? 1 : (c >= 65 && c <= 70) || (c >= 97 && c <= 102) ? 2 : (c >= 71 && c <= 90) || (c >= 103 && c <= 122) ? 4 : 0;
}
function cls(c: number): number {
  return c < 128 ? CLS[c]! : 0;
}
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => (cls(c) & 3) !== 0;
const isAlnum = (c: number): boolean => cls(c) !== 0;

/** Matches found by {@link scanMasks}: start, end, index in MASK_TOKENS, three entries per match. */
export const MASK_MATCHES = new Int32Array(3 * MAX_TEMPLATE_INPUT);

// Kinds by their index in MASK_TOKENS.
const K_TS = 2;
const K_UUID = 4;
const K_MAC = 5;
const K_IP = 6;
const K_HEX = 7;
const K_NUM = 8;

/**
 * The matches of the mask in the token s[a, b) (no white space, no `/`, `\` or `@`, and no possible
 * IPv6 start: see {@link needsRegex}; so only timestamps, UUIDs, MACs, IPv4s, hex ids and numbers can
 * occur; at most MAX_TEMPLATE_INPUT units), left to right into {@link MASK_MATCHES}; returns their number. The same matches as the kinds' regular
 * expression (test/dedup/template-mask-scan.test.ts compares the two): at each position, the first
 * kind that matches there, its match being what the expression's backtracking finds first.
 */
export function scanMasks(s: string, a: number, b: number): number {
  const m = scanMaskUnits(tokenUnits(s, a, b), 0, b - a);
  const out = MASK_MATCHES;
  for (let k = 0; k < m; k++) {
    out[3 * k] += a;
    out[3 * k + 1] += a;
  }
  return m;
}

/** {@link scanMasks} on the token u[a, b) of units ({@link Units}): positions in u. */
export function scanMaskUnits(s: Units, a: number, b: number): number {
  let m = 0;
  let p = a;
  const out = MASK_MATCHES;
  while (p < b) {
    const c = s[p]!;
    const k = c < 128 ? CLS[c]! : 0;
    let end = -1;
    let kind = 0;
    if ((k & 3) !== 0 || c === 43 || c === 45 || c === 46) {
      const prev = p > a ? s[p - 1]! : 32;
      const prevAlnum = isAlnum(prev);
      if (!prevAlnum && (k & 3) !== 0) {
        // Each scanner is called only where the unit it must find next is there: a timestamp and an
        // IPv4 start with a digit, a UUID has its first `-` at p + 8, a MAC its first `:` or `-` at
        // p + 2, a hex id is `0x…` or 7+ units long (cheap tests that only skip calls returning -1).
        const c2 = p + 2 < b ? s[p + 2]! : 0;
        if (k === 1 && (end = timestampAt(s, p, b)) >= 0) kind = K_TS;
        else if (p + 8 < b && s[p + 8]! === 45 && (end = uuidAt(s, p, b)) >= 0) kind = K_UUID;
        else if ((c2 === 58 || c2 === 45) && prev !== 45 && prev !== 58 && (end = macAt(s, p, b)) >= 0) kind = K_MAC;
        else if (k === 1 && prev !== 46 && (end = ipv4At(s, p, b)) >= 0) kind = K_IP;
        else if ((p + 7 <= b || c === 48) && (end = hexAt(s, p, b)) >= 0) kind = K_HEX;
      }
      if (end < 0 && !prevAlnum && prev !== 46 && (end = numberAt(s, p, b)) >= 0) kind = K_NUM;
    }
    if (end >= 0) {
      out[3 * m] = p;
      out[3 * m + 1] = end;
      out[3 * m + 2] = kind;
      m++;
      p = end;
    } else {
      p++;
    }
  }
  return m;
}

/** (?![A-Za-z0-9]) at i of a token ending at b. */
function notAlnumAt(s: Units, i: number, b: number): boolean {
  return i >= b || !isAlnum(s[i]!);
}

/** End of the run of n characters of `test` at i (or -1 when shorter). */
function runOf(s: Units, i: number, b: number, n: number, test: (c: number) => boolean): number {
  if (i + n > b) return -1;
  for (let j = i; j < i + n; j++) if (!test(s[j]!)) return -1;
  return i + n;
}

/**
 * TS: `\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?` or
 * `\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?`, then (?![A-Za-z0-9]) (the caller checked the look-behind;
 * the expression's `[T ]` meets no space in a token). The optional parts are tried as the expression's
 * backtracking tries them: each one with before without, the fraction's digits whole (fewer leave a
 * digit next, which nothing after accepts), the zone's `:` with before without.
 */
function timestampAt(s: Units, p: number, b: number): number {
  const d = runOf(s, p, b, 4, isDigit);
  if (d >= 0 && isAt(s, d, b, 45) && runOf(s, d + 1, b, 2, isDigit) === d + 3 && isAt(s, d + 3, b, 45) && runOf(s, d + 4, b, 2, isDigit) === d + 6) {
    const date = d + 6;
    if (isAt(s, date, b, 84) && runOf(s, date + 1, b, 2, isDigit) === date + 3 && isAt(s, date + 3, b, 58) && runOf(s, date + 4, b, 2, isDigit) === date + 6) {
      const t = date + 6;
      const sec = isAt(s, t, b, 58) && runOf(s, t + 1, b, 2, isDigit) === t + 3 ? t + 3 : -1;
      const frac = sec >= 0 && (isAt(s, sec, b, 46) || isAt(s, sec, b, 44)) && sec + 1 < b && isDigit(s[sec + 1]!) ? digitsEnd(s, sec + 1, b) : -1;
      for (const x of [frac, sec, t]) {
        if (x < 0) continue;
        const end = zoneTail(s, x, b);
        if (end >= 0) return end;
      }
    }
    if (notAlnumAt(s, date, b)) return date;
  }
  for (let n = 2; n >= 1; n--) {
    if (runOf(s, p, b, n, isDigit) !== p + n || !isAt(s, p + n, b, 58) || runOf(s, p + n + 1, b, 2, isDigit) !== p + n + 3) continue;
    const t = p + n + 3;
    const sec = isAt(s, t, b, 58) && runOf(s, t + 1, b, 2, isDigit) === t + 3 ? t + 3 : -1;
    const frac = sec >= 0 && (isAt(s, sec, b, 46) || isAt(s, sec, b, 44)) && sec + 1 < b && isDigit(s[sec + 1]!) ? digitsEnd(s, sec + 1, b) : -1;
    if (frac >= 0 && notAlnumAt(s, frac, b)) return frac;
    if (sec >= 0 && notAlnumAt(s, sec, b)) return sec;
    if (notAlnumAt(s, t, b)) return t;
  }
  return -1;
}

/** True when s[i] (i < b) is the unit c. */
function isAt(s: Units, i: number, b: number, c: number): boolean {
  return i < b && s[i]! === c;
}

/** The zone `Z`, `[+-]\d{2}:\d{2}`, `[+-]\d{4}` or none (in that order) after x, then (?![A-Za-z0-9]); -1 when none fits. */
function zoneTail(s: Units, x: number, b: number): number {
  if (isAt(s, x, b, 90) && notAlnumAt(s, x + 1, b)) return x + 1;
  if ((isAt(s, x, b, 43) || isAt(s, x, b, 45)) && runOf(s, x + 1, b, 2, isDigit) === x + 3) {
    if (isAt(s, x + 3, b, 58) && runOf(s, x + 4, b, 2, isDigit) === x + 6 && notAlnumAt(s, x + 6, b)) return x + 6;
    if (runOf(s, x + 3, b, 2, isDigit) === x + 5 && notAlnumAt(s, x + 5, b)) return x + 5;
  }
  return notAlnumAt(s, x, b) ? x : -1;
}

/** `H{8}-H{4}-H{4}-H{4}-H{12}` then (?![A-Za-z0-9]). */
function uuidAt(s: Units, p: number, b: number): number {
  let i = p;
  const groups = [8, 4, 4, 4, 12];
  for (let g = 0; g < 5; g++) {
    if (g > 0) {
      if (i >= b || s[i]! !== 45) return -1;
      i++;
    }
    i = runOf(s, i, b, groups[g]!, isHex);
    if (i < 0) return -1;
  }
  return notAlnumAt(s, i, b) ? i : -1;
}

/** `H{2}(?::H{2}){5}` or `H{2}(?:-H{2}){5}` (in that order), then (?![A-Za-z0-9:\-]) (the caller checked the look-behind). */
function macAt(s: Units, p: number, b: number): number {
  for (const sep of [58, 45]) {
    let i = runOf(s, p, b, 2, isHex);
    for (let g = 0; g < 5 && i >= 0; g++) i = isAt(s, i, b, sep) ? runOf(s, i + 1, b, 2, isHex) : -1;
    if (i >= 0 && (i >= b || (!isAlnum(s[i]!) && s[i]! !== 45 && s[i]! !== 58))) return i;
  }
  return -1;
}

/** End of the digit run at i (i when there is none). */
function digitsEnd(s: Units, i: number, b: number): number {
  while (i < b && isDigit(s[i]!)) i++;
  return i;
}

/** An octet: 25[0-5] | 2[0-4]\d | 1\d\d | [1-9]?\d, as a whole digit run s[i, j). */
function octet(s: Units, i: number, j: number): boolean {
  const n = j - i;
  if (n === 1) return true;
  const c0 = s[i]!;
  if (n === 2) return c0 !== 48;
  if (n !== 3) return false;
  if (c0 === 49) return true;
  if (c0 !== 50) return false;
  const c1 = s[i + 1]!;
  return c1 < 53 || (c1 === 53 && s[i + 2]! <= 53);
}

/**
 * IPv4: four octets joined by dots, then (?![A-Za-z0-9]|\.\d) (the caller checked the look-behind).
 * Every octet is a whole digit run: a shorter one is followed by a digit, which neither `\.` nor the
 * look-ahead accepts.
 */
function ipv4At(s: Units, p: number, b: number): number {
  let i = p;
  for (let g = 0; g < 4; g++) {
    if (g > 0) {
      if (i >= b || s[i]! !== 46) return -1;
      i++;
    }
    const j = digitsEnd(s, i, b);
    if (j === i || !octet(s, i, j)) return -1;
    i = j;
  }
  if (i < b) {
    const c = s[i]!;
    if (isAlnum(c)) return -1;
    if (c === 46 && i + 1 < b && isDigit(s[i + 1]!)) return -1;
  }
  return i;
}

/**
 * HEX: `0[xX]H+` or 7+ hex digits with a letter and a digit, then (?![A-Za-z0-9]) (the caller checked
 * the look-behind). Both take the whole hex run: a shorter one is followed by a hex digit.
 */
function hexAt(s: Units, p: number, b: number): number {
  if (s[p]! === 48 && p + 2 < b && (s[p + 1]! | 32) === 120 && isHex(s[p + 2]!)) {
    let i = p + 2;
    while (i < b && isHex(s[i]!)) i++;
    if (notAlnumAt(s, i, b)) return i;
  }
  let i = p;
  let letters = 0;
  let digits = 0;
  while (i < b) {
    const k = cls(s[i]!);
    if (k === 1) digits++;
    else if (k === 2) letters++;
    else break;
    i++;
  }
  return letters > 0 && digits > 0 && i - p >= 7 && notAlnumAt(s, i, b) ? i : -1;
}

/** 1 for a unit character of NUM: [A-Za-z%°µ]. */
function isUnit(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 37 || c === 0xb0 || c === 0xb5;
}

/**
 * NUM: `[-+]?(?:\d+(?:\.\d+)*|\.\d+)(?:[eE][-+]?\d+)?(?:[A-Za-z%°µ]{1,4})?` then (?![A-Za-z0-9]) (the
 * caller checked the look-behind). Digit runs are whole (a shorter one is followed by a digit, which
 * nothing after accepts), so the backtracking is over the number of `.\d+` groups (most first), the
 * exponent (with, then without) and the unit's length (longest first, then none), in that order.
 */
function numberAt(s: Units, p: number, b: number): number {
  let q = p;
  const c0 = s[p]!;
  if (c0 === 43 || c0 === 45) q++;
  if (q >= b) return -1;
  const c = s[q]!;
  if (isDigit(c)) {
    let e = digitsEnd(s, q, b);
    // the ends after 0, 1, 2, … groups of \.\d+
    let ends = NUM_ENDS;
    let k = 0;
    ends[k++] = e;
    while (e + 1 < b && s[e]! === 46 && isDigit(s[e + 1]!)) {
      e = digitsEnd(s, e + 1, b);
      if (k === ends.length) {
        const grown = new Int32Array(2 * k);
        grown.set(ends);
        ends = NUM_ENDS = grown;
      }
      ends[k++] = e;
    }
    for (let g = k - 1; g >= 0; g--) {
      const end = numberTail(s, ends[g]!, b);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (c === 46 && q + 1 < b && isDigit(s[q + 1]!)) return numberTail(s, digitsEnd(s, q + 1, b), b);
  return -1;
}
/** Scratch of {@link numberAt} (a token of n characters has at most n / 2 + 1 groups). */
let NUM_ENDS = new Int32Array(64);

/** The exponent (with, then without), the unit (longest first, then none), then (?![A-Za-z0-9]), after the mantissa ending at i. */
function numberTail(s: Units, i: number, b: number): number {
  if (i < b && (s[i]! | 32) === 101) {
    let j = i + 1;
    if (j < b && (s[j]! === 43 || s[j]! === 45)) j++;
    if (j < b && isDigit(s[j]!)) {
      const end = unitTail(s, digitsEnd(s, j, b), b);
      if (end >= 0) return end;
    }
  }
  return unitTail(s, i, b);
}

function unitTail(s: Units, i: number, b: number): number {
  let n = 0;
  while (n < 4 && i + n < b && isUnit(s[i + n]!)) n++;
  for (let l = n; l >= 0; l--) if (notAlnumAt(s, i + l, b)) return i + l;
  return -1;
}

/** The mask of the token s[a, b) with character bits `bits` ({@link classifyToken}). */
function maskToken(s: string, a: number, b: number, bits: number): string {
  if ((bits & PLAIN_NUMBER) !== 0) return '<NUM>';
  if ((bits & ANY) === 0) return s.slice(a, b);
  if (needsRegex(s, a, b, bits)) return maskTokenByRegex(s.slice(a, b), bits & 63);
  const m = scanMasks(s, a, b);
  if (m === 0) return s.slice(a, b);
  let out = '';
  let at = a;
  for (let k = 0; k < m; k++) {
    const start = MASK_MATCHES[3 * k]!;
    if (start > at) out += s.slice(at, start);
    out += MASK_TOKENS[MASK_MATCHES[3 * k + 2]!];
    at = MASK_MATCHES[3 * k + 1]!;
  }
  return at < b ? out + s.slice(at, b) : out;
}

/** White space of `\s` by UTF-16 unit: 1 yes, 2 no, 0 not looked up yet (every `\s` character is in the BMP). */
const WHITE = new Uint8Array(65536);
const WS1 = /\s/;
/** True when the UTF-16 unit c is white space for `\s` (what `split(/\s+/)` splits on). */
export function isWhiteSpace(c: number): boolean {
  let w = WHITE[c]!;
  if (w === 0) {
    w = WS1.test(String.fromCharCode(c)) ? 1 : 2;
    WHITE[c] = w;
  }
  return w === 1;
}

/** The text cut to {@link MAX_TEMPLATE_INPUT} characters. */
export function templateInput(text: string): string {
  return text.length > MAX_TEMPLATE_INPUT ? text.slice(0, MAX_TEMPLATE_INPUT) : text;
}

/**
 * The template of a free-text message: the text is split on white space, each token's variable parts
 * are masked ({@link MASK_TOKENS}), tokens are joined by one space. A date and a time separated by a
 * space are two tokens ("<TS> <TS>"). Only the kinds a token's characters allow are tried (a token
 * without a digit or one of - : / \ @ is kept as is), so plain words cost one character scan; tokens
 * without `:`, `/`, `\` or `@` are masked by a scanner ({@link scanMasks}) rather than the regex.
 */
export function maskTemplate(text: string): string {
  const s = templateInput(text);
  const len = s.length;
  let out = '';
  let i = 0;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c < 128 ? c >= 9 && c <= 13 : isWhiteSpace(c))) {
      i++;
      continue;
    }
    const a = i;
    while (i < len) {
      const d = s.charCodeAt(i);
      if (d === 32 || (d < 128 ? d >= 9 && d <= 13 : isWhiteSpace(d))) break;
      i++;
    }
    const m = maskToken(s, a, i, classifyToken(s, a, i));
    out = out === '' ? m : out + ' ' + m;
  }
  return out;
}
