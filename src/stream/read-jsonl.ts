import type { Schema } from '../types';
import { readLines } from './read-lines';
import { validateRow, type Validated } from './validate';

/** Options shared by the stream readers. */
export interface ReadOptions {
  /** Records longer than this many bytes (UTF-8, without the line terminator) are rejected. Default 65536. */
  maxRecordBytes?: number;
}

/** True when a line holds only spaces/tabs (or nothing). */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

/**
 * JSON Lines: one JSON object per physical line, streamed. Line numbers are 1-based physical lines;
 * blank (whitespace-only) lines are skipped and counted nowhere (neither accepted nor rejected), but
 * still advance the line number. CRLF and a leading BOM are tolerated. Malformed JSON → rejected
 * ("malformed JSON: …"); lines over the cap → rejected ("record over N bytes") without being buffered.
 */
export async function* readJsonl(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated> {
  const max = options.maxRecordBytes ?? 65536;
  for await (const l of readLines(stream, max)) {
    if (l.text === null) {
      yield { rejected: { line: l.line, reason: `record over ${max} bytes (${l.bytes} bytes)`, raw: l.head ?? '' } };
      continue;
    }
    if (isBlank(l.text)) continue;
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch (err) {
      yield { rejected: { line: l.line, reason: `malformed JSON: ${(err as Error).message}`, raw: l.text.length > 1000 ? l.text.slice(0, 1000) : l.text } };
      continue;
    }
    yield validateRow(value, l.line, schema, l.text);
  }
}
