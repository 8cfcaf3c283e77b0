/**
 * The one place that touches danfojs. danfojs is loaded lazily (first call), and in isolation:
 * it bundles TensorFlow.js 3, whose kernels would otherwise register themselves into the
 * TensorFlow.js 4 engine of the learner (tfjs keeps its engine and kernel registry on
 * `globalThis`) and print "already registered" warnings. While danfojs loads, those globals
 * are hidden so its tfjs 3 builds its own engine; they are restored right after. Its tfjs is then
 * put in production mode (no "looks like you are running TensorFlow.js in Node.js" banner), and
 * the console is silenced during the load.
 */
// Types from the package's own declarations (its "exports" map is not read by moduleResolution "node").
import type * as Danfo from 'danfojs/dist/danfojs-browser/src/index';

export type DanfoModule = typeof Danfo;
export type DataFrame = Danfo.DataFrame;
type Row = Record<string, unknown>;

let loaded: DanfoModule | null = null;

const TF_GLOBALS = ['_tfengine', '_tfGlobals'] as const;

/** danfojs, loaded once, isolated from the project's TensorFlow.js and silent. */
export function loadDanfo(): DanfoModule {
  if (loaded) return loaded;
  const g = globalThis as Record<string, unknown>;
  const saved = TF_GLOBALS.map((k) => ({ k, had: Object.prototype.hasOwnProperty.call(g, k), v: g[k] }));
  const quiet = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoleSaved = quiet.map((m) => console[m]);
  for (const k of TF_GLOBALS) delete g[k];
  for (const m of quiet) console[m] = () => {};
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('danfojs') as DanfoModule;
    const tf = (mod as unknown as { tensorflow?: { env(): { set(flag: string, value: boolean): void } } }).tensorflow;
    tf?.env().set('PROD', true);
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

/** A danfo DataFrame of rows (only `columns` when given). Values that are not numbers, strings or booleans become JSON text. */
export function toFrame(items: readonly object[], columns?: string[]): DataFrame {
  const rows = items as readonly Row[];
  const dfd = loadDanfo();
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const clean = rows.map((r) => {
    const out: Row = {};
    for (const c of cols) {
      const v = r[c];
      out[c] = v === undefined || v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? (v ?? NaN) : JSON.stringify(v);
    }
    return out;
  });
  return new dfd.DataFrame(clean, { columns: cols });
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
  const df = toFrame(rows, fields).describe();
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
  const series = toFrame(rows, [field])[field] as Danfo.Series;
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
      const agg = toFrame(usable, ['__group', f]).groupby(['__group']).agg({ [f]: ['mean', 'std'] });
      for (const g of frameRows(agg)) {
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
