import { groupMeanStd } from '../frame/frame';
import { pointLabel, type SweepRun } from './run-sweep';

/** Per-run metric columns of a sweep, as named in its table and CSV (`<name>_mean`, `<name>_std`). */
const METRICS: [string, (r: SweepRun['result']) => number | null | undefined][] = [
  ['f1', (r) => r.metrics.f1],
  ['accuracy', (r) => r.metrics.accuracy],
  ['precision', (r) => r.metrics.precision],
  ['recall', (r) => r.metrics.recall],
  ['bayes_f1', (r) => r.bayes?.f1],
  ['f1_over_bayes', (r) => r.ratio?.f1],
  ['violation_rate', (r) => r.constraints.violationRate],
  ['violation_rate_after_burn_in', (r) => r.constraints.violationRateAfterBurnIn],
  ['oracle_mae', (r) => r.oracleMae],
  ['forgetting_drop', (r) => r.forgetting?.drop],
  ['train_ms_p50', (r) => r.timing.trainMsPerBatchP50],
  ['events_per_sec', (r) => r.timing.eventsPerSec],
];

/**
 * The sweep table from its runs through a danfo DataFrame (groupby configuration → mean, std over
 * the seeds): one record per configuration, in grid order, with the columns of sweepRecords.
 */
export function sweepTableFrame(runs: readonly SweepRun[]): Record<string, number | string | boolean | null>[] {
  const by = ['config', 'lambda', 'replay', 'consolidation', 'dedup'];
  const perRun = runs.map((run) => {
    const row: Record<string, unknown> = { config: pointLabel(run.params), lambda: run.lambda, replay: run.replay, consolidation: run.consolidation, dedup: run.dedup };
    for (const [name, get] of METRICS) row[name] = get(run.result) ?? null;
    return row;
  });
  return groupMeanStd(perRun, by, METRICS.map(([name]) => name)).map((g) => {
    const out: Record<string, number | string | boolean | null> = {
      config: g.config as string, lambda: g.lambda as number | string, replay: g.replay as number, consolidation: g.consolidation as number, dedup: g.dedup as boolean,
      seeds: g.count as number,
    };
    for (const [name] of METRICS) {
      out[`${name}_mean`] = g[`${name}_mean`] as number | null;
      out[`${name}_std`] = g[`${name}_std`] as number | null;
    }
    return out;
  });
}
