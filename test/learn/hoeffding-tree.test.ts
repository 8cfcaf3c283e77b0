/**
 * The Hoeffding tree against its reference behaviour: Agrawal et al.'s function 1 (Agrawal, Imielinski
 * & Swami 1993; River's synth.Agrawal(classification_function=0)), learnt to ≥ 0.95 accuracy after 100k
 * events; the untrained prior; splits respect the Hoeffding bound (no split on pure noise).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import { Rng } from '../../src/learn/rng';
import type { Row, Schema } from '../../src/types';

/**
 * Agrawal's generator as River writes it: salary U(20k, 150k); commission 0 when salary ≥ 75k, else
 * U(10k, 75k); age 20..80; elevel 0..4; car 1..20; zipcode 0..8; hvalue (9 − zipcode)·100k·U(0.5, 1.5);
 * hyears 1..30; loan U(0, 500k). Function 1: label 1 iff age < 40 or age ≥ 60.
 */
export function agrawalF1(n: number, seed: string): { rows: Row[]; labels: number[] } {
  const rng = new Rng(seed);
  const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  const rows: Row[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const salary = 20000 + 130000 * rng.next();
    const commission = salary >= 75000 ? 0 : 10000 + 65000 * rng.next();
    const age = int(20, 80);
    const elevel = int(0, 4);
    const car = int(1, 20);
    const zipcode = int(0, 8);
    const hvalue = (9 - zipcode) * 100000 * (0.5 + rng.next());
    const hyears = int(1, 30);
    const loan = 500000 * rng.next();
    rows.push({ salary, commission, age, elevel: `e${elevel}`, car: `c${car}`, zipcode: `z${zipcode}`, hvalue, hyears, loan });
    labels.push(age < 40 || age >= 60 ? 1 : 0);
  }
  return { rows, labels };
}

const AGRAWAL: Schema = {
  label: { field: 'y', positive: [1] },
  numeric: ['salary', 'commission', 'age', 'hvalue', 'hyears', 'loan'],
  categorical: ['elevel', 'car', 'zipcode'],
};

const accuracy = (p: Float64Array, y: number[]) => p.reduce((s, q, i) => s + ((q >= 0.5 ? 1 : 0) === y[i] ? 1 : 0), 0) / y.length;

test('hoeffding tree: Agrawal function 1 without drift, ≥ 0.95 accuracy on fresh events after 100k', async () => {
  const L = await createLearner({ schema: AGRAWAL, model: 'hoeffding-tree', constraints: [] });
  const train = agrawalF1(100_000, 'agrawal-train');
  for (let i = 0; i < train.rows.length; i += 100) L.learnMany(train.rows.slice(i, i + 100), train.labels.slice(i, i + 100));
  const test = agrawalF1(10_000, 'agrawal-test');
  const acc = accuracy(L.predictMany(test.rows), test.labels);
  assert.ok(acc >= 0.95, `accuracy ${acc}`);
});

test('hoeffding tree: the same events one at a time give the same tree as in batches of 100', async () => {
  const a = await createLearner({ schema: AGRAWAL, model: 'hoeffding-tree', constraints: [] });
  const b = await createLearner({ schema: AGRAWAL, model: 'hoeffding-tree', constraints: [] });
  const d = agrawalF1(3000, 'agrawal-batching');
  for (let i = 0; i < d.rows.length; i++) a.learnMany([d.rows[i]!], [d.labels[i]!]);
  for (let i = 0; i < d.rows.length; i += 100) b.learnMany(d.rows.slice(i, i + 100), d.labels.slice(i, i + 100));
  const sa = a.getState() as { state: unknown };
  const sb = b.getState() as { state: unknown };
  assert.equal(JSON.stringify(sa.state), JSON.stringify(sb.state));
  assert.match(JSON.stringify(sa.state), /"l":0/, 'the tree split');
});

test('hoeffding tree: untrained it predicts 0, then the class prior', async () => {
  const L = await createLearner({ schema: AGRAWAL, model: 'hoeffding-tree', constraints: [], tree: { leafPrediction: 'mc' } });
  const d = agrawalF1(3, 'agrawal-prior');
  assert.equal(L.predictMany(d.rows.slice(0, 1))[0], 0);
  L.learnMany(d.rows, [1, 0, 1]);
  assert.deepEqual(Array.from(L.predictMany(d.rows)), [2 / 3, 2 / 3, 2 / 3]);
});

test('hoeffding tree: no split on labels independent of the features while the Hoeffding bound exceeds τ', async () => {
  // ε = √(ln(1/δ) / 2n) stays above τ = 0.05 up to n ≈ 3,220 (δ = 1e-7): a 3,000-event coin must not split.
  const L = await createLearner({ schema: AGRAWAL, model: 'hoeffding-tree', constraints: [] });
  const d = agrawalF1(3000, 'agrawal-noise');
  const rng = new Rng('coin');
  const coin = d.labels.map(() => (rng.next() < 0.3 ? 1 : 0));
  L.learnMany(d.rows, coin);
  const state = JSON.stringify((L.getState() as { state: unknown }).state);
  assert.doesNotMatch(state, /"l":0/, 'a split on noise');
});

test('hoeffding tree and arf: predicting each row before learning it (the prequential loop) changes nothing', async () => {
  const d = agrawalF1(4000, 'agrawal-memo');
  // Missing values now and then, so that some rows follow the heaviest branch.
  d.rows.forEach((r, i) => { if (i % 9 === 4) r.age = null; if (i % 13 === 6) r.zipcode = ''; });
  for (const model of ['hoeffding-tree', 'arf'] as const) {
    const options = { schema: AGRAWAL, model, constraints: [], seed: 3, tree: { gracePeriod: 50, trees: 3 } };
    const A = await createLearner(options);
    const B = await createLearner(options);
    for (let i = 0; i < d.rows.length; i++) {
      A.predictMany([d.rows[i]!]);
      A.learnMany([d.rows[i]!], [d.labels[i]!]);
      B.learnMany([d.rows[i]!], [d.labels[i]!]);
    }
    assert.equal(JSON.stringify(A.getState()), JSON.stringify(B.getState()), model);
    assert.match(JSON.stringify(A.getState()), /"l":0/, `${model}: the tree split`);
  }
});
