import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import { SynthError } from './synth-error';

/** One draw of a concept: the label (the features were written into the row given). */
export interface SynthSample {
  y: 0 | 1;
  /** P(y = 1 | x) under this concept when x was drawn, or null when there is no closed form. */
  p: number | null;
}

/** A data-generating concept: features and label, from its own seeded uniform source. */
export interface SynthConcept {
  /** Draw the next example into `x` (its features, in a fixed field order) and advance any drift of the concept itself. */
  sample(x: Row): SynthSample;
  /** P(y = 1 | x) under this concept as it is now (for an x drawn by another concept), or null when there is no closed form. */
  posterior(x: Row): number | null;
}

/** Which fields a stream has, for its schema. */
export interface SynthFields {
  numeric: string[];
  categorical: string[];
}

/** The kind and default of one stream parameter. */
export type ParamSpec =
  | { kind: 'number'; default: number; min: number; max: number; integer?: boolean; doc: string }
  | { kind: 'boolean'; default: boolean; doc: string };

/** A synthetic stream's definition: its parameters, functions, fields and how to build a concept. */
export interface SynthDefinition {
  name: string;
  /** One-line description (for `--help` and docs). */
  title: string;
  /** Number of labelling functions (`--function 1..n`), or 0 when the stream has none (drift = a new random model). */
  functions: number;
  /** First function number (1 for the papers' numbering; 0 for LED's digits). */
  firstFunction: number;
  params: Record<string, ParamSpec>;
  fields(params: Record<string, number | boolean>): SynthFields;
  /** Build a concept; `fn` is a valid function number (or 0 when `functions` is 0). */
  create(params: Record<string, number | boolean>, fn: number, u: Uniform, modelSeed: string): SynthConcept;
}

/** Fill in defaults and validate stream parameters; unknown keys and bad values throw naming them. */
export function resolveParams(def: SynthDefinition, raw: Record<string, unknown> | undefined): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  const given = raw ?? {};
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(def.params, key)) {
      const known = Object.keys(def.params);
      throw new SynthError(`${def.name}: unknown parameter "${key}" (known: ${known.length ? known.join(', ') : 'none'})`);
    }
  }
  for (const [key, spec] of Object.entries(def.params)) {
    const v = Object.prototype.hasOwnProperty.call(given, key) ? given[key] : spec.default;
    if (spec.kind === 'boolean') {
      if (typeof v !== 'boolean') throw new SynthError(`${def.name}: parameter "${key}" must be true or false, got ${JSON.stringify(v)}`);
      out[key] = v;
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || v > spec.max || (spec.integer && !Number.isInteger(v))) {
        throw new SynthError(`${def.name}: parameter "${key}" must be ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}], got ${JSON.stringify(v)}`);
      }
      out[key] = v;
    }
  }
  return out;
}

/** Uniform integer in [0, n). */
export function randInt(u: Uniform, n: number): number {
  return Math.floor(u() * n);
}
