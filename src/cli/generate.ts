/** `onthefly generate`: write a generated incident stream as JSONL (stdout or --out FILE). */
import * as fs from 'node:fs';
import { scenarioOption } from './scenario-option';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WorkerInbox } from '../stream/worker-inbox';
import { numberOption, parseArgs, UsageError, type ParsedArgs } from './args';
import type { SynthOptions } from '../synth/synth-stream';
import { JsonlEncoder } from '../stream/jsonl-encoder';
import type { JsonlChunk, JsonlWorkerData } from '../stream/jsonl-worker';
import { IncidentGenerator } from '../stream/generator';
import { SCENARIO_NAMES } from '../stream/scenarios';
import { DEFAULT_START } from '../stream/timeline';
import { checkSynth, SYNTH_ARGS, SYNTH_HELP, synthOption } from './synth-option';
import { SynthStream } from '../synth/synth-stream';

const HELP = `usage: onthefly generate --scenario NAME --events N --seed S [--out FILE] [--start ISO]
       onthefly generate --synth NAME [--function K] [--drift-at F] [--drift-width W] --events N --seed S [--out FILE]

Writes N generated incidents as JSONL (one JSON object per line), on stdout unless --out is given.
The same (scenario, events, seed, start) always gives byte-identical output.

  --scenario NAME  ${SCENARIO_NAMES.join(' | ')} (default stationary; see \`onthefly scenarios\`)
  --events N       number of events (default 10000; phase boundaries are fractions of N)
  --seed S         seed string or number (default 1)
  --out FILE       write to FILE instead of stdout (progress on stderr after ~2 s)
  --start ISO      time of the first phase's start (default ${DEFAULT_START})
  --threads N      1 = single thread; 2 = two workers that each replay the stream and encode
                   every other chunk (same bytes). Default: 2 for ≥ 200,000 events on ≥ 2 cores.

\${SYNTH_HELP}  Synthetic rows are {"id", features…, "y", "oracle_p" (when known), "regime": "A"|"B"}; the same
  options and seed give byte-identical output.
`;

/** Bytes per write (about 2,300 events). */
const CHUNK_BYTES = 1 << 20;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['scenario', 'events', 'seed', 'out', 'start', 'threads', ...SYNTH_ARGS], flags: ['help'] });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly generate --help)`);
  const synth = synthOption(args);
  if (synth !== null) return generateSynth(args, synth);
  const scenario = scenarioOption(args);
  const events = numberOption(args, 'events', 10000, { integer: true, min: 0, max: 1e9 });
  const seed = args.values.get('seed') ?? '1';
  if (seed === '') throw new UsageError('--seed must not be empty');
  const start = args.values.get('start') ?? DEFAULT_START;
  if (!Number.isFinite(Date.parse(start))) throw new UsageError(`--start must be an ISO 8601 time, got "${start}"`);
  const out = args.values.get('out');
  const auto = events >= 200_000 && os.availableParallelism() >= 2 ? 2 : 1;
  const threads = numberOption(args, 'threads', auto, { integer: true, min: 1, max: 2 });

  const gen = new IncidentGenerator({ scenario, events, seed, start });
  const source = threads > 1 ? parallelChunks(gen, threads) : chunks(gen);
  return out === undefined ? toStdout(source) : toFile(source, out, events);
}

/** `generate --synth`: the synthetic stream as JSONL, one row per line. */
function generateSynth(args: ParsedArgs, synth: Omit<SynthOptions, 'events' | 'seed'>): Promise<number> {
  for (const o of ['threads', 'start']) if (args.values.has(o)) throw new UsageError(`--${o} applies to --scenario streams, not --synth`);
  const events = numberOption(args, 'events', 10000, { integer: true, min: 0, max: 1e9 });
  const seed = args.values.get('seed') ?? '1';
  if (seed === '') throw new UsageError('--seed must not be empty');
  const options: SynthOptions = { ...synth, events, seed };
  checkSynth(options);
  const source = synthChunks(new SynthStream(options));
  const out = args.values.get('out');
  return out === undefined ? toStdout(source) : toFile(source, out, events);
}

/** Synthetic rows as JSONL in buffers of about CHUNK_BYTES, with the running count. */
function* synthChunks(stream: SynthStream): Generator<[Buffer, number]> {
  let parts: string[] = [];
  let bytes = 0;
  let count = 0;
  for (const row of stream) {
    const line = `${JSON.stringify(row)}\n`;
    parts.push(line);
    bytes += line.length;
    count++;
    if (bytes >= CHUNK_BYTES) {
      yield [Buffer.from(parts.join(''), 'utf8'), count];
      parts = [];
      bytes = 0;
    }
  }
  if (parts.length > 0) yield [Buffer.from(parts.join(''), 'utf8'), count];
}

/** Events per chunk in the parallel path. */
const CHUNK_EVENTS = 4096;

/**
 * The same byte chunks as chunks(), from `parts` workers (each replays the stream and encodes
 * every parts-th chunk); yields in order, with the event count so far.
 */
async function* parallelChunks(gen: IncidentGenerator, parts: number): AsyncGenerator<[Buffer, number]> {
  const total = gen.options.events;
  const nChunks = Math.ceil(total / CHUNK_EVENTS);
  const control = new SharedArrayBuffer(4);
  const written = new Int32Array(control);
  const workers: Worker[] = [];
  const inboxes: WorkerInbox<JsonlChunk>[] = [];
  for (let part = 0; part < parts; part++) {
    const data: JsonlWorkerData = { options: { ...gen.options }, part, parts, chunkEvents: CHUNK_EVENTS, control, window: 8 };
    const w = new Worker(path.join(__dirname, '../stream/jsonl-worker.js'), { workerData: data });
    workers.push(w);
    inboxes.push(new WorkerInbox(w, `generate: worker ${part} stopped before its last chunk`));
  }
  try {
    for (let k = 0; k < nChunks; k++) {
      // Chunk k is worker (k mod parts)'s next one: each worker posts its chunks in order.
      const m = await inboxes[k % parts]!.next();
      if (m.k !== k) throw new Error(`generate: expected chunk ${k}, got ${m.k}`);
      yield [Buffer.from(m.bytes, m.offset, m.length), Math.min(total, (k + 1) * CHUNK_EVENTS)];
      Atomics.store(written, 0, k + 1);
      Atomics.notify(written, 0);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The stream as JSONL in buffers of about CHUNK_BYTES, with the running event count. */
function* chunks(gen: IncidentGenerator): Generator<[Buffer, number]> {
  const enc = new JsonlEncoder(CHUNK_BYTES + (64 << 10));
  let count = 0;
  const run = gen[Symbol.iterator]();
  for (let ev = run.nextEvent(); ev !== undefined; ev = run.nextEvent()) {
    enc.write(ev);
    count++;
    if (enc.length >= CHUNK_BYTES) yield [enc.take(), count];
  }
  if (enc.length > 0) yield [enc.take(), count];
}

async function toFile(source: Iterable<[Buffer, number]> | AsyncIterable<[Buffer, number]>, file: string, total: number): Promise<number> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (err) {
    throw new UsageError(`cannot open --out ${file}: ${(err as Error).message}`);
  }
  const t0 = Date.now();
  let lastReport = t0;
  let done = 0;
  try {
    for await (const [chunk, count] of source) {
      writeAll(fd, chunk);
      done = count;
      const now = Date.now();
      if (now - t0 > 2000 && now - lastReport > 1000) {
        lastReport = now;
        const rate = Math.round(done / ((now - t0) / 1000));
        process.stderr.write(`onthefly generate: ${done}/${total} events (${Math.floor((100 * done) / Math.max(1, total))} %, ${rate}/s)\n`);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  if (Date.now() - t0 > 2000) process.stderr.write(`onthefly generate: ${total} events written to ${file}\n`);
  return 0;
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

async function toStdout(source: Iterable<[Buffer, number]> | AsyncIterable<[Buffer, number]>): Promise<number> {
  const stdout = process.stdout;
  let broken = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') broken = true;
    else throw err;
  };
  stdout.on('error', onError);
  try {
    for await (const [chunk] of source) {
      if (broken) break;
      // Wait for each chunk to be handed over: backpressure, and an early-closed pipe is noticed.
      const err = await new Promise<Error | null | undefined>((resolve) => stdout.write(chunk, resolve));
      if (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') break;
        throw err;
      }
    }
  } finally {
    if (broken) stdout.off('error', onError);
  }
  return 0;
}
