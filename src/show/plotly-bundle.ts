import { readFileSync } from 'fs';

/** The plotly.js bundle inlined into notebooks and reports: the "basic" build (scatter, bar, pie), ~1 MB. */
export const PLOTLY_PACKAGE = 'plotly.js-basic-dist-min';

let cached: { version: string; source: string } | null = null;

/** plotly.js source and version, read once from node_modules. */
export function plotlySource(): { version: string; source: string } {
  if (cached) return cached;
  const file = require.resolve(PLOTLY_PACKAGE);
  const source = readFileSync(file, 'utf8');
  const version = /v(\d+\.\d+\.\d+)/.exec(source.slice(0, 400))?.[1] ?? 'unknown';
  // The bundle is embedded in a <script> element: it must not contain anything that ends or alters it.
  if (/<\/script|<!--/i.test(source)) throw new Error(`${PLOTLY_PACKAGE}: bundle contains "</script" or "<!--"; cannot inline it`);
  cached = { version, source };
  return cached;
}

/**
 * One `<script>` element that defines `window.Plotly`, once per page, with no network.
 *
 * plotly's UMD header calls `define()` when an AMD loader is on the page (the classic Notebook
 * and nbconvert's HTML export load require.js), which would register an anonymous module and
 * leave `window.Plotly` undefined — or fail with "Mismatched anonymous define()". The bundle is
 * therefore run inside a function whose parameters `define`, `module` and `exports` are
 * undefined, so it always takes the browser-global branch. A page that already has Plotly skips it.
 */
export function plotlyScriptTag(): string {
  const { version, source } = plotlySource();
  return (
    `<script type="text/javascript" data-otf-plotly="${version}">` +
    `/* plotly.js ${version} (${PLOTLY_PACKAGE}, MIT licence), inlined by onthefly */\n` +
    'window.PlotlyConfig = window.PlotlyConfig || {MathJaxConfig: "local"};\n' +
    'if (!window.Plotly) { (function (define, module, exports) {\n' +
    source +
    '\n}).call(window, undefined, undefined, undefined); }\n' +
    '</script>'
  );
}
