import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DerivedFeatures } from '../../src/features/derived';
import { FeatureSpace } from '../../src/features/feature-space';
import { createLearner } from '../../src/learn/create-learner';
import { Rng } from '../../src/learn/rng';
import { parseSchema, SchemaError } from '../../src/stream/schema';
import { validateRow } from '../../src/stream/validate';
import type { DerivedSpec, Row } from '../../src/types';

const SPECS: DerivedSpec[] = [
  { kind: 'lag', field: 'v', lags: [1, 2, 3] },
  { kind: 'delta', field: 'v' },
  { kind: 'rolling', field: 'v', window: 4, stats: ['mean', 'std', 'min', 'max'] },
  { kind: 'ewm', field: 'v', halfLife: 3 },
  { kind: 'lag', field: 'v', lags: [1], by: 'src' },
  { kind: 'rolling', field: 'v', window: 3, stats: ['mean', 'max'], by: 'src' },
  { kind: 'ewm', field: 'v', halfLife: 2, by: 'src' },
];

/** The plain reference: everything recomputed from the list of earlier rows of the same key. */
function reference(rows: Row[], i: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const x = rows[i]!.v as number | null;
  for (const spec of SPECS) {
    const key = (r: Row): string => (spec.by === undefined ? '' : r.src === null || r.src === undefined ? '\u0000' : String(r.src));
    const past = rows.slice(0, i).filter((r) => key(r) === key(rows[i]!) && typeof r.v === 'number').map((r) => r.v as number);
    const suffix = spec.by ? `[${spec.by}]` : '';
    const nn = (y: number): number | null => (Number.isFinite(y) ? y : null);
    if (spec.kind === 'lag') for (const k of spec.lags) out[`v:lag${k}${suffix}`] = past.length >= k ? past[past.length - k]! : null;
    if (spec.kind === 'delta') out[`v:delta${suffix}`] = x === null || past.length === 0 ? null : x - past[past.length - 1]!;
    if (spec.kind === 'rolling') {
      const w = past.slice(-spec.window);
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
      const vals = { mean, std, min: Math.min(...w), max: Math.max(...w) };
      for (const s of spec.stats) out[`v:rolling${spec.window}_${s}${suffix}`] = w.length === 0 ? null : nn(vals[s]);
    }
    if (spec.kind === 'ewm') {
      const a = 1 - 2 ** (-1 / spec.halfLife);
      let m = NaN;
      past.forEach((y, j) => { m = j === 0 ? y : (1 - a) * m + a * y; });
      out[`v:ewm${spec.halfLife}${suffix}`] = past.length === 0 ? null : m;
    }
  }
  return out;
}

function stream(n: number, seed: string): Row[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const r = rng.next();
    return { v: r < 0.1 ? null : Math.round(rng.next() * 1000) / 10 - 20, src: r > 0.95 ? null : ['a', 'b', 'c'][Math.floor(rng.next() * 3)] };
  });
}

function assertClose(got: Row, want: Record<string, number | null>, where: string): void {
  for (const [k, w] of Object.entries(want)) {
    const g = got[k];
    if (w === null) assert.equal(g, null, `${where} ${k}`);
    else assert.ok(typeof g === 'number' && Math.abs(g - w) <= 1e-9 * Math.max(1, Math.abs(w)), `${where} ${k}: ${String(g)} vs ${w}`);
  }
}

test('every derived feature equals the plain reference on every prefix, per by key, across a JSON state round trip', () => {
  const rows = stream(600, 'derived');
  const ref = rows.map((_, i) => reference(rows, i));
  let d = new DerivedFeatures(SPECS, undefined);
  const copies = rows.map((r) => ({ ...r }));
  // observed in uneven batches; the state goes through JSON at event 257 into a fresh instance
  let i = 0;
  for (const size of [1, 5, 17, 64, 170, 1, 3, 100, 239]) {
    d.observe(copies.slice(i, i + size));
    i += size;
    if (i === 257) {
      const fresh = new DerivedFeatures(SPECS, undefined);
      fresh.setState(JSON.parse(JSON.stringify(d.getState())));
      d = fresh;
    }
  }
  assert.equal(i, 600);
  for (let j = 0; j < rows.length; j++) assertClose(copies[j]!, ref[j]!, `event ${j}`);
  // observing again changes nothing (rows keep the values of their arrival)
  const before = JSON.stringify(d.getState());
  d.observe(copies.slice(10, 20));
  assert.equal(JSON.stringify(d.getState()), before);
  assert.equal(copies[3]!['v:lag1'], ref[3]!['v:lag1']);
});

test('schema-level "by" applies to every spec without its own; missing history → null (missing indicator)', () => {
  const s = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['v'], by: 'src', derived: [{ kind: 'lag', field: 'v', lags: [1] }, { kind: 'delta', field: 'v' }] });
  const fs = new FeatureSpace(s);
  assert.deepEqual(fs.numericFields, ['v', 'v:lag1[src]', 'v:delta[src]']);
  const rows: Row[] = [{ v: 1, src: 'a' }, { v: 5, src: 'b' }, { v: 2, src: 'a' }, { v: null, src: 'a' }, { v: 7, src: 'a' }];
  fs.observe(rows);
  assert.deepEqual(rows.map((r) => r['v:lag1[src]']), [null, null, 1, 2, 2]);
  assert.deepEqual(rows.map((r) => r['v:delta[src]']), [null, null, 1, null, 5]);
  fs.update(rows);
  const X = fs.encodeMany(rows);
  const d = fs.dim;
  assert.equal(X[0 * d + 3 + 1], 1, 'lag1 missing indicator');
  assert.equal(X[2 * d + 3 + 1], 0);
  assert.notEqual(X[2 * d + 1], 0, 'lag1 standardised');
  // validation keeps the by field even when it is not a feature
  const v = validateRow({ y: 1, v: 3, src: 'z' }, 1, s);
  assert.ok('record' in v && v.record.fields.src === 'z');
});

test('derived specs are checked by the schema', () => {
  const base = { label: { field: 'y', positive: [1] }, numeric: ['v'] };
  const bad: Array<[unknown, RegExp]> = [
    [[{ kind: 'lagg', field: 'v', lags: [1] }], /kind must be one of lag, delta, rolling, ewm/],
    [[{ kind: 'lag', field: 'w', lags: [1] }], /field "w" must be listed in "numeric"/],
    [[{ kind: 'lag', field: 'v', lags: [0] }], /lags\[0\] must be an integer from 1/],
    [[{ kind: 'lag', field: 'v', lags: [] }], /lags must be a non-empty array/],
    [[{ kind: 'lag', field: 'v', lags: [2, 2] }], /lists a lag twice/],
    [[{ kind: 'rolling', field: 'v', window: 3, stats: ['median'] }], /stats must list distinct names/],
    [[{ kind: 'rolling', field: 'v' }], /window must be an integer/],
    [[{ kind: 'ewm', field: 'v', halfLife: 0 }], /halfLife must be a number of events/],
    [[{ kind: 'delta', field: 'v', window: 3 }], /unknown key "window" in "derived"\[0\]/],
    [[{ kind: 'delta', field: 'v' }, { kind: 'delta', field: 'v' }], /derived column "v:delta" is defined twice/],
    [[{ kind: 'delta', field: 'v', by: 'y' }], /"by" field "y" cannot be the label/],
    ['lag', /"derived" must be an array/],
  ];
  for (const [derived, re] of bad) assert.throws(() => parseSchema({ ...base, derived }), (e: unknown) => e instanceof SchemaError && re.test((e as Error).message), JSON.stringify(derived));
  const ok = parseSchema({ ...base, derived: [{ kind: 'rolling', field: 'v', window: 12 }] });
  assert.deepEqual(ok.derived, [{ kind: 'rolling', field: 'v', window: 12, stats: ['mean', 'std', 'min', 'max'] }]);
  assert.deepEqual(parseSchema(ok), ok);
});

test('the learner: predict then learn sees the values of arrival; checkpointed state resumes the same features', async () => {
  const schema = parseSchema({ label: { field: 'y', positive: [1] }, numeric: ['v'], derived: [{ kind: 'lag', field: 'v', lags: [1, 2] }, { kind: 'ewm', field: 'v', halfLife: 5 }] });
  const rows = stream(400, 'learner').map((r, i) => ({ ...r, y: i % 3 === 0 ? 1 : 0 }));
  const run = async (cut: number | null): Promise<Float64Array[]> => {
    let L = await createLearner({ schema, engine: 'fused' });
    const probs: Float64Array[] = [];
    const data = rows.map((r) => ({ ...r }));
    for (let i = 0; i < data.length; i += 40) {
      const batch = data.slice(i, i + 40);
      probs.push(L.predictMany(batch));
      L.learnMany(batch, batch.map((r) => r.y as number));
      if (cut === i) {
        const state = JSON.parse(JSON.stringify(L.getState()));
        L.dispose();
        L = await createLearner({ schema, engine: 'fused' });
        L.setState(state);
      }
    }
    for (let j = 0; j < data.length; j++) assertClose(data[j]!, Object.fromEntries(Object.entries(referenceLags(rows, j))), `learner row ${j}`);
    L.dispose();
    return probs;
  };
  const straight = await run(null);
  const resumed = await run(160);
  assert.deepEqual(resumed, straight);
});

function referenceLags(rows: Row[], i: number): Record<string, number | null> {
  const past = rows.slice(0, i).filter((r) => typeof r.v === 'number').map((r) => r.v as number);
  return { 'v:lag1': past.length >= 1 ? past[past.length - 1]! : null, 'v:lag2': past.length >= 2 ? past[past.length - 2]! : null };
}

test('NE weather (data/ne-weather.csv) through schemas/ne-weather-derived.json: the declared features equal a plain script', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { join } = require('node:path') as typeof import('node:path');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadSchema } = require('../../src/stream/schema') as typeof import('../../src/stream/schema');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openSource } = require('../../src/stream/source') as typeof import('../../src/stream/source');
  const root = join(__dirname, '..', '..', '..');
  const schema = loadSchema(join(root, 'schemas', 'ne-weather-derived.json'));
  const fs = new FeatureSpace(schema);
  const rows: Row[] = [];
  for await (const v of openSource(join(root, 'data', 'ne-weather.csv'), schema)) if ('record' in v) rows.push(v.record.fields);
  assert.equal(rows.length, 18159);
  for (let i = 0; i < rows.length; i += 97) fs.observe(rows.slice(i, i + 97));
  // the reference: the CSV's columns, by index, and textbook formulas
  const lines = readFileSync(join(root, 'data', 'ne-weather.csv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const col = (name: string): number[] => lines.slice(1).map((l) => Number(l.split(',')[head.indexOf(name)]));
  const slp = col('sea_level_pressure');
  const dew = col('dew_point');
  const temp = col('temperature');
  const vis = col('visibility');
  const a = 1 - 2 ** (-1 / 7);
  let ewm = NaN;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const want: Record<string, number | null> = {
      'sea_level_pressure:delta': i === 0 ? null : slp[i]! - slp[i - 1]!,
      'dew_point:delta': i === 0 ? null : dew[i]! - dew[i - 1]!,
      'temperature:delta': i === 0 ? null : temp[i]! - temp[i - 1]!,
      'visibility:lag1': i === 0 ? null : vis[i - 1]!,
      'sea_level_pressure:rolling3_mean': i === 0 ? null : slp.slice(Math.max(0, i - 3), i).reduce((x, y) => x + y, 0) / Math.min(3, i),
      'sea_level_pressure:rolling3_min': i === 0 ? null : Math.min(...slp.slice(Math.max(0, i - 3), i)),
      'dew_point:ewm7': i === 0 ? null : ewm,
    };
    assertClose(r, want, `day ${i}`);
    ewm = i === 0 ? dew[0]! : ewm + a * (dew[i]! - ewm);
  }
});
