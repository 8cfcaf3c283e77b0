import type { Rng } from '../rng';

/**
 * Poisson(λ) draws by inversion of a tabulated distribution function: one uniform per draw (Knuth's
 * multiplication method needs λ + 1 on average, 7 for the forest's λ = 6). The table stops where the
 * remaining tail is below 1e-15, so the draws follow Poisson(λ) to that precision.
 */
export class Poisson {
  private readonly cdf: Float64Array;

  constructor(readonly lambda: number) {
    const cdf: number[] = [];
    let p = Math.exp(-lambda);
    let c = p;
    cdf.push(c);
    for (let k = 1; 1 - c > 1e-15 && k < 1000; k++) {
      p *= lambda / k;
      c += p;
      cdf.push(c);
    }
    this.cdf = Float64Array.from(cdf);
  }

  /** One draw from `rng` (one uniform). */
  draw(rng: Rng): number {
    const u = rng.next();
    const cdf = this.cdf;
    const last = cdf.length - 1;
    let k = 0;
    while (k < last && u >= cdf[k]!) k++;
    return k;
  }
}
