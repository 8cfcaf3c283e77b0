/*
 * Reference copy of src/dedup/template-mask.ts as of main 00b5d93 (before the hand scanner): one regular
 * expression per token. The differential tests compare the fast path against it; do not optimise it.
 */
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
const MASK_TOKENS = [
  '<URL>', '<EMAIL>', '<TS>', '<PATH>', '<UUID>', '<MAC>', '<IP>', '<HEX>', '<NUM>',
] as const;
type MaskToken = (typeof MASK_TOKENS)[number];

/** Longer texts are cut to this many characters before masking (templates stay small). */
const MAX_TEMPLATE_INPUT = 4096;

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

const WS = /\s+/;

/** Memo of masked tokens that needed a regex (identifiers like "srv-03" recur); cleared when full. */
const MEMO = new Map<string, string>();
const MEMO_MAX = 20_000;

function maskToken(tok: string): string {
  let bits = 0;
  let others = 0; // characters other than digits and '.'
  let dots = 0;
  for (let j = 0; j < tok.length; j++) {
    const c = tok.charCodeAt(j);
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
  // fast paths: "42", "0.93" (what NUM would match alone: digits with at most one inner dot)
  if (others === 0 && (dots === 0 || (dots === 1 && tok.charCodeAt(0) !== 46 && tok.charCodeAt(tok.length - 1) !== 46))) {
    return '<NUM>';
  }
  if ((bits & ANY) === 0) return tok;
  let m = MEMO.get(tok);
  if (m === undefined) {
    m = masker(bits)(tok);
    if (MEMO.size >= MEMO_MAX) MEMO.clear();
    MEMO.set(tok, m);
  }
  return m;
}

/**
 * The template of a free-text message: the text is split on white space, each token's variable parts
 * are masked ({@link MASK_TOKENS}), tokens are joined by one space. A date and a time separated by a
 * space are two tokens ("<TS> <TS>"). Only the kinds a token's characters allow are tried (a token
 * without a digit or one of - : / \ @ is kept as is), so plain words cost one character scan.
 */
export function referenceMaskTemplate(text: string): string {
  const s = text.length > MAX_TEMPLATE_INPUT ? text.slice(0, MAX_TEMPLATE_INPUT) : text;
  const tokens = s.split(WS);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === '') continue;
    const m = maskToken(tok);
    out = out === '' ? m : out + ' ' + m;
  }
  return out;
}
