import { availableParallelism } from 'node:os';
import type { RunResult } from '../evaluate/run-result';
import { SweepPool } from '../evaluate/sweep-pool';
import type { SweepResult } from '../evaluate/run-sweep';
import type { Figure } from '../show/figure';
import { tableMarkdown } from '../show/table-markdown';
import { toCsv } from './csv';
import { forgettingFigure, paperFigure, rollingFigure, sweepFigure } from './figures';
import { PAPER, PAPER_F1_FROM_PR } from './paper';
import { paperTable, PAPER_TABLE_FORMAT, PAPER_TABLE_HEADERS, type PaperTableRow } from './paper-table';
import { renderReport, type ReportSection } from './render-report';
import { constraintGains, type ConstraintGains } from '../evaluate/constraint-gains';
import { constraintGainsTable } from './constraint-gains-table';
import {
  COMPARISON_HEADERS, comparisonStudy, forgettingStudy, forgettingTable, lambdaSweep, mainRun, sweepTable,
  windowFor, type ComparisonRow, type ForgettingRow, type StudyOptions,
} from './studies';

/** Everything `onthefly reproduce` (and the notebook) produce. */
export interface Reproduction {
  main: RunResult;
  paperRows: PaperTableRow[];
  sweep: SweepResult;
  forgetting: ForgettingRow[];
  comparison: ComparisonRow[];
  /** "Where constraints help" (null when StudyOptions.constraintGains is false). */
  constraintGains: ConstraintGains | null;
  figures: Record<'rolling' | 'paper' | 'sweep' | 'forgetting', Figure>;
  /** The paper's table as Markdown (with a short header). */
  markdown: string;
  /** The paper's table as CSV. */
  csv: string;
  /** The self-contained report page. */
  html: string;
  /** The settings used (JSON-safe). */
  settings: Record<string, unknown>;
}

const CSV_COLUMNS = ['metric', 'paper', 'thisRun', 'bayesCeiling', 'majorityBaseline', 'noChangeBaseline'];

/** The paper's table as Markdown: a title line, the settings, the table, a note on the paper's F1. */
export function paperMarkdown(rows: readonly PaperTableRow[], settings: Record<string, unknown>): string {
  const line = Object.entries(settings).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`).join(', ');
  return (
    "# The paper's table, reproduced\n\n" +
    `Settings: ${line}.\n\n` +
    tableMarkdown(rows, { headers: PAPER_TABLE_HEADERS, columns: CSV_COLUMNS, format: PAPER_TABLE_FORMAT }) +
    `\nThe paper's F1 (${PAPER.f1}) is not the harmonic mean of its precision and recall ` +
    `(${PAPER_F1_FROM_PR.toFixed(2)}); both are shown as printed. The Bayes ceiling scores the generator's exact ` +
    'posterior (≥ 0.5 ⇒ critical) on the same events: no model can beat it in expectation.\n'
  );
}

/** Run the main run, the λ sweep, the forgetting study and the comparison; build the table, figures and report. */
export async function reproduce(options: StudyOptions = {}): Promise<Reproduction> {
  const settings: Record<string, unknown> = {
    scenario: options.scenario ?? 'stationary',
    events: options.events ?? 20_000,
    seed: options.seed ?? 1,
    model: options.model ?? 'logistic',
    lambda: options.lambda ?? 0.1,
    'sweep λ': options.lambdas ?? [0, 0.1, 1, 10],
    'sweep model': options.sweepModel ?? 'mlp',
    seeds: options.seeds ?? [1, 2, 3],
    window: windowFor(options.events ?? 20_000),
  };
  // All four on one pool of threads at once (the main run too): every core busy until the last run.
  // Each run is the same computation wherever it runs, so the results do not depend on this.
  const pool = options.pool ?? new SweepPool({ workers: options.workers ?? availableParallelism() });
  // The threads load their modules while this thread reads the streams.
  if (!options.pool) pool.warm();
  let main: RunResult, sweep: SweepResult, forgetting: ForgettingRow[], comparison: ComparisonRow[];
  let gains: ConstraintGains | null;
  try {
    // One read of each distinct stream for all of them (the main run's is the sweep's and the comparison's seed).
    const o = { ...options, pool, streams: options.streams ?? new Map() };
    if (options.constraintGains !== false) options.onProgress?.('where constraints help: paired F1 differences to λ = 0');
    [main, sweep, forgetting, comparison, gains] = await Promise.all([
      mainRun(o), lambdaSweep(o), forgettingStudy(o), comparisonStudy(o).then((c) => c.rows),
      options.constraintGains === false ? Promise.resolve(null) : constraintGains({ workers: options.workers, pool, ...options.constraintGains }),
    ]);
  } finally {
    if (!options.pool) await pool.close();
  }
  const paperRows = paperTable(main);
  const gainsSection: ReportSection[] = gains
    ? [{
      title: 'Where constraints help',
      paragraphs: [
        `Per scenario, the seed-paired F1 difference of each setting to λ = 0 on the same streams, with its 95 % t interval (${gains.options.model}, ` +
          `${gains.options.events} events, seeds ${gains.options.seeds.join(', ')}; the wrong constraint is P(critical) decreasing in failed_logins). ` +
          'Short runs: the README table has the 20,000-event, 10-seed measurement, delayed included.',
      ],
      tables: [{ rows: constraintGainsTable(gains.rows) }],
    }]
    : [];
  const figures = {
    rolling: rollingFigure(main),
    paper: paperFigure(main),
    sweep: sweepFigure(sweep.rows),
    forgetting: forgettingFigure(forgetting),
  };
  const markdown = paperMarkdown(paperRows, settings);
  const csv = toCsv(paperRows, CSV_COLUMNS);
  const html = renderReport({
    title: 'onthefly: the paper reproduced',
    subtitle: `Settings: ${Object.entries(settings).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`).join(' · ')}`,
    sections: [
      {
        title: "The paper's table",
        paragraphs: [
          'Prequential (test-then-train) scores over the whole stream: every event is predicted by the current model before its label is used.',
          `The paper's F1 (${PAPER.f1}) is not the harmonic mean of its precision and recall (${PAPER_F1_FROM_PR.toFixed(2)}); both are shown as printed.`,
        ],
        tables: [{ rows: paperRows, options: { headers: PAPER_TABLE_HEADERS, columns: CSV_COLUMNS, format: PAPER_TABLE_FORMAT } }],
        figures: [figures.paper, figures.rolling],
      },
      {
        title: 'λ and seeds',
        paragraphs: ['Mean ± standard deviation over seeds; each seed is one stream, shared by every λ.'],
        tables: [{ rows: sweepTable(sweep.rows) }],
        figures: [figures.sweep],
      },
      {
        title: 'Forgetting',
        paragraphs: ['Scenario recurring (regime A, then B, then A again): accuracy on A at the end of its first phase and right after the stream returns to it.'],
        tables: [{ rows: forgettingTable(forgetting) }],
        figures: [figures.forgetting],
      },
      {
        title: 'Comparison',
        paragraphs: ['Several configurations over the same stream, then the Bayes ceiling and the baselines over the first one.'],
        tables: [{ rows: comparison, options: { headers: COMPARISON_HEADERS, digits: 3 } }],
      },
      ...gainsSection,
    ],
  });
  return { main, paperRows, sweep, forgetting, comparison, constraintGains: gains, figures, markdown, csv, html, settings };
}
