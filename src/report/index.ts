// The report folder's public names (re-exported by src/index.ts): the paper's table, the studies the
// notebook and `onthefly reproduce` share, their figures, and the self-contained report page.
export { PAPER, PAPER_F1_FROM_PR } from './paper';
export { paperTable, PAPER_TABLE_HEADERS, PAPER_TABLE_FORMAT } from './paper-table';
export type { PaperTableRow } from './paper-table';
export {
  mainRun, lambdaSweep, sweepTable, forgettingStudy, forgettingTable, comparisonStudy, COMPARISON_HEADERS,
  windowFor, formatMeanStd,
} from './studies';
export type { StudyOptions, ForgettingRow, ComparisonRow } from './studies';
export {
  rollingFigure, paperFigure, sweepFigure, forgettingFigure, incidentMixFigure, assetStateFigure, busiestSources, assetsOfKinds,
} from './figures';
export { reproduce, paperMarkdown } from './reproduce';
export type { Reproduction } from './reproduce';
export { renderReport } from './render-report';
export { constraintGainsTable } from './constraint-gains-table';
export type { ReportOptions, ReportSection, ReportTable } from './render-report';
export { toCsv as toCsvTable } from './csv';
export { curveCsv } from './curve-csv';
