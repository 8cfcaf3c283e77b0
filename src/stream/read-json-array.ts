import { StringDecoder } from 'node:string_decoder';
import type { Schema } from '../types';
import type { ReadOptions } from './read-jsonl';
import { validateRow, type Validated } from './validate';

/** The file is not a JSON array at top level. Thrown (the whole source is unusable), not rejected. */
export class JsonArrayError extends Error {
  override name = 'JsonArrayError';
}

const enum S { Before, Between, Element, After }

/**
 * A top-level JSON array (`[ {...}, {...} ]`, the seed's format), streamed element by element: a small
 * incremental splitter finds each element's end (tracking strings, escapes and nesting) and only that
 * element is parsed, so memory stays bounded by the record cap whatever the file size.
 * Line numbers are element index + 1. An element that is not valid JSON → rejected ("malformed JSON");
 * an element over the cap → rejected without being buffered; an empty element (`[1,,2]`) → rejected;
 * a file ending inside an element → that element rejected ("truncated"); non-blank content after the
 * closing `]` → one reject ("content after the closing ]"). A missing closing `]` is tolerated.
 * A file whose first non-blank character is not `[` throws {@link JsonArrayError}.
 */
export async function* readJsonArray(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated> {
  const max = options.maxRecordBytes ?? 65536;
  const decoder = new StringDecoder('utf8');
  let state: S = S.Before;
  let index = 0; // elements started so far
  let parts: string[] = [];
  let chars = 0;
  let overflow = false;
  let head = '';
  let depth = 0;
  let inString = false;
  let escape = false;
  let trailing = '';
  const out: Validated[] = [];

  const endElement = (): void => {
    const line = ++index;
    if (overflow) {
      out.push({ rejected: { line, reason: `record over ${max} bytes (about ${chars} characters)`, raw: head.slice(0, 1000) } });
    } else {
      const text = (parts.length === 1 ? parts[0] : parts.join('')).trim();
      if (text === '') {
        out.push({ rejected: { line, reason: 'malformed JSON: empty array element', raw: '' } });
      } else if (text.length * 3 > max && Buffer.byteLength(text) > max) {
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
    parts = [];
    chars = 0;
    overflow = false;
    head = '';
    depth = 0;
    inString = false;
    escape = false;
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

  const scan = (s: string): void => {
    let i = 0;
    const n = s.length;
    if (state === S.After && trailing !== '') {
      if (trailing.length < 1000) trailing += s.slice(0, 1000 - trailing.length);
      return;
    }
    while (i < n) {
      if (state === S.Element) {
        if (chars === 0) {
          // leading blanks are not part of the element
          while (i < n) {
            const c = s.charCodeAt(i);
            if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
            i++;
          }
          if (i === n) break;
        }
        const start = i;
        let done = false;
        let closesArray = false;
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (inString) {
            if (escape) escape = false;
            else if (c === 92 /* \ */) escape = true;
            else if (c === 34 /* " */) inString = false;
          } else if (c === 34) inString = true;
          else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
          else if (c === 125 /* } */) depth--;
          else if (c === 93 /* ] */) {
            if (depth <= 0) { done = true; closesArray = true; break; }
            depth--;
          } else if (c === 44 /* , */ && depth <= 0) { done = true; break; }
        }
        append(s, start, i);
        if (done) {
          // `[ ]` or a trailing comma before `]`: no element
          if (closesArray && !overflow && parts.every((p) => p.trim() === '')) {
            parts = [];
            chars = 0;
          } else {
            endElement();
          }
          state = closesArray ? S.After : S.Element;
          i++;
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) { i++; continue; }
      if (state === S.Before) {
        if (c !== 91 /* [ */) {
          throw new JsonArrayError(`expected a JSON array (first character "["), found "${s[i]}"; JSON Lines files should be named .jsonl`);
        }
        state = S.Element;
        i++;
        continue;
      }
      // S.After: anything non-blank is reported once, at the end of the input
      if (trailing.length < 1000) trailing += s.slice(i, i + 1000 - trailing.length);
      return;
    }
  };

  for await (const chunk of stream) {
    scan(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    for (let k = 0; k < out.length; k++) yield out[k];
    out.length = 0;
  }
  scan(decoder.end());
  if ((state as S) === S.Element && !overflow && depth <= 0 && !inString && parts.join('').trim() !== '') {
    endElement(); // a complete last element without the closing ]
  } else if ((state as S) === S.Element && (overflow || parts.join('').trim() !== '')) {
    const line = index + 1;
    const raw = overflow ? head : parts.join('').trim().slice(0, 1000);
    out.push({ rejected: { line, reason: 'truncated: end of file inside an array element', raw } });
    index++;
  }
  if (trailing !== '') out.push({ rejected: { line: index + 1, reason: 'content after the closing ]', raw: trailing.trim() } });
  for (const v of out) yield v;
}
