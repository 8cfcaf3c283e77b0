import { escapeHtml } from '../show/escape';
import { tableHtml, TABLE_CSS, type TableOptions } from '../show/table';
import { figureHtml } from '../show/figure-html';
import { plotlyScriptTag } from '../show/plotly-bundle';
import type { Figure } from '../show/figure';

/** A table in a report section. */
export interface ReportTable {
  rows: readonly object[];
  options?: TableOptions;
}

/** One section of a report: a heading, then paragraphs, tables, figures and trusted HTML, in that order. */
export interface ReportSection {
  /** Heading (plain text, escaped). */
  title: string;
  /** Plain-text paragraphs (escaped). */
  paragraphs?: string[];
  tables?: ReportTable[];
  figures?: Figure[];
  /** Trusted HTML appended at the end of the section (the caller's own markup, already escaped). */
  html?: string;
}

/** Options for {@link renderReport}. */
export interface ReportOptions {
  /** Page title and top heading (plain text, escaped). */
  title: string;
  /** A line under the title (plain text, escaped). Default none. */
  subtitle?: string;
  sections: ReportSection[];
  /** Text of the footer (plain text, escaped). Default none (so the same inputs give the same bytes). */
  footer?: string;
}

const PAGE_CSS =
  'body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}' +
  'h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}' +
  '.subtitle{color:#555;margin-top:4px}nav ol{padding-left:1.4em}footer{margin-top:3em;color:#777;font-size:.85em}' +
  '.otf-plot{margin:8px 0 16px}';

/**
 * A self-contained HTML page: plotly.js inlined once (AMD-safe, no network), every text escaped,
 * figures with deterministic ids (fig-1, fig-2, …), so the same inputs give the same bytes.
 */
export function renderReport(options: ReportOptions): string {
  let figureCount = 0;
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(options.title)}</h1>`);
  if (options.subtitle) body.push(`<p class="subtitle">${escapeHtml(options.subtitle)}</p>`);
  if (options.sections.length > 1) {
    body.push('<nav><ol>');
    options.sections.forEach((s, i) => body.push(`<li><a href="#section-${i + 1}">${escapeHtml(s.title)}</a></li>`));
    body.push('</ol></nav>');
  }
  options.sections.forEach((section, i) => {
    body.push(`<section id="section-${i + 1}"><h2>${escapeHtml(section.title)}</h2>`);
    for (const p of section.paragraphs ?? []) body.push(`<p>${escapeHtml(p)}</p>`);
    for (const t of section.tables ?? []) body.push(tableHtml(t.rows, { maxRows: 200, ...t.options, style: false }));
    for (const f of section.figures ?? []) body.push(figureHtml(f, { id: `fig-${++figureCount}` }));
    if (section.html) body.push(section.html);
    body.push('</section>');
  });
  if (options.footer) body.push(`<footer>${escapeHtml(options.footer)}</footer>`);
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(options.title)}</title>\n` +
    `<style>${PAGE_CSS}${TABLE_CSS}</style>\n` +
    (figureCount > 0 ? plotlyScriptTag() + '\n' : '') +
    '</head>\n<body>\n' +
    body.join('\n') +
    '\n</body>\n</html>\n'
  );
}
