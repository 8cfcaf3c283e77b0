import type { RunResult } from '../evaluate/run-result';
import { formatSummary } from './evaluate';

/**
 * A run's summary as a short readable report (the CLI's output without --json): what the run read
 * and deduplicated, the metrics block `onthefly evaluate` prints, then timing and backend.
 */
export function formatRun(r: RunResult): string {
  const head =
    `events ${r.events} (accepted ${r.accepted}, rejected ${r.rejected}); unique ${r.unique}, duplicates ${r.duplicates}` +
    (r.dedup.enabled ? `; ${r.dedup.groups} groups, compression ${r.dedup.compression.toFixed(2)}×, ${r.dedup.evictions} evictions` : '; dedup off');
  const timing =
    `training: ${r.timing.batches} steps, ${r.timing.trainMsPerBatchP50.toFixed(3)} ms p50 / ${r.timing.trainMsPerBatchP95.toFixed(3)} ms p95 per batch; ` +
    `${r.timing.eventsPerSec} events/s end to end; backend ${r.backend}` + (r.skippedBatches ? `; ${r.skippedBatches} batches skipped (non-finite)` : '');
  return `${head}

${formatSummary({ ...r, events: r.accepted, duplicates: r.duplicates }, '', false)}${timing}
`;
}
