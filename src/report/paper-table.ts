import type { RunResult } from '../evaluate/run-result';
import { PAPER } from './paper';

/** One row of the paper's table beside this run: text or numbers, null where a column does not apply. */
export interface PaperTableRow {
  metric: string;
  paper: number | string;
  thisRun: number | string;
  bayesCeiling: number | string | null;
  majorityBaseline: number | null;
  noChangeBaseline: number | null;
  [key: string]: unknown;
}

/** Column headers of {@link paperTable} rows. */
export const PAPER_TABLE_HEADERS: Record<string, string> = {
  metric: 'metric',
  paper: 'paper (reported)',
  thisRun: 'this run',
  bayesCeiling: 'Bayes ceiling',
  majorityBaseline: 'majority baseline',
  noChangeBaseline: 'no-change baseline',
};

/** Formats for {@link paperTable} columns: the paper's numbers as printed (2 decimals), ours with 3, "—" where a column does not apply. */
export const PAPER_TABLE_FORMAT: Record<string, (value: unknown) => string> = Object.fromEntries(
  ['paper', 'thisRun', 'bayesCeiling', 'majorityBaseline', 'noChangeBaseline'].map((c) => [
    c,
    (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toFixed(c === 'paper' ? 2 : 3) : String(v)),
  ]),
);

function ms(x: number): string {
  return `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
}

/**
 * The paper's table (precision, recall, F1, accuracy, training time per batch) with this run,
 * the Bayes ceiling (the generator's exact posterior, thresholded at 0.5) and the two
 * prequential baselines (majority class and last label among those the learner had been given), all over the same events.
 */
export function paperTable(result: RunResult): PaperTableRow[] {
  const m = result.metrics;
  const b = result.bayes;
  const base = result.baselines;
  return [
    { metric: 'precision', paper: PAPER.precision, thisRun: m.precision, bayesCeiling: b?.precision ?? null, majorityBaseline: null, noChangeBaseline: null },
    { metric: 'recall', paper: PAPER.recall, thisRun: m.recall, bayesCeiling: b?.recall ?? null, majorityBaseline: null, noChangeBaseline: null },
    { metric: 'F1', paper: PAPER.f1, thisRun: m.f1, bayesCeiling: b?.f1 ?? null, majorityBaseline: base.majority.f1, noChangeBaseline: base.noChange.f1 },
    { metric: 'accuracy', paper: PAPER.accuracy, thisRun: m.accuracy, bayesCeiling: b?.accuracy ?? null, majorityBaseline: base.majority.accuracy, noChangeBaseline: base.noChange.accuracy },
    {
      metric: 'training time per batch',
      paper: PAPER.trainTime,
      thisRun: `${ms(result.timing.trainMsPerBatchP50)} (median; p95 ${ms(result.timing.trainMsPerBatchP95)})`,
      bayesCeiling: '—', majorityBaseline: null, noChangeBaseline: null,
    },
  ];
}
