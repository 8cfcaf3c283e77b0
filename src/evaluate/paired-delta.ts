/** A seed-paired difference: its mean over the pairs and a two-sided 95 % interval (Student t). */
export interface PairedDelta {
  mean: number;
  lo: number;
  hi: number;
  /** Pairs (seeds) it is computed from. */
  n: number;
}

/** t_{0.975, df} for df = 1…30. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
  2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
/** t_{0.975, df} at df = 40, 60, 120 and ∞, interpolated linearly in 1/df between them. */
const T975_TAIL: [number, number][] = [[30, 2.042], [40, 2.021], [60, 2.0], [120, 1.98], [Infinity, 1.96]];

/** The 97.5 % quantile of Student's t with `df` degrees of freedom (table, interpolated in 1/df beyond 30). */
export function t975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30 && Number.isInteger(df)) return T975[df - 1]!;
  for (let i = 1; i < T975_TAIL.length; i++) {
    const [d0, t0] = T975_TAIL[i - 1]!;
    const [d1, t1] = T975_TAIL[i]!;
    if (df <= d1) {
      const x = 1 / df;
      const x0 = 1 / d0;
      const x1 = d1 === Infinity ? 0 : 1 / d1;
      return t0 + ((x - x0) / (x1 - x0)) * (t1 - t0);
    }
  }
  return 1.96;
}

/**
 * The mean of `a[i] − b[i]` over the pairs and its 95 % interval mean ± t·s/√n (s: the sample standard
 * deviation of the differences). One pair: the interval is unbounded (−∞, ∞); none: NaN.
 */
export function pairedDelta(a: readonly number[], b: readonly number[]): PairedDelta {
  if (a.length !== b.length) throw new RangeError(`pairedDelta: ${a.length} values against ${b.length}`);
  const n = a.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  const d = a.map((v, i) => v - b[i]!);
  const mean = d.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, lo: -Infinity, hi: Infinity, n };
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (n - 1));
  const half = t975(n - 1) * (sd / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, n };
}
