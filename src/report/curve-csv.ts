import type { SeriesPoint } from '../evaluate/summary';
import { toCsv } from './csv';

/**
 * The rolling series of a run (`result.rolling.series`) as RFC 4180 CSV: one line per point, columns
 * `index,f1,accuracy,bayesF1` (bayesF1 empty when the run had no oracle). Escaped by {@link toCsv}.
 */
export function curveCsv(series: readonly SeriesPoint[]): string {
  return toCsv(series, ['index', 'f1', 'accuracy', 'bayesF1']);
}
