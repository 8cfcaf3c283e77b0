/** `onthefly scenarios`: list the generator's scenarios, their descriptions and change indexes. */
import { numberOption, parseArgs, UsageError } from './args';
import { SCENARIO_NAMES, SCENARIOS } from '../stream/scenarios';

const HELP = `usage: onthefly scenarios [--events N] [--json]

Lists the generator scenarios with what changes and at which event index (for a stream of N
events, default 10000; boundaries are fractions of N).

  --events N  stream length used for the change indexes (default 10000)
  --json      one JSON array on stdout
`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['events'], flags: ['json', 'help'] });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"`);
  const events = numberOption(args, 'events', 10000, { integer: true, min: 1, max: 1e9 });
  const list = SCENARIO_NAMES.map((name) => {
    const s = SCENARIOS[name];
    const phases = s.phases(events);
    const changes = phases.slice(1).map((p) => p.start);
    return { name, description: s.description, events, phases, changes };
  });
  if (args.flags.get('json')) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [`Scenarios (change indexes for a stream of ${events} events):`, ''];
  for (const s of list) {
    lines.push(`${s.name}`);
    lines.push(`  ${s.description}`);
    const phases = s.phases.map((p) => `${p.regime}${p.bursts ? ' (storms)' : ''} [${p.start}, ${p.end})`).join(' -> ');
    lines.push(`  phases:  ${phases}`);
    lines.push(`  changes: ${s.changes.length ? s.changes.join(', ') : 'none'}`);
    lines.push('');
  }
  process.stdout.write(`${lines.join('\n')}`);
  return 0;
}
