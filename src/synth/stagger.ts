import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import { randInt, type SynthConcept, type SynthDefinition, type SynthSample } from './concept';

export const STAGGER_SIZES = ['small', 'medium', 'large'] as const;
export const STAGGER_COLORS = ['red', 'blue', 'green'] as const;
export const STAGGER_SHAPES = ['circle', 'square', 'triangle'] as const;

/** The three STAGGER concepts, 1-based. */
export const STAGGER_FUNCTIONS: readonly ((x: Row) => boolean)[] = [
  (x) => x.size === 'small' && x.color === 'red',
  (x) => x.color === 'green' || x.shape === 'circle',
  (x) => x.size === 'medium' || x.size === 'large',
];

/**
 * STAGGER concepts (Schlimmer & Granger 1986, "Incremental learning from noisy data", Machine Learning
 * 1(3)): size, color and shape, each uniform over three values; concept 1 = small ∧ red, 2 = green ∨
 * circle, 3 = medium ∨ large (River's functions 0–2). Deterministic: P(y = 1 | x) is 0 or 1.
 */
export const STAGGER: SynthDefinition = {
  name: 'stagger',
  title: 'STAGGER (Schlimmer & Granger 1986): 1 = small ∧ red, 2 = green ∨ circle, 3 = medium ∨ large',
  functions: 3,
  firstFunction: 1,
  params: {},
  fields: () => ({ numeric: [], categorical: ['size', 'color', 'shape'] }),
  create(_params, fn, u: Uniform): SynthConcept {
    const f = STAGGER_FUNCTIONS[fn - 1]!;
    return {
      sample(x): SynthSample {
        x.size = STAGGER_SIZES[randInt(u, 3)];
        x.color = STAGGER_COLORS[randInt(u, 3)];
        x.shape = STAGGER_SHAPES[randInt(u, 3)];
        const y: 0 | 1 = f(x) ? 1 : 0;
        return { y, p: y };
      },
      posterior: (x) => (f(x) ? 1 : 0),
    };
  },
};
