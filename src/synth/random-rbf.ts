import type { Row } from '../types';
import { createRng, Draws, type Uniform } from '../stream/rng';
import { randInt, type SynthConcept, type SynthDefinition, type SynthSample } from './concept';

/**
 * Random RBF (as River's `RandomRBF`/`RandomRBFDrift` and MOA's `RandomRBFGenerator(Drift)`): a model of
 * `centroids` centroids, each with a centre uniform in [0, 1]^d, a label (0/1 with probability ½), a
 * standard deviation U[0, 1] and a weight U[0, 1], drawn from the model seed. An example picks a centroid
 * with probability ∝ weight and moves from its centre in a random direction (a point of [−1, 1]^d,
 * normalised) by a length N(0, sd); its label is the centroid's. With `speed` > 0 the first
 * `driftCentroids` centroids move by `speed` per example along a random unit direction (drawn from the
 * model seed after the centroids), bouncing off the faces of [0, 1]^d: incremental drift. The posterior
 * has no closed form here (the direction is not uniform on the sphere), so there is no `oracle_p`.
 */
export const RANDOM_RBF: SynthDefinition = {
  name: 'rbf',
  title: 'random RBF: labelled Gaussian-like clusters; drift = moving centroids',
  functions: 0,
  firstFunction: 0,
  params: {
    features: { kind: 'number', default: 10, min: 1, max: 1000, integer: true, doc: 'number of attributes' },
    centroids: { kind: 'number', default: 50, min: 1, max: 100000, integer: true, doc: 'number of centroids' },
    speed: { kind: 'number', default: 0, min: 0, max: 1, doc: 'distance a drifting centroid moves per example (0 = static)' },
    driftCentroids: { kind: 'number', default: 50, min: 0, max: 100000, integer: true, doc: 'how many centroids drift when speed > 0' },
  },
  fields: (params) => ({ numeric: Array.from({ length: params.features as number }, (_, i) => `x${i + 1}`), categorical: [] }),
  create(params, _fn, u: Uniform, modelSeed: string): SynthConcept {
    const d = params.features as number;
    const k = params.centroids as number;
    const speed = params.speed as number;
    const nDrift = speed > 0 ? Math.min(k, params.driftCentroids as number) : 0;
    const names = Array.from({ length: d }, (_, i) => `x${i + 1}`);
    const m = createRng(modelSeed);
    const centre: Float64Array[] = [];
    const label: (0 | 1)[] = [];
    const sd = new Float64Array(k);
    const cum = new Float64Array(k);
    let total = 0;
    for (let c = 0; c < k; c++) {
      const v = new Float64Array(d);
      for (let j = 0; j < d; j++) v[j] = m();
      centre.push(v);
      label.push(randInt(m, 2) as 0 | 1);
      sd[c] = m();
      total += m();
      cum[c] = total;
    }
    const velocity: Float64Array[] = [];
    for (let c = 0; c < nDrift; c++) {
      const v = new Float64Array(d);
      let norm = 0;
      for (let j = 0; j < d; j++) {
        v[j] = m();
        norm += v[j]! * v[j]!;
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < d; j++) v[j] = v[j]! / norm;
      velocity.push(v);
    }
    const draws = new Draws(u);
    const offset = new Float64Array(d);
    return {
      sample(x): SynthSample {
        for (let c = 0; c < nDrift; c++) {
          const ce = centre[c]!;
          const ve = velocity[c]!;
          for (let j = 0; j < d; j++) {
            ce[j] += ve[j]! * speed;
            if (ce[j]! > 1 || ce[j]! < 0) {
              ce[j] = ce[j]! > 1 ? 1 : 0;
              ve[j] = -ve[j]!;
            }
          }
        }
        const r = u() * total;
        let c = 0;
        while (c < k - 1 && cum[c]! <= r) c++;
        let mag = 0;
        for (let j = 0; j < d; j++) {
          offset[j] = 2 * u() - 1;
          mag += offset[j]! * offset[j]!;
        }
        mag = Math.sqrt(mag) || 1;
        const scale = (draws.normal() * sd[c]!) / mag;
        const ce = centre[c]!;
        for (let j = 0; j < d; j++) x[names[j]!] = ce[j]! + offset[j]! * scale;
        return { y: label[c]!, p: null };
      },
      posterior: () => null,
    };
  },
};
