/** `onthefly generate`: write a generated incident stream as JSONL (stdout or --out FILE). */
import * as fs from 'node:fs';
import { numberOption, parseArgs, UsageError } from './args';
import { JsonlEncoder } from '../stream/jsonl-encoder';
import { IncidentGenerator } from '../stream/generator';
import { isScenarioName, SCENARIO_NAMES } from '../stream/scenarios';
import { DEFAULT_START } from '../stream/timeline';

const HELP = `usage: onthefly generate --scenario NAME --events N --seed S [--out FILE] [--start ISO]

Writes N generated incidents as JSONL (one JSON object per line), on stdout unless --out is given.
The same (scenario, events, seed, start) always gives byte-identical output.

  --scenario NAME  ${SCENARIO_NAMES.join(' | ')} (default stationary; see \`onthefly scenarios\`)
  --events N       number of events (default 10000; phase boundaries are fractions of N)
  --seed S         seed string or number (default 1)
  --out FILE       write to FILE instead of stdout (progress on stderr after ~2 s)
  --start ISO      time of the first phase's start (default ${DEFAULT_START})
`;

/** Bytes per write (about 2,300 events). */
const CHUNK_BYTES = 1 << 20;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['scenario', 'events', 'seed', 'out', 'start'], flags: ['help'] });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly generate --help)`);
  const scenario = args.values.get('scenario') ?? 'stationary';
  if (!isScenarioName(scenario)) throw new UsageError(`unknown scenario "${scenario}" (known: ${SCENARIO_NAMES.join(', ')})`);
  const events = numberOption(args, 'events', 10000, { integer: true, min: 0, max: 1e9 });
  const seed = args.values.get('seed') ?? '1';
  if (seed === '') throw new UsageError('--seed must not be empty');
  const start = args.values.get('start') ?? DEFAULT_START;
  if (!Number.isFinite(Date.parse(start))) throw new UsageError(`--start must be an ISO 8601 time, got "${start}"`);
  const out = args.values.get('out');

  const gen = new IncidentGenerator({ scenario, events, seed, start });
  return out === undefined ? toStdout(gen) : toFile(gen, out, events);
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

function toFile(gen: IncidentGenerator, path: string, total: number): number {
  let fd: number;
  try {
    fd = fs.openSync(path, 'w');
  } catch (err) {
    throw new UsageError(`cannot open --out ${path}: ${(err as Error).message}`);
  }
  const t0 = Date.now();
  let lastReport = t0;
  let done = 0;
  try {
    for (const [chunk, count] of chunks(gen)) {
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
  if (Date.now() - t0 > 2000) process.stderr.write(`onthefly generate: ${total} events written to ${path}\n`);
  return 0;
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

async function toStdout(gen: IncidentGenerator): Promise<number> {
  const stdout = process.stdout;
  let broken = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') broken = true;
    else throw err;
  };
  stdout.on('error', onError);
  try {
    for (const [chunk] of chunks(gen)) {
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
