#!/usr/bin/env node
/**
 * The `onthefly` command. Each command lives in its own module, loaded only when called,
 * so `generate` never loads TensorFlow.js.
 */
import { UsageError } from './args';
import { OptionError } from '../options/option-error';
import { escapeTerminal } from '../show/escape-terminal';

type Command = { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  generate: { summary: 'write a generated stream as JSONL', load: () => import('./generate') },
  scenarios: { summary: 'list the generator scenarios', load: () => import('./scenarios') },
  run: { summary: 'prequential run: dedup, predict, learn, log', load: () => import('./run') },
  predict: { summary: 'score a stream with a model saved by run --save-model', load: () => import('./predict') },
  evaluate: { summary: 'recompute the metrics from an audit log', load: () => import('./evaluate') },
  sweep: { summary: 'compare configurations (λ × seeds × …) in one table', load: () => import('./sweep') },
  serve: { summary: 'the online pipeline as an HTTP service (events in, predictions out, labels later)', load: () => import('./serve') },
  produce: { summary: 'send a JSON Lines file to a Redis stream', load: () => import('./produce') },
  worker: { summary: 'one worker of a consumer group on a Redis stream', load: () => import('./worker') },
  reproduce: { summary: "the paper's table and figures, with our numbers and the Bayes ceiling", load: () => import('./reproduce') },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: onthefly <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    'Run `onthefly <command> --help` for its options; `onthefly --version` (-V) prints the version.\n';
}

/** The value of `--name VALUE` or `--name=VALUE` in argv (the last one), if any. */
function optionValue(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name && i + 1 < argv.length) value = argv[i + 1];
    else if (argv[i]!.startsWith(`${name}=`)) value = argv[i]!.slice(name.length + 1);
  }
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const { packageVersion } = await import('../version');
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`onthefly: unknown command "${escapeTerminal(name)}"\n\n${usage()}`);
    return 2;
  }
  // A large JSONL input is parsed on a worker thread: start it now, so it boots while the command loads.
  const input = name === 'run' || name === 'predict' ? optionValue(rest, '--input') : undefined;
  if (input !== undefined) {
    const source = await import('../stream/source');
    if (source.usesParseThread(input)) (await import('../stream/read-jsonl-parallel')).prestartParser();
  }
  const mod = await command.load();
  return mod.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof OptionError) {
      process.stderr.write(`onthefly: ${escapeTerminal(err.message)}\n`);
      process.exitCode = 2;
    } else {
      // One line for users; the stack only with ONTHEFLY_DEBUG=1.
      const debug = process.env.ONTHEFLY_DEBUG === '1' && err instanceof Error && err.stack;
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`onthefly: ${debug || message.split('\n')[0]}\n`);
      process.exitCode = 1;
    }
  },
);
