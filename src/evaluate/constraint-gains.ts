import type { ExperimentConfig } from './experiment-config';
import type { MeanStd } from './mean-std';
import type { PairedDelta } from './paired-delta';
import { runSweep, type SweepPoint } from './run-sweep';
import type { SweepPool } from './sweep-pool';
import type { ScenarioName } from '../stream/scenarios';

/** A deliberately wrong physical assumption: P(critical) decreasing in failed_logins (examples/constraints/wrong.json). */
export const WRONG_CONSTRAINT = { kind: 'monotone', field: 'failed_logins', direction: 'decreasing', name: 'wrong:failed_logins-decreasing' } as const;

/** Options of {@link constraintGains}. Every field has a default (chosen so that the default costs ~1–2 s). */
export interface ConstraintGainsOptions {
  /**
   * Scenarios, each its own streams. Default ["stationary", "confounded"]: `delayed` needs more than
   * 5,000 events to be learned at all (its labels arrive 2,000–5,000 events late), far beyond the
   * default cost; pass it with `events` ≥ 10,000.
   */
  scenarios?: ScenarioName[];
  /** Model. Default "logistic". */
  model?: 'logistic' | 'mlp';
  /** The λ grid compared with λ = 0 (the default constraints). Default [10]. */
  lambdas?: number[];
  /** Also `lambda: "auto"` (violationTarget default). Default true. */
  auto?: boolean;
  /** λ of the wrong constraint ({@link WRONG_CONSTRAINT} alone); null: not run. Default 10. */
  wrongLambda?: number | null;
  /** Seeds (each one stream per scenario, shared by every setting). Default [1, 2, 3]. */
  seeds?: (string | number)[];
  /** Events per run. Default 1,500. */
  events?: number;
  /** Everything else of each run (e.g. `{ unlabelled: true, learner: { constraintPoints: 'range' } }`). Default {}. */
  overrides?: ExperimentConfig;
  /** Worker threads (results do not depend on it). Default 1. */
  workers?: number;
  /** Run on this pool of threads, shared with other sweeps running at once (see SweepConfig.pool). Default: none. */
  pool?: SweepPool;
}

/** One (scenario, setting): F1 and its seed-paired difference to λ = 0 on the same streams. */
export interface ConstraintGainRow {
  scenario: ScenarioName;
  /** "λ = 10", "auto", "wrong, λ = 10" (the λ = 0 baseline row has delta 0). */
  setting: string;
  f1: MeanStd;
  /** F1 − F1 at λ = 0, seed by seed: mean and 95 % t interval. */
  delta: PairedDelta;
  /** Violation rate after the burn-in (first 1,000 events); null when a run is shorter. */
  violationRateAfterBurnIn: MeanStd | null;
  /** The final multipliers of "auto" (mean over seeds, by constraint), else null. */
  lambda: Record<string, number> | null;
}

/** The resolved options and the rows of {@link constraintGains}. */
export interface ConstraintGains {
  options: Required<Omit<ConstraintGainsOptions, 'overrides' | 'pool'>> & { overrides: ExperimentConfig };
  rows: ConstraintGainRow[];
}

/**
 * "Where constraints help" (issue 12): per scenario, the seed-paired F1 difference to λ = 0 of each λ
 * of the grid, of `lambda: "auto"` and of a wrong constraint, with 95 % intervals. Defaults, then
 * `overrides`, then the seed make each run, so the notebook, `onthefly reproduce` and the tests get the
 * same numbers from the same options.
 */
export async function constraintGains(options: ConstraintGainsOptions = {}): Promise<ConstraintGains> {
  const o = {
    scenarios: options.scenarios ?? ['stationary', 'confounded'],
    model: options.model ?? 'logistic',
    lambdas: options.lambdas ?? [10],
    auto: options.auto ?? true,
    wrongLambda: options.wrongLambda === undefined ? 10 : options.wrongLambda,
    seeds: options.seeds ?? [1, 2, 3],
    events: options.events ?? 1500,
    overrides: options.overrides ?? {},
    workers: options.workers ?? 1,
  };
  const pool = options.pool;
  const learner = { ...o.overrides.learner, model: o.model };
  const points: SweepPoint[] = [
    { params: { setting: 'λ = 0' }, config: { learner: { ...learner, lambda: 0 } } },
    ...o.lambdas.map((l) => ({ params: { setting: `λ = ${l}` }, config: { learner: { ...learner, lambda: l } } })),
    ...(o.auto ? [{ params: { setting: 'auto' }, config: { learner: { ...learner, lambda: 'auto' as const } } }] : []),
    ...(o.wrongLambda !== null ? [{ params: { setting: `wrong, λ = ${o.wrongLambda}` }, config: { learner: { ...learner, lambda: o.wrongLambda, constraints: [{ ...WRONG_CONSTRAINT }] } } }] : []),
  ];
  const rows: ConstraintGainRow[] = [];
  for (const scenario of o.scenarios) {
    const r = await runSweep({ base: { ...o.overrides, scenario, events: o.events }, points, seeds: o.seeds, workers: o.workers, pool, baseline: { setting: 'λ = 0' } });
    r.rows.forEach((row, p) => {
      const runs = r.runs.filter((run) => run.params.setting === row.params.setting);
      let lambda: Record<string, number> | null = null;
      if (points[p]!.config.learner?.lambda === 'auto') {
        lambda = {};
        for (const run of runs) for (const [k, v] of Object.entries(run.result.constraints.lambda ?? {})) lambda[k] = (lambda[k] ?? 0) + v / runs.length;
      }
      rows.push({ scenario, setting: String(row.params.setting), f1: row.f1, delta: row.delta!.f1, violationRateAfterBurnIn: row.violationRateAfterBurnIn, lambda });
    });
  }
  return { options: o, rows };
}
