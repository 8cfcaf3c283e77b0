import { StringDecoder } from 'node:string_decoder';
import type { Schema } from '../types';
import type { ReadOptions } from './read-jsonl';
import { SourceError } from './open-bytes';
import { validateRow, type Validated } from './validate';

/**
 * The file is not a JSON array at top level. Thrown (the whole source is unusable), not rejected; a
 * {@link SourceError}, so the CLI prints its message (openSource prefixes the file name).
 */
export class JsonArrayError extends SourceError {
  override name = 'JsonArrayError';
}

const enum S { Before, Element, After, Resync }

/** Where the element's grammar is: what the next non-blank character may be. */
const enum G { Value, ValueOrClose, KeyOrClose, Key, Colon, After, Str, Bare }

const OBJ = 1;
const ARR = 2;

/** Blank between JSON tokens. */
const blank = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** A character of a bare token (number, true, false, null — checked by JSON.parse): not blank, not structural. */
const bare = (c: number): boolean =>
  c > 32 && c !== 34 && c !== 44 && c !== 58 && c !== 91 && c !== 93 && c !== 123 && c !== 125;

const show = (c: number): string => (c < 32 || c === 127 ? `\\u${c.toString(16).padStart(4, '0')}` : String.fromCharCode(c));

/**
 * A top-level JSON array (`[ {...}, {...} ]`, the seed's format), streamed element by element: a small
 * incremental tokenizer follows each element's structure (strings, escapes, nesting, which token may come
 * next) and only that element is parsed, so memory stays bounded by the record cap whatever the file size.
 * Line numbers are element index + 1. An element that is not valid JSON → rejected ("malformed JSON");
 * an element over the cap → rejected without being buffered; an empty element (`[1,,2]`) → rejected;
 * a file ending inside an element → that element rejected ("truncated"). A missing closing `]`, a
 * trailing comma before it and a missing comma between two elements (`} {`) are tolerated.
 *
 * Resynchronisation — one malformed element must not swallow the rest of the file. The tokenizer finds
 * an element's first structural error where it happens (a `{` where a key must come — a missing `}` —,
 * a line break or control character inside a string — an unterminated string —, a `]` or `}` that
 * closes nothing, a missing `,` or `:`, nesting deeper than the cap); that element is rejected
 * ("malformed JSON: …, N bytes skipped to the next element") and reading resumes at the **next `{`
 * that follows a `,` and is followed by `"` or `}`** (blanks between allowed; strings are not tracked
 * while skipping, the `"`/`}` rule keeps a `, {` inside a string from being taken for one). Every skipped
 * byte is counted in that reject's reason, and nothing is skipped silently. Elements whose structure is
 * sound but whose tokens are not JSON (`NaN`, `tru`, a bad escape) are rejected by JSON.parse, and the
 * next element starts after the separating comma as usual.
 * After the closing `]`, non-blank content is one reject: "stray "]": the array goes on after it" when a
 * `{` follows (after a `,` or directly), reading on from that `{`; otherwise "content after the closing
 * ]" with its size. A `,{"` inside a string of a broken element can make it two rejects instead of one.
 * A file whose first non-blank character is not `[` throws {@link JsonArrayError}.
 */
export async function* readJsonArray(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated> {
  const max = options.maxRecordBytes ?? 65536;
  const decoder = new StringDecoder('utf8');
  let state: S = S.Before;
  let index = 0; // entries (elements and rejects) so far
  let parts: string[] = [];
  let chars = 0;
  let overflow = false;
  let head = '';
  // the element's grammar
  let fresh = true; // no character of the element read yet
  let g: G = G.Value;
  let depth = 0;
  let stack = new Uint8Array(64);
  let strKey = false;
  let strAt = -1; // where the element's last string began (characters into the element)
  let rewind: string | null = null; // text to read again, before the rest of the chunk
  let rewound = 0; // characters read again since the last element that ended normally
  let escape = false;
  // resynchronisation: the pending reject and what was skipped
  let pendingLine = 0;
  let pendingReason = '';
  let pendingRaw = '';
  let afterClose = false; // the skip started after the closing ]
  let skipped = 0;
  let lastMark = 0; // the last non-blank character skipped
  let candidate = -1; // ≥ 0: a `{` seen while skipping may start the next element (bytes skipped before it)
  const out: Validated[] = [];

  const resetElement = (): void => {
    parts = [];
    chars = 0;
    overflow = false;
    head = '';
    fresh = true;
    g = G.Value;
    depth = 0;
    strKey = false;
    strAt = -1;
    escape = false;
  };

  const endElement = (): void => {
    const line = ++index;
    if (overflow) {
      out.push({ rejected: { line, reason: `record over ${max} bytes (about ${chars} characters)`, raw: head.slice(0, 1000) } });
    } else {
      const text = (parts.length === 1 ? parts[0] : parts.join('')).trim();
      if (text.length * 3 > max && Buffer.byteLength(text) > max) {
        out.push({ rejected: { line, reason: `record over ${max} bytes (${Buffer.byteLength(text)} bytes)`, raw: text.slice(0, 1000) } });
      } else {
        let value: unknown;
        let ok = true;
        try {
          value = JSON.parse(text);
        } catch (err) {
          ok = false;
          out.push({ rejected: { line, reason: `malformed JSON: ${(err as Error).message}`, raw: text.slice(0, 1000) } });
        }
        if (ok) out.push(validateRow(value, line, schema, text));
      }
    }
    rewound = 0;
    resetElement();
  };

  const append = (s: string, from: number, to: number): void => {
    if (to <= from) return;
    chars += to - from;
    if (overflow) return;
    // slack for blanks before the next comma; the exact size is checked when the element ends
    if (chars > max + 1024) {
      overflow = true;
      head = (parts.join('') + s.slice(from, Math.min(to, from + 1000))).slice(0, 1000);
      parts = [];
      return;
    }
    parts.push(s.slice(from, to));
  };

  /** Start skipping: the element so far (or the content after the closing ]) becomes one pending reject. */
  const startSkip = (reason: string, raw: string, mark: number, after: boolean): void => {
    pendingLine = ++index;
    pendingReason = reason;
    pendingRaw = raw.slice(0, 1000);
    afterClose = after;
    skipped = 0;
    lastMark = mark;
    candidate = -1;
    state = S.Resync;
  };

  const endSkip = (found: boolean): void => {
    const reason = afterClose
      ? found ? `stray "]": the array goes on after it (${skipped} bytes skipped)` : `content after the closing ] (${skipped} bytes)`
      : `${pendingReason}, ${skipped} bytes skipped to ${found ? 'the next element' : 'the end of the input'}`;
    out.push({ rejected: { line: pendingLine, reason, raw: pendingRaw } });
    resetElement();
    state = S.Element;
  };

  /** The element's structural error at s[i]: reject it and skip from s[i] on. */
  const fail = (s: string, start: number, i: number, why: string): void => {
    append(s, start, i);
    const text = overflow ? head : parts.join('');
    const where = `at character ${chars + 1} of the element`;
    // An unterminated string ends at the next quote — maybe the one after the next element's `,{`:
    // when the text since the element's last string holds `,{"`, the element is cut at that comma and
    // reading resumes at that `{`.
    // (at most 2 × the cap is read again between two elements that end normally: bounded work)
    if (!overflow && strAt >= 0 && rewound + text.length - strAt <= 2 * max) {
      const m = /,[ \t\r\n]*\{[ \t\r\n]*"/.exec(text.slice(strAt));
      if (m !== null) {
        const cut = strAt + m.index;
        out.push({ rejected: { line: ++index, reason: `malformed JSON: ${why} ${where}; the element is cut at character ${cut + 1}, where a new object seems to begin, and reading resumes there`, raw: text.slice(0, cut).trim().slice(0, 1000) } });
        rewind = text.slice(cut + 1);
        rewound += rewind.length;
        resetElement();
        return;
      }
    }
    // the last non-blank character before the error: a `,` there makes a `{` at s[i] the next element
    // (a `{` where a key must come: the `}` is missing; a line break in a string after `…",`)
    let mark = 0;
    for (let k = i - 1; k >= start && mark === 0; k--) if (!blank(s.charCodeAt(k))) mark = s.charCodeAt(k);
    for (let p = parts.length - 1; p >= 0 && mark === 0; p--) {
      const t = parts[p];
      for (let k = t.length - 1; k >= 0 && mark === 0; k--) if (!blank(t.charCodeAt(k))) mark = t.charCodeAt(k);
    }
    startSkip(`malformed JSON: ${why} ${where}${overflow ? ` (over ${max} bytes)` : ''}`, text.trim(), mark, false);
  };

  const push = (kind: number): boolean => {
    if (depth >= max) return false;
    if (depth === stack.length) {
      const bigger = new Uint8Array(Math.min(stack.length * 2, max));
      bigger.set(stack);
      stack = bigger;
    }
    stack[depth++] = kind;
    return true;
  };

  /**
   * The element from s[i] on; returns where it stopped (n at the chunk's end). Leaves state Element
   * (next element), After (the array closed) or Resync (a structural error).
   */
  const element = (s: string, i: number, n: number): number => {
    if (fresh) {
      // leading blanks are not part of the element
      while (i < n && blank(s.charCodeAt(i))) i++;
      if (i === n) return n;
      const c = s.charCodeAt(i);
      if (c === 44 /* , */) {
        out.push({ rejected: { line: ++index, reason: 'malformed JSON: empty array element', raw: '' } });
        return i + 1;
      }
      if (c === 93 /* ] */) {
        // `[ ]` or a trailing comma before `]`: no element
        state = S.After;
        return i + 1;
      }
      fresh = false;
    }
    const start = i;
    for (; i < n; i++) {
      let c = s.charCodeAt(i);
      if (g === G.Str) {
        for (; i < n; i++) {
          c = s.charCodeAt(i);
          if (escape) escape = false;
          else if (c === 92 /* \ */) escape = true;
          else if (c === 34 /* " */) break;
          if (c < 32) {
            fail(s, start, i, c === 10 || c === 13 ? 'line break inside a string (unterminated string?)' : `control character ${show(c)} inside a string`);
            return i;
          }
        }
        if (i === n) break;
        g = strKey ? G.Colon : G.After;
        continue;
      }
      if (g === G.Bare) {
        while (i < n && bare(s.charCodeAt(i))) i++;
        if (i === n) break;
        c = s.charCodeAt(i);
        g = G.After;
      }
      if (blank(c)) continue;
      switch (g) {
        case G.Value:
        case G.ValueOrClose:
          if (c === 123 /* { */) {
            if (!push(OBJ)) { fail(s, start, i, `nesting deeper than ${max} levels`); return i; }
            g = G.KeyOrClose;
          } else if (c === 91 /* [ */) {
            if (!push(ARR)) { fail(s, start, i, `nesting deeper than ${max} levels`); return i; }
            g = G.ValueOrClose;
          } else if (c === 34) {
            g = G.Str;
            strKey = false;
            strAt = chars + (i - start);
          } else if (c === 93 && g === G.ValueOrClose) {
            depth--;
            g = G.After;
          } else if (bare(c)) {
            g = G.Bare;
          } else {
            fail(s, start, i, `unexpected "${show(c)}" where a value must come`);
            return i;
          }
          continue;
        case G.KeyOrClose:
        case G.Key:
          if (c === 34) {
            g = G.Str;
            strKey = true;
            strAt = chars + (i - start);
          } else if (c === 125 /* } */ && g === G.KeyOrClose) {
            depth--;
            g = G.After;
          } else {
            fail(s, start, i, c === 123 && g === G.Key ? 'a new object where a key must come (missing "}"?)' : `unexpected "${show(c)}" where a key must come`);
            return i;
          }
          continue;
        case G.Colon:
          if (c === 58 /* : */) g = G.Value;
          else {
            fail(s, start, i, `unexpected "${show(c)}" where ":" must come`);
            return i;
          }
          continue;
        default: {
          // G.After: a value ended
          if (depth === 0) {
            if (c === 44 || c === 93) {
              append(s, start, i);
              endElement();
              if (c === 93) state = S.After;
              return i + 1;
            }
            if (c === 123) {
              // a missing comma between two elements (`}{`) is tolerated: the next one starts here
              append(s, start, i);
              endElement();
              return i;
            }
            fail(s, start, i, `unexpected "${show(c)}" after the element (missing ","?)`);
            return i;
          }
          const top = stack[depth - 1];
          if (c === 44) g = top === OBJ ? G.Key : G.Value;
          else if ((c === 125 && top === OBJ) || (c === 93 && top === ARR)) {
            depth--;
            g = G.After;
          } else {
            fail(s, start, i, `unexpected "${show(c)}" where "," or "${top === OBJ ? '}' : ']'}" must come`);
            return i;
          }
        }
      }
    }
    append(s, start, i);
    return i;
  };

  /**
   * Skipping after an error, from s[i]: up to the next `{` after a `,` (or after the stray `]`) whose next
   * non-blank character is `"` or `}` — the start of an object, not `{` inside a string of the broken
   * element. That object is then read on from the character after its `{`.
   */
  const skip = (s: string, i: number, n: number): number => {
    const from = i;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (candidate >= 0) {
        if (blank(c)) { skipped++; continue; }
        if (c === 34 || c === 125) break;
        candidate = -1;
        lastMark = 123;
      }
      skipped += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
      if (blank(c)) continue;
      if (c === 123 && (lastMark === 44 || (afterClose && lastMark === 93))) candidate = skipped - 1;
      else lastMark = c;
    }
    if (pendingRaw.length < 1000) pendingRaw += s.slice(from, Math.min(i, from + 1000 - pendingRaw.length));
    if (i < n) {
      pendingRaw = pendingRaw.replace(/\{[ \t\r\n]*$/, '').trimEnd(); // the `{` that begins the next element
      skipped = candidate;
      endSkip(true);
      // the object began at its `{`: go on inside it
      fresh = false;
      push(OBJ);
      g = G.KeyOrClose;
      parts = ['{'];
      chars = 1;
    }
    return i;
  };

  const scan = (input: string): void => {
    let s = input;
    let i = 0;
    let n = s.length;
    while (i < n) {
      if (state === S.Element) {
        i = element(s, i, n);
        if (rewind !== null) {
          s = rewind + s.slice(i);
          n = s.length;
          i = 0;
          rewind = null;
        }
        continue;
      }
      if (state === S.Resync) { i = skip(s, i, n); continue; }
      const c = s.charCodeAt(i);
      if (blank(c) || c === 0xfeff) { i++; continue; }
      if (state === S.Before) {
        if (c !== 91 /* [ */) {
          throw new JsonArrayError(`expected a JSON array (first character "["), found "${show(c)}"; JSON Lines files should be named .jsonl`);
        }
        state = S.Element;
        i++;
        continue;
      }
      // S.After: non-blank content after the closing ]
      startSkip('', '', 93, true);
    }
  };

  for await (const chunk of stream) {
    scan(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    for (let k = 0; k < out.length; k++) yield out[k];
    out.length = 0;
  }
  scan(decoder.end());
  if ((state as S) === S.Resync) {
    endSkip(false); // a `{` seen last stays counted as skipped
  } else if ((state as S) === S.Element && !fresh) {
    if (depth === 0 && ((g as G) === G.After || (g as G) === G.Bare)) {
      endElement(); // a complete last element without the closing ]
    } else {
      const raw = overflow ? head : parts.join('').trim().slice(0, 1000);
      out.push({ rejected: { line: ++index, reason: 'truncated: end of file inside an array element', raw } });
    }
  }
  for (const v of out) yield v;
}
