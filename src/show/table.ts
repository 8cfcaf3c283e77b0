import { escapeHtml } from './escape';
import { formatCell } from './format-cell';
import { tableRows, type TableData } from './table-rows';

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
  // "table.otf-table td" outranks the notebooks' own ".rendered_html td" / ".jp-RenderedHTMLCommon td" rules.
  '.otf-wrap{overflow-x:auto;max-width:100%}' +
  'table.otf-table{border-collapse:collapse;font:13px/1.35 system-ui,sans-serif;margin:4px 0;table-layout:auto}' +
  'table.otf-table caption{text-align:left;font-weight:600;padding:2px 0 4px}' +
  'table.otf-table th,table.otf-table td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top;white-space:nowrap}' +
  'table.otf-table td.text{white-space:pre-wrap;min-width:12em;max-width:40em}' +
  'table.otf-table th{background:#f2f2f2}table.otf-table td.num{text-align:right;font-variant-numeric:tabular-nums}' +
  '.otf-note{font:12px system-ui,sans-serif;color:#666}';

/** The columns of a list of rows: every key, in order of first appearance. */
export function columnsOf(rows: readonly object[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/**
 * An HTML table of rows (any plain objects: event interfaces, records) or of a DataFrame (see {@link tableRows}). Every header, cell and caption is escaped (& < > " '), so event
 * text such as `<img src=x onerror=…>` shows as text and never runs. Numbers are right-aligned.
 */
export function tableHtml(data: TableData, options: TableOptions = {}): string {
  const rows = tableRows(data);
  const columns = options.columns ?? columnsOf(rows);
  const maxRows = options.maxRows ?? 50;
  const shown = rows.slice(0, Math.max(0, maxRows));
  const parts: string[] = [];
  if (options.style ?? true) parts.push(`<style>${TABLE_CSS}</style>`);
  parts.push('<div class="otf-wrap"><table class="otf-table">');
  if (options.caption !== undefined) parts.push(`<caption>${escapeHtml(options.caption)}</caption>`);
  parts.push('<thead><tr>');
  for (const col of columns) parts.push(`<th>${escapeHtml(options.headers?.[col] ?? col)}</th>`);
  parts.push('</tr></thead><tbody>');
  for (const item of shown) {
    const row = item as Record<string, unknown>;
    parts.push('<tr>');
    for (const col of columns) {
      const value = row[col];
      const fmt = options.format?.[col];
      const text = fmt ? fmt(value, row) : formatCell(value, { digits: options.digits });
      // Numbers right-aligned; long free text may wrap; everything else stays on one line.
      const cls = typeof value === 'number' ? ' class="num"' : text.length > 40 ? ' class="text"' : '';
      parts.push(`<td${cls}>${escapeHtml(text)}</td>`);
    }
    parts.push('</tr>');
  }
  parts.push('</tbody></table></div>');
  if (rows.length > shown.length) {
    parts.push(`<div class="otf-note">${rows.length - shown.length} more rows not shown (${rows.length} in all)</div>`);
  }
  return parts.join('');
}
