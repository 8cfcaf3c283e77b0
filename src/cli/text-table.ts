import { escapeTerminal } from '../show/escape-terminal';

/**
 * Plain-text table: first column left-aligned, the others right-aligned. Every cell goes through
 * {@link escapeTerminal} (a cell may hold event text), so no cell can break a line or drive the terminal.
 */
export function textTable(headerCells: string[], rowCells: string[][]): string {
  const header = headerCells.map(escapeTerminal);
  const rows = rowCells.map((r) => r.map(escapeTerminal));
  const all = [header, ...rows];
  const width = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(width[c]) : cell.padStart(width[c]))).join('  ').trimEnd();
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
