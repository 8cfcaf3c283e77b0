import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import {
  Accuracy, CohenKappa, ConfusionMatrix, F1, Precision, Recall, Rolling, type Metric,
} from '../../src/metrics';

type Pair = [0 | 1, 0 | 1];

/** Plain references recomputed from scratch from a list of pairs (no shared code with src/metrics). */
function reference(pairs: Pair[]) {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (const [y, p] of pairs) {
    if (y === 1 && p === 1) tp++;
    else if (y === 0 && p === 1) fp++;
    else if (y === 0 && p === 0) tn++;
    else fn++;
  }
  const n = pairs.length;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = n === 0 ? 0 : (tp + tn) / n;
  let kappa = 0;
  if (n > 0) {
    const po = accuracy;
    const yes = ((tp + fn) / n) * ((tp + fp) / n);
    const no = ((tn + fp) / n) * ((tn + fn) / n);
    const pe = yes + no;
    kappa = pe === 1 ? 0 : (po - pe) / (1 - pe);
  }
  return { precision, recall, f1, accuracy, kappa };
}

const FACTORIES: Record<keyof ReturnType<typeof reference>, () => Metric> = {
  precision: () => new Precision(),
  recall: () => new Recall(),
  f1: () => new F1(),
  accuracy: () => new Accuracy(),
  kappa: () => new CohenKappa(),
};

function randomPairs(seed: string, n: number, pPos: number, pAgree: number): Pair[] {
  const rng = seedrandom.alea(seed);
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const y = (rng() < pPos ? 1 : 0) as 0 | 1;
    const p = (rng() < pAgree ? y : 1 - y) as 0 | 1;
    out.push([y, p]);
  }
  return out;
}

const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-12, `${msg}: ${a} vs ${b}`);

for (const [pPos, pAgree] of [[0.3, 0.8], [0.05, 0.6], [0.9, 0.95], [0.5, 0.5]]) {
  test(`every metric equals the reference on every prefix (pPos=${pPos}, agree=${pAgree})`, () => {
    const pairs = randomPairs(`m-${pPos}-${pAgree}`, 1500, pPos, pAgree);
    const metrics = Object.fromEntries(Object.entries(FACTORIES).map(([k, f]) => [k, f()])) as Record<string, Metric>;
    for (let i = 0; i <= pairs.length; i++) {
      const ref = reference(pairs.slice(0, i));
      for (const [k, m] of Object.entries(metrics)) close(m.get(), ref[k as keyof typeof ref], `${k} at prefix ${i}`);
      if (i < pairs.length) for (const m of Object.values(metrics)) m.update(pairs[i][0], pairs[i][1]);
    }
  });
}

test('revert undoes update exactly, in any order', () => {
  const pairs = randomPairs('rev', 500, 0.4, 0.7);
  for (const [k, f] of Object.entries(FACTORIES)) {
    const m = f();
    for (const [y, p] of pairs) m.update(y, p);
    // revert the first 200 (not the last): the state is that of the last 300
    for (const [y, p] of pairs.slice(0, 200)) m.revert(y, p);
    close(m.get(), reference(pairs.slice(200))[k as 'f1'], k);
  }
});

test('undefined cases return 0 (zero_division = 0)', () => {
  for (const [k, f] of Object.entries(FACTORIES)) assert.equal(f().get(), 0, `${k} empty`);
  const p = new Precision(); p.update(1, 0); assert.equal(p.get(), 0, 'precision without predicted positive');
  const r = new Recall(); r.update(0, 1); assert.equal(r.get(), 0, 'recall without positive label');
  const f = new F1(); f.update(0, 0); assert.equal(f.get(), 0, 'f1 all negatives');
  const k = new CohenKappa(); k.update(1, 1); k.update(1, 1); assert.equal(k.get(), 0, 'kappa with p_e = 1');
  const k2 = new CohenKappa(); k2.update(1, 1); k2.update(0, 0); assert.equal(k2.get(), 1, 'kappa perfect');
});

test('values match scikit-learn on a fixed sequence', () => {
  // y_true / y_pred below; expected values computed with sklearn 1.x (precision_score, recall_score,
  // f1_score, accuracy_score, cohen_kappa_score).
  const y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0] as const;
  const yp = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1] as const;
  const ms = Object.fromEntries(Object.entries(FACTORIES).map(([k, f]) => [k, f()])) as Record<string, Metric>;
  y.forEach((v, i) => Object.values(ms).forEach((m) => m.update(v, yp[i])));
  close(ms.precision.get(), 0.6666666666666666, 'precision');
  close(ms.recall.get(), 2 / 3, 'recall');
  close(ms.f1.get(), 0.6666666666666666, 'f1');
  close(ms.accuracy.get(), 0.7, 'accuracy');
  close(ms.kappa.get(), 0.3939393939393939, 'kappa');
});

test('clone is independent', () => {
  const a = new F1();
  a.update(1, 1); a.update(0, 1);
  const b = a.clone();
  b.update(1, 0);
  close(a.get(), 2 / 3, 'original');
  close(b.get(), 0.5, 'clone');
  assert.ok(b instanceof F1);
});

for (const w of [1, 7, 100]) {
  test(`Rolling(window=${w}) via revert equals recomputation on the last w items, every prefix`, () => {
    const pairs = randomPairs(`roll-${w}`, 1200, 0.3, 0.75);
    const rolling = Object.fromEntries(Object.entries(FACTORIES).map(([k, f]) => [k, new Rolling(f, w)])) as Record<string, Rolling>;
    for (let i = 0; i < pairs.length; i++) {
      for (const r of Object.values(rolling)) r.update(pairs[i][0], pairs[i][1]);
      const ref = reference(pairs.slice(Math.max(0, i + 1 - w), i + 1));
      for (const [k, r] of Object.entries(rolling)) close(r.get(), ref[k as keyof typeof ref], `rolling ${k} at ${i}`);
      assert.equal(rolling.f1.size, Math.min(w, i + 1));
    }
    assert.deepEqual(rolling.f1.pairs(), pairs.slice(-w));
  });
}

test('Rolling clone, revert of the newest pair, bad window', () => {
  const r = new Rolling(() => new Accuracy(), 3);
  r.update(1, 1); r.update(0, 1); r.update(1, 1); r.update(0, 0);
  const c = r.clone();
  close(r.get(), 2 / 3, 'window of 3');
  r.revert(0, 0);
  close(r.get(), 0.5, 'after revert');
  close(c.get(), 2 / 3, 'clone untouched');
  assert.throws(() => r.revert(0, 0), /most recent/);
  assert.throws(() => new Rolling(() => new F1(), 0), RangeError);
  assert.equal(r.name, 'rolling_accuracy');
});

test('ConfusionMatrix weights, json round trip', () => {
  const cm = new ConfusionMatrix();
  cm.update(1, 1, 2); cm.update(0, 1); cm.update(0, 0, 3); cm.update(1, 0);
  assert.deepEqual(cm.toJSON(), { tp: 2, fp: 1, tn: 3, fn: 1 });
  assert.equal(cm.total, 7);
  cm.revert(0, 0, 3);
  assert.deepEqual(new ConfusionMatrix().set(cm.toJSON()).toJSON(), { tp: 2, fp: 1, tn: 0, fn: 1 });
});
