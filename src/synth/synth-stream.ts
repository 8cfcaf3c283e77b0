import type { Row, Schema } from '../types';
import { createRng } from '../stream/rng';
import { resolveParams, type SynthConcept, type SynthDefinition } from './concept';
import { SynthError } from './synth-error';
import { SEA } from './sea';
import { AGRAWAL } from './agrawal';
import { HYPERPLANE } from './hyperplane';
import { RANDOM_RBF } from './random-rbf';
import { STAGGER } from './stagger';
import { SINE } from './sine';
import { LED } from './led';

/** The synthetic streams, by the name `--synth` takes. */
export const SYNTH_DEFINITIONS: Readonly<Record<SynthName, SynthDefinition>> = {
  sea: SEA,
  agrawal: AGRAWAL,
  hyperplane: HYPERPLANE,
  rbf: RANDOM_RBF,
  stagger: STAGGER,
  sine: SINE,
  led: LED,
};
export const SYNTH_NAMES = ['sea', 'agrawal', 'hyperplane', 'rbf', 'stagger', 'sine', 'led'] as const;
export type SynthName = (typeof SYNTH_NAMES)[number];

export function isSynthName(name: unknown): name is SynthName {
  return typeof name === 'string' && (SYNTH_NAMES as readonly string[]).includes(name);
}

/** A synthetic stream: which one, its concept, and an optional concept drift (River's ConceptDriftStream). */
export interface SynthOptions {
  /** Which stream. */
  name: SynthName;
  /** Number of events. Default 10,000. */
  events?: number;
  /** Seed (string or number). Default 1. */
  seed?: string | number;
  /** Labelling function before the drift (see docs/synth.md; 1-based, LED: the digit 0–9). Default: the first. */
  function?: number;
  /**
   * Centre of the drift: an event index (0-based, ≥ 1), or, when below 1, a fraction of `events`
   * (0.5 = the middle). Default: no drift.
   */
  driftAt?: number;
  /** Width of the sigmoid transition in events; 0 = abrupt (every event from the centre on is the new concept). Default 0. */
  driftWidth?: number;
  /** Function after the drift. Default: the next one (cyclically). Streams without functions draw a new random model instead. */
  driftFunction?: number;
  /** Stream parameters (docs/synth.md lists each stream's, with defaults). Default {}. */
  params?: Record<string, number | boolean>;
}

/** {@link SynthOptions} with every default filled in and checked. */
export interface ResolvedSynth {
  /** Marks options already resolved (accepted as they are by {@link SynthStream} and {@link synthSchema}). */
  resolved: true;
  name: SynthName;
  events: number;
  seed: string | number;
  function: number | null;
  /** Drift centre as an event index, or null (no drift). */
  driftAt: number | null;
  driftWidth: number;
  driftFunction: number | null;
  params: Record<string, number | boolean>;
}

function checkFunction(def: SynthDefinition, what: string, fn: unknown): number {
  const lo = def.firstFunction;
  const hi = def.firstFunction + def.functions - 1;
  if (typeof fn !== 'number' || !Number.isInteger(fn) || fn < lo || fn > hi) {
    throw new SynthError(`${def.name}: ${what} must be an integer in ${lo}..${hi}, got ${JSON.stringify(fn)}`);
  }
  return fn;
}

/** Fill in defaults and validate; every problem throws a {@link SynthError} naming the option. */
export function resolveSynth(options: SynthOptions | ResolvedSynth): ResolvedSynth {
  if (typeof options !== 'object' || options === null) throw new SynthError('synth options must be an object');
  if ('resolved' in options && options.resolved === true) return options;
  if (!isSynthName(options.name)) throw new SynthError(`unknown synthetic stream ${JSON.stringify(options.name)} (known: ${SYNTH_NAMES.join(', ')})`);
  const def = SYNTH_DEFINITIONS[options.name];
  const events = options.events ?? 10_000;
  if (!Number.isInteger(events) || events < 0) throw new SynthError(`${def.name}: events must be a non-negative integer, got ${JSON.stringify(events)}`);
  const seed = options.seed ?? 1;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) throw new SynthError(`${def.name}: seed must be a string or a number`);
  let fn: number | null = null;
  if (def.functions === 0) {
    if (options.function !== undefined) throw new SynthError(`${def.name}: has no labelling functions (drift draws a new random model); drop "function"`);
    if (options.driftFunction !== undefined) throw new SynthError(`${def.name}: has no labelling functions; drop "driftFunction"`);
  } else {
    fn = checkFunction(def, 'function', options.function ?? def.firstFunction);
  }
  let driftAt: number | null = null;
  if (options.driftAt !== undefined) {
    const f = options.driftAt;
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0 || (f >= 1 && !Number.isInteger(f))) {
      throw new SynthError(`${def.name}: driftAt must be an event index (an integer ≥ 1) or a fraction of events in [0, 1), got ${JSON.stringify(f)}`);
    }
    driftAt = f < 1 ? Math.round(f * events) : f;
  }
  const driftWidth = options.driftWidth ?? 0;
  if (typeof driftWidth !== 'number' || !Number.isFinite(driftWidth) || driftWidth < 0) {
    throw new SynthError(`${def.name}: driftWidth must be a number ≥ 0 (0 = abrupt), got ${JSON.stringify(driftWidth)}`);
  }
  if (driftAt === null && (options.driftWidth !== undefined || options.driftFunction !== undefined)) {
    throw new SynthError(`${def.name}: ${options.driftWidth !== undefined ? 'driftWidth' : 'driftFunction'} needs driftAt`);
  }
  let driftFunction: number | null = null;
  if (driftAt !== null && fn !== null) {
    driftFunction = options.driftFunction === undefined
      ? def.firstFunction + ((fn - def.firstFunction + 1) % def.functions)
      : checkFunction(def, 'driftFunction', options.driftFunction);
  }
  const params = resolveParams(def, options.params);
  return { resolved: true, name: def.name as SynthName, events, seed, function: fn, driftAt, driftWidth, driftFunction, params };
}

/**
 * Whether the stream carries `oracle_p` (P(y = 1 | x), the Bayes posterior): when every concept it draws
 * from has a closed form (not RBF, not Agrawal with perturbation).
 */
export function synthHasOracle(r: ResolvedSynth): boolean {
  if (r.name === 'rbf') return false;
  if (r.name === 'agrawal' && (r.params.perturbation as number) > 0) return false;
  return true;
}

/**
 * The schema that reads a synthetic stream's rows: its features (numeric, categorical), label `y`
 * (1 = positive), `oracle_p` as the oracle when there is one, `regime` ("A" before the drift, "B" after),
 * and `id` (the 0-based event index) as the dedup key, so no two events are ever duplicates.
 */
export function synthSchema(options: SynthOptions | ResolvedSynth): Schema {
  return schemaOf(resolveSynth(options));
}

function schemaOf(r: ResolvedSynth): Schema {
  const fields = SYNTH_DEFINITIONS[r.name].fields(r.params);
  const oracle = synthHasOracle(r);
  return {
    label: { field: 'y', positive: [1] },
    numeric: [...fields.numeric],
    categorical: [...fields.categorical],
    key: ['id'],
    ignore: oracle ? ['id', 'regime', 'oracle_p'] : ['id', 'regime'],
    id: 'id',
    ...(oracle ? { oracle: 'oracle_p' } : {}),
    regime: 'regime',
  };
}

/** Probability that event t comes from the drift concept: River's sigmoid, or a step when width is 0. */
export function driftProbability(t: number, position: number, width: number): number {
  if (width === 0) return t >= position ? 1 : 0;
  return 1 / (1 + Math.exp((-4 * (t - position)) / width));
}

/**
 * A seeded synthetic stream of `events` flat rows `{id, …features, y, oracle_p?, regime}`; the same
 * options give the same rows, value for value. With a drift, each event comes from the drift concept
 * with probability 1/(1 + e^(−4(t − driftAt)/driftWidth)) (River's ConceptDriftStream; a step when the
 * width is 0), drawn from a switch generator of its own; each concept draws from its own seeded source
 * only when it is chosen. `oracle_p` is then the mixture (1 − π)·P_A(y=1|x) + π·P_B(y=1|x), the Bayes
 * posterior given x and t (both concepts share the feature distribution).
 */
export class SynthStream implements Iterable<Row> {
  readonly options: ResolvedSynth;
  readonly schema: Schema;
  readonly hasOracle: boolean;

  constructor(options: SynthOptions | ResolvedSynth) {
    this.options = resolveSynth(options);
    this.schema = schemaOf(this.options);
    this.hasOracle = synthHasOracle(this.options);
  }

  *[Symbol.iterator](): Generator<Row> {
    const r = this.options;
    const def = SYNTH_DEFINITIONS[r.name];
    const base = `onthefly-synth:${r.name}:${String(r.seed)}`;
    const a = def.create(r.params, r.function ?? 0, createRng(`${base}:a`), `${base}:model-a`);
    let b: SynthConcept | null = null;
    if (r.driftAt !== null) b = def.create(r.params, r.driftFunction ?? 0, createRng(`${base}:b`), `${base}:model-b`);
    const sw = createRng(`${base}:switch`);
    const oracle = this.hasOracle;
    // Every row is a copy of one template with all its fields in order: objects built by adding many
    // properties one by one fall into V8's slow dictionary mode (LED's 28 fields ran 5× slower).
    const probe: Row = { id: 0 };
    def.create(r.params, r.function ?? 0, createRng(`${base}:template`), `${base}:template`).sample(probe);
    probe.y = 0;
    if (oracle) probe.oracle_p = 0;
    probe.regime = 'A';
    const template = JSON.parse(JSON.stringify(probe)) as Row;
    for (let t = 0; t < r.events; t++) {
      let pi = 0;
      let fromB = false;
      if (b !== null) {
        pi = driftProbability(t, r.driftAt!, r.driftWidth);
        fromB = r.driftWidth === 0 ? pi === 1 : sw() < pi;
      }
      const row: Row = { ...template };
      row.id = t;
      const s = (fromB ? b! : a).sample(row);
      row.y = s.y;
      if (oracle) {
        if (b === null || pi === 0 || pi === 1) row.oracle_p = s.p;
        else {
          const other = (fromB ? a : b).posterior(row);
          const pA = fromB ? other! : s.p!;
          const pB = fromB ? s.p! : other!;
          row.oracle_p = (1 - pi) * pA + pi * pB;
        }
      }
      row.regime = fromB ? 'B' : 'A';
      yield row;
    }
  }
}
