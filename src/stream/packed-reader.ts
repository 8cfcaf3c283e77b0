/**
 * A JSON Lines or CSV file straight to {@link PackedBatch}es, what the parser thread posts
 * (src/stream/jsonl-parse-worker.ts): the records and rejects of readJsonlBatches / readCsvBatches, in
 * the same order and batches (one per chunk read), packed as RecordPacker packs them — but most
 * records go into the batch's columns without a record object (JSONL: JsonlScanner, the lines it
 * declines going through JSON.parse and validateRow as in readJsonlBatches; CSV: csvPackedRows, from
 * each row's cells, the rows it declines going through the row object and validateRow).
 */
import type { Schema } from '../types';
import { JsonlScanner } from './jsonl-scan';
import { openBytes } from './open-bytes';
import { PackedBuilder } from './packed-builder';
import type { PackedBatch } from './packed-records';
import { csvPackedRows } from './csv-packed-row';
import { csvParser } from './read-csv';
import { parseLine, type ReadOptions } from './read-jsonl';
import { LineSplitter, type RawLine } from './read-lines';

/** The packed batches of a byte stream in `format` (see above). */
export async function* packedBatchesOf(stream: AsyncIterable<Buffer | string>, format: 'jsonl' | 'csv', schema: Schema, options: ReadOptions = {}): AsyncGenerator<PackedBatch> {
  const builder = new PackedBuilder(schema);
  if (format === 'csv') {
    const parser = csvParser(schema, options, { header: (header) => csvPackedRows(schema, header, builder), item: (v) => builder.add(v) });
    for await (const chunk of stream) {
      parser.push(chunk);
      if (builder.size > 0) yield builder.take();
    }
    parser.end();
    if (builder.size > 0) yield builder.take();
    return;
  }
  const max = options.maxRecordBytes ?? 65536;
  const splitter = new LineSplitter(max);
  const scanner = new JsonlScanner(schema);
  const emit = (l: RawLine): void => {
    const v = parseLine(l, schema, max);
    if (v !== null) builder.add(v);
  };
  const scan = (chunk: Buffer, start: number, end: number, text: string, off: number, line: number): boolean => scanner.scan(chunk, start, end, text, off, line, builder);
  for await (const chunk of stream) {
    splitter.pushScanning(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, scan, emit);
    if (builder.size > 0) yield builder.take();
  }
  splitter.end(emit);
  if (builder.size > 0) yield builder.take();
}

/** {@link packedBatchesOf} a file (optionally .gz; see openBytes). */
export function packedBatches(input: string, format: 'jsonl' | 'csv', schema: Schema, options: ReadOptions = {}): AsyncGenerator<PackedBatch> {
  return packedBatchesOf(openBytes(input), format, schema, options);
}
