import { columnsOf, type TableOptions } from './table';
import { tableRows, type TableData } from './table-rows';
import { formatCell } from './format-cell';
import { escapeTerminal } from './escape-terminal';

const MD_HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** One Markdown table cell's text, escaped (see {@link tableMarkdown}). */
export function markdownCell(text: string): string {
  return escapeTerminal(text.replace(/\r\n|[\r\n]/g, ' '))
    .replace(/[&<>]/g, (c) => MD_HTML[c]!)
    .replace(/[\\`*_~[\]|]/g, (c) => `\\${c}`);
}

/**
 * A GitHub-flavoured Markdown table of rows (also used as the plain-text fallback of HTML tables).
 * Cells and headers are text, never markup: `&`, `<`, `>` become entities (a raw `<img onerror>` stays
 * text in any renderer that allows HTML), the Markdown specials (backslash, pipe, backtick, * _ ~ [ ])
 * get a backslash, line breaks become spaces, and control characters are shown as `\xNN` (see escapeTerminal), so the text also
 * reads safely as plain text. Numbers are right-aligned.
 * Honours `columns`, `headers`, `maxRows` (default: all rows), `digits` and `format` of {@link TableOptions}.
 */
export function tableMarkdown(data: TableData, options: TableOptions = {}): string {
  const items = tableRows(data);
  const rows = items as readonly Record<string, unknown>[];
  const columns = options.columns ?? columnsOf(rows);
  const shown = options.maxRows === undefined ? rows : rows.slice(0, Math.max(0, options.maxRows));
  const cell = markdownCell;
  const numeric = columns.map((c) => shown.length > 0 && shown.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined));
  const lines: string[] = [];
  lines.push(`| ${columns.map((c) => cell(options.headers?.[c] ?? c)).join(' | ')} |`);
  lines.push(`|${numeric.map((n) => (n ? '---:' : ':---')).join('|')}|`);
  for (const row of shown) {
    const cells = columns.map((c) => {
      const fmt = options.format?.[c];
      return cell(fmt ? fmt(row[c], row) : formatCell(row[c], { digits: options.digits }));
    });
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (shown.length < rows.length) lines.push(`\n(${rows.length - shown.length} more rows not shown)`);
  return lines.join('\n') + '\n';
}
