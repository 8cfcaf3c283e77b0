import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import type { SynthConcept, SynthDefinition, SynthSample } from './concept';

/**
 * Rotating hyperplane (Hulten, Spencer & Domingos 2001, "Mining time-changing data streams", KDD; as
 * River's `Hyperplane` and MOA's `HyperplaneGenerator`): `features` attributes uniform on [0, 1], weights
 * w drawn uniform on [0, 1]; y = 1 iff Σ wᵢxᵢ ≥ ½ Σ wᵢ; `noise` η flips each label with probability η.
 * After every example the first `driftFeatures` weights move by ±`magnitude` (incremental drift), each
 * reversing its direction with probability `sigma`. P(y = 1 | x) is 1 − η or η at the weights of the
 * moment. (River and MOA compare `0.01 + U ≤ η`, i.e. flip with probability η − 0.01; here it is η.)
 */
export const HYPERPLANE: SynthDefinition = {
  name: 'hyperplane',
  title: 'rotating hyperplane (Hulten et al. 2001): Σ wᵢxᵢ ≥ ½ Σ wᵢ, weights drifting by ±magnitude',
  functions: 0,
  firstFunction: 0,
  params: {
    features: { kind: 'number', default: 10, min: 2, max: 1000, integer: true, doc: 'number of attributes' },
    driftFeatures: { kind: 'number', default: 2, min: 0, max: 1000, integer: true, doc: 'attributes whose weights drift' },
    magnitude: { kind: 'number', default: 0, min: 0, max: 1, doc: 'weight change per example (0 = no incremental drift)' },
    sigma: { kind: 'number', default: 0.1, min: 0, max: 1, doc: 'probability that a drifting weight reverses direction' },
    noise: { kind: 'number', default: 0.05, min: 0, max: 0.5, doc: 'probability that a label is flipped' },
  },
  fields: (params) => ({ numeric: Array.from({ length: params.features as number }, (_, i) => `x${i + 1}`), categorical: [] }),
  create(params, _fn, u: Uniform): SynthConcept {
    const d = params.features as number;
    const nDrift = Math.min(d, params.driftFeatures as number);
    const magnitude = params.magnitude as number;
    const sigma = params.sigma as number;
    const noise = params.noise as number;
    const names = Array.from({ length: d }, (_, i) => `x${i + 1}`);
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) w[i] = u();
    const dir = new Float64Array(d).fill(1);
    const clean = (x: Row) => {
      let s = 0;
      let sw = 0;
      for (let i = 0; i < d; i++) {
        s += w[i]! * (x[names[i]!] as number);
        sw += w[i]!;
      }
      return s >= 0.5 * sw ? 1 : 0;
    };
    return {
      sample(x): SynthSample {
        for (let i = 0; i < d; i++) x[names[i]!] = u();
        const c = clean(x);
        let y: 0 | 1 = c;
        if (noise > 0 && u() < noise) y = y === 1 ? 0 : 1;
        for (let i = 0; i < nDrift; i++) {
          w[i] += dir[i]! * magnitude;
          if (u() < sigma) dir[i] = -dir[i]!;
        }
        return { y, p: c === 1 ? 1 - noise : noise };
      },
      posterior: (x) => (clean(x) === 1 ? 1 - noise : noise),
    };
  },
};
