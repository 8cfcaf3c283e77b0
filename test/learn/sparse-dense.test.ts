import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureSpace } from '../../src/features/feature-space';
import { densify, shiftedSparse, sparseValue } from '../../src/features/sparse-rows';
import { shiftedRows } from '../../src/constraints/constraint';
import { createLearnerSync } from '../../src/learn/create-learner';
import { optimizerConfig } from '../../src/learn/optimizer-options';
import { FusedEngine } from '../../src/learn/fused-engine';
import { IncrementalLearner } from '../../src/learn/incremental-learner';
import type { LearnerOptions } from '../../src/learn/learner';
import { isSparseRows } from '../../src/features/sparse-rows';
import type { Rng } from '../../src/learn/rng';
import { generateEvents } from '../../src/stream/generator';
import type { Row, Schema } from '../../src/types';

// The repository's logs schema (text, categorical, hashed, numeric with log transforms) plus time features.
const root = join(__dirname, '..', '..', '..');
const SCHEMA: Schema = { ...(JSON.parse(readFileSync(join(root, 'schemas', 'logs.json'), 'utf8')) as Schema), timeFeatures: ['hour', 'weekday'] };

/** A stream with every kind of feature and the odd values: missing numbers, unseen categories, no text. */
function stream(n: number): { rows: Row[]; labels: number[] } {
  const events = generateEvents({ scenario: 'logs', events: n, seed: 11 }) as unknown as Row[];
  const rows = events.map((e, i) => {
    const r: Row = { ...e };
    if (i % 17 === 3) r.cpu_load = null;
    if (i % 23 === 5) r.latency_ms = 'n/a';
    if (i % 19 === 7) r.source = `never-${i}`;
    if (i % 29 === 9) r.message = null;
    if (i % 31 === 2) r.user = '';
    return r;
  });
  return { rows, labels: rows.map((r) => (r.critical === 1 || r.critical === true ? 1 : 0)) };
}

test('encodeSparse holds exactly encodeMany\'s values and its sparse index (text, one-hot, hashed, numeric, time)', () => {
  const fs = new FeatureSpace(SCHEMA, { categoricalCapacity: 8, textBuckets: 512 });
  const { rows } = stream(400);
  fs.update(rows.slice(0, 200));
  const w = fs.nonZeroWidth;
  const nz = new Int32Array(rows.length * w);
  const X = fs.encodeMany(rows, undefined, undefined, nz);
  const S = fs.encodeSparse(rows);
  assert.equal(S.n, rows.length);
  assert.equal(S.dim, fs.dim);
  assert.deepEqual(Array.from(densify(S)), Array.from(X));
  for (let i = 0; i < rows.length; i++) {
    const cols = Array.from(S.cols.subarray(S.rowPtr[i]!, S.rowPtr[i + 1]!));
    assert.deepEqual(cols, Array.from(nz.subarray(i * w, i * w + w)).filter((c) => c >= 0), `row ${i}: the same columns as the dense index`);
    for (let j = 0; j < fs.dim; j += 37) assert.equal(sparseValue(S, i, j), X[i * fs.dim + j], `row ${i}, column ${j}`);
  }
  // Reused scratch: a smaller batch into the same arrays gives the same encoding as fresh ones.
  const again = fs.encodeSparse(rows.slice(5, 50), undefined, S);
  assert.equal(again, S);
  assert.deepEqual(Array.from(densify(again)), Array.from(fs.encodeMany(rows.slice(5, 50))));
});

test('shiftedSparse is shiftedRows on sparse rows (changed, inserted, zeroed and repeated columns)', () => {
  const fs = new FeatureSpace(SCHEMA, { textBuckets: 256 });
  const { rows } = stream(60);
  fs.update(rows);
  const S = fs.encodeSparse(rows);
  const idx = Int32Array.from([0, 7, 7, 59, 31]);
  const cols = [3, 0, fs.dim - 1, 3, 8];
  const values = Float64Array.from({ length: idx.length * cols.length }, (_, k) => (k % 4 === 0 ? 0 : k * 0.25 - 2));
  const dense = shiftedRows(densify(S), fs.dim, { idx, cols, values });
  assert.deepEqual(Array.from(densify(shiftedSparse(S, idx, cols, values))), Array.from(dense));
});

/** The same learner twice: on sparse rows (the default) and on today's dense rows. */
function twins(options: LearnerOptions): { sparse: IncrementalLearner; dense: IncrementalLearner } {
  const sparse = createLearnerSync(options) as IncrementalLearner;
  const other = createLearnerSync(options) as IncrementalLearner;
  const inner = other as unknown as { engine: FusedEngine; rng: Rng };
  const engine = new FusedEngine(other.net, inner.engine.getParams(), optimizerConfig(other.options), false);
  // Dense batches only: fail if the learner hands this engine sparse rows.
  const step = engine.step.bind(engine);
  engine.step = (b) => {
    assert.ok(!isSparseRows(b.X), 'the dense path got sparse rows');
    return step(b);
  };
  const dense = new IncrementalLearner(other.options, other.constraints, other.features, other.net, engine, inner.rng);
  return { sparse, dense };
}

for (const [name, extra] of [
  ['logistic', { model: 'logistic' }],
  ['logistic, constraints trained, replay, EWC', { model: 'logistic', lambda: 0.5, replay: 0.5, replaySize: 200, consolidation: 2, anchorEvery: 150 }],
  ['MLP [6], constraints trained, replay, EWC', { model: 'mlp', hidden: [6], lambda: 0.5, replay: 0.5, replaySize: 200, consolidation: 2, anchorEvery: 150 }],
  ['logistic, adagrad, balanced classes', { model: 'logistic', optimizer: 'adagrad', classWeight: 'balanced' }],
] as [string, Partial<LearnerOptions>][]) {
  test(`sparse and dense batches give bit-identical probabilities, violations and states: ${name}`, () => {
    const { sparse, dense } = twins({ schema: SCHEMA, engine: 'fused', categoricalCapacity: 16, ...extra } as LearnerOptions);
    const { rows, labels } = stream(900);
    let i = 0;
    for (const size of [1, 1, 7, 64, 200, 3, 128, 256, 240]) {
      const a = rows.slice(i, i + size);
      const b = a.map((r) => ({ ...r }));
      const y = labels.slice(i, i + size);
      const times = a.map((_, k) => 1_700_000_000_000 + (i + k) * 1000);
      const pa = sparse.predictMany(a);
      const pb = dense.predictMany(b);
      assert.deepEqual(Array.from(pa), Array.from(pb), `probabilities of rows ${i}…${i + size}`);
      assert.deepEqual(Array.from(sparse.violationsMany(a, pa, times)), Array.from(dense.violationsMany(b, pb, times)), `violations of rows ${i}…${i + size}`);
      const la = sparse.learnMany(a, y, times);
      const lb = dense.learnMany(b, y, times);
      assert.equal(la.loss, lb.loss, `loss of the step on rows ${i}…${i + size}`);
      if (extra.lambda) {
        const ca = sparse.constrainMany(a);
        const cb = dense.constrainMany(b);
        assert.equal(ca.loss, cb.loss, `penalty-only step on rows ${i}…${i + size}`);
      }
      i += size;
    }
    assert.ok(sparse.stepCount > 5);
    assert.deepEqual(sparse.getState(), dense.getState());
    assert.deepEqual(sparse.violationCounts(), dense.violationCounts());
  });
}
