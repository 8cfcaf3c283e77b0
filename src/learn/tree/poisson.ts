import type { Rng } from '../rng';

/** A Poisson(λ) draw by Knuth's multiplication method (λ is small here: 1 or 6). */
export function poisson(lambda: number, rng: Rng): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k += 1;
    p *= rng.next();
  }
  return k;
}
