/*
 * Derived features from past events only (docs/features.md, "Derived"): lags, deltas, rolling
 * statistics and exponentially weighted means of a numeric field, optionally per value of a `by`
 * field. An event's values are computed from the events observed before it, then the event joins the
 * history: nothing of the event itself (but its own current value, for `delta`) reaches its features.
 */
import type { DerivedSpec, Row } from '../types';

/** Keys (values of `by`) kept per spec; beyond, the least recently seen key's history is dropped. */
export const MAX_DERIVED_KEYS = 100_000;

/** The history of one (spec, key): the last values (oldest first) and the running EWM. */
export interface DerivedHistory {
  values: number[];
  /** EWM of the values seen (ewm specs), and how many were seen. */
  ewm: number;
  n: number;
}

/** JSON-safe state: per spec, [key, history] pairs, least recently seen first. */
export type DerivedState = Array<Array<[string, DerivedHistory]>>;

/** The key of a row whose `by` value is missing (no string value can equal it). */
const MISSING_KEY = '\u0000';
/** The key of every row when a spec has no `by`. */
const ALL_KEY = '';

const STATS = ['mean', 'std', 'min', 'max'] as const;

/** The column names a spec adds, in order (e.g. "value:lag1", "value:rolling12_mean[source]"). */
export function derivedNames(spec: DerivedSpec, by: string | undefined): string[] {
  const f = spec.field;
  const suffix = by === undefined ? '' : `[${by}]`;
  switch (spec.kind) {
    case 'lag': return spec.lags.map((k) => `${f}:lag${k}${suffix}`);
    case 'delta': return [`${f}:delta${suffix}`];
    case 'rolling': return spec.stats.map((s) => `${f}:rolling${spec.window}_${s}${suffix}`);
    case 'ewm': return [`${f}:ewm${spec.halfLife}${suffix}`];
  }
}

/** Values a spec keeps per key. */
function depth(spec: DerivedSpec): number {
  switch (spec.kind) {
    case 'lag': return Math.max(...spec.lags);
    case 'delta': return 1;
    case 'rolling': return spec.window;
    case 'ewm': return 0;
  }
}

/** A raw value as a finite number, else NaN (missing, text, non-finite). */
function finite(v: unknown): number {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return x - x === 0 ? x : NaN;
}

/**
 * The derived columns of a schema and their running state. {@link observe} writes each new row's
 * values into the row itself, under {@link names} (null = missing), so a row keeps the values of its
 * arrival wherever it goes next (learning after prediction, replay, a checkpoint's pending rows).
 */
export class DerivedFeatures {
  readonly names: string[];
  private readonly specs: DerivedSpec[];
  private readonly by: Array<string | undefined>;
  private readonly depths: number[];
  private readonly alpha: number[];
  private histories: Array<Map<string, DerivedHistory>>;

  constructor(specs: readonly DerivedSpec[], schemaBy?: string) {
    this.specs = specs.map((s) => ({ ...s }) as DerivedSpec);
    this.by = this.specs.map((s) => s.by ?? schemaBy);
    this.names = this.specs.flatMap((s, i) => derivedNames(s, this.by[i]));
    this.depths = this.specs.map(depth);
    this.alpha = this.specs.map((s) => (s.kind === 'ewm' ? 1 - Math.pow(2, -1 / s.halfLife) : 0));
    this.histories = this.specs.map(() => new Map());
  }

  /** True when the row already carries its derived values (it was observed before). */
  has(row: Row): boolean {
    return this.names.length === 0 || Object.prototype.hasOwnProperty.call(row, this.names[0]!);
  }

  /** Rows not seen before, in order: writes their derived values (from the history so far), then adds them to it. */
  observe(rows: readonly Row[]): void {
    if (this.names.length === 0) return;
    for (const row of rows) {
      if (this.has(row)) continue;
      let col = 0;
      for (let s = 0; s < this.specs.length; s++) {
        const spec = this.specs[s]!;
        const by = this.by[s];
        let key = ALL_KEY;
        if (by !== undefined) {
          const b = row[by];
          key = b === null || b === undefined || b === '' ? MISSING_KEY : String(b);
        }
        const map = this.histories[s]!;
        let h = map.get(key);
        if (h !== undefined) {
          // most recently seen last (for the key bound)
          map.delete(key);
          map.set(key, h);
        }
        const x = finite(row[spec.field]);
        col = this.write(row, col, spec, h, x);
        if (x - x !== 0) continue;
        if (h === undefined) {
          h = { values: [], ewm: 0, n: 0 };
          map.set(key, h);
          if (map.size > MAX_DERIVED_KEYS) map.delete(map.keys().next().value!);
        }
        const d = this.depths[s]!;
        if (d > 0) {
          h.values.push(x);
          if (h.values.length > d) h.values.shift();
        }
        if (spec.kind === 'ewm') h.ewm = h.n === 0 ? x : h.ewm + this.alpha[s]! * (x - h.ewm);
        h.n++;
      }
    }
  }

  /** Writes one spec's values for a row with history h (undefined: none) and current value x. */
  private write(row: Row, col: number, spec: DerivedSpec, h: DerivedHistory | undefined, x: number): number {
    const names = this.names;
    const v = h?.values ?? [];
    const put = (value: number): void => {
      row[names[col++]!] = value - value === 0 ? value : null;
    };
    switch (spec.kind) {
      case 'lag':
        for (const k of spec.lags) put(k <= v.length ? v[v.length - k]! : NaN);
        break;
      case 'delta':
        put(v.length > 0 ? x - v[v.length - 1]! : NaN);
        break;
      case 'rolling': {
        let sum = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const y of v) {
          sum += y;
          if (y < min) min = y;
          if (y > max) max = y;
        }
        const mean = v.length > 0 ? sum / v.length : NaN;
        let ss = 0;
        for (const y of v) ss += (y - mean) * (y - mean);
        for (const s of spec.stats) {
          put(v.length === 0 ? NaN : s === 'mean' ? mean : s === 'std' ? Math.sqrt(ss / v.length) : s === 'min' ? min : max);
        }
        break;
      }
      case 'ewm':
        put(h !== undefined && h.n > 0 ? h.ewm : NaN);
        break;
    }
    return col;
  }

  /** JSON-safe copy of the histories. */
  getState(): DerivedState {
    return this.histories.map((m) => [...m].map(([k, h]) => [k, { values: [...h.values], ewm: h.ewm, n: h.n }] as [string, DerivedHistory]));
  }

  /** Replaces the histories by a state from {@link getState}. */
  setState(state: DerivedState): void {
    if (!Array.isArray(state) || state.length !== this.specs.length) throw new Error('derived feature state does not match the schema');
    this.histories = state.map((pairs) => new Map(pairs.map(([k, h]) => [k, { values: [...h.values], ewm: h.ewm, n: h.n }] as [string, DerivedHistory])));
  }
}

export { STATS as ROLLING_STATS };
