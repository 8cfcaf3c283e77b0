/** `onthefly serve`: the online pipeline over HTTP (docs/design.md §10). */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnlinePipeline } from '../evaluate/online-pipeline';
import { createLearner } from '../learn/create-learner';
import { startService } from '../service/service';
import { numberOption, parseArgs, UsageError } from './args';
import { EXPERIMENT_ARGS, EXPERIMENT_HELP, experimentFromArgs } from './experiment-args';

const HELP = `usage: onthefly serve [--port P] [--host 127.0.0.1] [--schema FILE] [learner and dedup options]
                     [--max-body BYTES] [--max-inflight N] [--checkpoint DIR [--checkpoint-every N] [--resume]]

Predicts every event it is sent at once and learns from labelled novel ones, as onthefly run does.
  POST /events    NDJSON or a JSON array of events → NDJSON, one line per event:
                  {"id","p","prediction","group","duplicate","version"}, or {"line","error"} for a reject.
                  An event carrying the schema's label field is scored and learned from at once.
  POST /labels    NDJSON {"id","label"}: the label of an event sent earlier (late, or never)
                  → {"queued","duplicate","unknown","errors"}
  GET /metrics    Prometheus text: events, rejects, duplicates, labelled, learned, rolling F1/accuracy, latency
  GET /healthz    {"status":"ok", counts}
  GET /model      the whole pipeline state (model, features, dedup, metrics) as JSON
  PUT /model      load such a state

service:
  --port P                port (default 8080; 0 picks a free one, printed on stderr)
  --host H                address to bind (default 127.0.0.1: loopback only)
  --max-body BYTES        largest request body (default 1048576; larger → 413)
  --max-inflight N        requests handled at once (default 64; more → 503)
  --checkpoint DIR        save the pipeline state to DIR/state.json every --checkpoint-every changed
                          requests (default 100) and on SIGTERM/SIGINT
  --resume                start from DIR/state.json
  SIGTERM/SIGINT: stop accepting, finish the requests in flight, checkpoint, exit 0 (a second signal forces).

${EXPERIMENT_HELP.split('\n').filter((l) => !/^ {2}--(input|scenario|events|label-delay) /.test(l)).join('\n')}`;

interface ServeCheckpoint {
  format: 'onthefly-serve-checkpoint';
  version: 1;
  /** Schema and learner options the state was made with: a resume must use the same. */
  config: unknown;
  pipeline: unknown;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...EXPERIMENT_ARGS.values, 'port', 'host', 'max-body', 'max-inflight', 'checkpoint', 'checkpoint-every'],
    flags: [...EXPERIMENT_ARGS.flags, 'resume', 'help'],
  });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly serve --help)`);
  for (const name of ['input', 'scenario', 'events', 'label-delay']) {
    if (args.values.has(name)) throw new UsageError(`--${name} does not apply to serve: events arrive by POST /events`);
  }
  const port = numberOption(args, 'port', 8080, { integer: true, min: 0, max: 65535 });
  const host = args.values.get('host') ?? '127.0.0.1';
  const maxBodyBytes = numberOption(args, 'max-body', 1 << 20, { integer: true, min: 1 });
  const maxInFlight = numberOption(args, 'max-inflight', 64, { integer: true, min: 1 });
  const checkpoint = args.values.get('checkpoint');
  const every = numberOption(args, 'checkpoint-every', 100, { integer: true, min: 1 });
  if (args.flags.get('resume') && checkpoint === undefined) throw new UsageError('--resume needs --checkpoint DIR');
  const cfg = experimentFromArgs(args);
  const schema = cfg.schema!;
  const learnerOptions = { seed: cfg.seed, ...cfg.learner, schema };
  const described = { schema, learner: { ...learnerOptions, schema: undefined }, batch: cfg.batch, dedup: cfg.dedup, window: cfg.window };
  const learner = await createLearner(learnerOptions);
  const pipeline = new OnlinePipeline({ learner, schema, batch: cfg.batch, dedup: cfg.dedup, window: cfg.window });

  const file = checkpoint === undefined ? null : join(checkpoint, 'state.json');
  if (file && args.flags.get('resume') && existsSync(file)) {
    let saved: ServeCheckpoint;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as ServeCheckpoint;
      if (saved?.format !== 'onthefly-serve-checkpoint') throw new Error('not an onthefly serve checkpoint');
    } catch (err) {
      process.stderr.write(`onthefly serve: cannot resume from ${file}: ${(err as Error).message}\n`);
      return 1;
    }
    if (JSON.stringify(saved.config) !== JSON.stringify(described)) {
      process.stderr.write(`onthefly serve: ${file} was written with other schema/learner/dedup options; start with the same options or without --resume\n`);
      return 1;
    }
    try {
      pipeline.setState(saved.pipeline);
    } catch (err) {
      process.stderr.write(`onthefly serve: cannot resume from ${file}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const save = (): void => {
    if (!file) return;
    mkdirSync(checkpoint!, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const state: ServeCheckpoint = { format: 'onthefly-serve-checkpoint', version: 1, config: described, pipeline: pipeline.getState() };
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, file);
  };
  let changes = 0;
  const service = await startService({
    pipeline, port, host, maxBodyBytes, maxInFlight,
    onChange: () => {
      if (file && ++changes % every === 0) save();
    },
  });
  process.stderr.write(`onthefly serve: listening on ${service.url} (model version ${pipeline.version})\n`);
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`onthefly serve: ${signal} again, exiting without waiting\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopping = true;
      void service.close().then(() => {
        try {
          save();
        } catch (err) {
          process.stderr.write(`onthefly serve: checkpoint to ${file} failed: ${(err as Error).message}\n`);
          resolve(1);
          return;
        }
        const c = pipeline.counts();
        process.stderr.write(`onthefly serve: ${signal}: stopped after ${c.events} events (${c.learned} learned, model version ${c.version})${file ? `, checkpoint in ${file}` : ''}\n`);
        resolve(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
