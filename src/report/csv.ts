import { columnsOf } from '../show/table';
import { formatCell } from '../show/format-cell';

/** A plain decimal number written as text ("-1.5", "+3", "2e-4"): a spreadsheet reads it as that number. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Text a spreadsheet may run as a formula: =, +, -, @ (also full-width, also after blanks), or a leading tab or CR. */
const FORMULA_START = /^(?:[\t\r]|[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

/**
 * One CSV field: numbers keep full precision (non-finite ones are empty); text is written as it is,
 * quoted when it holds `,` `"` CR or LF (RFC 4180). Text a spreadsheet would run as a formula
 * (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, a leading tab or CR) gets a leading `'` and is quoted (OWASP's
 * advice against CSV injection), except a plain number written as text ("-1.5"), which stays a number.
 */
export function csvField(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = formatCell(v);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV of rows (header line first; fields with , " CR LF quoted). Numbers keep full precision.
 * Cells that would start a spreadsheet formula are defused (see {@link csvField}).
 */
export function toCsv(items: readonly object[], columns: string[] = columnsOf(items)): string {
  const rows = items as readonly Record<string, unknown>[];
  const field = csvField;
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
