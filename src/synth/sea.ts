import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import type { SynthConcept, SynthDefinition, SynthSample } from './concept';

/** SEA's thresholds θ for functions 1–4 (Street & Kim 2001): y = 1 iff x1 + x2 ≤ θ. */
export const SEA_THRESHOLDS = [8, 9, 7, 9.5] as const;

/**
 * SEA concepts (Street & Kim 2001, "A streaming ensemble algorithm (SEA) for large-scale
 * classification", KDD): three features uniform on [0, 10], only the first two relevant; function k
 * labels y = 1 iff x1 + x2 ≤ θ_k with θ = 8, 9, 7, 9.5 (the paper's "class 1 if f1 + f2 ≤ θ"; River's
 * SEA labels the complement, x1 + x2 > θ, as True). `noise` η flips each label with probability η, so
 * P(y = 1 | x) is 1 − η or η.
 */
export const SEA: SynthDefinition = {
  name: 'sea',
  title: 'SEA (Street & Kim 2001): x1 + x2 ≤ θ, θ = 8, 9, 7, 9.5; x3 irrelevant',
  functions: 4,
  firstFunction: 1,
  params: {
    noise: { kind: 'number', default: 0, min: 0, max: 0.5, doc: 'probability that a label is flipped' },
  },
  fields: () => ({ numeric: ['x1', 'x2', 'x3'], categorical: [] }),
  create(params, fn, u): SynthConcept {
    const theta = SEA_THRESHOLDS[fn - 1]!;
    const noise = params.noise as number;
    const clean = (x: Row) => ((x.x1 as number) + (x.x2 as number) <= theta ? 1 : 0);
    return {
      sample(x): SynthSample {
        x.x1 = 10 * u();
        x.x2 = 10 * u();
        x.x3 = 10 * u();
        const c = clean(x);
        let y: 0 | 1 = c;
        if (noise > 0 && u() < noise) y = y === 1 ? 0 : 1;
        return { y, p: c === 1 ? 1 - noise : noise };
      },
      posterior: (x) => (clean(x) === 1 ? 1 - noise : noise),
    };
  },
};
