import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import { randInt, type SynthConcept, type SynthDefinition, type SynthSample } from './concept';

/** Segments lit for digits 0–9 (River's and MOA's table; segment order s1..s7). */
export const LED_DIGITS: readonly (readonly number[])[] = [
  [1, 1, 1, 0, 1, 1, 1],
  [0, 0, 1, 0, 0, 1, 0],
  [1, 0, 1, 1, 1, 0, 1],
  [1, 0, 1, 1, 0, 1, 1],
  [0, 1, 1, 1, 0, 1, 0],
  [1, 1, 0, 1, 0, 1, 1],
  [1, 1, 0, 1, 1, 1, 1],
  [1, 0, 1, 0, 0, 1, 0],
  [1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 0, 1, 1],
];

const SEGMENTS = Array.from({ length: 7 }, (_, i) => `s${i + 1}`);
const IRRELEVANT = Array.from({ length: 17 }, (_, i) => `i${i + 1}`);

/**
 * LED display (Breiman, Friedman, Olshen & Stone 1984, *Classification and Regression Trees*; as MOA's
 * `LEDGenerator` and River's `LED`): a digit uniform on 0–9 is shown on seven segments s1..s7, each
 * inverted with probability `noise` (default 10 %, MOA's); `irrelevant` adds 17 random bits i1..i17
 * (the 24-attribute LED). The framework is binary, so function K (0–9, the digit) labels y = 1 iff the
 * digit shown is K — one digit against the rest, positive rate 1/10. P(y = 1 | x) is exact:
 * P(digit = K | segments) by Bayes' rule over the ten digits (the irrelevant bits cancel).
 */
export const LED: SynthDefinition = {
  name: 'led',
  title: 'LED (Breiman et al. 1984): 7 noisy segments (+17 irrelevant); function K = "the digit is K"',
  functions: 10,
  firstFunction: 0,
  params: {
    noise: { kind: 'number', default: 0.1, min: 0, max: 0.5, doc: 'probability that a segment is inverted' },
    irrelevant: { kind: 'boolean', default: true, doc: 'add 17 irrelevant random bits i1..i17' },
  },
  fields: (params) => ({ numeric: params.irrelevant ? [...SEGMENTS, ...IRRELEVANT] : [...SEGMENTS], categorical: [] }),
  create(params, fn, u: Uniform): SynthConcept {
    const noise = params.noise as number;
    const extra = params.irrelevant as boolean;
    const target = fn;
    // Likelihood of the segments under a digit with m mismatching segments: η^m (1 − η)^(7 − m).
    const like = Float64Array.from({ length: 8 }, (_, m) => noise ** m * (1 - noise) ** (7 - m));
    // Segments as a 7-bit code; each digit's code; the posterior of every code, computed once.
    const codes = LED_DIGITS.map((pat) => pat.reduce((c, bit, i) => c | (bit << i), 0));
    const table = new Float64Array(128);
    for (let code = 0; code < 128; code++) {
      let num = 0;
      let den = 0;
      for (let d = 0; d < 10; d++) {
        let diff = code ^ codes[d]!;
        let m = 0;
        while (diff) {
          m += diff & 1;
          diff >>= 1;
        }
        den += like[m]!;
        if (d === target) num = like[m]!;
      }
      table[code] = den > 0 ? num / den : 0.1;
    }
    const posterior = (x: Row): number => {
      let code = 0;
      for (let i = 0; i < 7; i++) if ((x[SEGMENTS[i]!] as number) === 1) code |= 1 << i;
      return table[code]!;
    };
    return {
      sample(x): SynthSample {
        const digit = randInt(u, 10);
        const pattern = LED_DIGITS[digit]!;
        for (let i = 0; i < 7; i++) {
          const lit = pattern[i]!;
          x[SEGMENTS[i]!] = noise > 0 && u() < noise ? 1 - lit : lit;
        }
        if (extra) for (let i = 0; i < 17; i++) x[IRRELEVANT[i]!] = randInt(u, 2);
        return { y: digit === target ? 1 : 0, p: posterior(x) };
      },
      posterior,
    };
  },
};
