import { columnsOf } from '../show/table';
import { formatCell } from '../show/format-cell';

/** RFC 4180 CSV of rows (header line first; fields with , " CR LF quoted). Numbers keep full precision. */
export function toCsv(items: readonly object[], columns: string[] = columnsOf(items)): string {
  const rows = items as readonly Record<string, unknown>[];
  const field = (v: unknown): string => {
    const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : formatCell(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
