/** `onthefly evaluate`: recompute the prequential metrics from an audit log written by `onthefly run --audit`. */
import { statSync } from 'node:fs';
import { textTable } from './text-table';
import { escapeTerminal, jsonForTerminal } from '../show/escape-terminal';
import { numberOption, parseArgs, UsageError } from './args';
import { evaluateAudit } from '../evaluate/audit';
import type { MetricsSummary } from '../evaluate/summary';

const HELP = `usage: onthefly evaluate --audit FILE [--json] [--window N] [--forgetting-window N]

Reads an audit log (one JSON line per event, from \`onthefly run --audit FILE\`) and recomputes the
prequential metrics: precision, recall, F1, accuracy, Cohen's kappa, confusion matrix, rolling window,
Bayes ceiling and ratio (when the stream had oracle_p), majority and no-change baselines, constraint
violation rate, forgetting where a regime returns. With the same window options as the run, the numbers
equal the run's.

  --audit FILE             the audit log (required)
  --json                   print exactly one JSON object on stdout
  --window N               rolling window (default 1000, as in run)
  --forgetting-window N    events before/after a regime's return (default: the window, as in run)

Exit codes: 0 ok, 1 unreadable or malformed audit log, 2 usage error.
`;

const f = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(4));

/** A plain-text table of a summary. Text from the stream (regime names) and the title are escaped with {@link escapeTerminal}. */
export function formatSummary(s: MetricsSummary, title = '', counts = true): string {
  const rows: string[][] = [['', 'precision', 'recall', 'f1', 'accuracy', 'kappa']];
  const m = s.metrics;
  rows.push(['model', f(m.precision), f(m.recall), f(m.f1), f(m.accuracy), f(m.kappa)]);
  if (s.bayes) rows.push(['bayes ceiling', f(s.bayes.precision), f(s.bayes.recall), f(s.bayes.f1), f(s.bayes.accuracy), f(s.bayes.kappa)]);
  rows.push(['majority baseline', '', '', f(s.baselines.majority.f1), f(s.baselines.majority.accuracy), '']);
  rows.push(['no-change baseline', '', '', f(s.baselines.noChange.f1), f(s.baselines.noChange.accuracy), '']);
  rows.push([`rolling (last ${s.rolling.window})`, '', '', f(s.rolling.f1), f(s.rolling.accuracy), '']);
  const lines: string[] = [];
  if (title) lines.push(escapeTerminal(title));
  if (counts) lines.push(`events ${s.events}  (duplicates ${s.duplicates})`, '');
  lines.push(textTable(rows[0], rows.slice(1)));
  const c = m.confusion;
  lines.push(`confusion        tp ${c.tp}  fp ${c.fp}  tn ${c.tn}  fn ${c.fn}`);
  lines.push(`achieved/Bayes   ${s.ratio ? `f1 ${f(s.ratio.f1)}  accuracy ${f(s.ratio.accuracy)}` : '— (no oracle_p in the stream)'}`);
  lines.push(`violation rate   ${f(s.constraints.violationRate)}  (${s.constraints.violations} events)`);
  if (s.forgetting) {
    const g = s.forgetting;
    lines.push(`forgetting       regime ${escapeTerminal(g.regime)}: accuracy before ${f(g.before)} (${g.beforeEvents} ev)  after return ${f(g.after)} (${g.afterEvents} ev)  drop ${f(g.drop)}` +
      (g.bayesBefore !== null && g.bayesAfter !== null ? `  [Bayes ${f(g.bayesBefore)} → ${f(g.bayesAfter)}]` : ''));
  } else {
    lines.push('forgetting       — (no regime returns)');
  }
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['audit', 'window', 'forgetting-window'], flags: ['json', 'help'] });
  if (args.flags.get('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (see onthefly evaluate --help)`);
  const audit = args.values.get('audit');
  if (audit === undefined || audit === '') throw new UsageError('evaluate needs --audit FILE (see onthefly evaluate --help)');
  const window = numberOption(args, 'window', 1000, { integer: true, min: 1 });
  const forgettingWindow = numberOption(args, 'forgetting-window', window, { integer: true, min: 1 });
  try {
    if (!statSync(audit).isFile()) throw new Error('not a regular file');
  } catch (err) {
    process.stderr.write(`onthefly evaluate: cannot read ${escapeTerminal(audit)}: ${escapeTerminal((err as NodeJS.ErrnoException).code ?? (err as Error).message)}\n`);
    return 1;
  }
  let summary: MetricsSummary;
  try {
    summary = await evaluateAudit(audit, { window, forgettingWindow });
  } catch (err) {
    process.stderr.write(`onthefly evaluate: ${escapeTerminal((err as Error).message)}\n`);
    return 1;
  }
  if (args.flags.get('json')) process.stdout.write(jsonForTerminal({ audit, ...summary }) + '\n');
  else process.stdout.write(formatSummary(summary, `audit ${audit}`));
  return 0;
}
