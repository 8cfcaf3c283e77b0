import seedrandom from 'seedrandom';

/** A seeded uniform generator on [0, 1). */
export type Uniform = () => number;

/** The generator's seeded random source (seedrandom's alea: fast, reproducible byte for byte). */
export function createRng(seed: string | number): Uniform {
  return seedrandom.alea(`onthefly:${String(seed)}`) as Uniform;
}

/**
 * Exact draws built on a uniform source, with no per-call allocation.
 * Normal draws use Box–Muller and keep the second value of each pair.
 */
export class Draws {
  private spare = 0;
  private hasSpare = false;
  constructor(readonly u: Uniform) {}

  /** Standard normal. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u = this.u;
    let a = u();
    while (a <= 0) a = u();
    const r = Math.sqrt(-2 * Math.log(a));
    const phi = 6.283185307179586 * u();
    this.spare = r * Math.sin(phi);
    this.hasSpare = true;
    return r * Math.cos(phi);
  }

  /** Poisson(lambda) by inversion (lambda is small here, < 30); pass e^−lambda when it is cached. */
  poisson(lambda: number, expNegLambda: number = Math.exp(-lambda)): number {
    let p = expNegLambda;
    let s = p;
    const x = this.u();
    let k = 0;
    while (x > s && k < 1000) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  }

  /** Index drawn from a cumulative distribution table (last entry 1). */
  pick(cumulative: ArrayLike<number>): number {
    const x = this.u();
    const n = cumulative.length - 1;
    let i = 0;
    while (i < n && x >= cumulative[i]) i++;
    return i;
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.u() * (hi - lo + 1));
  }
}

/** Cumulative table of non-negative weights (normalised; last entry exactly 1). */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    out[i] = acc / total;
  }
  out[weights.length - 1] = 1;
  return out;
}
