import type { ExperimentConfig } from './experiment-config';
import { meanStd, type MeanStd } from './mean-std';
import { groupPackedStream, groupingKey, readPackedStream, type PackedStream } from './packed-stream';
import { resolveExperiment } from './resolve-experiment';
import { pairedDelta, type PairedDelta } from './paired-delta';
import { runExperiment } from './run-experiment';
import type { RunResult } from './run-result';
import { runOnPool, type PoolTask, type SweepPool } from './sweep-pool';

/** Read streams shared between sweeps, by {@link streamKey}: each distinct stream is read once for all of them. */
export type StreamCache = Map<string, Promise<PackedStream>>;

/** A value of a swept option, as shown in the table. */
export type ParamValue = string | number | boolean;

/** One configuration of a sweep: what it sets (for the table) and the experiment options it overrides. */
export interface SweepPoint {
  /** The options this configuration sets, by name, e.g. `{ lambda: 0.1, model: 'mlp' }`. */
  params: Record<string, ParamValue>;
  /** Overrides of `base` (its `learner` options are merged into the base's). */
  config: ExperimentConfig;
}

/** A grid of configurations, each run over the same streams (one per seed). */
export interface SweepConfig {
  /** Everything the grid does not vary. Default: runExperiment's defaults. */
  base?: ExperimentConfig;
  /**
   * The configurations. Default: the grid lambdas × replays × consolidations × dedups below (params
   * `lambda`, `replay`, `consolidation`, `dedup`).
   */
  points?: SweepPoint[];
  /** λ values (without `points`). Default [0, 0.1, 1]. */
  lambdas?: number[];
  /** Seeds: each is one stream (and learner seed); every configuration sees the same streams. Default [1, 2, 3]. */
  seeds?: (string | number)[];
  /** Replay ratios (without `points`). Default: the base's (0). */
  replays?: number[];
  /** Consolidation strengths (without `points`). Default: the base's (0). */
  consolidations?: number[];
  /** Dedup on/off (without `points`). Default [true] (or [false] when the base turns dedup off). */
  dedups?: boolean[];
  /**
   * Worker threads, each running whole configurations. Default 1: every run in this thread. The
   * results are the same for any number (only timing fields differ). Runs whose options cannot be
   * sent to a thread (a custom constraint's function) always run in this thread.
   */
  workers?: number;
  /**
   * Run the configurations on this pool's threads (shared with other sweeps running at the same time,
   * as `reproduce` does) instead of starting `workers` threads for this sweep. Default: none.
   */
  pool?: SweepPool;
  /**
   * Read, parse and validate each distinct stream (a file, or the generator's per seed) once and
   * replay it for every configuration. Default true (with more than one configuration).
   */
  parseOnce?: boolean;
  /**
   * Streams read by earlier or concurrent sweeps, by {@link streamKey} (e.g. the studies of `reproduce`
   * on one pool): a stream found here is replayed instead of read again, and every stream this sweep
   * reads is put here (with the dedup decisions made over it) for the next. Default: none.
   */
  streams?: StreamCache;
  /**
   * The configuration every row is compared with, seed by seed: the params that pick it out (e.g.
   * `{ lambda: 0 }`; values compared as text). Rows then carry `delta`. Default: none.
   */
  baseline?: Record<string, ParamValue>;
  /** Called as runs finish: how many are done, of how many, and the run's label. */
  onRun?: (done: number, total: number, label: string) => void;
}

/** Seed-paired differences to the baseline configuration (95 % intervals over the seeds). */
export interface SweepDelta {
  f1: PairedDelta;
  accuracy: PairedDelta;
}

/** One configuration of the grid with its metrics over the seeds. */
export interface SweepRow {
  /** What this configuration sets (see SweepPoint.params). */
  params: Record<string, ParamValue>;
  /** The effective λ ("auto": adapted multipliers), replay ratio, consolidation strength and dedup setting of the configuration. */
  lambda: number | 'auto';
  replay: number;
  consolidation: number;
  dedup: boolean;
  seeds: number;
  f1: MeanStd;
  accuracy: MeanStd;
  precision: MeanStd;
  recall: MeanStd;
  /** Null when the stream has no oracle. */
  bayesF1: MeanStd | null;
  /** achieved F1 / Bayes F1. */
  ratioF1: MeanStd | null;
  violationRate: MeanStd;
  /** Violation rate after the collector's burn-in (the first 1,000 events); null when a run has no event after it. */
  violationRateAfterBurnIn: MeanStd | null;
  /** Mean |p − oracle_p|; null when the stream has no oracle. */
  oracleMae: MeanStd | null;
  /** accuracy before − after the return to a regime; null when no regime returns. */
  forgettingDrop: MeanStd | null;
  trainMsPerBatchP50: MeanStd;
  eventsPerSec: MeanStd;
  /** Against `baseline`, seed by seed; null without a baseline. */
  delta: SweepDelta | null;
}

export interface SweepRun {
  params: Record<string, ParamValue>;
  lambda: number | 'auto';
  replay: number;
  consolidation: number;
  dedup: boolean;
  seed: string | number;
  result: RunResult;
}

export interface SweepResult {
  rows: SweepRow[];
  runs: SweepRun[];
}

function stat(values: (number | null | undefined)[]): MeanStd | null {
  if (values.some((v) => v === null || v === undefined)) return null;
  return meanStd(values as number[]);
}

/** The label of a configuration, e.g. `λ=0.1 model=mlp`. */
export function pointLabel(params: Record<string, ParamValue>): string {
  return Object.entries(params).map(([k, v]) => `${k === 'lambda' ? 'λ' : k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`).join(' ');
}

/** The grid of the classic options (λ × replay × consolidation × dedup), as points. */
function classicGrid(config: SweepConfig, base: ExperimentConfig): SweepPoint[] {
  const lambdas = config.lambdas ?? [0, 0.1, 1];
  const replays = config.replays ?? [base.learner?.replay ?? 0];
  const consolidations = config.consolidations ?? [base.learner?.consolidation ?? 0];
  const dedups = config.dedups ?? [base.dedup !== false];
  return dedups.flatMap((dedup) => replays.flatMap((replay) => consolidations.flatMap((consolidation) => lambdas.map((lambda) => ({
    params: { lambda, replay, consolidation, dedup },
    config: { learner: { lambda, replay, consolidation }, dedup: dedup ? (base.dedup === false ? {} : base.dedup ?? {}) : false },
  })))));
}

/** The experiment of one (configuration, seed): base, then the point's overrides, then the seed. */
function experimentOf(base: ExperimentConfig, point: SweepPoint, seed: string | number): ExperimentConfig {
  return {
    ...base,
    ...point.config,
    seed,
    learner: { ...base.learner, ...point.config.learner, seed },
    audit: undefined,
    checkpoint: undefined,
    resume: undefined,
    onProgress: undefined,
    onStep: undefined,
  };
}

/** Which stream a run reads: runs with equal keys read identical records. */
export function streamKey(c: ExperimentConfig): string {
  const source = c.input !== undefined
    ? { input: c.input }
    : c.synth !== undefined
      ? { synth: c.synth, events: c.events ?? 10_000, seed: c.seed ?? 1 }
      : { scenario: c.scenario ?? 'stationary', events: c.events ?? 10_000, seed: c.seed ?? 1 };
  return JSON.stringify({ source, schema: c.schema ?? null });
}

/**
 * The stream of key `key` (that of `config`'s source): from the cache when an earlier sweep read it,
 * else read now (and put in the cache for the next).
 */
export function sharedStream(cache: StreamCache | undefined, key: string, config: ExperimentConfig): Promise<PackedStream> {
  const known = cache?.get(key);
  if (known) return known;
  const read = readPackedStream(config);
  cache?.set(key, read);
  // A failed read is not kept: the next sweep tries again (and reports its own error).
  read.catch(() => cache?.delete(key));
  return read;
}

/** Make the dedup decisions of `config`'s runs over `stream` once (kept on the stream, replayed by every run with that dedup setting). */
export function groupOnce(stream: PackedStream, config: ExperimentConfig): void {
  const cfg = resolveExperiment(config);
  const g = groupingKey(cfg);
  if (g === null || !cfg.dedup || stream.groupings?.[g]) return;
  stream.groupings = { ...stream.groupings, [g]: groupPackedStream(stream, cfg.dedup) };
}

function cloneable(c: ExperimentConfig): boolean {
  try {
    structuredClone(c);
    return true;
  } catch {
    return false;
  }
}

/**
 * Run every configuration over every seed; aggregate mean ± std over the seeds and, with a baseline,
 * the seed-paired differences to it. Each (configuration, seed) is one runExperiment, so a sweep's run
 * equals the same `onthefly run` (metric for metric) whatever `workers` and `parseOnce` are.
 */
export async function runSweep(config: SweepConfig = {}): Promise<SweepResult> {
  const base = config.base ?? {};
  const seeds = config.seeds ?? [1, 2, 3];
  if (seeds.length === 0) throw new RangeError('runSweep: seeds must not be empty');
  const points = config.points ?? classicGrid(config, base);
  if (points.length === 0) throw new RangeError('runSweep: no configuration to run');
  const workers = config.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`runSweep: workers must be a positive integer, got ${workers}`);
  const total = points.length * seeds.length;

  // Runs in table order: configuration-major, then seed.
  const experiments = points.flatMap((p) => seeds.map((seed) => ({ point: p, seed, config: experimentOf(base, p, seed) })));
  const label = (i: number): string => `${pointLabel(experiments[i]!.point.params)} seed=${experiments[i]!.seed}`;

  // Parse once: each distinct stream read a single time, replayed by every run that reads it.
  const parseOnce = (config.parseOnce ?? true) && points.length > 1;
  const streams = new Map<string, PackedStream>();
  const keys = experiments.map((e) => (parseOnce ? streamKey(e.config) : null));
  for (let i = 0; i < experiments.length; i++) {
    const k = keys[i];
    if (k !== null && k !== undefined && !streams.has(k)) streams.set(k, await sharedStream(config.streams, k, experiments[i]!.config));
  }
  // Group once too: each stream's dedup decisions under each dedup setting its runs use, replayed by them.
  for (let i = 0; i < experiments.length; i++) {
    const stream = keys[i] ? streams.get(keys[i]!) : undefined;
    if (stream) groupOnce(stream, experiments[i]!.config);
  }

  const results: RunResult[] = new Array(experiments.length);
  let done = 0;
  const pooled: number[] = [];
  const local: number[] = [];
  const threads = config.pool ? config.pool.workers : workers;
  experiments.forEach((e, i) => ((config.pool || workers > 1) && cloneable(e.config) ? pooled : local).push(i));
  // Stream-major order on the pool: a thread is sent each stream once.
  pooled.sort((a, b) => (keys[a] ?? '').localeCompare(keys[b] ?? '') || a - b);
  const onPool = pooled.length > 0
    ? runOnPool(pooled.map((i): PoolTask => ({ config: experiments[i]!.config, stream: keys[i] ?? null })), streams, {
      workers: threads,
      pool: config.pool,
      onDone: (j) => config.onRun?.(++done, total, label(pooled[j]!)),
    })
    : Promise.resolve([] as RunResult[]);
  for (const i of local) {
    const k = keys[i];
    results[i] = await runExperiment({ ...experiments[i]!.config, records: k ? streams.get(k) : undefined });
    config.onRun?.(++done, total, label(i));
  }
  (await onPool).forEach((r, j) => (results[pooled[j]!] = r));

  const runs: SweepRun[] = experiments.map((e, i) => ({ params: e.point.params, ...effective(base, e.point), seed: e.seed, result: results[i]! }));
  const perPoint = points.map((_, p) => runs.slice(p * seeds.length, (p + 1) * seeds.length));
  const baselineIndex = config.baseline ? findBaseline(points, config.baseline) : -1;
  const rows: SweepRow[] = points.map((point, p) => {
    const mine = perPoint[p]!.map((r) => r.result);
    const ref = baselineIndex >= 0 ? perPoint[baselineIndex]!.map((r) => r.result) : null;
    return {
      params: point.params,
      ...effective(base, point),
      seeds: seeds.length,
      f1: meanStd(mine.map((r) => r.metrics.f1)),
      accuracy: meanStd(mine.map((r) => r.metrics.accuracy)),
      precision: meanStd(mine.map((r) => r.metrics.precision)),
      recall: meanStd(mine.map((r) => r.metrics.recall)),
      bayesF1: stat(mine.map((r) => r.bayes?.f1)),
      ratioF1: stat(mine.map((r) => r.ratio?.f1)),
      violationRate: meanStd(mine.map((r) => r.constraints.violationRate)),
      violationRateAfterBurnIn: stat(mine.map((r) => r.constraints.violationRateAfterBurnIn)),
      oracleMae: stat(mine.map((r) => r.oracleMae)),
      forgettingDrop: stat(mine.map((r) => r.forgetting?.drop)),
      trainMsPerBatchP50: meanStd(mine.map((r) => r.timing.trainMsPerBatchP50)),
      eventsPerSec: meanStd(mine.map((r) => r.timing.eventsPerSec)),
      delta: ref
        ? {
          f1: pairedDelta(mine.map((r) => r.metrics.f1), ref.map((r) => r.metrics.f1)),
          accuracy: pairedDelta(mine.map((r) => r.metrics.accuracy), ref.map((r) => r.metrics.accuracy)),
        }
        : null,
    };
  });
  return { rows, runs };
}

/** λ, replay, consolidation and dedup in force for a configuration. */
function effective(base: ExperimentConfig, point: SweepPoint): Pick<SweepRow, 'lambda' | 'replay' | 'consolidation' | 'dedup'> {
  const learner = { ...base.learner, ...point.config.learner };
  const dedup = point.config.dedup !== undefined ? point.config.dedup : base.dedup;
  return {
    lambda: learner.lambda === 'auto' ? 'auto' : typeof learner.lambda === 'number' ? learner.lambda : 0,
    replay: learner.replay ?? 0,
    consolidation: learner.consolidation ?? 0,
    dedup: dedup !== false,
  };
}

function findBaseline(points: readonly SweepPoint[], baseline: Record<string, ParamValue>): number {
  const wanted = Object.entries(baseline);
  const matches = points.flatMap((p, i) => (wanted.every(([k, v]) => k in p.params && String(p.params[k]) === String(v)) ? [i] : []));
  const shown = pointLabel(baseline);
  if (matches.length === 0) throw new RangeError(`runSweep: no configuration matches the baseline ${shown}`);
  if (matches.length > 1) throw new RangeError(`runSweep: ${matches.length} configurations match the baseline ${shown}; name more options`);
  return matches[0]!;
}
