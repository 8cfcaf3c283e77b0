/**
 * One check suite run over every learner configuration (River's `checks` as the model):
 * inputs not mutated, same seed → same predictions, no tensor leak (tfjs), NaN batch skipped,
 * getState → setState → identical predictions, and resuming from a checkpoint is identical to
 * never having stopped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import type { LearnerOptions } from '../../src/learn/learner';
import { MonotoneConstraint } from '../../src/constraints/monotone';
import { SmoothnessConstraint } from '../../src/constraints/smoothness';
import { BoundsConstraint } from '../../src/constraints/bounds';
import { CustomConstraint } from '../../src/constraints/custom';
import { SMALL_SCHEMA, syntheticRows, clone } from './helpers';

const builtins = () => [
  new MonotoneConstraint({ field: 'sev', delta: 1 }),
  new SmoothnessConstraint({ stateFields: ['load'], epsilon: 0.01, perSecond: 0.001, sourceField: 'src' }),
  new BoundsConstraint({ lo: 0.02, hi: 0.98 }),
];

type Config = { name: string; options: Omit<LearnerOptions, 'schema'>; backend?: string };

const CONFIGS: Config[] = [];
for (const engine of ['fused', 'tfjs'] as const) {
  for (const model of ['logistic', 'mlp'] as const) {
    const base = { engine, model, hidden: [5] };
    CONFIGS.push({ name: `${model}/${engine}/plain`, options: { ...base, constraints: [] } });
    CONFIGS.push({ name: `${model}/${engine}/constraints+replay+ewc`, options: { ...base, constraints: builtins(), lambda: 0.5, replay: 1, replaySize: 40, consolidation: 0.3, anchorEvery: 20 } });
  }
}
CONFIGS.push({ name: 'logistic/fused/sgd+l2+balanced', options: { engine: 'fused', optimizer: 'sgd', consolidation: 1, consolidationKind: 'l2', anchorEvery: 16, classWeight: 'balanced', replay: 0.5, constraints: builtins(), lambda: 0.01 } });
// The optimizers, schedules and the forgetting normalisation (their slots and statistics must round-trip).
CONFIGS.push({ name: 'logistic/fused/adagrad+ewm', options: { engine: 'fused', optimizer: 'adagrad', normalise: 'ewm:30', constraints: builtins(), lambda: 0.1 } });
CONFIGS.push({ name: 'logistic/fused/ftrl-l1-l2', options: { engine: 'fused', optimizer: 'ftrl', l1: 0.01, l2: 0.1, ftrlBeta: 0.5, constraints: [] } });
CONFIGS.push({ name: 'mlp/fused/adagrad', options: { engine: 'fused', model: 'mlp', hidden: [4], optimizer: 'adagrad', constraints: [] } });
CONFIGS.push({ name: 'logistic/fused/sgd-optimal', options: { engine: 'fused', optimizer: 'sgd', lrSchedule: 'optimal', alpha: 1e-3, constraints: [] } });
CONFIGS.push({ name: 'mlp/fused/sgd-invscaling', options: { engine: 'fused', model: 'mlp', hidden: [4], optimizer: 'sgd', lrSchedule: 'invscaling', constraints: [] } });
CONFIGS.push({ name: 'logistic/fused/adam-beta1-0', options: { engine: 'fused', optimizer: 'adam', beta1: 0, beta2: 0.99, normalise: 'ewm:10', constraints: [] } });
CONFIGS.push({ name: 'logistic/tfjs/sgd-invscaling', options: { engine: 'tfjs', optimizer: 'sgd', lrSchedule: 'invscaling', powerT: 0.5, constraints: [] } });
CONFIGS.push({ name: 'mlp/tfjs/adam-betas', options: { engine: 'tfjs', model: 'mlp', hidden: [4], beta1: 0.5, beta2: 0.9, constraints: [] } });
CONFIGS.push({
  name: 'logistic/auto(custom→tfjs)', options: {
    lambda: 1,
    constraints: [new CustomConstraint({ name: 'cap', fn: (p: any) => p.sub(0.9).relu() })],
  },
});

// The models that read raw rows: constraints measured (not trained), small trees so that splits happen.
const smallTree = { gracePeriod: 20, delta: 0.01 };
CONFIGS.push({ name: 'naive-bayes', options: { model: 'naive-bayes', constraints: builtins() }, backend: 'bayes' });
CONFIGS.push({ name: 'hoeffding-tree', options: { model: 'hoeffding-tree', constraints: builtins() }, backend: 'tree' });
CONFIGS.push({ name: 'hoeffding-tree/small+binary', options: { model: 'hoeffding-tree', constraints: builtins(), tree: { ...smallTree, nominalSplit: 'binary' } }, backend: 'tree' });
CONFIGS.push({ name: 'hat', options: { model: 'hat', constraints: builtins() }, backend: 'tree' });
CONFIGS.push({ name: 'hat/small', options: { model: 'hat', constraints: builtins(), tree: { ...smallTree, switchWindow: 10 } }, backend: 'tree' });
CONFIGS.push({ name: 'arf', options: { model: 'arf', constraints: builtins() }, backend: 'forest' });
CONFIGS.push({ name: 'arf/3 trees,small,unweighted', options: { model: 'arf', constraints: builtins(), tree: { ...smallTree, trees: 3, weightedVote: false, warningDelta: 0.3, driftDelta: 0.2 } }, backend: 'forest' });
// The ensemble: every member learns, the best recent one (or the Hedge mix) predicts; its state holds all of them.
CONFIGS.push({ name: 'auto', options: { model: 'auto', constraints: builtins(), tree: smallTree }, backend: 'auto(fused,tree)' });
CONFIGS.push({ name: 'auto/hedge', options: { model: 'auto', constraints: builtins(), lambda: 0.1, auto: { combine: 'hedge', halfLife: 20 } }, backend: 'auto(fused,tree)' });

// The drift wrapper over each family it can wrap, with detectors sensitive enough to warn and drift within
// the suite's 160 rows (its state then holds a background learner and the detectors' windows).
CONFIGS.push({ name: 'drift adwin/logistic', options: { drift: 'adwin', driftOptions: { delta: 0.3, warningDelta: 0.6, clock: 1, gracePeriod: 5 }, constraints: builtins(), lambda: 0.1 } });
CONFIGS.push({ name: 'drift ddm/mlp', options: { drift: 'ddm', driftOptions: { minInstances: 5 }, model: 'mlp', hidden: [4], constraints: builtins() } });
CONFIGS.push({ name: 'drift page-hinkley/naive-bayes', options: { drift: 'page-hinkley', driftOptions: { threshold: 4, minInstances: 5 }, model: 'naive-bayes', constraints: builtins() }, backend: 'bayes' });
CONFIGS.push({ name: 'drift ddm/hoeffding-tree', options: { drift: 'ddm', driftOptions: { minInstances: 5 }, model: 'hoeffding-tree', constraints: builtins(), tree: smallTree }, backend: 'tree' });
CONFIGS.push({ name: 'drift adwin/logistic/tfjs', options: { drift: 'adwin', driftOptions: { delta: 0.3, warningDelta: 0.6, clock: 1, gracePeriod: 5 }, engine: 'tfjs', constraints: [] } });

const data = syntheticRows(160, 'suite');
const batches = (size: number) => {
  const out: { rows: typeof data.rows; labels: number[] }[] = [];
  for (let i = 0; i < data.rows.length; i += size) out.push({ rows: data.rows.slice(i, i + size), labels: data.labels.slice(i, i + size) });
  return out;
};
const probe = syntheticRows(20, 'probe', 1e6).rows;
const times = (rows: typeof data.rows) => rows.map((r) => r.ts as number);

for (const cfg of CONFIGS) {
  test(`check suite: ${cfg.name}`, async (t) => {
    const make = () => createLearner({ schema: SMALL_SCHEMA, seed: 7, ...cfg.options });
    const L = await make();
    if (cfg.backend) assert.equal(L.backend, cfg.backend);
    else if (cfg.options.engine === 'tfjs' || cfg.name.includes('custom')) assert.match(L.backend, /^tfjs-/);
    else assert.equal(L.backend, 'fused');

    await t.test('learning does not mutate its inputs', () => {
      const b = batches(16)[0]!;
      const rowsBefore = clone(b.rows);
      const labels = Float64Array.from(b.labels);
      const labelsBefore = Array.from(labels);
      L.learnMany(b.rows, labels);
      L.violationsMany(b.rows, L.predictMany(b.rows), times(b.rows));
      assert.deepEqual(b.rows, rowsBefore);
      assert.deepEqual(Array.from(labels), labelsBefore);
    });

    await t.test('two learners with the same seed predict identically', async () => {
      const A = await make();
      const B = await make();
      for (const b of batches(16)) {
        A.learnMany(b.rows, b.labels);
        B.learnMany(b.rows, b.labels);
      }
      assert.deepEqual(Array.from(A.predictMany(probe)), Array.from(B.predictMany(probe)));
      A.dispose();
      B.dispose();
    });

    await t.test('no tensor leak after a burn-in step', async () => {
      const tf = require('@tensorflow/tfjs');
      const A = await make();
      const bs = batches(16);
      A.learnMany(bs[0]!.rows, bs[0]!.labels);
      A.predictMany(probe);
      const before = tf.memory().numTensors;
      for (const b of bs.slice(1)) {
        A.learnMany(b.rows, b.labels);
        A.violationsMany(b.rows, A.predictMany(b.rows), times(b.rows));
      }
      A.getState();
      assert.equal(tf.memory().numTensors, before);
      A.dispose();
    });

    await t.test('predictOne / learnOne are the batch verbs on one row, bit for bit', async () => {
      const A = await make();
      const B = await make();
      for (let i = 0; i < 40; i++) {
        const row = data.rows[i]!;
        const y = data.labels[i] as 0 | 1;
        assert.equal(A.predictOne(row), B.predictMany([row])[0]);
        const sa = A.learnOne(row, y === 1, row.ts as number);
        const sb = B.learnMany([row], [y], [row.ts as number]);
        assert.equal(sa.loss, sb.loss);
      }
      assert.deepEqual(Array.from(probe.map((r) => A.predictOne(r))), Array.from(B.predictMany(probe)));
      assert.equal(JSON.stringify(A.getState()), JSON.stringify(B.getState()));
      assert.throws(() => A.learnOne(data.rows[0]!, 2 as 0), /learnOne: label must be 0, 1, true or false, got 2/);
      A.dispose();
      B.dispose();
    });

    await t.test('NaN or Infinity never reaches the weights', async () => {
      const A = await make();
      const b = batches(16)[1]!;
      A.learnMany(b.rows, b.labels);
      const p0 = A.predictMany(probe);
      const s0 = JSON.stringify(A.getState());
      const bad1 = b.rows.map((r, i) => (i === 3 ? { ...r, a: Number.NaN } : r));
      const bad2 = b.rows.map((r, i) => (i === 5 ? { ...r, load: Number.POSITIVE_INFINITY } : r));
      const badLabels = b.labels.map((l, i) => (i === 2 ? Number.NaN : l));
      for (const [rows, labels] of [[bad1, b.labels], [bad2, b.labels], [b.rows, badLabels]] as const) {
        const step = A.learnMany(rows as typeof b.rows, labels);
        assert.equal(step.skipped, true);
        assert.equal(step.rows, 0);
        assert.ok(Number.isNaN(step.loss));
      }
      assert.equal(A.skippedBatches, 3);
      assert.deepEqual(Array.from(A.predictMany(probe)), Array.from(p0));
      const s1 = A.getState() as { skippedBatches: number };
      assert.equal(s1.skippedBatches, 3);
      assert.equal(JSON.stringify({ ...s1, skippedBatches: 0 }), JSON.stringify({ ...JSON.parse(s0), skippedBatches: 0 }));
      A.dispose();
    });

    await t.test('predicting other rows between predictMany and violationsMany changes nothing (scratch buffers stay valid)', async () => {
      const bs = batches(16);
      const A = await make();
      const B = await make();
      for (const b of bs.slice(0, 4)) {
        A.learnMany(b.rows, b.labels);
        B.learnMany(b.rows, b.labels);
      }
      for (const b of bs.slice(4, 8)) {
        const va = A.violationsMany(b.rows, A.predictMany(b.rows), times(b.rows));
        const pb = B.predictMany(b.rows);
        B.predictMany(probe.slice(0, 8)); // fewer rows: the same scratch buffer is overwritten
        assert.deepEqual(Array.from(B.violationsMany(b.rows, pb, times(b.rows))), Array.from(va));
        const sa = A.learnMany(b.rows, b.labels);
        assert.equal(B.learnMany(b.rows, b.labels).loss, sa.loss);
      }
      assert.deepEqual(Array.from(B.predictMany(probe)), Array.from(A.predictMany(probe)));
      A.dispose();
      B.dispose();
    });

    await t.test('getState → JSON → setState gives identical predictions, and resuming equals never stopping', async () => {
      const bs = batches(16);
      const A = await make();
      for (const b of bs.slice(0, 5)) A.learnMany(b.rows, b.labels);
      A.violationsMany(bs[5]!.rows, A.predictMany(bs[5]!.rows), times(bs[5]!.rows));
      const saved = JSON.parse(JSON.stringify(A.getState()));
      const B = await make();
      B.setState(saved);
      assert.deepEqual(Array.from(B.predictMany(probe)), Array.from(A.predictMany(probe)));
      for (const b of bs.slice(5)) {
        const sa = A.learnMany(b.rows, b.labels);
        const sb = B.learnMany(b.rows, b.labels);
        assert.equal(sb.loss, sa.loss);
        assert.deepEqual(Array.from(B.violationsMany(b.rows, B.predictMany(b.rows), times(b.rows))), Array.from(A.violationsMany(b.rows, A.predictMany(b.rows), times(b.rows))));
      }
      assert.deepEqual(Array.from(B.predictMany(probe)), Array.from(A.predictMany(probe)));
      assert.equal(JSON.stringify(B.getState()), JSON.stringify(A.getState()));
      const counts = A.violationCounts();
      assert.equal(counts.rows, 16 * 6);
      A.dispose();
      B.dispose();
    });

    await t.test('predictMany is pure and learning reduces the log loss', async () => {
      const A = await make();
      const p1 = A.predictMany(probe);
      assert.deepEqual(Array.from(A.predictMany(probe)), Array.from(p1));
      const logLoss = () => {
        const p = A.predictMany(data.rows);
        let s = 0;
        // Clipped as scikit-learn's log_loss: a tree's leaf (or an untrained model's prior 0) may say exactly 0 or 1.
        const clip = (q: number) => Math.min(1 - 1e-15, Math.max(1e-15, q));
        data.labels.forEach((y, i) => { s -= Math.log(clip(y ? p[i]! : 1 - p[i]!)); });
        return s / data.labels.length;
      };
      // Untrained, the model predicts the class prior (0 before any label: an infinite log loss);
      // the loss is compared from the first step on.
      const [b0] = batches(16);
      A.learnMany(b0!.rows, b0!.labels);
      const first = logLoss();
      for (let e = 0; e < 3; e++) for (const b of batches(16)) A.learnMany(b.rows, b.labels);
      const last = logLoss();
      assert.ok(Number.isFinite(first) && last < first - 0.05, `log loss ${first} → ${last}`);
      A.dispose();
    });
    L.dispose();
  });
}
