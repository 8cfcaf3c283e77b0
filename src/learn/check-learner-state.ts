import { shown } from '../options/check-options';
import { OptionError } from '../options/option-error';

/** What a learner state must match to be loaded into a given learner. */
export interface StateShape {
  model: string;
  hidden: readonly number[];
  dim: number;
  /** Parameter count of the network. */
  size: number;
  optimizer: string;
  numericFields: number;
  categoricalFields: number;
  categoricalCapacity: number;
  /** Smoothness constraints (one source-history pair each). */
  smoothness: number;
  /** Constraints (one multiplier each under `lambda: "auto"`). */
  constraints: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

function fail(path: string, message: string): never {
  throw new OptionError(`state.${path}`, `learner state: ${path} ${message}`);
}

function finiteArray(v: unknown, path: string, length?: number): void {
  if (!Array.isArray(v)) fail(path, `must be an array of numbers, got ${shown(v)}`);
  if (length !== undefined && v.length !== length) fail(path, `must hold ${length} numbers, got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}]`, `must be a finite number, got ${shown(x)}`);
  }
}

function counter(v: unknown, path: string): void {
  if (!count(v)) fail(path, `must be an integer ≥ 0, got ${shown(v)}`);
}

function history(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, `must be an array of [source, { fields, time }] entries, got ${shown(v)}`);
  v.forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !isObject(e[1]) || !isObject(e[1].fields) || typeof e[1].time !== 'number') {
      fail(`${path}[${i}]`, `must be [source, { fields, time }], got ${shown(e)}`);
    }
  });
}

/**
 * Checks a whole learner state (from getState, possibly read back from a file) against the learner
 * it is to be loaded into, before any of it is used: every section present with its shape, the
 * parameters and optimizer slots finite and of the network's length, the feature statistics finite and
 * of the schema's fields, counters non-negative integers. Throws an {@link OptionError} naming the
 * first bad part (`state.params[3]`, `state.optimizer.m`, …).
 */
export function checkLearnerState(state: unknown, shape: StateShape): void {
  if (!isObject(state) || state.format !== 'onthefly-learner') throw new OptionError('state', 'not a learner state (no "format": "onthefly-learner")');
  const s = state;
  if (s.version !== 1) fail('version', `must be 1, got ${shown(s.version)}`);
  if (s.model !== shape.model || s.dim !== shape.dim || !Array.isArray(s.params) || s.params.length !== shape.size) {
    throw new OptionError('state', `learner state does not match this learner (model ${shown(s.model)}, dim ${shown(s.dim)}, ${Array.isArray(s.params) ? s.params.length : 'no'} parameters; ` +
      `this learner: model "${shape.model}", dim ${shape.dim}, ${shape.size} parameters)`);
  }
  if (!Array.isArray(s.hidden) || s.hidden.length !== shape.hidden.length || s.hidden.some((h, i) => h !== shape.hidden[i])) {
    fail('hidden', `must be ${JSON.stringify(shape.hidden)}, got ${shown(s.hidden)}`);
  }
  finiteArray(s.params, 'params', shape.size);

  const opt = s.optimizer;
  if (!isObject(opt)) fail('optimizer', `must be an object, got ${shown(opt)}`);
  if (opt.kind !== shape.optimizer) fail('optimizer.kind', `must be "${shape.optimizer}", got ${shown(opt.kind)}`);
  counter(opt.t, 'optimizer.t');
  for (const [k, v] of Object.entries(opt)) {
    if (k === 'kind' || k === 't') continue;
    // Adam's moments m and v are per parameter; any other slot array (tfjs Adam's acc = [β1^t, β2^t], other
    // optimizers' slots) must be finite here and is length-checked by the optimizer's own setState.
    if (Array.isArray(v)) finiteArray(v, `optimizer.${k}`, k === 'm' || k === 'v' ? shape.size : undefined);
    else if (typeof v === 'number') { if (!Number.isFinite(v)) fail(`optimizer.${k}`, `must be a finite number, got ${shown(v)}`); }
    else if (v !== undefined && v !== null) fail(`optimizer.${k}`, `must be an array of numbers, got ${shown(v)}`);
  }
  if (shape.optimizer === 'adam') {
    if (!Array.isArray(opt.m)) fail('optimizer.m', 'is required for adam');
    if (!Array.isArray(opt.v)) fail('optimizer.v', 'is required for adam');
  }

  const f = s.features;
  if (!isObject(f)) fail('features', `must be an object, got ${shown(f)}`);
  if (!Array.isArray(f.numeric) || f.numeric.length !== shape.numericFields) fail('features.numeric', `must hold ${shape.numericFields} statistics (one per numeric field), got ${shown(f.numeric)}`);
  f.numeric.forEach((w, i) => {
    const p = `features.numeric[${i}]`;
    const ewm = (f as { normalise?: unknown }).normalise !== undefined && (f as { normalise?: unknown }).normalise !== 'cumulative';
    if (!isObject(w)) fail(p, `must be ${ewm ? '{ count, mean, variance, w, w2 }' : '{ count, mean, m2 }'}, got ${shown(w)}`);
    counter(w.count, `${p}.count`);
    if (typeof w.mean !== 'number' || !Number.isFinite(w.mean)) fail(`${p}.mean`, `must be a finite number, got ${shown(w.mean)}`);
    for (const k of ewm ? ['variance', 'w', 'w2'] : ['m2']) {
      const v = (w as Record<string, unknown>)[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${p}.${k}`, `must be a finite number ≥ 0, got ${shown(v)}`);
    }
  });
  if (!Array.isArray(f.categorical) || f.categorical.length !== shape.categoricalFields) fail('features.categorical', `must hold ${shape.categoricalFields} slot lists (one per categorical field), got ${shown(f.categorical)}`);
  f.categorical.forEach((values, i) => {
    const p = `features.categorical[${i}]`;
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) fail(p, `must be an array of strings, got ${shown(values)}`);
    if (values.length > shape.categoricalCapacity) fail(p, `holds ${values.length} values, more than the ${shape.categoricalCapacity} slots`);
    if (new Set(values).size !== values.length) fail(p, 'lists a value twice');
  });

  if (!Array.isArray(s.classCounts) || s.classCounts.length !== 2) fail('classCounts', `must be [negatives, positives], got ${shown(s.classCounts)}`);
  counter(s.classCounts[0], 'classCounts[0]');
  counter(s.classCounts[1], 'classCounts[1]');

  if (s.replay !== null && s.replay !== undefined) {
    const r = s.replay;
    if (!isObject(r) || !Array.isArray(r.rows) || r.rows.length !== 2 || !Array.isArray(r.labels) || r.labels.length !== 2 || !Array.isArray(r.seen) || r.seen.length !== 2) {
      fail('replay', `must be { rows: [[…], […]], labels: [[…], […]], seen: [n0, n1] } or null, got ${shown(r)}`);
    }
    for (const k of [0, 1]) {
      const rows = r.rows[k];
      const labels = r.labels[k];
      if (!Array.isArray(rows) || rows.some((row) => !isObject(row))) fail(`replay.rows[${k}]`, 'must be an array of objects');
      finiteArray(labels, `replay.labels[${k}]`, rows.length);
      if ((labels as number[]).some((l) => l < 0 || l > 1)) fail(`replay.labels[${k}]`, 'must hold labels in [0, 1]');
      counter(r.seen[k], `replay.seen[${k}]`);
    }
  }

  const rng = s.rng;
  if (!isObject(rng)) fail('rng', `must be { c, s0, s1, s2 }, got ${shown(rng)}`);
  for (const k of ['c', 's0', 's1', 's2']) {
    if (typeof rng[k] !== 'number' || !Number.isFinite(rng[k])) fail(`rng.${k}`, `must be a finite number, got ${shown(rng[k])}`);
  }

  const c = s.consolidation;
  if (!isObject(c)) fail('consolidation', `must be an object, got ${shown(c)}`);
  for (const k of ['anchor', 'fisher', 'acc']) if (c[k] !== null && c[k] !== undefined) finiteArray(c[k], `consolidation.${k}`, shape.size);
  counter(c.accRows, 'consolidation.accRows');
  counter(c.rowsSinceAnchor, 'consolidation.rowsSinceAnchor');

  if (!Array.isArray(s.history)) fail('history', `must be an array, got ${shown(s.history)}`);
  if (s.history.length > shape.smoothness) fail('history', `holds ${s.history.length} entries for ${shape.smoothness} smoothness constraints`);
  s.history.forEach((h, i) => {
    if (!isObject(h)) fail(`history[${i}]`, `must be { train, measure }, got ${shown(h)}`);
    history(h.train, `history[${i}].train`);
    history(h.measure, `history[${i}].measure`);
  });

  counter(s.steps, 'steps');
  counter(s.skippedBatches, 'skippedBatches');
  if (s.violations !== undefined && s.violations !== null) {
    const v = s.violations;
    if (!isObject(v) || !Array.isArray(v.totals)) fail('violations', `must be { totals, rows }, got ${shown(v)}`);
    v.totals.forEach((t, i) => counter(t, `violations.totals[${i}]`));
    counter(v.rows, 'violations.rows');
  }
  if (s.range !== undefined && s.range !== null) {
    const r = s.range;
    if (!isObject(r) || !Array.isArray(r.fields) || !isObject(r.rng)) fail('range', `must be { fields, rng }, got ${shown(r)}`);
    r.fields.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'string' || !Number.isFinite(e[1]) || !Number.isFinite(e[2]) || e[1] > e[2]) {
        fail(`range.fields[${i}]`, `must be [field, min, max], got ${shown(e)}`);
      }
    });
  }
  if (s.multipliers !== undefined && s.multipliers !== null) {
    finiteArray(s.multipliers, 'multipliers', shape.constraints);
    (s.multipliers as number[]).forEach((m, i) => { if (m < 0) fail(`multipliers[${i}]`, `must be ≥ 0, got ${m}`); });
  }
}
