import { readFileSync } from 'node:fs';
import type { Schema } from '../types';
import { SMOOTHNESS } from '../stream/oracle';
import { makeConstraint, type ConstraintSpec } from './make-constraint';

/**
 * One entry of a constraints file (`--constraints FILE`, a JSON list). Keys per kind:
 * - monotone: feature, direction ("increasing" | "decreasing", default increasing), delta (1),
 *   min/max (the feature's range: rows whose x + δ leaves it are not concerned), tol, weight, name;
 * - slope: feature, min/max (the band on d logit / d feature, per raw unit; at least one), delta,
 *   from/to (the feature's range), tol, weight, name;
 * - bounds: min/max (on P(critical), default 0/1), where (a row condition), weight, name;
 * - smoothness: source (the source field, default "source"), epsilon, perSecond, stateFields
 *   (default the generator's cpu_load, temperature_c, latency_ms), weight, name.
 * Every entry may set penalty ("squared" | "linear") and scale (logits).
 */
export type ConstraintFileEntry = Record<string, unknown>;

const COMMON = ['kind', 'weight', 'name', 'penalty', 'scale'];
const KEYS: Record<string, string[]> = {
  monotone: ['feature', 'direction', 'delta', 'min', 'max', 'tol'],
  slope: ['feature', 'min', 'max', 'delta', 'from', 'to', 'tol'],
  bounds: ['min', 'max', 'where'],
  smoothness: ['source', 'epsilon', 'perSecond', 'stateFields'],
};

/** A bad constraints file: the message names the file and the entry. */
export class ConstraintFileError extends Error {
  override name = 'ConstraintFileError';
  /** True when the file could not be read at all (not a complaint about its content). */
  unreadable = false;
}

/**
 * The constraint specs a constraints file's text describes (plain JSON data, in makeConstraint's
 * format), checked entry by entry: known kinds and keys only, finite numbers, features that are
 * numeric fields of `schema` (when given). Throws a {@link ConstraintFileError} naming `file`.
 */
export function parseConstraintFile(text: string, file: string, schema?: Schema): ConstraintSpec[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConstraintFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw new ConstraintFileError(`${file}: must be a JSON list of constraints, e.g. [{"kind":"monotone","feature":"severity"}]`);
  return data.map((entry, i) => {
    const where = `${file}: constraint ${i + 1}`;
    const fail = (msg: string): never => { throw new ConstraintFileError(`${where}: ${msg}`); };
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail('must be an object');
    const e = entry as ConstraintFileEntry;
    const kind = e.kind;
    if (typeof kind !== 'string' || !(kind in KEYS)) fail(`kind must be one of ${Object.keys(KEYS).join(', ')}, got ${JSON.stringify(kind)}`);
    const allowed = new Set([...COMMON, ...KEYS[kind as string]!]);
    for (const k of Object.keys(e)) if (!allowed.has(k)) fail(`unknown key "${k}" for kind ${kind} (allowed: ${[...allowed].join(', ')})`);
    const num = (k: string): number | undefined => {
      const v = e[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${k} must be a finite number, got ${JSON.stringify(v)}`);
      return v as number;
    };
    const str = (k: string): string | undefined => {
      const v = e[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v === '') fail(`${k} must be a non-empty string, got ${JSON.stringify(v)}`);
      return v as string;
    };
    const feature = (): string => {
      const f = str('feature');
      if (f === undefined) return fail('needs "feature" (a numeric field)');
      if (schema && !schema.numeric.includes(f)) fail(`feature "${f}" is not a numeric field of the schema (numeric: ${schema.numeric.join(', ')})`);
      return f;
    };
    const common: Record<string, unknown> = {};
    if (e.weight !== undefined) common.weight = num('weight');
    if (e.name !== undefined) common.name = str('name');
    if (e.scale !== undefined) {
      const s = num('scale')!;
      if (!(s > 0)) fail(`scale must be positive, got ${s}`);
      common.scale = s;
    }
    if (e.penalty !== undefined) {
      if (e.penalty !== 'squared' && e.penalty !== 'linear') fail(`penalty must be "squared" or "linear", got ${JSON.stringify(e.penalty)}`);
      common.penalty = e.penalty;
    }
    const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    let spec: Record<string, unknown>;
    switch (kind) {
      case 'monotone': {
        const direction = e.direction ?? 'increasing';
        if (direction !== 'increasing' && direction !== 'decreasing') fail(`direction must be "increasing" or "decreasing", got ${JSON.stringify(e.direction)}`);
        spec = defined({ kind, field: feature(), direction, delta: num('delta'), min: num('min'), max: num('max'), tol: num('tol') });
        break;
      }
      case 'slope': {
        const min = num('min');
        const max = num('max');
        if (min === undefined && max === undefined) fail('needs "min" and/or "max" (the band on d logit / d feature)');
        if (min !== undefined && max !== undefined && min > max) fail(`min ${min} exceeds max ${max}`);
        const delta = num('delta');
        if (delta !== undefined && !(delta > 0)) fail(`delta must be positive, got ${delta}`);
        spec = defined({ kind, field: feature(), min, max, delta, from: num('from'), to: num('to'), tol: num('tol') });
        break;
      }
      case 'bounds': {
        const lo = num('min') ?? 0;
        const hi = num('max') ?? 1;
        if (lo < 0 || hi > 1 || lo > hi) fail(`bounds need 0 ≤ min ≤ max ≤ 1, got min ${lo}, max ${hi}`);
        if (e.where !== undefined && (e.where === null || typeof e.where !== 'object' || Array.isArray(e.where))) fail('where must be an object of field conditions');
        spec = defined({ kind, lo, hi, where: e.where });
        break;
      }
      default: {
        const epsilon = num('epsilon');
        const perSecond = num('perSecond');
        if (epsilon === undefined || perSecond === undefined) fail('needs "epsilon" and "perSecond"');
        if (epsilon! < 0 || perSecond! < 0) fail('epsilon and perSecond must be non-negative');
        const stateFields = e.stateFields ?? [...SMOOTHNESS.stateFields];
        if (!Array.isArray(stateFields) || stateFields.length === 0 || !stateFields.every((f) => typeof f === 'string' && f !== '')) fail('stateFields must be a non-empty list of field names');
        if (schema) for (const f of stateFields as string[]) if (!schema.numeric.includes(f)) fail(`state field "${f}" is not a numeric field of the schema`);
        spec = defined({ kind, stateFields, epsilon, perSecond, sourceField: str('source') });
      }
    }
    const out = { ...spec, ...common } as unknown as ConstraintSpec;
    try {
      makeConstraint(out);
    } catch (err) {
      fail((err as Error).message);
    }
    return out;
  });
}

/** Read and parse a constraints file (see {@link parseConstraintFile}); an unreadable file is a ConstraintFileError too. */
export function readConstraintFile(file: string, schema?: Schema): ConstraintSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = new ConstraintFileError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    e.unreadable = true;
    throw e;
  }
  return parseConstraintFile(text, file, schema);
}
