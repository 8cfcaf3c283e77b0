/** `onthefly produce`: a JSON Lines file into a Redis stream (pipelined XADD). */
import { DEFAULT_PACK, produce } from '../scale/produce';
import { schemaOption } from './schema-option';
import { GENERATOR_SCHEMA } from '../stream/default-schema';
import { numberOption, parseArgs, UsageError } from './args';

const HELP = `usage: onthefly produce --redis URL --stream NAME --input FILE|- [--labels-stream NAME] [--schema FILE] [--pack K] [--rate N]

Sends every line of a JSON Lines file (optionally .gz; - = stdin) to a Redis stream, K lines per entry
in one field "e" (the lines joined by a newline; one script call of XADDs per round). With
--labels-stream, each event's label is moved into its own {id, label} entry on that stream, as a
feedback system would send it (the schema names the label and id fields; default: the generator's). Prints {"events","entries","labels","unparsed"} on stdout.

  --redis URL            e.g. redis://127.0.0.1:6379
  --stream NAME          the input stream of the workers
  --input FILE|-         JSON Lines
  --labels-stream NAME   also send the labels apart
  --schema FILE          where the label and the id are (default: the generator's schema)
  --pipeline N           events per round trip (default 1000; rounded up to whole entries)
  --pack K               events per stream entry (default ${DEFAULT_PACK}; 1 = one per entry): Redis' work
                         per entry is shared by its K events; workers write one output entry per input entry
  --rate N               offered load, events per second: rounds of N/100 events, each sent when due
                         (default: as fast as Redis takes them)
`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['redis', 'stream', 'input', 'labels-stream', 'schema', 'pipeline', 'pack', 'rate'], flags: ['help'] });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const name of ['redis', 'stream', 'input']) if (!args.values.has(name)) throw new UsageError(`produce needs --${name} (see onthefly produce --help)`);
  const schema = schemaOption(args) ?? GENERATOR_SCHEMA;
  const options = {
    redis: args.values.get('redis')!, stream: args.values.get('stream')!, input: args.values.get('input')!,
    labelsStream: args.values.get('labels-stream'), schema, pipeline: numberOption(args, 'pipeline', 1000, { integer: true, min: 1 }),
    pack: numberOption(args, 'pack', DEFAULT_PACK, { integer: true, min: 1 }),
    ...(args.values.has('rate') ? { rate: numberOption(args, 'rate', 0, { min: 1 }) } : {}),
  };
  try {
    const stats = await produce(options);
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`onthefly produce: ${(err as Error).message}\n`);
    return 1;
  }
}
