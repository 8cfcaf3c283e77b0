import type { RunResult } from '../evaluate/run-result';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(3));

/** A run's summary as a short readable report (the CLI's output without --json). */
export function formatRun(r: RunResult): string {
  const rows: [string, string, string, string, string][] = [
    ['', 'precision', 'recall', 'F1', 'accuracy'],
    ['model', f3(r.metrics.precision), f3(r.metrics.recall), f3(r.metrics.f1), f3(r.metrics.accuracy)],
  ];
  if (r.bayes) rows.push(['Bayes ceiling', f3(r.bayes.precision), f3(r.bayes.recall), f3(r.bayes.f1), f3(r.bayes.accuracy)]);
  rows.push(['majority class', '', '', f3(r.baselines.majority.f1), f3(r.baselines.majority.accuracy)]);
  rows.push(['no-change', '', '', f3(r.baselines.noChange.f1), f3(r.baselines.noChange.accuracy)]);
  const width = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  ')).join('\n');
  const lines = [
    `events ${r.events} (accepted ${r.accepted}, rejected ${r.rejected}); unique ${r.unique}, duplicates ${r.duplicates}` +
      (r.dedup.enabled ? `; ${r.dedup.groups} groups, compression ${r.dedup.compression.toFixed(2)}×, ${r.dedup.evictions} evictions` : '; dedup off'),
    '',
    table,
    '',
  ];
  if (r.ratio) lines.push(`achieved / Bayes: F1 ${f3(r.ratio.f1)}, accuracy ${f3(r.ratio.accuracy)}`);
  lines.push(`kappa ${f3(r.metrics.kappa)}; rolling (last ${r.rolling.window}): F1 ${f3(r.rolling.f1)}, accuracy ${f3(r.rolling.accuracy)}`);
  lines.push(`constraint violation rate ${f3(r.constraints.violationRate)}`);
  if (r.forgetting) {
    lines.push(`forgetting on regime ${r.forgetting.regime}: accuracy ${f3(r.forgetting.before)} before → ${f3(r.forgetting.after)} after the return (drop ${f3(r.forgetting.drop)})`);
  }
  lines.push(
    `training: ${r.timing.batches} steps, ${r.timing.trainMsPerBatchP50.toFixed(3)} ms p50 / ${r.timing.trainMsPerBatchP95.toFixed(3)} ms p95 per batch; ` +
      `${r.timing.eventsPerSec} events/s end to end; backend ${r.backend}` + (r.skippedBatches ? `; ${r.skippedBatches} batches skipped (non-finite)` : ''),
  );
  return `${lines.join('\n')}\n`;
}
