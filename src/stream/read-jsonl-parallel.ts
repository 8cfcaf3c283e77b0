import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Schema } from '../types';
import type { ParseWorkerData, ParseWorkerMessage } from './jsonl-parse-worker';
import { SourceError } from './open-bytes';
import { RecordUnpacker } from './packed-records';
import { WorkerInbox } from './worker-inbox';
import type { ReadOptions } from './read-jsonl';
import type { Validated } from './validate';

/** Batches the parser thread may run ahead of the consumer. */
const WINDOW = 8;

const WORKER_FILE = path.join(__dirname, 'jsonl-parse-worker.js');

/** A parser thread started ahead of time, waiting for its file (see prestartParser). */
let spare: Worker | null = null;

/**
 * Start a parser thread now, before the file and schema are known (a CLI calls this first thing):
 * the thread boots while the caller loads its modules and builds its learner, and the next
 * readJsonlParallel takes it. An unused one does not keep the process alive.
 */
export function prestartParser(): void {
  if (spare !== null) return;
  const w = new Worker(WORKER_FILE);
  w.unref();
  w.on('error', () => { if (spare === w) spare = null; });
  w.once('exit', () => { if (spare === w) spare = null; });
  spare = w;
}

/**
 * A thread that read its whole file waits for the next one: kept as the spare (unreferenced, like
 * prestartParser's), so the next readJsonlParallel of this process gets a thread whose code is compiled
 * and optimized already. False (the caller terminates it) when there is a spare already.
 */
function releaseWorker(w: Worker): boolean {
  if (spare !== null) return false;
  w.unref();
  w.on('error', () => { if (spare === w) spare = null; });
  w.once('exit', () => { if (spare === w) spare = null; });
  spare = w;
  return true;
}

function takeWorker(): Worker {
  const w = spare ?? new Worker(WORKER_FILE);
  spare = null;
  w.ref();
  w.removeAllListeners('error');
  w.removeAllListeners('exit');
  return w;
}

/** Batches of records that can be closed before (or without) being iterated. */
export interface ClosableBatches extends AsyncIterable<Validated[]> {
  /** Stops the work behind the batches (idempotent). Iterating to the end, or stopping early, closes too. */
  close(): Promise<void>;
}

/**
 * {@link readJsonlBatches} of a JSON Lines file (optionally .gz) — or, with `format` "csv",
 * {@link readCsvBatches} of a CSV file — with reading, parsing and validation on a worker thread: the same records, rejects and line numbers in the same order,
 * while the caller's thread does the rest. The thread starts at once (so it boots while the caller
 * gets ready) and runs at most 8 batches (chunks of 64 KB) ahead, so memory stays bounded. It stops
 * when the caller stops iterating or on close(); at the end of the file it waits, unreferenced, as the
 * process's spare parser thread (the next readJsonlParallel takes it, compiled and warm). The batches
 * can be iterated once.
 * The path must be readable (check with checkInput first); a read failure during iteration throws the
 * same {@link SourceError} as the inline reader.
 */
export function readJsonlParallel(input: string, schema: Schema, options: ReadOptions = {}, format: 'jsonl' | 'csv' = 'jsonl'): ClosableBatches {
  const control = new SharedArrayBuffer(4);
  const taken = new Int32Array(control);
  const data: ParseWorkerData = { input, format, schema, maxRecordBytes: options.maxRecordBytes ?? 65536, control, window: WINDOW };
  const worker = takeWorker();
  worker.postMessage({ start: data });
  const inbox = new WorkerInbox<ParseWorkerMessage>(worker, `${input}: the parser thread stopped before the end of the file`);
  const unpacker = new RecordUnpacker(schema);
  let closed: Promise<number> | null = null;
  /** The thread finished the file and went back to waiting for one (see releaseWorker). */
  let released = false;
  const close = async (): Promise<void> => {
    if (released) return;
    closed ??= worker.terminate();
    await closed;
  };
  let k = 0;
  async function* batches(): AsyncGenerator<Validated[]> {
    try {
      for (;;) {
        const m = await inbox.next();
        if ('done' in m) {
          inbox.detach();
          released = releaseWorker(worker);
          return;
        }
        if ('error' in m) throw m.source ? new SourceError(m.error) : new Error(`${input}: ${m.error}`);
        const items = unpacker.unpack(m.batch);
        Atomics.store(taken, 0, ++k);
        Atomics.notify(taken, 0);
        yield items;
      }
    } finally {
      await close();
    }
  }
  let iterated = false;
  return {
    close,
    [Symbol.asyncIterator]() {
      if (iterated) throw new Error('readJsonlParallel: the batches can be iterated once');
      iterated = true;
      return batches();
    },
  };
}
