/**
 * The one place that touches danfojs. danfojs is an optional peer dependency (the library's
 * import path never loads it; DataFrames, `describe`, `valueCounts` and `groupMeanStd` need it):
 * it is loaded lazily (first call), with a clear error when it is not installed, and in isolation:
 * it bundles TensorFlow.js 3, whose kernels would otherwise register themselves into the
 * TensorFlow.js 4 engine of the learner (tfjs keeps its engine and kernel registry on
 * `globalThis`) and print "already registered" warnings. While danfojs loads, those globals
 * are hidden so its tfjs 3 builds its own engine; they are restored right after. Its tfjs is then
 * put in production mode (no "looks like you are running TensorFlow.js in Node.js" banner), and
 * the console is silenced during the load.
 */
// Types from the package's own declarations (its "exports" map is not read by moduleResolution "node").
// Used inside this file only: the exported types below are structural, so onthefly's declarations
// never reference danfojs (a consumer compiles without it and without its types).
import type * as Danfo from 'danfojs/dist/danfojs-browser/src/index';

import { inspect } from 'node:util';
import { show } from '../show/show';
import { tableMarkdown } from '../show/table-markdown';

/** A danfojs DataFrame, typed structurally (see danfojs's own types for every member). */
export interface DataFrame {
  readonly columns: string[];
  readonly index: (string | number)[];
  readonly values: unknown[];
  readonly shape: number[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [member: string]: any;
}

/** The danfojs module, typed structurally (see danfojs's own types for every member). */
export interface DanfoModule {
  DataFrame: new (data: unknown, options?: Record<string, unknown>) => DataFrame;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [member: string]: any;
}
type Row = Record<string, unknown>;

let loaded: typeof Danfo | null = null;

const TF_GLOBALS = ['_tfengine', '_tfGlobals'] as const;

/** The install command named by the error when danfojs is missing. */
export const DANFO_INSTALL = 'npm install danfojs@1.2.0';

/** Whether danfojs can be loaded (it is an optional peer dependency of onthefly). */
export function danfoAvailable(): boolean {
  try {
    require.resolve('danfojs');
    return true;
  } catch {
    return false;
  }
}

/** danfojs, loaded once, isolated from the project's TensorFlow.js and silent. Throws a one-line error naming the install command when it is not installed. */
export function loadDanfo(): DanfoModule {
  return danfo() as unknown as DanfoModule;
}

function danfo(): typeof Danfo {
  if (loaded) return loaded;
  if (!danfoAvailable()) {
    throw new Error(`DataFrames need danfojs, an optional peer dependency of onthefly that is not installed: ${DANFO_INSTALL} (see the README's install notes)`);
  }
  const g = globalThis as Record<string, unknown>;
  const saved = TF_GLOBALS.map((k) => ({ k, had: Object.prototype.hasOwnProperty.call(g, k), v: g[k] }));
  const quiet = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoleSaved = quiet.map((m) => console[m]);
  for (const k of TF_GLOBALS) delete g[k];
  for (const m of quiet) console[m] = () => {};
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('danfojs') as typeof Danfo;
    const tf = (mod as unknown as { tensorflow?: { env(): { set(flag: string, value: boolean): void } } }).tensorflow;
    tf?.env().set('PROD', true);
    installFrameInspector(mod);
    loaded = mod;
  } finally {
    for (const { k, had, v } of saved) {
      if (had) g[k] = v;
      else delete g[k];
    }
    quiet.forEach((m, i) => { console[m] = consoleSaved[i]; });
  }
  return loaded;
}

/**
 * A DataFrame as a cell's value (tslab prints it with `util.inspect`) shows as a table, not as danfo's
 * internals: inside a kernel the top-level value is displayed as an HTML table ({@link show.table}, first
 * 50 rows) and prints nothing more; elsewhere (and nested in other values) it prints as a Markdown table.
 */
function installFrameInspector(mod: typeof Danfo): void {
  // danfojs's exported DataFrame extends the bundle's inner DataFrame class, and the frames its
  // operations return (head, tail, loc, query, groupby, describe, …) are of that inner class: both get it.
  const protos: Record<symbol, unknown>[] = [];
  for (let p = (mod.DataFrame as unknown as { prototype: Record<symbol, unknown> | null }).prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as Record<symbol, unknown> | null) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === 'DataFrame') protos.push(p);
  }
  for (const proto of protos) installOn(proto);
}

function installOn(proto: Record<symbol, unknown>): void {
  proto[inspect.custom] = function (this: DataFrame, depth: number, options: { depth?: number | null }): string {
    const topLevel = depth === (options.depth ?? 2);
    if (topLevel && show.available()) {
      show.table(this);
      return '';
    }
    return tableMarkdown(this, { maxRows: 50 });
  };
}

/** A danfo DataFrame of rows (only `columns` when given). Values that are not numbers, strings or booleans become JSON text. */
export function toFrame(items: readonly object[], columns?: string[]): DataFrame {
  const rows = items as readonly Row[];
  const dfd = danfo();
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const clean = rows.map((r) => {
    const out: Row = {};
    for (const c of cols) {
      const v = r[c];
      out[c] = v === undefined || v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? (v ?? NaN) : JSON.stringify(v);
    }
    return out;
  });
  return new dfd.DataFrame(clean, { columns: cols }) as unknown as DataFrame;
}

/** The rows of a DataFrame as plain objects; with `indexColumn`, the index goes into that column first. */
export function frameRows(df: DataFrame, indexColumn?: string): Row[] {
  const columns = df.columns as string[];
  const values = df.values as unknown[][];
  const index = df.index as (string | number)[];
  return values.map((vals, i) => {
    const row: Row = {};
    if (indexColumn) row[indexColumn] = index[i];
    columns.forEach((c, j) => { row[c] = vals[j]; });
    return row;
  });
}

/** Summary statistics of numeric fields (count, mean, std, min, median, max), one row per field. */
export function describe(rows: readonly object[], fields: string[]): Row[] {
  const df = (toFrame(rows, fields) as unknown as Danfo.DataFrame).describe();
  const stats = df.index as string[];
  const columns = df.columns as string[];
  const values = df.values as number[][];
  const keep = ['count', 'mean', 'std', 'min', 'median', 'max'];
  return columns.map((field, j) => {
    const row: Row = { field };
    stats.forEach((s, i) => { if (keep.includes(s)) row[s] = values[i][j]; });
    return row;
  });
}

/** How often each value of a field occurs, most frequent first: `{ value, count, share }`. */
export function valueCounts(rows: readonly object[], field: string): { value: string; count: number; share: number }[] {
  const series = (toFrame(rows, [field]) as unknown as Danfo.DataFrame)[field] as Danfo.Series;
  const counts = series.valueCounts();
  const idx = counts.index as (string | number)[];
  const vals = counts.values as number[];
  const total = vals.reduce((a, b) => a + b, 0);
  return idx
    .map((v, i) => ({ value: String(v), count: vals[i], share: total > 0 ? vals[i] / total : 0 }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/**
 * Mean and sample standard deviation of `fields` per group of equal `by` values (danfo's
 * groupby → agg), one record per group in order of first appearance: the `by` values, `count`
 * (rows in the group), then `${field}_mean` and `${field}_std` (std 0 for a group of one). A field missing (null, undefined
 * or NaN) in any row of a group gives null mean and std for that group.
 */
export function groupMeanStd(rows: readonly object[], by: string[], fields: string[]): Row[] {
  const keyOf = (r: Row): string => JSON.stringify(by.map((b) => r[b]));
  const order: string[] = [];
  const byKey = new Map<string, Row>();
  for (const r of rows as readonly Row[]) {
    const k = keyOf(r);
    const g = byKey.get(k);
    if (g) (g.count as number)++;
    else {
      order.push(k);
      byKey.set(k, { ...Object.fromEntries(by.map((b) => [b, r[b]])), count: 1 });
    }
  }
  const present = (v: unknown): boolean => typeof v === 'number' && !Number.isNaN(v);
  // Group keys as one string column (danfo groups on strings reliably; booleans and mixed types do not).
  const keyed: Row[] = (rows as readonly Row[]).map((r) => ({ ...r, __group: keyOf(r) }));
  for (const f of fields) {
    const complete = new Set(order);
    for (const r of keyed) if (!present(r[f])) complete.delete(r.__group as string);
    const usable = keyed.filter((r) => complete.has(r.__group as string));
    if (usable.length > 0) {
      const agg = (toFrame(usable, ['__group', f]) as unknown as Danfo.DataFrame).groupby(['__group']).agg({ [f]: ['mean', 'std'] });
      for (const g of frameRows(agg as unknown as DataFrame)) {
        const out = byKey.get(String(g.__group))!;
        out[`${f}_mean`] = g[`${f}_mean`];
        out[`${f}_std`] = g[`${f}_std`];
      }
    }
    for (const k of order) {
      const out = byKey.get(k)!;
      if (!complete.has(k)) {
        out[`${f}_mean`] = null;
        out[`${f}_std`] = null;
      }
    }
  }
  return order.map((k) => byKey.get(k)!);
}
