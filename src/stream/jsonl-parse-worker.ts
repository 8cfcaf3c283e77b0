/**
 * Worker of {@link readJsonlParallel}: reads, splits, parses and validates a JSON Lines or CSV file
 * straight into packed batches (packedBatchesOf: the records and rejects of readJsonlBatches /
 * readCsvBatches, most of them scanned into the columns without a record object) and posts each one
 * (src/stream/packed-records.ts). It runs at most `window` batches ahead of the consumer.
 * Its job comes as a message ({ start: ParseWorkerData }), so a thread can be started before the file
 * is known (prestartParser), and take another file once it has posted the end of one.
 */
import { parentPort } from 'node:worker_threads';
import type { Schema } from '../types';
import { transferList } from './packed-records';
import { packedBatchesOf } from './packed-reader';
import { CsvHeaderError } from './read-csv';
import { openBytes, SourceError } from './open-bytes';

export interface ParseWorkerData {
  input: string;
  /** The file's format (default "jsonl"). */
  format?: 'jsonl' | 'csv';
  schema: Schema;
  maxRecordBytes: number;
  /** Int32Array over a SharedArrayBuffer: [0] = batches taken by the consumer. */
  control: SharedArrayBuffer;
  window: number;
}

/** Messages to the consumer: a packed batch, the end, or a failure. */
export type ParseWorkerMessage = { batch: import('./packed-records').PackedBatch } | { done: true } | { error: string; source: boolean };

async function main(data: ParseWorkerData): Promise<void> {
  const port = parentPort!;
  const taken = new Int32Array(data.control);
  try {
    let k = 0;
    const options = { maxRecordBytes: data.maxRecordBytes };
    const bytes = openBytes(data.input);
    for await (const batch of packedBatchesOf(bytes, data.format ?? 'jsonl', data.schema, options)) {
      for (let t = Atomics.load(taken, 0); k - t >= data.window; t = Atomics.load(taken, 0)) Atomics.wait(taken, 0, t, 1000);
      port.postMessage({ batch } satisfies ParseWorkerMessage, transferList(batch));
      k++;
    }
    port.postMessage({ done: true } satisfies ParseWorkerMessage);
  } catch (err) {
    // a SourceError (read failure, bad gzip, binary input) names the file already; a broken CSV header
    // gets the name as openSource gives it
    if (err instanceof CsvHeaderError) err.message = `${data.input}: ${err.message}`;
    port.postMessage({ error: (err as Error).message, source: err instanceof SourceError } satisfies ParseWorkerMessage);
  }
}

// One job at a time: a thread that finished its file may be given the next one (see readJsonlParallel).
if (parentPort) parentPort.on('message', (m: { start: ParseWorkerData }) => void main(m.start));
