import type { DriftDetector, DriftSignal } from './detector';
import { DriftDetectorError } from './detector-error';
import { checkInteger, checkKnownKeys, checkNumber, checkRecord, stateBoolean, stateNumber } from './check-options';

/** Options of {@link Adwin}; every default is River's `drift.ADWIN` (and MOA's). */
export interface AdwinOptions {
  /** Confidence δ ∈ (0, 1): smaller = fewer false alarms, later detections. Default 0.002. */
  delta?: number;
  /** Check for a cut every `clock` values. Default 32. */
  clock?: number;
  /** Buckets of each size kept before the two oldest merge (M of the exponential histogram). Default 5. */
  maxBuckets?: number;
  /** Each sub-window of a cut holds at least this many values. Default 5. */
  minWindowLength?: number;
  /** No cut is tested until the window holds more than this many values. Default 10. */
  gracePeriod?: number;
}

const NAME = 'adwin';
const KEYS = ['delta', 'clock', 'maxBuckets', 'minWindowLength', 'gracePeriod'] as const;

type Resolved = Required<AdwinOptions>;

function resolve(options: AdwinOptions | undefined): Resolved {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new DriftDetectorError(`${NAME}: options must be an object`);
  checkKnownKeys(NAME, o, KEYS);
  return {
    delta: checkNumber(NAME, 'delta', o.delta ?? 0.002, 0, 1, true, true),
    clock: checkInteger(NAME, 'clock', o.clock ?? 32, 1),
    maxBuckets: checkInteger(NAME, 'maxBuckets', o.maxBuckets ?? 5, 1),
    minWindowLength: checkInteger(NAME, 'minWindowLength', o.minWindowLength ?? 5, 1),
    gracePeriod: checkInteger(NAME, 'gracePeriod', o.gracePeriod ?? 10, 0),
  };
}

/**
 * One row of the exponential histogram: up to maxBuckets + 1 buckets of 2^row values each, oldest
 * first, each with its sum and its variance term (Σ(x − mean)² of its values).
 */
type Row = { total: Float64Array; variance: Float64Array; count: number };

/** 2^r for the row sizes (exact: repeated doubling), read instead of computing 2 ** r (a pow call) per bucket. */
const POW2 = new Float64Array(64);
for (let r = 0, p = 1; r < 64; r++, p *= 2) POW2[r] = p;

/**
 * ADWIN (ADaptive WINdowing; Bifet & Gavaldà 2007, "Learning from time-changing data with adaptive
 * windowing", the ADWIN2 variant): a window of the most recent values, kept as an exponential histogram
 * (rows of buckets of 1, 2, 4, … values, at most `maxBuckets` per size before the two oldest merge),
 * so memory and time per value are O(M log W). Every `clock` values it tests each split of the window
 * into an older part W0 and a newer part W1 at bucket boundaries; when
 * |mean(W0) − mean(W1)| > ε_cut = √(2·m·σ²_W·δ′) + (2/3)·δ′·m, with δ′ = ln(2·ln|W|/δ) and
 * m = 1/(n0 − minWindowLength + 1) + 1/(n1 − minWindowLength + 1) (MOA's and River's form),
 * it drops the oldest bucket and tests again until no split is significant, and reports a drift.
 *
 * Unlike River (which clears the whole window at the update after a drift), the window is kept as the
 * cut left it, as in the paper and MOA: `estimation` is then the mean of the newer concept, which is
 * what the Hoeffding Adaptive Tree compares. ADWIN never raises a warning.
 */
export class Adwin implements DriftDetector {
  private o: Resolved;
  private rows: Row[] = [];
  private _width = 0;
  private total = 0;
  private variance = 0;
  private tick = 0;
  private _detections = 0;
  private drift = false;

  constructor(options?: AdwinOptions) {
    this.o = resolve(options);
    this.reset();
  }

  /** The options in force (defaults filled in). */
  get options(): Readonly<Resolved> {
    return this.o;
  }

  /** Number of values in the window. */
  get width(): number {
    return this._width;
  }

  /** Mean of the window (0 while it is empty). */
  get estimation(): number {
    return this._width === 0 ? 0 : this.total / this._width;
  }

  /** Variance of the window's values (population variance). */
  get windowVariance(): number {
    return this._width === 0 ? 0 : this.variance / this._width;
  }

  /** Drifts detected since construction or the last reset. */
  get detections(): number {
    return this._detections;
  }

  get driftDetected(): boolean {
    return this.drift;
  }

  get warningDetected(): boolean {
    return false;
  }

  reset(): void {
    this.rows = [this.newRow()];
    this._width = 0;
    this.total = 0;
    this.variance = 0;
    this.tick = 0;
    this._detections = 0;
    this.drift = false;
  }

  update(x: number): DriftSignal {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new DriftDetectorError(`${NAME}.update: value must be a finite number, got ${String(x)}`);
    this.insert(x);
    this.drift = this.detect();
    if (this.drift) this._detections++;
    return this.drift ? 'drift' : 'none';
  }

  private newRow(): Row {
    const n = this.o.maxBuckets + 1;
    return { total: new Float64Array(n), variance: new Float64Array(n), count: 0 };
  }

  private insert(x: number): void {
    const row0 = this.rows[0]!;
    row0.total[row0.count] = x;
    row0.variance[row0.count] = 0;
    row0.count++;
    this._width++;
    if (this._width > 1) {
      const prevMean = this.total / (this._width - 1);
      const d = x - prevMean;
      this.variance += ((this._width - 1) * d * d) / this._width;
    }
    this.total += x;
    this.compress();
  }

  /** Merge the two oldest buckets of each row that overflowed into one bucket of the next row. */
  private compress(): void {
    const M = this.o.maxBuckets;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r]!;
      if (row.count <= M) return;
      if (r + 1 === this.rows.length) this.rows.push(this.newRow());
      const next = this.rows[r + 1]!;
      const size = POW2[r]!;
      const t0 = row.total[0]!;
      const t1 = row.total[1]!;
      const d = t0 / size - t1 / size;
      next.total[next.count] = t0 + t1;
      next.variance[next.count] = row.variance[0]! + row.variance[1]! + (size * size * d * d) / (2 * size);
      next.count++;
      shift(row, 2);
    }
  }

  /** Drop the oldest bucket; returns its size. */
  private deleteOldest(): number {
    const r = this.rows.length - 1;
    const row = this.rows[r]!;
    const n = POW2[r]!;
    const u = row.total[0]!;
    const v = row.variance[0]!;
    const mu = u / n;
    this._width -= n;
    this.total -= u;
    if (this._width > 0) {
      const muW = this.total / this._width;
      const d = mu - muW;
      this.variance -= v + (n * this._width * d * d) / (n + this._width);
    } else {
      this.total = 0;
      this.variance = 0;
    }
    shift(row, 1);
    while (this.rows.length > 1 && this.rows[this.rows.length - 1]!.count === 0) this.rows.pop();
    return n;
  }

  private detect(): boolean {
    this.tick++;
    if (this.tick % this.o.clock !== 0 || this._width <= this.o.gracePeriod) return false;
    const minLen = this.o.minWindowLength;
    let changed = false;
    let again = true;
    while (again) {
      again = false;
      let n0 = 0;
      let u0 = 0;
      let n1 = this._width;
      let u1 = this.total;
      // The cut bound's terms that depend on the window only (fixed during one scan).
      const dd = Math.log((2 * Math.log(this._width)) / this.o.delta);
      const v = this.variance / this._width;
      // Walk the buckets from the oldest (last row, index 0) to the newest; W1 keeps at least one.
      scan: for (let r = this.rows.length - 1; r >= 0; r--) {
        const row = this.rows[r]!;
        const size = POW2[r]!;
        for (let k = 0; k < row.count; k++) {
          if (r === 0 && k === row.count - 1) break scan;
          const t = row.total[k]!;
          n0 += size;
          n1 -= size;
          u0 += t;
          u1 -= t;
          if (n0 >= minLen && n1 >= minLen && this.cut(n0, n1, u0 / n0 - u1 / n1, dd, v)) {
            changed = true;
            if (this._width > 0) {
              this.deleteOldest();
              again = true;
            }
            break scan;
          }
        }
      }
    }
    return changed;
  }

  /** The cut test of sub-windows n0, n1 with mean difference deltaMean; dd = ln(2·ln|W|/δ), v = the window's variance. */
  private cut(n0: number, n1: number, deltaMean: number, dd: number, v: number): boolean {
    const minLen = this.o.minWindowLength;
    const m = 1 / (n0 - minLen + 1) + 1 / (n1 - minLen + 1);
    const d = Math.abs(deltaMean);
    const tail = (2 / 3) * dd * m;
    // ε = √(2·m·σ²·δ′) + tail ≥ tail (a non-negative root added; NaN compares false either way): a
    // difference within the tail is no cut, and the root is needed only beyond it. The same decisions.
    if (!(d > tail)) return false;
    const epsilon = Math.sqrt(2 * m * v * dd) + tail;
    return d > epsilon;
  }

  getState(): AdwinState {
    return {
      kind: NAME,
      options: { ...this.o },
      rows: this.rows.map((row) => ({ total: Array.from(row.total.subarray(0, row.count)), variance: Array.from(row.variance.subarray(0, row.count)) })),
      width: this._width,
      total: this.total,
      variance: this.variance,
      tick: this.tick,
      detections: this._detections,
      drift: this.drift,
    };
  }

  setState(state: unknown): void {
    const s = checkRecord(NAME, 'state', state);
    if (s.kind !== NAME) throw new DriftDetectorError(`${NAME}.setState: state is not an ADWIN state (kind ${JSON.stringify(s.kind)})`);
    const o = resolve(checkRecord(NAME, 'options', s.options) as AdwinOptions);
    if (!Array.isArray(s.rows) || s.rows.length === 0) throw new DriftDetectorError(`${NAME}.setState: "rows" must be a non-empty array`);
    const rows: Row[] = [];
    let count = 0;
    for (const [r, raw] of (s.rows as unknown[]).entries()) {
      const rr = checkRecord(NAME, `rows[${r}]`, raw);
      const t = rr.total;
      const v = rr.variance;
      const okArr = (a: unknown): a is number[] => Array.isArray(a) && a.length <= o.maxBuckets && a.every((x) => typeof x === 'number' && Number.isFinite(x));
      if (!okArr(t) || !okArr(v) || t.length !== v.length) {
        throw new DriftDetectorError(`${NAME}.setState: rows[${r}] must hold equal arrays of at most ${o.maxBuckets} finite numbers`);
      }
      const row: Row = { total: new Float64Array(o.maxBuckets + 1), variance: new Float64Array(o.maxBuckets + 1), count: t.length };
      row.total.set(t);
      row.variance.set(v);
      rows.push(row);
      count += t.length * 2 ** r;
    }
    const width = stateNumber(NAME, s, 'width');
    if (width !== count) throw new DriftDetectorError(`${NAME}.setState: "width" ${width} does not match the buckets (${count})`);
    const total = stateNumber(NAME, s, 'total');
    const variance = stateNumber(NAME, s, 'variance');
    const tick = stateNumber(NAME, s, 'tick');
    const detections = stateNumber(NAME, s, 'detections');
    const drift = stateBoolean(NAME, s, 'drift');
    if (!Number.isInteger(tick) || tick < 0 || !Number.isInteger(detections) || detections < 0) {
      throw new DriftDetectorError(`${NAME}.setState: "tick" and "detections" must be non-negative integers`);
    }
    // Everything validated: replace.
    this.o = o;
    this.rows = rows;
    this._width = width;
    this.total = total;
    this.variance = variance;
    this.tick = tick;
    this._detections = detections;
    this.drift = drift;
  }
}

/** JSON-safe state of an {@link Adwin}. */
export interface AdwinState {
  kind: 'adwin';
  options: Required<AdwinOptions>;
  rows: { total: number[]; variance: number[] }[];
  width: number;
  total: number;
  variance: number;
  tick: number;
  detections: number;
  drift: boolean;
}

/** Remove the n oldest buckets of a row. */
function shift(row: Row, n: number): void {
  // Plain loops: the rows hold maxBuckets + 1 (6) values, where copyWithin/fill cost more in call overhead.
  const t = row.total;
  const v = row.variance;
  const count = row.count - n;
  for (let k = 0; k < count; k++) {
    t[k] = t[k + n]!;
    v[k] = v[k + n]!;
  }
  for (let k = count; k < row.count; k++) {
    t[k] = 0;
    v[k] = 0;
  }
  row.count = count;
}
