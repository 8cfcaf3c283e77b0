import { randomBytes } from 'crypto';
import { escapeHtml, jsonForScript } from './escape';
import type { Figure } from './figure';

/** Options for {@link figureHtml}. */
export interface FigureHtmlOptions {
  /** Element id of the plot's `<div>`. Default: random ("otf-plot-" + 16 hex digits), so that re-run outputs never clash. */
  id?: string;
}

/** A fresh random element id for a plot. */
export function newPlotId(): string {
  return `otf-plot-${randomBytes(8).toString('hex')}`;
}

/**
 * A `<div>` and a `<script>` that draws the figure with `window.Plotly` — which
 * {@link plotlyScriptTag} defines once per page. The script waits (up to 20 s) for Plotly
 * and the element to be attached, so output order on a page does not matter. Data are embedded as script-safe JSON.
 */
export function figureHtml(figure: Figure, options: FigureHtmlOptions = {}): string {
  const id = options.id ?? newPlotId();
  const height = typeof figure.layout.height === 'number' ? figure.layout.height : 380;
  const payload = jsonForScript({ data: figure.data, layout: figure.layout, config: figure.config ?? {} });
  return (
    `<div id="${escapeHtml(id)}" class="otf-plot" style="width:100%;min-height:${height}px"></div>\n` +
    '<script type="text/javascript">(function () {\n' +
    `  var fig = ${payload};\n` +
    `  var id = ${jsonForScript(id)}, tries = 0;\n` +
    '  function draw() {\n' +
    '    var el = document.getElementById(id);\n' +
    '    var P = window.Plotly;\n' +
    // Retry: the classic Notebook runs output scripts before it attaches the output to the page.
    '    if (!el || !P || !P.newPlot) { if (++tries < 400) setTimeout(draw, 50); return; }\n' +
    '    P.newPlot(el, fig.data, fig.layout, fig.config);\n' +
    '  }\n' +
    '  draw();\n' +
    '})();</script>'
  );
}
