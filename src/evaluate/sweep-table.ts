import type { MeanStd } from './mean-std';
import { pointLabel, type SweepRow } from './run-sweep';

/** The sweep's rows as flat records (mean and std columns): for CSV, DataFrames and HTML tables. */
export function sweepRecords(rows: readonly SweepRow[]): Record<string, number | string | boolean | null>[] {
  const put = (out: Record<string, number | string | boolean | null>, name: string, v: MeanStd | null): void => {
    out[`${name}_mean`] = v ? v.mean : null;
    out[`${name}_std`] = v ? v.std : null;
  };
  return rows.map((r) => {
    const out: Record<string, number | string | boolean | null> = {
      config: pointLabel(r.params), lambda: r.lambda, replay: r.replay, consolidation: r.consolidation, dedup: r.dedup, seeds: r.seeds,
    };
    put(out, 'f1', r.f1);
    put(out, 'accuracy', r.accuracy);
    put(out, 'precision', r.precision);
    put(out, 'recall', r.recall);
    put(out, 'bayes_f1', r.bayesF1);
    put(out, 'f1_over_bayes', r.ratioF1);
    put(out, 'violation_rate', r.violationRate);
    put(out, 'violation_rate_after_burn_in', r.violationRateAfterBurnIn);
    put(out, 'oracle_mae', r.oracleMae);
    put(out, 'forgetting_drop', r.forgettingDrop);
    put(out, 'train_ms_p50', r.trainMsPerBatchP50);
    put(out, 'events_per_sec', r.eventsPerSec);
    if (r.delta) {
      for (const [name, d] of [['f1', r.delta.f1], ['accuracy', r.delta.accuracy]] as const) {
        out[`${name}_delta`] = d.mean;
        out[`${name}_delta_lo`] = Number.isFinite(d.lo) ? d.lo : null;
        out[`${name}_delta_hi`] = Number.isFinite(d.hi) ? d.hi : null;
      }
    }
    return out;
  });
}
