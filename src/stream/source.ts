import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Row, Schema } from '../types';
import { batchesOfAsync } from './batches';
import { readCsv } from './read-csv';
import { readJsonArray } from './read-json-array';
import { readJsonl, readJsonlBatches, type ReadOptions } from './read-jsonl';
import { validateRow, type Validated } from './validate';

export type { ReadOptions } from './read-jsonl';
export type { Validated } from './validate';

/** The input cannot be read at all (missing file, unknown extension). Records never throw this. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** Source formats, chosen from the file name. */
export type SourceFormat = 'jsonl' | 'json' | 'csv';

/**
 * The format of an input path: `.jsonl`/`.ndjson` → jsonl, `.json` → json (a top-level array),
 * `.csv` → csv; each optionally followed by `.gz` (gunzipped on the fly); `-` → jsonl on stdin.
 * Case-insensitive. Anything else → null.
 */
export function formatOf(input: string): { format: SourceFormat; gzip: boolean } | null {
  if (input === '-') return { format: 'jsonl', gzip: false };
  let name = input.toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return { format: 'jsonl', gzip };
  if (name.endsWith('.json')) return { format: 'json', gzip };
  if (name.endsWith('.csv')) return { format: 'csv', gzip };
  return null;
}

/**
 * Open a stream source: a file path or `-` (JSON Lines on stdin). Every record comes out validated
 * against `schema` — `{ record }` or `{ rejected }`, in source order — so `accepted + rejected` is the
 * number of non-blank lines (JSONL, CSV data rows) or array elements (JSON). Files are streamed: memory
 * stays bounded by `maxRecordBytes` whatever the file size. See readJsonl / readJsonArray / readCsv for
 * each format's rules and src/stream/validate.ts for validation and repairs.
 * Throws {@link SourceError} at once for a missing/unreadable path or an unknown extension; during
 * iteration, a file that is not a JSON array (`.json`) or has a broken CSV header throws.
 */
export function openSource(input: string, schema: Schema, options: ReadOptions = {}): AsyncIterable<Validated> {
  return readStream(openBytes(input), formatOf(input)!.format, schema, options);
}

/**
 * Like {@link openSource}, in batches of consecutive records (JSON Lines: the records of each chunk
 * read, one await per chunk; the other formats: up to 256 records), for pipelines that must not pay
 * an await per record.
 */
export function openSourceBatches(input: string, schema: Schema, options: ReadOptions = {}): AsyncIterable<Validated[]> {
  const stream = openBytes(input);
  const format = formatOf(input)!.format;
  return format === 'jsonl' ? readJsonlBatches(stream, schema, options) : batchesOfAsync(readStream(stream, format, schema, options), 256);
}

/** The bytes of a path (gunzipped when it ends in .gz) or of stdin for `-`; throws SourceError at once when unreadable. */
function openBytes(input: string): AsyncIterable<Buffer | string> {
  const fmt = formatOf(input);
  if (!fmt) throw new SourceError(`${input}: unknown input format (use .jsonl, .ndjson, .json, .csv, optionally .gz, or - for JSON Lines on stdin)`);
  let stream: AsyncIterable<Buffer | string>;
  if (input === '-') {
    stream = process.stdin;
  } else {
    try {
      const st = statSync(input);
      if (!st.isFile()) throw new SourceError(`${input}: not a regular file`);
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(`cannot read input ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const file = createReadStream(input, { highWaterMark: 1 << 16 });
    stream = fmt.gzip ? file.pipe(createGunzip()) : file;
  }
  return stream;
}

/** Read an already-open byte stream in a given format (for tests, sockets, custom transports). */
export function readStream(stream: AsyncIterable<Buffer | string>, format: SourceFormat, schema: Schema, options: ReadOptions = {}): AsyncIterable<Validated> {
  switch (format) {
    case 'jsonl': return readJsonl(stream, schema, options);
    case 'json': return readJsonArray(stream, schema, options);
    case 'csv': return readCsv(stream, schema, options);
  }
}

/**
 * In-memory rows (e.g. the generator's events) through the same validation, synchronously.
 * Line numbers are 1-based positions. Rows are read, never changed: accepted records hold copies of the
 * named fields only.
 */
export function* recordsFromEvents(events: Iterable<Row>, schema: Schema): Generator<Validated> {
  let line = 0;
  for (const e of events) yield validateRow(e, ++line, schema);
}
