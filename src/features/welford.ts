/** Running mean and variance (Welford's algorithm), one accumulator per numeric feature. */
export interface WelfordState {
  count: number;
  mean: number;
  m2: number;
}

/** A fresh accumulator. */
export function welford(): WelfordState {
  return { count: 0, mean: 0, m2: 0 };
}

/** Adds one finite value. */
export function welfordAdd(s: WelfordState, x: number): void {
  s.count += 1;
  const delta = x - s.mean;
  s.mean += delta / s.count;
  s.m2 += delta * (x - s.mean);
}

/**
 * Standard deviation used for standardisation: the sample standard deviation once two values
 * were seen, else 1; never below `floor` (so a constant column maps to 0, not to ±∞).
 */
export function welfordStd(s: WelfordState, floor = 1e-6): number {
  if (s.count < 2) return 1;
  const sd = Math.sqrt(s.m2 / (s.count - 1));
  return sd > floor ? sd : 1;
}
