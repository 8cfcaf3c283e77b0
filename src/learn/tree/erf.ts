/**
 * The standard normal distribution function Φ(z) = ½·erfc(−z/√2), with erfc from W. J. Cody's
 * rational Chebyshev approximation as given in Numerical Recipes (erfcc: relative error < 1.2e-7
 * everywhere), which is ample for choosing split points.
 */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const ax = x < 0 ? -x : x;
  const t = 1 / (1 + 0.5 * ax);
  const r = t * Math.exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  const erfc = x >= 0 ? r : 2 - r;
  return 0.5 * erfc;
}
