/**
 * Exponentially weighted mean and variance of one numeric feature. The value seen k values ago has
 * weight λ^k with λ = 2^(−1/halfLife), so a value's weight halves every `halfLife` values.
 */
export interface EwmState {
  /** Values seen. */
  count: number;
  /** Weighted mean Σ wᵢxᵢ / Σ wᵢ. */
  mean: number;
  /** Weighted (population) variance Σ wᵢ(xᵢ − mean)² / Σ wᵢ. */
  variance: number;
  /** Σ wᵢ. */
  w: number;
  /** Σ wᵢ² (for the bias correction). */
  w2: number;
}

/** A fresh accumulator. */
export function ewm(): EwmState {
  return { count: 0, mean: 0, variance: 0, w: 0, w2: 0 };
}

/** The decay λ = 2^(−1/halfLife) of a half-life in values. */
export function ewmDecay(halfLife: number): number {
  return Math.pow(2, -1 / halfLife);
}

/**
 * Adds one finite value (the incremental weighted update of Finch 2009, "Incremental calculation
 * of weighted mean and variance"): w ← λw + 1, a = 1/w, d = x − mean, mean += a·d,
 * variance ← (1 − a)(variance + a·d²).
 */
export function ewmAdd(s: EwmState, x: number, decay: number): void {
  s.count += 1;
  s.w = decay * s.w + 1;
  s.w2 = decay * decay * s.w2 + 1;
  const a = 1 / s.w;
  const d = x - s.mean;
  s.mean += a * d;
  s.variance = (1 - a) * (s.variance + a * d * d);
}

/**
 * Standard deviation used for standardisation: √(variance · w²/(w² − w2)) (the reliability-weights
 * bias correction, which is the sample standard deviation when nothing decays) once two values
 * were seen, else 1; 1 when it is not above `floor` (a constant column maps to 0).
 */
export function ewmStd(s: EwmState, floor = 1e-6): number {
  if (s.count < 2) return 1;
  const denom = s.w * s.w - s.w2;
  if (!(denom > 0)) return 1;
  const sd = Math.sqrt((s.variance * s.w * s.w) / denom);
  return sd > floor ? sd : 1;
}

/** The half-life N of a normalise value "ewm:N", or null for "cumulative"; throws naming the option otherwise. */
export function parseNormalise(value: unknown): number | null {
  if (value === 'cumulative') return null;
  const m = typeof value === 'string' ? /^ewm:(.+)$/.exec(value) : null;
  const n = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isFinite(n) || n <= 0) {
    throw new Error(`normalise must be "cumulative" or "ewm:N" with a half-life N > 0 events, got ${JSON.stringify(value)}`);
  }
  return n;
}
