import { randomBytes } from 'crypto';
import { sendBundle, canDisplay, setDisplaySink, type MimeBundle } from './display';
import { tableHtml, type TableOptions } from './table';
import { tableMarkdown } from './table-markdown';
import { tableRows, type TableData } from './table-rows';
import { figureHtml } from './figure-html';
import { plotlyScriptTag, plotlySource } from './plotly-bundle';
import { escapeHtml } from './escape';
import type { Figure } from './figure';
import { progress } from './progress';

/** MIME type of plotly figures (VS Code and JupyterLab with plotly's extension render it natively). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

let plotlySent = false;

function plotBundle(figure: Figure): MimeBundle {
  // The HTML carries plotly.js itself the first time in this kernel (unless setup() ran).
  const prefix = plotlySent ? '' : plotlyScriptTag();
  const title = figure.layout.title?.text ?? 'figure';
  return {
    'text/html': prefix + figureHtml(figure),
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, config: figure.config ?? {} },
    'text/plain': `[plotly figure: ${title}]`,
  };
}

function tableBundle(data: TableData, options: TableOptions): MimeBundle {
  const rows = tableRows(data);
  return {
    'text/html': tableHtml(rows, options),
    'text/plain': tableMarkdown(rows, { ...options, maxRows: options.maxRows ?? 50 }),
  };
}

/** A display that is replaced in place on every call (tslab's newDisplay, but with MIME bundles). */
export interface LiveDisplay {
  /** Trusted HTML (build it from escaped parts: {@link tableHtml}, {@link escapeHtml}). */
  html(html: string): void;
  markdown(markdown: string): void;
  text(text: string): void;
  table(rows: TableData, options?: TableOptions): void;
  plot(figure: Figure): void;
}

function liveDisplay(): LiveDisplay {
  const id = randomBytes(8).toString('hex');
  let started = false;
  const send = (bundle: MimeBundle) => {
    if (sendBundle(bundle, id, started)) started = true;
  };
  return {
    html: (html) => send({ 'text/html': html, 'text/plain': '[html]' }),
    markdown: (markdown) => send({ 'text/markdown': markdown, 'text/plain': markdown }),
    text: (text) => send({ 'text/plain': text }),
    table: (rows, options = {}) => send(tableBundle(rows, options)),
    plot: (figure) => {
      const bundle = plotBundle(figure);
      send(bundle);
      plotlySent = true;
    },
  };
}

/**
 * Notebook display helpers (tslab kernel). Every function returns nothing (so the cell's last
 * expression prints nothing) and is a no-op outside a kernel.
 */
export const show = {
  /** Whether display works here (inside a tslab kernel). */
  available: canDisplay,
  /**
   * Put plotly.js on the page once (text/html, ~1 MB, inlined: no network). Call it in the first
   * cell; otherwise the first plot carries it. Needed by the classic Notebook, JupyterLab without
   * plotly's extension, and nbconvert's HTML export.
   */
  setup(): void {
    if (!canDisplay()) return; // outside a kernel: do not even read the bundle
    const { version } = plotlySource();
    if (sendBundle({ 'text/html': `${plotlyScriptTag()}<div class="otf-note" style="font:12px sans-serif;color:#666">plotly.js ${escapeHtml(version)} ready (inlined, offline)</div>`, 'text/plain': `plotly.js ${version} ready` })) {
      plotlySent = true;
    }
  },
  /** Trusted HTML, as is. Escape untrusted parts with {@link escapeHtml}. */
  html(html: string): void {
    sendBundle({ 'text/html': html, 'text/plain': '[html]' });
  },
  markdown(markdown: string): void {
    sendBundle({ 'text/markdown': markdown, 'text/plain': markdown });
  },
  text(text: string): void {
    sendBundle({ 'text/plain': text });
  },
  /** An HTML table of rows or of a DataFrame, every cell escaped (plain-text Markdown fallback). */
  table(rows: TableData, options: TableOptions = {}): void {
    sendBundle(tableBundle(rows, options));
  },
  /** A plotly figure: HTML (drawn by the inlined plotly.js) and `application/vnd.plotly.v1+json` in one output; each frontend draws exactly one. */
  plot(figure: Figure): void {
    if (sendBundle(plotBundle(figure))) plotlySent = true;
  },
  /** A display updated in place: each call replaces what the previous one showed. */
  live: liveDisplay,
  /** A progress line (bar, count, elapsed time, note) for a cell that runs long, updated in place and throttled. */
  progress,
  /** Redirect display (tests, other frontends); `undefined` restores kernel auto-detection. */
  setSink: setDisplaySink,
  /** Forget that plotly.js was sent (a new page, e.g. after a kernel restart with the page reloaded). */
  reset(): void {
    plotlySent = false;
  },
};

export type Show = typeof show;
