/** `onthefly sweep`: configurations × seeds over the same streams, one table of mean ± std. */
import { writeFileSync } from 'node:fs';
import { runSweep } from '../evaluate/run-sweep';
import type { MeanStd } from '../evaluate/mean-std';
import { sweepTableFrame } from '../evaluate/sweep-frame';
import { toCsv } from '../report/csv';
import { formatMeanStd as pm } from '../report/studies';
import { numberListOption, parseArgs, UsageError } from './args';
import { EXPERIMENT_ARGS, EXPERIMENT_HELP, experimentFromArgs } from './experiment-args';
import { textTable } from './text-table';

const HELP = `usage: onthefly sweep --scenario NAME --lambda 0,0.1,1 --seeds 1,2,3 [--replay 0,1]
                     [--consolidation 0,10] [--dedup on,off] [--json] [--csv FILE]

Runs every configuration (λ × replay × consolidation × dedup) over the same streams, one per seed,
and prints one table: mean ± std over the seeds.

  --lambda LIST           λ values (default 0,0.1,1)
  --seeds LIST            seeds (default 1,2,3)
  --replay LIST           replay ratios (default 0)
  --consolidation LIST    consolidation strengths (default 0)
  --dedup on,off          dedup settings (default on)
  --json                  print one JSON object {rows, runs} on stdout
  --csv FILE              also write the table as CSV

${EXPERIMENT_HELP.replace(/ {2}--no-dedup.*\n/, '')}`;

const LISTS = ['lambda', 'replay', 'consolidation', 'seeds', 'dedup'];

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...EXPERIMENT_ARGS.values, 'seeds', 'dedup', 'csv'],
    flags: [...EXPERIMENT_ARGS.flags.filter((f) => f !== 'dedup'), 'json', 'help'],
  });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly sweep --help)`);
  const lambdas = numberListOption(args, 'lambda', [0, 0.1, 1]);
  if (lambdas.some((l) => l < 0)) throw new UsageError('--lambda values must be ≥ 0');
  const replays = args.values.has('replay') ? numberListOption(args, 'replay', [0]) : undefined;
  const consolidations = args.values.has('consolidation') ? numberListOption(args, 'consolidation', [0]) : undefined;
  const seeds = (args.values.get('seeds') ?? '1,2,3').split(',').map((s) => s.trim());
  if (seeds.some((s) => s === '')) throw new UsageError('--seeds must be a comma-separated list');
  const dedupRaw = args.values.get('dedup');
  const dedups = dedupRaw?.split(',').map((s) => {
    const v = s.trim();
    if (v !== 'on' && v !== 'off') throw new UsageError(`--dedup takes on, off or on,off; got "${dedupRaw}"`);
    return v === 'on';
  });
  for (const name of LISTS) args.values.delete(name);
  const base = experimentFromArgs(args);
  const tty = process.stderr.isTTY === true;
  const result = await runSweep({
    base, lambdas, seeds, replays, consolidations, dedups,
    onRun: (done, total, label) => process.stderr.write(`onthefly sweep: run ${done + 1}/${total}: ${label}${tty ? '\x1b[K\r' : '\n'}`),
  });
  if (tty) process.stderr.write('\n');
  if (args.flags.get('json')) {
    process.stdout.write(`${JSON.stringify({ rows: result.rows, runs: result.runs.map((r) => ({ ...r, result: { ...r.result, rolling: { ...r.result.rolling, series: undefined } } })) })}\n`);
    return 0;
  }
  // The table (and CSV) through a danfo DataFrame of the runs: groupby configuration → mean, std.
  const table = sweepTableFrame(result.runs);
  const csv = args.values.get('csv');
  if (csv !== undefined) writeFileSync(csv, toCsv(table));
  const ms = (r: (typeof table)[number], name: string): MeanStd | null =>
    r[`${name}_mean`] === null ? null : { mean: r[`${name}_mean`] as number, std: r[`${name}_std`] as number };
  const header = ['λ', 'replay', 'consol.', 'dedup', 'F1', 'accuracy', 'Bayes F1', 'F1 / Bayes', 'violation rate', 'forgetting drop', 'ms/batch p50'];
  const rows = table.map((r) => [
    String(r.lambda), String(r.replay), String(r.consolidation), r.dedup ? 'on' : 'off',
    pm(ms(r, 'f1')), pm(ms(r, 'accuracy')), pm(ms(r, 'bayes_f1')), pm(ms(r, 'f1_over_bayes')), pm(ms(r, 'violation_rate'), 4), pm(ms(r, 'forgetting_drop')), pm(ms(r, 'train_ms_p50'), 2),
  ]);
  process.stdout.write(`mean ± std over ${seeds.length} seed(s)\n${textTable(header, rows)}`);
  return 0;
}
