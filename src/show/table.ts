import { escapeHtml } from './escape';
import { formatCell } from './format-cell';

/** Options for {@link tableHtml}. */
export interface TableOptions {
  /** Columns to show, in order. Default: every key, in order of first appearance over the rows. */
  columns?: string[];
  /** Header text per column. Default: the column name. */
  headers?: Record<string, string>;
  /** A caption above the table (plain text, escaped). Default none. */
  caption?: string;
  /** At most this many rows are shown; a note says how many were left out. Default 50. */
  maxRows?: number;
  /** Significant digits for non-integer numbers. Default 4. */
  digits?: number;
  /** Per-column formatters returning plain text (escaped afterwards). Default {@link formatCell}. */
  format?: Record<string, (value: unknown, row: Record<string, unknown>) => string>;
  /** Include the small `<style>` block for `.otf-table`. Default true. */
  style?: boolean;
}

/** CSS for tables made by {@link tableHtml}; included once per table unless `style: false`. */
export const TABLE_CSS =
  '.otf-table{border-collapse:collapse;font:13px/1.35 system-ui,sans-serif;margin:4px 0}' +
  '.otf-table caption{text-align:left;font-weight:600;padding:2px 0 4px}' +
  '.otf-table th,.otf-table td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top;white-space:pre-wrap;max-width:40em}' +
  '.otf-table th{background:#f2f2f2}.otf-table td.num{text-align:right;font-variant-numeric:tabular-nums}' +
  '.otf-note{font:12px system-ui,sans-serif;color:#666}';

/** The columns of a list of rows: every key, in order of first appearance. */
export function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * An HTML table of rows. Every header, cell and caption is escaped (& < > " '), so event
 * text such as `<img src=x onerror=…>` shows as text and never runs. Numbers are right-aligned.
 */
export function tableHtml(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const columns = options.columns ?? columnsOf(rows);
  const maxRows = options.maxRows ?? 50;
  const shown = rows.slice(0, Math.max(0, maxRows));
  const parts: string[] = [];
  if (options.style ?? true) parts.push(`<style>${TABLE_CSS}</style>`);
  parts.push('<table class="otf-table">');
  if (options.caption !== undefined) parts.push(`<caption>${escapeHtml(options.caption)}</caption>`);
  parts.push('<thead><tr>');
  for (const col of columns) parts.push(`<th>${escapeHtml(options.headers?.[col] ?? col)}</th>`);
  parts.push('</tr></thead><tbody>');
  for (const row of shown) {
    parts.push('<tr>');
    for (const col of columns) {
      const value = row[col];
      const fmt = options.format?.[col];
      const text = fmt ? fmt(value, row as Record<string, unknown>) : formatCell(value, { digits: options.digits });
      const cls = typeof value === 'number' ? ' class="num"' : '';
      parts.push(`<td${cls}>${escapeHtml(text)}</td>`);
    }
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  if (rows.length > shown.length) {
    parts.push(`<div class="otf-note">${rows.length - shown.length} more rows not shown (${rows.length} in all)</div>`);
  }
  return parts.join('');
}
