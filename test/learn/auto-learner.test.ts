import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import { AUTO_MEMBERS, AutoLearner } from '../../src/learn/auto-learner';
import { OptionError } from '../../src/options/option-error';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

const EPS = 1e-6;
const logLoss = (p: ArrayLike<number>, y: number[]): number => {
  let s = 0;
  y.forEach((l, i) => {
    const q = l ? p[i]! : 1 - p[i]!;
    s -= Math.log(Math.min(1 - EPS, Math.max(EPS, q)));
  });
  return s;
};

test('auto: each member\'s recent loss is its prequential log loss (predicted before learning), forgotten per event', async () => {
  const halfLife = 50;
  const auto = await createLearner({ schema: SMALL_SCHEMA, seed: 3, model: 'auto', constraints: [], auto: { halfLife } });
  assert.ok(auto instanceof AutoLearner);
  const solo = [];
  for (const m of AUTO_MEMBERS) solo.push(await createLearner({ schema: SMALL_SCHEMA, seed: 3, constraints: [], ...m.options }));
  const want = new Array<number>(solo.length).fill(0);
  const { rows, labels } = syntheticRows(400, 'prequential');
  const gamma = 2 ** (-1 / halfLife);
  for (let i = 0; i < rows.length; i += 20) {
    const r = rows.slice(i, i + 20);
    const y = labels.slice(i, i + 20);
    solo.forEach((m, k) => {
      want[k] = gamma ** r.length * want[k]! + logLoss(m.predictMany(r), y);
      m.learnMany(r, y);
    });
    auto.learnMany(r, y);
  }
  const state = auto.getState();
  state.losses.forEach((l, k) => assert.ok(Math.abs(l - want[k]!) <= 1e-9 * Math.max(1, want[k]!), `member ${k}: ${l} vs ${want[k]}`));
  // "best" predicts exactly as the member with the lowest recent loss.
  const best = want.indexOf(Math.min(...want));
  const probe = syntheticRows(30, 'probe', 1e6).rows;
  assert.deepEqual(Array.from(auto.predictMany(probe)), Array.from(solo[best]!.predictMany(probe)));
  const report = auto.report();
  assert.equal(report.chosen, AUTO_MEMBERS[best]!.name);
  assert.deepEqual(report.members, AUTO_MEMBERS.map((m) => m.name));
  assert.ok(Math.abs(report.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('auto/hedge: the prediction is the weight-mixed members\' prediction', async () => {
  const auto = (await createLearner({ schema: SMALL_SCHEMA, seed: 3, model: 'auto', constraints: [], auto: { combine: 'hedge', halfLife: 30, eta: 0.2 } })) as AutoLearner;
  const { rows, labels } = syntheticRows(200, 'hedge');
  for (let i = 0; i < rows.length; i += 10) auto.learnMany(rows.slice(i, i + 10), labels.slice(i, i + 10));
  const w = auto.weights();
  const probe = syntheticRows(10, 'probe', 1e6).rows;
  const state = auto.getState();
  const solo: Float64Array[] = [];
  for (const [k, m] of AUTO_MEMBERS.entries()) {
    const L = await createLearner({ schema: SMALL_SCHEMA, seed: 3, constraints: [], ...m.options });
    L.setState(state.members[k]);
    solo.push(L.predictMany(probe));
  }
  const p = auto.predictMany(probe);
  probe.forEach((_, i) => assert.ok(Math.abs(p[i]! - solo.reduce((s, q, k) => s + w[k]! * q[i]!, 0)) < 1e-12));
  assert.ok(w.filter((x: number) => x > 1e-3).length >= 2, `a mix, not one member: ${w.join(', ')}`);
});

test('auto: options its members set themselves, tfjs, custom constraints and bad auto fields are refused by name', async () => {
  const base = { schema: SMALL_SCHEMA, model: 'auto' as const };
  const refused = async (o: object, name: string) => {
    await assert.rejects(createLearner({ ...base, ...o } as never), (err: unknown) => err instanceof OptionError && err.option === name && err.message.includes(name));
  };
  await refused({ optimizer: 'sgd' }, 'optimizer');
  await refused({ learningRate: 0.1 }, 'learningRate');
  await refused({ lrSchedule: 'optimal' }, 'lrSchedule');
  await refused({ engine: 'tfjs' }, 'engine');
  await refused({ auto: { halfLife: -1 } }, 'auto');
  await refused({ auto: { combine: 'vote' } }, 'auto');
  await refused({ auto: { eta: 0 } }, 'auto');
  await refused({ constraints: [{ kind: 'custom', name: 'c', fn: (p: unknown) => p }] }, 'constraints');
});

test('run --json carries auto{members, chosen, weights} for model auto, null otherwise', async () => {
  const r = await runExperiment({ scenario: 'abrupt', events: 1500, seed: 2, batch: 64, learner: { model: 'auto' } });
  assert.ok(r.auto);
  assert.deepEqual(r.auto.members, AUTO_MEMBERS.map((m) => m.name));
  assert.ok(r.auto.members.includes(r.auto.chosen));
  assert.equal(r.auto.weights.length, AUTO_MEMBERS.length);
  const plain = await runExperiment({ scenario: 'abrupt', events: 300, seed: 2, learner: { model: 'logistic' } });
  assert.equal(plain.auto, null);
});
