/** `onthefly worker`: one worker of a consumer group on a Redis stream (docs/scale-out.md). */
import { runWorker } from '../scale/worker';
import { numberOption, parseArgs, UsageError } from './args';
import { EXPERIMENT_ARGS, EXPERIMENT_HELP, experimentFromArgs } from './experiment-args';

const HELP = `usage: onthefly worker --redis URL --in NAME --out NAME --group NAME [--labels NAME] [--consumer ID]
                      [--claim-idle MS] [--lease MS] [--count N] [--schema FILE] [learner and dedup options]

Reads events from the stream --in as one consumer of --group (an entry holds one event or several, one
JSON line each: onthefly produce --pack), predicts each with the newest model version and writes one
entry per input entry to --out, its field r = one JSON line {id, p, prediction, group, duplicate,
version} per event of the input entry: exactly one record per event, whatever is killed and restarted
(rejects go to OUT:rejects, with the entry id and the line in it). Dedup keys are shared in Redis; one worker at a time holds the
trainer's lease, learns from the labelled novel events (on the events, or from --labels) and publishes
model versions that the others load without stopping. See docs/scale-out.md.

  --redis URL        e.g. redis://127.0.0.1:6379
  --in NAME          input stream (entries with field "e" = events' JSON lines; see onthefly produce)
  --out NAME         output stream
  --group NAME       consumer group (also names the shared keys: onthefly:NAME:…)
  --labels NAME      labels stream ({id, label} entries) when labels come apart from the events
  --consumer ID      this worker's name; keep it across restarts (default: host-pid)
  --claim-idle MS    claim other consumers' entries pending this long (default 10000)
  --lease MS         trainer lease (default 3000): another worker trains within this long after it dies
  --count N          events per read, about (entries are read whole; default 1000)
  SIGTERM/SIGINT: finish the batch in hand, acknowledge it, release the lease, exit 0.

${EXPERIMENT_HELP.split('\n').filter((l) => !/^ {2}--(input|scenario|events|label-delay|window) /.test(l)).join('\n')}`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...EXPERIMENT_ARGS.values, 'redis', 'in', 'out', 'group', 'labels', 'consumer', 'claim-idle', 'lease', 'count'],
    flags: [...EXPERIMENT_ARGS.flags, 'help'],
  });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const name of ['redis', 'in', 'out', 'group']) if (!args.values.has(name)) throw new UsageError(`worker needs --${name} (see onthefly worker --help)`);
  for (const name of ['input', 'scenario', 'events', 'label-delay']) {
    if (args.values.has(name)) throw new UsageError(`--${name} does not apply to worker: events come from --in`);
  }
  const cfg = experimentFromArgs(args);
  const controller = new AbortController();
  let signals = 0;
  const stop = (signal: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    process.stderr.write(`onthefly worker: ${signal}: finishing the batch in hand\n`);
    controller.abort();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    const stats = await runWorker({
      redis: args.values.get('redis')!, input: args.values.get('in')!, output: args.values.get('out')!, group: args.values.get('group')!,
      labels: args.values.get('labels'), consumer: args.values.get('consumer'),
      claimIdleMs: numberOption(args, 'claim-idle', 10_000, { integer: true, min: 1 }),
      leaseMs: numberOption(args, 'lease', 3000, { integer: true, min: 1 }),
      count: numberOption(args, 'count', 1000, { integer: true, min: 1 }),
      schema: cfg.schema, learner: { seed: cfg.seed, ...cfg.learner }, batch: cfg.batch, dedup: cfg.dedup,
      signal: controller.signal,
    });
    process.stderr.write(`onthefly worker: stopped: ${stats.processed} entries (${stats.events} events) processed, ${stats.written} written, ${stats.redelivered} redelivered, ${stats.claimed} claimed, model version ${stats.version}${stats.trainer ? ' (was the trainer)' : ''}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`onthefly worker: ${(err as Error).message}\n`);
    return 1;
  }
}
