/** `onthefly sweep`: configurations × seeds over the same streams, one table of mean ± std. */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pointLabel, runSweep, type ParamValue, type SweepPoint } from '../evaluate/run-sweep';
import type { MeanStd } from '../evaluate/mean-std';
import type { PairedDelta } from '../evaluate/paired-delta';
import { sweepTableFrame } from '../evaluate/sweep-frame';
import { sweepRecords } from '../evaluate/sweep-table';
import { danfoAvailable } from '../frame/frame';
import { toCsv } from '../report/csv';
import { escapeTerminal, jsonForTerminal } from '../show/escape-terminal';
import { formatMeanStd as pm } from '../report/studies';
import { numberOption, parseArgs, UsageError, type ParsedArgs } from './args';
import { EXPERIMENT_ARGS, EXPERIMENT_HELP, experimentFromArgs } from './experiment-args';
import { textTable } from './text-table';

const HELP = `usage: onthefly sweep [--scenario NAME|--input FILE] --lambda 0,0.1,1 --seeds 1,2,3
                     [any run option as a comma list, e.g. --lr 0.01,0.1 --model logistic,mlp --batch 1,256]
                     [--dedup on,off] [--baseline KEY=VALUE] [--workers N] [--json] [--csv FILE]

Runs every configuration — the cross product of the options given as lists, in the order given — over
the same streams, one per seed, and prints one table: mean ± std over the seeds. Each stream (a file,
or the generator's per seed) is read, parsed and validated once and replayed for every configuration;
configurations run on --workers threads with the same results as one by one.

  --lambda LIST           λ values, "auto" among them if wanted (default 0,0.1,1)
  --seeds LIST            seeds (default 1,2,3; 1..10 with --baseline)
  --dedup on,off          dedup settings (default on)
  LIST of an option whose value is itself a list (--hidden, --dedup-key): alternatives separated by /,
                          e.g. --hidden 16/32,16 runs [16] and [32, 16]
  --baseline KEY=VALUE[,KEY=VALUE]  compare every configuration with this one, seed by seed: adds the
                          paired F1 and accuracy differences with 95 % intervals (KEY: option name, e.g. lambda=0)
  --workers N             worker threads, each running whole configurations (default: the machine's cores, ${availableParallelism()} here)
  --json                  print one JSON object {rows, runs} on stdout
  --csv FILE              also write the table as CSV

${EXPERIMENT_HELP.replace(/ {2}--no-dedup.*\n/, '')}`;

/** Options whose own value is a comma list: their alternatives are separated by "/". */
const LIST_VALUED = new Set(['hidden', 'dedup-key']);
/** Sweep-only options (not passed to each run). */
const SWEEP_VALUES = ['seeds', 'dedup', 'csv', 'workers', 'baseline'];

const asParam = (raw: string): ParamValue => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);

/** The alternatives of every list option, in command-line order. */
function alternatives(args: ParsedArgs): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const [name, raw] of args.values) {
    if (SWEEP_VALUES.includes(name) || name === 'seed') continue;
    const parts = raw.split(LIST_VALUED.has(name) ? '/' : ',').map((s) => s.trim());
    if (parts.some((s) => s === '')) throw new UsageError(`--${name}: empty value in the list "${raw}"`);
    out.push([name, parts]);
  }
  return out;
}

/** Every configuration of the cross product, as sweep points built by the run option parser itself. */
export function sweepPoints(args: ParsedArgs): SweepPoint[] {
  if (args.values.has('seed')) throw new UsageError('sweep takes --seeds LIST, not --seed');
  if (!args.values.has('lambda')) args.values.set('lambda', '0,0.1,1');
  const dedupRaw = args.values.get('dedup');
  const dedups = (dedupRaw ?? 'on').split(',').map((s) => {
    const v = s.trim();
    if (v !== 'on' && v !== 'off') throw new UsageError(`--dedup takes on, off or on,off; got "${dedupRaw}"`);
    return v === 'on';
  });
  const lists = alternatives(args);
  let combos: [string, string][][] = [[]];
  for (const [name, parts] of lists) combos = combos.flatMap((c) => parts.map((v) => [...c, [name, v] as [string, string]]));
  const varying = new Set(lists.filter(([name, parts]) => parts.length > 1 || name === 'lambda').map(([name]) => name));
  const points: SweepPoint[] = [];
  for (const dedup of dedups) {
    for (const combo of combos) {
      const values = new Map(args.values);
      for (const name of SWEEP_VALUES) values.delete(name);
      for (const [name, v] of combo) values.set(name, v);
      const flags = new Map(args.flags);
      flags.set('dedup', dedup);
      const config = experimentFromArgs({ values, flags, positional: [] });
      const params: Record<string, ParamValue> = {};
      for (const [name, v] of combo) if (varying.has(name)) params[name] = LIST_VALUED.has(name) ? v : asParam(v);
      if (dedups.length > 1) params.dedup = dedup;
      points.push({ params, config });
    }
  }
  return points;
}

function parseBaseline(raw: string | undefined): Record<string, ParamValue> | undefined {
  if (raw === undefined) return undefined;
  const out: Record<string, ParamValue> = {};
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--baseline takes KEY=VALUE[,KEY=VALUE], e.g. lambda=0; got "${raw}"`);
    const key = part.slice(0, eq).trim().replace(/^--/, '');
    const value = part.slice(eq + 1).trim();
    out[key] = key === 'dedup' ? value === 'on' : asParam(value);
  }
  return out;
}

const interval = (d: PairedDelta | undefined): string => {
  if (!d) return '—';
  const f = (v: number): string => (Number.isFinite(v) ? (v >= 0 ? `+${v.toFixed(3)}` : v.toFixed(3)) : '∞');
  return `${f(d.mean)} [${Number.isFinite(d.lo) ? f(d.lo) : '−∞'}, ${f(d.hi)}]`;
};

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...EXPERIMENT_ARGS.values, ...SWEEP_VALUES],
    flags: [...EXPERIMENT_ARGS.flags.filter((f) => f !== 'dedup'), 'json', 'help'],
  });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly sweep --help)`);
  const baseline = parseBaseline(args.values.get('baseline'));
  const seedsRaw = args.values.get('seeds') ?? (baseline ? '1,2,3,4,5,6,7,8,9,10' : '1,2,3');
  const seeds = seedsRaw.split(',').map((s) => s.trim());
  if (seeds.some((s) => s === '')) throw new UsageError('--seeds must be a comma-separated list');
  const workers = numberOption(args, 'workers', availableParallelism(), { integer: true, min: 1, max: 256 });
  const points = sweepPoints(args);
  if (baseline) {
    const shown = pointLabel(baseline);
    const n = points.filter((p) => Object.entries(baseline).every(([k, v]) => k in p.params && String(p.params[k]) === String(v))).length;
    if (n !== 1) throw new UsageError(`--baseline ${shown} matches ${n} configurations; it must name one value of each option that varies`);
  }
  const tty = process.stderr.isTTY === true;
  const result = await runSweep({
    points, seeds, workers, baseline,
    onRun: (done, total, label) => process.stderr.write(`onthefly sweep: ${done}/${total} done: ${escapeTerminal(label)}${tty ? '\x1b[K\r' : '\n'}`),
  });
  if (tty) process.stderr.write('\n');
  if (args.flags.get('json')) {
    process.stdout.write(`${jsonForTerminal({ rows: result.rows, runs: result.runs.map((r) => ({ ...r, result: { ...r.result, rolling: { ...r.result.rolling, series: undefined } } })) })}\n`);
    return 0;
  }
  // The table (and CSV) through a danfo DataFrame of the runs: groupby configuration → mean, std;
  // without danfojs (an optional peer dependency), the library's own aggregation (equal to 1e-9).
  const table = danfoAvailable() ? sweepTableFrame(result.runs) : sweepRecords(result.rows);
  const names = Object.keys(result.rows[0]!.params);
  const csv = args.values.get('csv');
  if (csv !== undefined) {
    const withDelta = table.map((r, i) => {
      const d = result.rows[i]!.delta;
      if (!d) return r;
      const put = (v: number): number | null => (Number.isFinite(v) ? v : null);
      return { ...r, f1_delta: d.f1.mean, f1_delta_lo: put(d.f1.lo), f1_delta_hi: put(d.f1.hi), accuracy_delta: d.accuracy.mean, accuracy_delta_lo: put(d.accuracy.lo), accuracy_delta_hi: put(d.accuracy.hi) };
    });
    writeFileSync(csv, toCsv(withDelta));
  }
  const ms = (r: (typeof table)[number], name: string): MeanStd | null =>
    r[`${name}_mean`] === null ? null : { mean: r[`${name}_mean`] as number, std: r[`${name}_std`] as number };
  const header = [
    ...names.map((n) => (n === 'lambda' ? 'λ' : n)),
    'F1', 'accuracy', 'Bayes F1', 'F1 / Bayes', 'violation rate', 'after burn-in', 'forgetting drop', 'ms/batch p50',
    ...(baseline ? ['Δ F1 [95 % CI]', 'Δ accuracy [95 % CI]'] : []),
  ];
  const rows = table.map((r, i) => {
    const row = result.rows[i]!;
    return [
      ...names.map((n) => { const v = row.params[n]!; return typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v); }),
      pm(ms(r, 'f1')), pm(ms(r, 'accuracy')), pm(ms(r, 'bayes_f1')), pm(ms(r, 'f1_over_bayes')), pm(ms(r, 'violation_rate'), 4), pm(ms(r, 'violation_rate_after_burn_in'), 4), pm(ms(r, 'forgetting_drop')), pm(ms(r, 'train_ms_p50'), 2),
      ...(baseline ? [interval(row.delta?.f1), interval(row.delta?.accuracy)] : []),
    ];
  });
  const against = baseline ? `; Δ: seed-paired difference to ${pointLabel(baseline)}` : '';
  process.stdout.write(`mean ± std over ${seeds.length} seed(s)${against}\n${textTable(header, rows)}`);
  return 0;
}
