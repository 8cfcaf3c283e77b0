import type { RunResult } from '../evaluate/run-result';
import { formatSummary } from './evaluate';
import { escapeTerminal } from '../show/escape-terminal';

/**
 * A run's summary as a short readable report (the CLI's output without --json): what the run read
 * and deduplicated, the metrics block `onthefly evaluate` prints, then timing and backend. Text that
 * may come from the stream is escaped for the terminal (see escapeTerminal).
 */
export function formatRun(r: RunResult): string {
  const head =
    `events ${r.events} (accepted ${r.accepted}, rejected ${r.rejected}); unique ${r.unique}, duplicates ${r.duplicates}` +
    (r.dedup.enabled ? `; ${r.dedup.groups} groups, compression ${r.dedup.compression.toFixed(2)}×, ${r.dedup.evictions} evictions` : '; dedup off');
  const timing =
    `training: ${r.timing.batches} steps, ${r.timing.trainMsPerBatchP50.toFixed(3)} ms p50 / ${r.timing.trainMsPerBatchP95.toFixed(3)} ms p95 per batch; ` +
    `${r.timing.eventsPerSec} events/s end to end; backend ${escapeTerminal(r.backend)}` + (r.skippedBatches ? `; ${r.skippedBatches} batches skipped (non-finite)` : '');
  return `${head}

${formatSummary({ ...r, events: r.accepted, duplicates: r.duplicates }, '', false)}${timing}
`;
}
