import { availableParallelism } from 'node:os';
import type { Row, Schema } from '../types';
import { batchesOfAsync } from './batches';
import { checkInput, formatOf, openBytes, type SourceFormat } from './open-bytes';
import { CsvHeaderError, readCsv, readCsvBatches } from './read-csv';
import { JsonArrayError, readJsonArray } from './read-json-array';
import { readJsonl, readJsonlBatches, type ReadOptions } from './read-jsonl';
import { readJsonlParallel, type ClosableBatches } from './read-jsonl-parallel';
import { validateRow, type Validated } from './validate';

export type { ReadOptions } from './read-jsonl';
export type { Validated } from './validate';
export { SourceError, checkInput, formatOf, openBytes, type SourceFormat } from './open-bytes';

/**
 * Batches of validated records; `close`, when present, stops the work behind them (a parser thread)
 * for a caller that may not iterate to the end.
 */
export type BatchSource = AsyncIterable<Validated[]> | ClosableBatches;

/** Whether openSourceBatches reads `input` on a parser thread (see ReadOptions.parallel); false when unreadable. */
export function usesParseThread(input: string, options: ReadOptions = {}): boolean {
  try {
    return parseThreadFor(input, checkInput(input), options);
  } catch {
    return false;
  }
}

/** A JSON Lines file this large or larger is read on a parser thread (below it, starting the thread costs more than it saves). */
const JSONL_THREAD_BYTES = 4 << 20;
/** The same for CSV: its rows are shorter, so a megabyte holds more records to split and validate. */
const CSV_THREAD_BYTES = 1 << 20;

/** The parser-thread rule, on an input already checked. */
function parseThreadFor(input: string, info: ReturnType<typeof checkInput>, options: ReadOptions): boolean {
  if (input === '-' || info.format === 'json') return false;
  return options.parallel ?? (info.size >= (info.format === 'csv' ? CSV_THREAD_BYTES : JSONL_THREAD_BYTES) && availableParallelism() >= 2);
}

/**
 * Open a stream source: a file path or `-` (JSON Lines on stdin). Every record comes out validated
 * against `schema` — `{ record }` or `{ rejected }`, in source order — so `accepted + rejected` is the
 * number of non-blank lines (JSONL, CSV data rows) or array elements (JSON). Files are streamed: memory
 * stays bounded by `maxRecordBytes` whatever the file size. See readJsonl / readJsonArray / readCsv for
 * each format's rules and src/stream/validate.ts for validation and repairs.
 * Throws {@link SourceError} at once for a missing/unreadable path or an unknown extension; during
 * iteration, a SourceError naming the file for a read failure, a truncated/corrupt .gz, binary content
 * (see openBytes), a file that is not a JSON array (`.json`) or a broken CSV header.
 */
export function openSource(input: string, schema: Schema, options: ReadOptions = {}): AsyncIterable<Validated> {
  const info = checkInput(input);
  const stream = openBytes(input, info);
  if (info.format === 'jsonl') return flatten(readJsonlBatches(stream, schema, options));
  return named(input, readStream(stream, info.format, schema, options));
}

/** The records of batches. */
async function* flatten(batches: AsyncIterable<Validated[]>): AsyncGenerator<Validated> {
  for await (const batch of batches) for (let i = 0; i < batch.length; i++) yield batch[i];
}

/**
 * A reader's records with its whole-source errors (not a JSON array, a broken CSV header) prefixed by
 * the input's name; read failures (openBytes) name it already.
 */
async function* named<T>(input: string, it: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    for await (const v of it) yield v;
  } catch (err) {
    if (err instanceof JsonArrayError || err instanceof CsvHeaderError) err.message = `${input === '-' ? 'stdin' : input}: ${err.message}`;
    throw err;
  }
}

/**
 * Like {@link openSource}, in batches of consecutive records (JSON Lines: the records of each chunk
 * read, one await per chunk; CSV: the records of each chunk read; a JSON array: up to 256 records), for pipelines that must not pay
 * an await per record. JSON Lines files may be parsed on a worker thread (see ReadOptions.parallel):
 * the records are the same either way.
 */
export function openSourceBatches(input: string, schema: Schema, options: ReadOptions = {}): BatchSource {
  const info = checkInput(input);
  if (parseThreadFor(input, info, options)) return readJsonlParallel(input, schema, options, info.format === 'csv' ? 'csv' : 'jsonl');
  const { format } = info;
  const stream = openBytes(input, info);
  if (format === 'jsonl') return readJsonlBatches(stream, schema, options);
  if (format === 'csv') return named(input, readCsvBatches(stream, schema, options));
  return batchesOfAsync(named(input, readStream(stream, format, schema, options)), 256);
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
