/**
 * Escaping for text that reaches a terminal line (event fields are data, never terminal commands).
 *
 * A raw `ESC]0;…BEL` in an event's regime would set the terminal's title, `ESC[2J` clear it, a CR or
 * LF forge a line of output, a bidi override reorder what is read. {@link escapeTerminal} writes every
 * such character as visible text: C0 controls (U+0000–U+001F, tab and line breaks included), DEL
 * (U+007F) and C1 controls (U+0080–U+009F) as `\xNN`; the line and paragraph separators (U+2028,
 * U+2029), the bidi marks, embeddings, overrides and isolates (U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069) as `\u{NNNN}`. An escape sequence loses its ESC, so what follows it is plain text.
 * Everything else (backslashes included) is kept as it is.
 */

const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Text of any value, safe on one terminal line (see the module comment). null and undefined give ''. */
export function escapeTerminal(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, visible) : text;
}

/**
 * `JSON.stringify(value)` safe to print on a terminal: JSON already escapes C0 controls, and this also
 * writes DEL, the C1 controls and the characters above as `\uNNNN` escapes (they can only occur inside
 * JSON strings, so the value parses back unchanged).
 */
export function jsonForTerminal(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'null';
  return UNSAFE_TEST.test(json) ? json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
