import type { ExperimentConfig } from './experiment-config';
import { meanStd, type MeanStd } from './mean-std';
import { runExperiment } from './run-experiment';
import type { RunResult } from './run-result';

/** A grid of configurations, each run over the same streams (one per seed). */
export interface SweepConfig {
  /** Everything the grid does not vary. Default: runExperiment's defaults. */
  base?: ExperimentConfig;
  /** λ values. Default [0, 0.1, 1]. */
  lambdas?: number[];
  /** Seeds: each is one stream (and learner seed); every configuration sees the same streams. Default [1, 2, 3]. */
  seeds?: (string | number)[];
  /** Replay ratios. Default: the base's (0). */
  replays?: number[];
  /** Consolidation strengths. Default: the base's (0). */
  consolidations?: number[];
  /** Dedup on/off. Default [true] (or [false] when the base turns dedup off). */
  dedups?: boolean[];
  /** Called before each run. */
  onRun?: (done: number, total: number, label: string) => void;
}

/** One configuration of the grid with its metrics over the seeds. */
export interface SweepRow {
  lambda: number;
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
  /** accuracy before − after the return to a regime; null when no regime returns. */
  forgettingDrop: MeanStd | null;
  trainMsPerBatchP50: MeanStd;
  eventsPerSec: MeanStd;
}

export interface SweepRun {
  lambda: number;
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

/** Run every configuration of the grid over every seed; aggregate mean ± std over the seeds. */
export async function runSweep(config: SweepConfig = {}): Promise<SweepResult> {
  const base = config.base ?? {};
  const lambdas = config.lambdas ?? [0, 0.1, 1];
  const seeds = config.seeds ?? [1, 2, 3];
  const replays = config.replays ?? [base.learner?.replay ?? 0];
  const consolidations = config.consolidations ?? [base.learner?.consolidation ?? 0];
  const dedups = config.dedups ?? [base.dedup !== false];
  const grid = dedups.flatMap((dedup) => replays.flatMap((replay) =>
    consolidations.flatMap((consolidation) => lambdas.map((lambda) => ({ lambda, replay, consolidation, dedup })))));
  const total = grid.length * seeds.length;
  const runs: SweepRun[] = [];
  const rows: SweepRow[] = [];
  for (const g of grid) {
    const mine: RunResult[] = [];
    for (const seed of seeds) {
      config.onRun?.(runs.length, total, `λ=${g.lambda} replay=${g.replay} consolidation=${g.consolidation} dedup=${g.dedup ? 'on' : 'off'} seed=${seed}`);
      const result = await runExperiment({
        ...base,
        seed,
        learner: { ...base.learner, lambda: g.lambda, replay: g.replay, consolidation: g.consolidation, seed },
        dedup: g.dedup ? (base.dedup === false ? {} : base.dedup ?? {}) : false,
        audit: undefined,
        checkpoint: undefined,
      });
      mine.push(result);
      runs.push({ ...g, seed, result });
    }
    rows.push({
      ...g,
      seeds: seeds.length,
      f1: meanStd(mine.map((r) => r.metrics.f1)),
      accuracy: meanStd(mine.map((r) => r.metrics.accuracy)),
      precision: meanStd(mine.map((r) => r.metrics.precision)),
      recall: meanStd(mine.map((r) => r.metrics.recall)),
      bayesF1: stat(mine.map((r) => r.bayes?.f1)),
      ratioF1: stat(mine.map((r) => r.ratio?.f1)),
      violationRate: meanStd(mine.map((r) => r.constraints.violationRate)),
      forgettingDrop: stat(mine.map((r) => r.forgetting?.drop)),
      trainMsPerBatchP50: meanStd(mine.map((r) => r.timing.trainMsPerBatchP50)),
      eventsPerSec: meanStd(mine.map((r) => r.timing.eventsPerSec)),
    });
  }
  return { rows, runs };
}
