import { availableParallelism } from 'node:os';
import { runExperiment } from '../evaluate/run-experiment';
import { groupOnce, runSweep, sharedStream, streamKey, type StreamCache, type SweepResult, type SweepRow } from '../evaluate/run-sweep';
import { runOnPool, type SweepPool } from '../evaluate/sweep-pool';
import type { RunResult } from '../evaluate/run-result';
import { meanStd, type MeanStd } from '../evaluate/mean-std';
import type { ScenarioName } from '../stream/scenarios';
import type { ConstraintGainsOptions } from '../evaluate/constraint-gains';

/** Options shared by the studies of the notebook and `onthefly reproduce`. Every field has a default. */
export interface StudyOptions {
  /** Default "stationary" (the forgetting study always uses "recurring"). */
  scenario?: ScenarioName;
  /** Events per run. Default 20,000. */
  events?: number;
  /** Seed of the main run and the comparison. Default 1. */
  seed?: string | number;
  /** Seeds of the sweeps (each one stream). Default [1, 2, 3]. */
  seeds?: (string | number)[];
  /** λ of the main run and the comparison. Default 0.1. */
  lambda?: number;
  /** Model of the main run. Default "logistic". */
  model?: 'logistic' | 'mlp';
  /** λ values of the sweep. Default [0, 0.1, 1, 10]. */
  lambdas?: number[];
  /** Model of the λ sweep: an MLP can break the constraints, a logistic model on these features hardly does. Default "mlp". */
  sweepModel?: 'logistic' | 'mlp';
  /** Replay ratio tried by the forgetting study. Default 1. */
  replay?: number;
  /** Consolidation (EWC) strength tried by the forgetting study. Default 10. */
  consolidation?: number;
  /** Worker threads for the studies' runs (see SweepConfig.workers; results do not depend on it). Default: the machine's cores. */
  workers?: number;
  /** Run the studies' runs (and the main run) on this pool, shared between studies running at once (see SweepConfig.pool). Default: none. */
  pool?: SweepPool;
  /**
   * Streams shared by the studies (see SweepConfig.streams): each distinct stream read once for all of
   * them (with `pool`, the main run replays its stream too). Default: none (each study reads its own).
   */
  streams?: StreamCache;
  /**
   * The "Where constraints help" study of the report (see constraintGains; its own defaults: logistic,
   * stationary and confounded, 1,500 events, seeds 1–3, λ = 10, auto and a wrong constraint at λ = 10,
   * about 1–2 s). false: left out. Default {}.
   */
  constraintGains?: ConstraintGainsOptions | false;
  /** Progress messages (one line each). */
  onProgress?: (message: string) => void;
}

/** The rolling window for a run of n events: 1,000, or n/10 for short runs (at least 100). */
export function windowFor(events: number): number {
  return Math.max(100, Math.min(1000, Math.floor(events / 10)));
}

function resolve(o: StudyOptions) {
  const events = o.events ?? 20_000;
  return {
    scenario: o.scenario ?? 'stationary',
    events,
    window: windowFor(events),
    seed: o.seed ?? 1,
    seeds: o.seeds ?? [1, 2, 3],
    lambda: o.lambda ?? 0.1,
    model: o.model ?? 'logistic',
    lambdas: o.lambdas ?? [0, 0.1, 1, 10],
    sweepModel: o.sweepModel ?? 'mlp',
    replay: o.replay ?? 1,
    consolidation: o.consolidation ?? 10,
    workers: o.workers ?? availableParallelism(),
    pool: o.pool,
    streams: o.streams,
    say: o.onProgress ?? (() => {}),
  } as const;
}

/** The main run: the paper's setting on the chosen scenario (dedup on, batch 256). */
export async function mainRun(options: StudyOptions = {}): Promise<RunResult> {
  const o = resolve(options);
  o.say(`main run: ${o.scenario}, ${o.events} events, seed ${o.seed}, ${o.model}, λ=${o.lambda}`);
  const config = { scenario: o.scenario, events: o.events, seed: o.seed, window: o.window, learner: { model: o.model, lambda: o.lambda } };
  if (o.pool && o.streams) {
    // The stream the sweeps read too, read once: the main run replays it (the same records, the same result).
    const key = streamKey(config);
    const stream = await sharedStream(o.streams, key, config);
    groupOnce(stream, config);
    return (await runOnPool([{ config, stream: key }], new Map([[key, stream]]), { pool: o.pool }))[0]!;
  }
  if (o.pool) return (await runOnPool([{ config, stream: null }], new Map(), { pool: o.pool }))[0]!;
  return runExperiment(config);
}

/** "mean ± std" with 3 decimals (a single seed: just the mean). */
export function formatMeanStd(x: MeanStd | null, digits = 3): string {
  if (!x) return '—';
  return x.std === 0 ? x.mean.toFixed(digits) : `${x.mean.toFixed(digits)} ± ${x.std.toFixed(digits)}`;
}

/** λ × seeds on the chosen scenario with the sweep model: mean ± std over seeds per λ. */
export async function lambdaSweep(options: StudyOptions = {}): Promise<SweepResult> {
  const o = resolve(options);
  return runSweep({
    base: { scenario: o.scenario, events: o.events, window: o.window, learner: { model: o.sweepModel } },
    lambdas: o.lambdas,
    seeds: o.seeds,
    workers: o.workers,
    pool: o.pool,
    streams: o.streams,
    onRun: (done, total, label) => o.say(`λ sweep ${done}/${total} done: ${label}`),
  });
}

/** Rows of a λ sweep for a table. */
export function sweepTable(rows: readonly SweepRow[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    'λ': r.lambda,
    seeds: r.seeds,
    F1: formatMeanStd(r.f1),
    accuracy: formatMeanStd(r.accuracy),
    precision: formatMeanStd(r.precision),
    recall: formatMeanStd(r.recall),
    'violation rate': formatMeanStd(r.violationRate, 4),
    'Bayes F1': formatMeanStd(r.bayesF1),
    'F1 / Bayes F1': formatMeanStd(r.ratioF1),
  }));
}

/** One configuration of the forgetting study, with its mean ± std over seeds. */
export interface ForgettingRow {
  configuration: string;
  replay: number;
  consolidation: number;
  /** Accuracy on regime A at the end of its first phase. */
  before: MeanStd;
  /** Accuracy on regime A right after the stream returns to it (after training through B). */
  after: MeanStd;
  /** before − after. */
  drop: MeanStd;
  /** The Bayes ceiling's accuracy over the same "after" span. */
  bayesAfter: MeanStd;
  f1: MeanStd;
}

/** Forgetting on `recurring` (A → B → A): none, replay, consolidation, both — over the seeds. */
export async function forgettingStudy(options: StudyOptions = {}): Promise<ForgettingRow[]> {
  const o = resolve(options);
  const sweep = await runSweep({
    base: { scenario: 'recurring', events: o.events, window: o.window, learner: { model: 'logistic' } },
    lambdas: [0],
    seeds: o.seeds,
    replays: [0, o.replay],
    consolidations: [0, o.consolidation],
    workers: o.workers,
    pool: o.pool,
    streams: o.streams,
    onRun: (done, total, label) => o.say(`forgetting ${done}/${total} done: ${label}`),
  });
  const name = (replay: number, consolidation: number): string =>
    replay === 0 && consolidation === 0 ? 'plain' :
      [replay > 0 ? `replay ${replay}` : '', consolidation > 0 ? `EWC ${consolidation}` : ''].filter(Boolean).join(' + ');
  const out: ForgettingRow[] = [];
  for (const row of sweep.rows) {
    const runs = sweep.runs.filter((r) => r.replay === row.replay && r.consolidation === row.consolidation).map((r) => r.result);
    const f = runs.map((r) => r.forgetting);
    if (f.some((x) => x === null)) continue;
    const fs = f as NonNullable<RunResult['forgetting']>[];
    out.push({
      configuration: name(row.replay, row.consolidation),
      replay: row.replay,
      consolidation: row.consolidation,
      before: meanStd(fs.map((x) => x.before)),
      after: meanStd(fs.map((x) => x.after)),
      drop: meanStd(fs.map((x) => x.drop)),
      bayesAfter: meanStd(fs.map((x) => x.bayesAfter ?? NaN)),
      f1: row.f1,
    });
  }
  return out;
}

/** Rows of the forgetting study for a table. */
export function forgettingTable(rows: readonly ForgettingRow[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    configuration: r.configuration,
    'accuracy on A before B': formatMeanStd(r.before),
    'accuracy on A after B': formatMeanStd(r.after),
    'drop (forgetting)': formatMeanStd(r.drop),
    'Bayes accuracy after': formatMeanStd(r.bayesAfter),
    'F1 (whole stream)': formatMeanStd(r.f1),
  }));
}

/** One line of the comparison table. */
export interface ComparisonRow {
  configuration: string;
  precision: number | null;
  recall: number | null;
  f1: number;
  accuracy: number;
  violationRate: number | null;
  trainMsPerBatchP50: number | null;
  eventsPerSec: number | null;
  [key: string]: unknown;
}

/** Column headers of {@link ComparisonRow}s. */
export const COMPARISON_HEADERS: Record<string, string> = {
  configuration: 'configuration', precision: 'precision', recall: 'recall', f1: 'F1', accuracy: 'accuracy',
  violationRate: 'violation rate', trainMsPerBatchP50: 'train ms / batch (p50)', eventsPerSec: 'events / s',
};

/** Several configurations over the same stream (one seed), then the Bayes ceiling and the baselines of the first. */
export async function comparisonStudy(options: StudyOptions = {}): Promise<{ rows: ComparisonRow[]; results: RunResult[] }> {
  const o = resolve(options);
  const configs: { name: string; learner: Record<string, unknown>; dedup?: false }[] = [
    { name: 'logistic, λ = 0', learner: { model: 'logistic', lambda: 0 } },
    { name: `logistic, λ = ${o.lambda}`, learner: { model: 'logistic', lambda: o.lambda } },
    { name: 'MLP [16], λ = 0', learner: { model: 'mlp', lambda: 0 } },
    { name: `MLP [16], λ = ${o.lambda}`, learner: { model: 'mlp', lambda: o.lambda } },
    { name: `logistic, λ = ${o.lambda}, no dedup`, learner: { model: 'logistic', lambda: o.lambda }, dedup: false },
    { name: `logistic, λ = ${o.lambda}, replay ${o.replay} + EWC ${o.consolidation}`, learner: { model: 'logistic', lambda: o.lambda, replay: o.replay, consolidation: o.consolidation } },
  ];
  const sweep = await runSweep({
    base: { scenario: o.scenario, events: o.events, window: o.window },
    points: configs.map((c) => ({ params: { configuration: c.name }, config: { learner: c.learner, ...(c.dedup === false ? { dedup: false as const } : {}) } })),
    seeds: [o.seed],
    workers: o.workers,
    pool: o.pool,
    streams: o.streams,
    onRun: (done, total, label) => o.say(`comparison ${done}/${total} done: ${label}`),
  });
  const results = sweep.runs.map((run) => run.result);
  const rows: ComparisonRow[] = results.map((r, i) => ({
    configuration: configs[i]!.name, precision: r.metrics.precision, recall: r.metrics.recall, f1: r.metrics.f1, accuracy: r.metrics.accuracy,
    violationRate: r.constraints.violationRate, trainMsPerBatchP50: r.timing.trainMsPerBatchP50, eventsPerSec: r.timing.eventsPerSec,
  }));
  const first = results[0];
  if (first.bayes) {
    rows.push({ configuration: 'Bayes ceiling (exact posterior ≥ 0.5)', precision: first.bayes.precision, recall: first.bayes.recall, f1: first.bayes.f1, accuracy: first.bayes.accuracy, violationRate: null, trainMsPerBatchP50: null, eventsPerSec: null });
  }
  rows.push({ configuration: 'majority-class baseline', precision: null, recall: null, f1: first.baselines.majority.f1, accuracy: first.baselines.majority.accuracy, violationRate: null, trainMsPerBatchP50: null, eventsPerSec: null });
  rows.push({ configuration: 'no-change baseline (last label learned)', precision: null, recall: null, f1: first.baselines.noChange.f1, accuracy: first.baselines.noChange.accuracy, violationRate: null, trainMsPerBatchP50: null, eventsPerSec: null });
  return { rows, results };
}
