import type { Schema } from '../types';
import { LineSplitter, type RawLine } from './read-lines';
import { validateRow, type Validated } from './validate';

/** Options shared by the stream readers. */
export interface ReadOptions {
  /** Records longer than this many bytes (UTF-8, without the line terminator) are rejected. Default 65536. */
  maxRecordBytes?: number;
  /**
   * openSourceBatches only: read, parse and validate a JSON Lines or CSV file on a worker thread
   * (readJsonlParallel). Default: when the machine has 2 or more cores and the file holds at least
   * 4 MB (JSONL) or 1 MB (CSV; below that, starting the thread costs more than it saves). Never for
   * stdin or JSON arrays.
   */
  parallel?: boolean;
}

/** True when a line holds only spaces/tabs (or nothing). */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

/** One JSON line → a validated record or a reject (null: a blank line). */
export function parseLine(l: RawLine, schema: Schema, max: number): Validated | null {
  if (l.text === null) return { rejected: { line: l.line, reason: `record over ${max} bytes (${l.bytes} bytes)`, raw: l.head ?? '' } };
  if (isBlank(l.text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(l.text);
  } catch (err) {
    return { rejected: { line: l.line, reason: `malformed JSON: ${(err as Error).message}`, raw: l.text.length > 1000 ? l.text.slice(0, 1000) : l.text } };
  }
  return validateRow(value, l.line, schema, l.text);
}

/**
 * JSON Lines: one JSON object per physical line, streamed, in batches (the records of each chunk
 * read: one await per chunk, not per record). Line numbers are 1-based physical lines; blank
 * (whitespace-only) lines are skipped and counted nowhere (neither accepted nor rejected), but still
 * advance the line number. CRLF and a leading BOM are tolerated. Malformed JSON → rejected
 * ("malformed JSON: …"); lines over the cap → rejected ("record over N bytes") without being buffered.
 */
export async function* readJsonlBatches(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated[]> {
  const max = options.maxRecordBytes ?? 65536;
  const splitter = new LineSplitter(max);
  let batch: Validated[] = [];
  const emit = (l: RawLine): void => {
    const v = parseLine(l, schema, max);
    if (v !== null) batch.push(v);
  };
  for await (const chunk of stream) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, emit);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end(emit);
  if (batch.length > 0) yield batch;
}

/** JSON Lines record by record (see {@link readJsonlBatches} for the rules). */
export async function* readJsonl(stream: AsyncIterable<Buffer | string>, schema: Schema, options: ReadOptions = {}): AsyncGenerator<Validated> {
  for await (const batch of readJsonlBatches(stream, schema, options)) for (const v of batch) yield v;
}
