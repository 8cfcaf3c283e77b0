/**
 * Worker for parallel JSONL generation (used by `onthefly generate` on machines with ≥ 2 cores).
 * Every worker replays the whole stream (generation is sequential) but encodes only its share of
 * the chunks (chunk k belongs to worker k mod parts); the main thread writes chunks in order, so
 * the bytes are those of a single-threaded run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IncidentGenerator, type GeneratorOptions } from './generator';
import { JsonlEncoder } from './jsonl-encoder';

export interface JsonlWorkerData {
  options: GeneratorOptions;
  part: number;
  parts: number;
  /** Events per chunk. */
  chunkEvents: number;
  /** Int32Array over a SharedArrayBuffer: [0] = chunks written by the main thread. */
  control: SharedArrayBuffer;
  /** How many chunks a worker may run ahead of the writer. */
  window: number;
}

/** A chunk message: chunk index, its bytes (transferred) and the events it holds. */
export interface JsonlChunk {
  k: number;
  bytes: ArrayBuffer;
  offset: number;
  length: number;
}

function main(): void {
  const data = workerData as JsonlWorkerData;
  const port = parentPort!;
  const written = new Int32Array(data.control);
  const run = new IncidentGenerator(data.options)[Symbol.iterator]();
  const enc = new JsonlEncoder((data.chunkEvents * 520) + (64 << 10));
  const flush = (k: number): void => {
    for (let w = Atomics.load(written, 0); k - w > data.window; w = Atomics.load(written, 0)) Atomics.wait(written, 0, w, 1000);
    const b = enc.take();
    const msg: JsonlChunk = { k, bytes: b.buffer as ArrayBuffer, offset: b.byteOffset, length: b.length };
    port.postMessage(msg, [msg.bytes]);
  };
  let k = 0;
  let inChunk = 0;
  let mine = data.part === 0;
  for (let e = run.nextEvent(); e !== undefined; e = run.nextEvent()) {
    if (mine) enc.write(e);
    if (++inChunk === data.chunkEvents) {
      if (mine) flush(k);
      k++;
      inChunk = 0;
      mine = k % data.parts === data.part;
    }
  }
  if (inChunk > 0 && mine) flush(k);
}

if (parentPort) main();
