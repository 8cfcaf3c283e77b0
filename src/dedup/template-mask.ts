/*
 * Drain-style masking of free text: variable tokens become placeholders, so messages that differ
 * only in numbers, addresses or ids share one template ("disk /var/log at 91% on 10.0.0.7" and
 * "disk /data at 97% on 10.0.0.9" → "disk <PATH> at <NUM> on <IP>").
 *
 * One left-to-right pass of one regular expression; at each position the first kind below that
 * matches wins. Tokens are delimited like Drain3's default masks: a token must not be glued to a
 * letter or digit on either side ("user17" and "v1.2" stay as they are, "srv-03" → "srv-<NUM>").
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

const PARTS: Array<[MaskToken | ' ', string]> = [
  ['<URL>', `${NB}[A-Za-z][A-Za-z0-9+.\\-]*://[^\\s"'<>()\\[\\]{}]*[^\\s"'<>()\\[\\]{}.,;:!?]`],
  ['<EMAIL>', `(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+`],
  [
    '<TS>',
    `${NB}(?:\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?` +
      `|\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?)${NA}`,
  ],
  [
    '<PATH>',
    `(?<![A-Za-z0-9_.~/\\-])(?:~|\\.{1,2})?(?:/[A-Za-z0-9_.@%+=,~\\-]+)+/?` +
      `|${NB}[A-Za-z]:\\\\(?:[^\\\\\\s:*?"<>|]+\\\\)*[^\\\\\\s:*?"<>|]*`,
  ],
  ['<UUID>', `${NB}${H}{8}-${H}{4}-${H}{4}-${H}{4}-${H}{12}${NA}`],
  ['<MAC>', `(?<![A-Za-z0-9:\\-])(?:${H}{2}(?::${H}{2}){5}|${H}{2}(?:-${H}{2}){5})(?![A-Za-z0-9:\\-])`],
  ['<IP>', `(?<![A-Za-z0-9:.])(?:${IPV6})(?:%[0-9A-Za-z]+)?(?![A-Za-z0-9:]|\\.\\d)|(?<![A-Za-z0-9.])${IPV4}(?![A-Za-z0-9]|\\.\\d)`],
  ['<HEX>', `${NB}(?:0[xX]${H}+|(?=${H}*[A-Fa-f])(?=${H}*\\d)${H}{8,})${NA}`],
  [
    '<NUM>',
    `(?<![A-Za-z0-9.])[-+]?(?:\\d+(?:\\.\\d+)*|\\.\\d+)(?:[eE][-+]?\\d+)?(?:[A-Za-z%°µ]{1,4})?${NA}`,
  ],
  [' ', `\\s+`],
];

const MASK_RE = new RegExp(PARTS.map(([, re]) => `(${re})`).join('|'), 'g');
const TOKENS = PARTS.map(([t]) => t);

function replacer(match: string, ...groups: unknown[]): string {
  for (let i = 0; i < TOKENS.length; i++) {
    if (groups[i] !== undefined) return TOKENS[i];
  }
  return match;
}

/**
 * The template of a free-text message: variable tokens replaced by placeholders
 * ({@link MASK_TOKENS}), runs of white space collapsed to one space, ends trimmed.
 */
export function maskTemplate(text: string): string {
  const s = text.length > MAX_TEMPLATE_INPUT ? text.slice(0, MAX_TEMPLATE_INPUT) : text;
  return s.replace(MASK_RE, replacer).trim();
}
