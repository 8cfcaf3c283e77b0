import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import type { SynthConcept, SynthDefinition, SynthSample } from './concept';

/** The four Sine functions, 1-based: SINE1, reversed SINE1, SINE2, reversed SINE2 (true = label 1). */
export const SINE_FUNCTIONS: readonly ((x1: number, x2: number) => boolean)[] = [
  (x1, x2) => x1 < Math.sin(x2),
  (x1, x2) => x1 >= Math.sin(x2),
  (x1, x2) => x1 < 0.5 + 0.3 * Math.sin(3 * Math.PI * x2),
  (x1, x2) => x1 >= 0.5 + 0.3 * Math.sin(3 * Math.PI * x2),
];

/**
 * Sine (Gama, Medas, Castillo & Rodrigues 2004, "Learning with drift detection", SBIA; as River's `Sine`):
 * x1, x2 uniform on [0, 1]; function 1 (SINE1) labels y = 1 below the curve, x1 < sin(x2); 2 reverses it;
 * 3 (SINE2) is x1 < 0.5 + 0.3·sin(3π·x2); 4 reverses it (River's functions 0–3). `irrelevant` adds x3, x4
 * uniform on [0, 1] (River's `has_noise`). Deterministic: P(y = 1 | x) is 0 or 1.
 */
export const SINE: SynthDefinition = {
  name: 'sine',
  title: 'Sine (Gama et al. 2004): 1 = SINE1, 2 = reversed, 3 = SINE2, 4 = reversed',
  functions: 4,
  firstFunction: 1,
  params: {
    irrelevant: { kind: 'boolean', default: false, doc: 'add two irrelevant attributes x3, x4' },
  },
  fields: (params) => ({ numeric: params.irrelevant ? ['x1', 'x2', 'x3', 'x4'] : ['x1', 'x2'], categorical: [] }),
  create(params, fn, u: Uniform): SynthConcept {
    const f = SINE_FUNCTIONS[fn - 1]!;
    const extra = params.irrelevant as boolean;
    return {
      sample(x): SynthSample {
        const x1 = u();
        const x2 = u();
        x.x1 = x1;
        x.x2 = x2;
        if (extra) {
          x.x3 = u();
          x.x4 = u();
        }
        const y: 0 | 1 = f(x1, x2) ? 1 : 0;
        return { y, p: y };
      },
      posterior: (x) => (f(x.x1 as number, x.x2 as number) ? 1 : 0),
    };
  },
};
