import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import { AUTO_MEMBERS, AutoLearner, resolveAutoOptions, type AutoOptions, type AutoSolo } from '../../src/learn/auto-learner';
import { defaultModel, resolveLearnerOptions } from '../../src/learn/create-learner';
import type { Row } from '../../src/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel } from '../../src/learn/export/save-model';
import { loadModel } from '../../src/learn/export/load-model';
import { OptionError } from '../../src/options/option-error';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { SMALL_SCHEMA, syntheticRows } from './helpers';
import type { Learner } from '../../src/learn/learner';

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
  const auto = await createLearner({ schema: SMALL_SCHEMA, seed: 3, model: 'auto', constraints: [], auto: { halfLife, select: 'log-loss' } });
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
  await refused({ auto: { select: 'accuracy' } }, 'auto');
  await refused({ auto: { fitWeight: -1 } }, 'auto');
  await refused({ auto: { fitRows: 0 } }, 'auto');
  await refused({ auto: { fitRows: 2.5 } }, 'auto');
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

test('auto: the logistic members learned in one pass (LogisticBank) are bit-identical to separate learners, at batch 1 and mixed batches, with missing values', async () => {
  const auto = (await createLearner({ schema: SMALL_SCHEMA, seed: 5, model: 'auto' })) as AutoLearner;
  const solo: Learner[] = [];
  for (const m of AUTO_MEMBERS) solo.push(await createLearner({ schema: SMALL_SCHEMA, seed: 5, ...m.options }));
  const { rows, labels } = syntheticRows(700, 'bank');
  rows.forEach((r, i) => { if (i % 37 === 0) r.a = null; if (i % 53 === 0) r.kind = ''; });
  const sizes = [1, 1, 1, 5, 1, 64, 3, 256, 1, 2];
  for (let i = 0, s = 0; i < rows.length; s++) {
    const n = sizes[s % sizes.length]!;
    const r = rows.slice(i, i + n);
    const y = labels.slice(i, i + n);
    i += n;
    const p = auto.predictMany(r);
    solo.forEach((m) => m.learnMany(r, y));
    auto.learnMany(r, y);
    assert.equal(p.length, r.length);
  }
  const state = auto.getState();
  AUTO_MEMBERS.forEach((m, k) => {
    if (m.options.model !== 'logistic') return;
    const want = solo[k]!.getState() as unknown as Record<string, unknown>;
    const got = state.members[k] as Record<string, unknown>;
    for (const key of ['params', 'optimizer', 'features', 'classCounts', 'steps', 'skippedBatches', 'rng', 'history', 'replay', 'consolidation']) {
      assert.deepEqual(got[key], want[key], `${m.name}: ${key}`);
    }
  });
  // A bank member's state loads into a plain learner (and back): the same predictions.
  const probe = syntheticRows(40, 'probe', 1e6).rows;
  const plain = await createLearner({ schema: SMALL_SCHEMA, seed: 5, ...AUTO_MEMBERS[1]!.options });
  plain.setState(state.members[1]);
  assert.deepEqual(Array.from(plain.predictMany(probe)), Array.from(solo[1]!.predictMany(probe)));
  const again = (await createLearner({ schema: SMALL_SCHEMA, seed: 5, model: 'auto' })) as AutoLearner;
  again.setState(JSON.parse(JSON.stringify(state)));
  assert.deepEqual(Array.from(again.predictMany(probe)), Array.from(auto.predictMany(probe)));
  assert.deepEqual(again.getState(), auto.getState());
});

test('auto: predictions remembered from predictMany give learnMany the same losses as asking again; λ > 0 keeps separate members', async () => {
  const { rows, labels } = syntheticRows(300, 'memo');
  const a = (await createLearner({ schema: SMALL_SCHEMA, seed: 2, model: 'auto' })) as AutoLearner;
  const b = (await createLearner({ schema: SMALL_SCHEMA, seed: 2, model: 'auto' })) as AutoLearner;
  for (let i = 0; i < rows.length; i += 7) {
    const r = rows.slice(i, i + 7);
    // a: each row predicted (in two calls, different arrays) before it is learned; b: never predicted.
    a.predictMany(r.slice(0, 3));
    a.predictMany(r.slice(3));
    a.learnMany(r, labels.slice(i, i + 7));
    b.learnMany(r, labels.slice(i, i + 7));
  }
  assert.deepEqual(a.getState(), b.getState());
  const c = (await createLearner({ schema: SMALL_SCHEMA, seed: 2, model: 'auto', lambda: 1 })) as AutoLearner;
  for (let i = 0; i < rows.length; i += 50) c.learnMany(rows.slice(i, i + 50), labels.slice(i, i + 50));
  const solo = await createLearner({ schema: SMALL_SCHEMA, seed: 2, lambda: 1, ...AUTO_MEMBERS[2]!.options });
  for (let i = 0; i < rows.length; i += 50) solo.learnMany(rows.slice(i, i + 50), labels.slice(i, i + 50));
  assert.deepEqual((c.getState().members[2] as { params: number[] }).params, (solo.getState() as { params: number[] }).params);
});

test('auto/select "errors" (the default): "best" is the member with the fewest recent misclassifications, ties to the lower log loss', async () => {
  const halfLife = 40;
  const auto = (await createLearner({ schema: SMALL_SCHEMA, seed: 4, model: 'auto', constraints: [], auto: { halfLife } })) as AutoLearner;
  assert.equal(auto.auto.select, 'errors');
  const solo: Learner[] = [];
  for (const m of AUTO_MEMBERS) solo.push(await createLearner({ schema: SMALL_SCHEMA, seed: 4, constraints: [], ...m.options }));
  const errors = new Array<number>(solo.length).fill(0);
  const losses = new Array<number>(solo.length).fill(0);
  const { rows, labels } = syntheticRows(500, 'errors');
  const gamma = 2 ** (-1 / halfLife);
  const probe = syntheticRows(20, 'probe', 1e6).rows;
  let checked = 0;
  for (let i = 0; i < rows.length; i += 10) {
    const r = rows.slice(i, i + 10);
    const y = labels.slice(i, i + 10);
    solo.forEach((m, k) => {
      const p = m.predictMany(r);
      errors[k] = gamma ** r.length * errors[k]! + y.filter((l, j) => (p[j]! >= 0.5 ? 1 : 0) !== l).length;
      losses[k] = gamma ** r.length * losses[k]! + logLoss(p, y);
      m.learnMany(r, y);
    });
    auto.learnMany(r, y);
    let best = 0;
    for (let k = 1; k < solo.length; k++) if (errors[k]! < errors[best]! || (errors[k] === errors[best] && losses[k]! < losses[best]!)) best = k;
    const gap = Math.min(...errors.filter((_, k) => k !== best)) - errors[best]!;
    if (gap > 0 && gap < 1e-9) continue; // a near tie: rounding may decide
    assert.equal(auto.report().chosen, AUTO_MEMBERS[best]!.name, `after ${i + 10} rows`);
    assert.deepEqual(Array.from(auto.predictMany(probe)), Array.from(solo[best]!.predictMany(probe)));
    checked++;
  }
  assert.ok(checked > 20);
  const state = auto.getState();
  state.errors!.forEach((e, k) => assert.ok(Math.abs(e - errors[k]!) <= 1e-9 * Math.max(1, errors[k]!), `member ${k}: ${e} vs ${errors[k]}`));
});

/**
 * A stand-in member for the fit-term tests: predicts `before` until it has learned `learnsAfter` batches,
 * then the rule y = [a > 0] exactly (a member that has just become better).
 */
function scriptedMember(before: number, learnsAfter: number): AutoSolo & { batches: number } {
  const m = {
    backend: 'scripted',
    batches: 0,
    predictMany: (rows: Row[]) => Float64Array.from(rows, (r) => (m.batches >= learnsAfter ? ((r.a as number) > 0 ? 0.9 : 0.1) : before)),
    learnMany: (rows: Row[]) => { m.batches += 1; return { rows: rows.length, loss: 0, skipped: false, ms: 0 }; },
    getState: () => ({ batches: m.batches }) as never,
    setState: (s: unknown) => { m.batches = (s as { batches: number }).batches; },
    dispose: () => {},
  };
  return m;
}

const ruleLabels = (rows: Row[]): number[] => rows.map((r) => ((r.a as number) > 0 ? 1 : 0));

function scriptedAuto(auto: AutoOptions): { L: AutoLearner; fast: ReturnType<typeof scriptedMember> } {
  const slow = scriptedMember(0.4, Infinity); // never learns: 0.4 on every row
  const fast = scriptedMember(0.4, 1); // the same as slow on the first batch, then right
  const L = new AutoLearner(resolveLearnerOptions({ schema: SMALL_SCHEMA, constraints: [] }), [], resolveAutoOptions(auto), ['slow', 'fast'], [{ learner: slow }, { learner: fast }]);
  return { L, fast };
}

test('auto fit term: after one batch of 64 the member that has just become right is chosen (without it, the tie keeps the first member a batch longer)', () => {
  const { rows } = syntheticRows(128, 'fit');
  const first = rows.slice(0, 64);
  const second = rows.slice(64);
  for (const [auto, want] of [[{}, 'fast'], [{ fitWeight: 0 }, 'slow'], [{ fitRows: 65 }, 'slow']] as const) {
    const { L, fast } = scriptedAuto(auto);
    L.predictMany(first);
    L.learnMany(first, ruleLabels(first));
    // Prequentially the two members made the same errors on the first batch (both at 0.4 before learning).
    assert.deepEqual(L.getState().errors![0], L.getState().errors![1]);
    assert.equal(L.report().chosen, want, JSON.stringify(auto));
    const p = L.predictMany(second);
    if (want === 'fast') assert.deepEqual(Array.from(p), Array.from(fast.predictMany(second)));
    else assert.ok(p.every((x) => x === 0.4));
  }
  // Below fitRows (default 64) the fit is not measured: batches of 10 rows choose as before.
  const { L } = scriptedAuto({});
  L.learnMany(first.slice(0, 10), ruleLabels(first.slice(0, 10)));
  assert.equal(L.report().chosen, 'slow');
  assert.deepEqual(L.getState().fitErrors, [0, 0]);
});

test('auto fit term: "best" minimises E_k + w·F_k with F_k the members\' errors on the batch just learned, predicted after learning it; the state round-trips it', async () => {
  const w = 0.5;
  const auto = (await createLearner({ schema: SMALL_SCHEMA, seed: 4, model: 'auto', constraints: [], auto: { halfLife: 200, fitWeight: w } })) as AutoLearner;
  const solo: Learner[] = [];
  for (const m of AUTO_MEMBERS) solo.push(await createLearner({ schema: SMALL_SCHEMA, seed: 4, constraints: [], ...m.options }));
  const errors = new Array<number>(solo.length).fill(0);
  const gamma = 2 ** (-1 / 200);
  const { rows, labels } = syntheticRows(1200, 'fit-sum');
  const wrong = (p: ArrayLike<number>, y: number[]): number => y.filter((l, j) => (p[j]! >= 0.5 ? 1 : 0) !== l).length;
  let checked = 0;
  for (let i = 0; i < rows.length; i += 100) {
    const r = rows.slice(i, i + 100);
    const y = labels.slice(i, i + 100);
    auto.predictMany(r);
    const fit = solo.map((m, k) => {
      errors[k] = gamma ** r.length * errors[k]! + wrong(m.predictMany(r), y);
      m.learnMany(r, y);
      return wrong(m.predictMany(r), y);
    });
    auto.learnMany(r, y);
    assert.deepEqual(auto.getState().fitErrors, fit);
    const score = errors.map((e, k) => e + w * fit[k]!);
    const best = score.indexOf(Math.min(...score));
    if (score.filter((s) => Math.abs(s - score[best]!) < 1e-9).length > 1) continue; // a tie: the log loss decides
    assert.equal(auto.report().chosen, AUTO_MEMBERS[best]!.name, `after ${i + 100} rows`);
    checked++;
  }
  assert.ok(checked >= 6, `checked ${checked}`);
  // Checkpoint: the fit terms come back; a state saved before them (no fitErrors/fitLosses) loads as zeros.
  const state = JSON.parse(JSON.stringify(auto.getState()));
  const again = (await createLearner({ schema: SMALL_SCHEMA, seed: 4, model: 'auto', constraints: [], auto: { halfLife: 200, fitWeight: w } })) as AutoLearner;
  again.setState(state);
  assert.deepEqual(again.getState(), auto.getState());
  assert.equal(again.report().chosen, auto.report().chosen);
  const { fitErrors: _f, fitLosses: _g, ...old } = state;
  again.setState(old);
  assert.deepEqual(again.getState().fitErrors, new Array(AUTO_MEMBERS.length).fill(0));
  assert.throws(() => again.setState({ ...state, fitErrors: [1] }), /does not match/);
});

test('auto fit term: the logistic bank\'s refit leaves it bit-identical (a member learned inside auto with batches of 256 equals one learned alone)', async () => {
  const auto = (await createLearner({ schema: SMALL_SCHEMA, seed: 6, model: 'auto' })) as AutoLearner;
  const solo: Learner[] = [];
  for (const m of AUTO_MEMBERS) solo.push(await createLearner({ schema: SMALL_SCHEMA, seed: 6, ...m.options }));
  const { rows, labels } = syntheticRows(1024, 'refit');
  for (let i = 0; i < rows.length; i += 256) {
    const r = rows.slice(i, i + 256);
    const y = labels.slice(i, i + 256);
    const p = auto.predictMany(r);
    const chosen = AUTO_MEMBERS.findIndex((m) => m.name === auto.report().chosen);
    assert.deepEqual(Array.from(p), Array.from(solo[chosen]!.predictMany(r)));
    solo.forEach((m) => m.learnMany(r, y));
    auto.learnMany(r, y);
  }
  const state = auto.getState();
  AUTO_MEMBERS.forEach((m, k) => assert.deepEqual(state.members[k], solo[k]!.getState(), m.name));
  assert.ok(state.fitErrors!.some((e) => e > 0));
});

test('auto is the default model; an option only a single model uses (or drift, tfjs, a custom constraint) keeps logistic', async () => {
  assert.equal(defaultModel({}), 'auto');
  assert.equal(defaultModel({ lambda: 1, replay: 10, tree: { gracePeriod: 50 }, auto: { halfLife: 100 } }), 'auto');
  for (const o of [{ optimizer: 'sgd' }, { learningRate: 0.5 }, { lrSchedule: 'optimal' }, { hidden: [4] }, { beta1: 0 }, { l1: 0.1 }, { engine: 'tfjs' }, { drift: 'adwin' },
    { constraints: [{ kind: 'custom', name: 'c', fn: (p: unknown) => p }] }] as const) {
    assert.equal(defaultModel(o as never), 'logistic', JSON.stringify(o));
  }
  assert.equal(defaultModel({ model: 'mlp', optimizer: 'sgd' }), 'mlp');
  assert.equal(defaultModel({ drift: 'none' }), 'auto');
  const L = await createLearner({ schema: SMALL_SCHEMA });
  assert.ok(L instanceof AutoLearner);
  assert.equal(L.options.model, 'auto');
  const single = await createLearner({ schema: SMALL_SCHEMA, optimizer: 'sgd', learningRate: 0.5 });
  assert.equal((single as { options: { model: string } }).options.model, 'logistic');
  // A drift detector without a model wraps logistic learners (not auto, which refuses drift).
  const watched = await createLearner({ schema: SMALL_SCHEMA, drift: 'adwin' });
  assert.equal((watched as { options: { model: string } }).options.model, 'logistic');
  const { rows, labels } = syntheticRows(300, 'drift-default');
  watched.learnMany(rows, labels);
  const r = await runExperiment({ scenario: 'abrupt', events: 600, seed: 2, batch: 64 });
  assert.ok(r.auto, 'run without a model reports auto{…}');
});

test('an auto model saved by saveModel loads again (its resolved options name the default optimizer) and predicts bit-identically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-auto-model-'));
  try {
    const L = await createLearner({ schema: SMALL_SCHEMA, model: 'auto', seed: 3 });
    const { rows, labels } = syntheticRows(600, 'saved-auto');
    for (let i = 0; i < rows.length; i += 100) L.learnMany(rows.slice(i, i + 100), labels.slice(i, i + 100));
    saveModel(L, dir);
    const { learner } = await loadModel(dir);
    assert.ok(learner instanceof AutoLearner);
    const probe = syntheticRows(30, 'probe', 1e6).rows;
    assert.deepEqual(Array.from(learner.predictMany(probe)), Array.from(L.predictMany(probe)));
    assert.deepEqual(learner.getState(), L.getState());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A non-default step size is still refused with auto.
  await assert.rejects(createLearner({ schema: SMALL_SCHEMA, model: 'auto', optimizer: 'adam', learningRate: 0.02 }), (err: unknown) => err instanceof OptionError && err.option === 'learningRate');
});

test('auto memo at batch 1: single rows, a row predicted twice, two rows predicted before one learn, duplicates and unpredicted rows give the state of a learner that never remembers', async () => {
  const { rows, labels } = syntheticRows(400, 'memo-one');
  const a = (await createLearner({ schema: SMALL_SCHEMA, seed: 6, model: 'auto' })) as AutoLearner;
  const b = (await createLearner({ schema: SMALL_SCHEMA, seed: 6, model: 'auto' })) as AutoLearner;
  const learn = (r: Row[], y: number[]): void => {
    const sa = a.learnMany(r, y);
    const sb = b.learnMany(r, y);
    assert.equal(sa.loss, sb.loss);
    assert.equal(sa.rows, sb.rows);
  };
  for (let i = 0; i + 3 < rows.length; i += 4) {
    const [r0, r1, r2, r3] = rows.slice(i, i + 4) as [Row, Row, Row, Row];
    const [y0, y1, y2, y3] = labels.slice(i, i + 4) as [number, number, number, number];
    switch ((i / 4) % 6) {
      case 0: // the batch-1 loop: predict a row, learn it
        a.predictMany([r0]); learn([r0], [y0]);
        a.predictMany([r1]); learn([r1], [y1]);
        a.predictMany([r2]); learn([r2], [y2]);
        a.predictMany([r3]); learn([r3], [y3]);
        break;
      case 1: // one row predicted twice, then two single rows predicted before learning them together
        a.predictMany([r0]); a.predictMany([r0]); learn([r0], [y0]);
        a.predictMany([r1]); a.predictMany([r2]); learn([r1, r2], [y1, y2]);
        learn([r3], [y3]);
        break;
      case 2: // a row predicted, another learned (not remembered), then the first learned twice over
        a.predictMany([r0]); learn([r1], [y1]);
        a.predictMany([r2]); learn([r2, r2], [y2, y2]);
        learn([r0, r3], [y0, y3]);
        break;
      case 3: // a single row, then a batch holding it: the single row moves into the map
        a.predictMany([r0]); a.predictMany([r1, r2]); learn([r0, r1, r2], [y0, y1, y2]);
        a.predictMany([r3]); learn([r3, r0], [y3, y0]);
        break;
      case 4: // a predicted row learned with one that was not
        a.predictMany([r0]); learn([r0, r1], [y0, y1]);
        a.predictMany([r2, r3]); learn([r2], [y2]); learn([r3], [y3]);
        break;
      default: // predicted, then the state saved and restored in between (the memo is dropped)
        a.predictMany([r0]);
        a.setState(JSON.parse(JSON.stringify(a.getState())));
        learn([r0], [y0]);
        a.predictMany([r1]); learn([r1], [y1]); learn([r2, r3], [y2, y3]);
    }
  }
  assert.deepEqual(a.getState(), b.getState());
});

test('auto: a logistic bank member whose step overflows is rolled back exactly as a plain learner rolls back (SGD and AdaGrad)', async () => {
  const { LogisticBank } = await import('../../src/learn/logistic-bank');
  const { rows, labels } = syntheticRows(60, 'bank-overflow');
  const members = [
    { model: 'logistic', optimizer: 'sgd', learningRate: 1e308 },
    { model: 'logistic', optimizer: 'adagrad', learningRate: 1e308 },
    { model: 'logistic', optimizer: 'sgd', learningRate: 0.1 },
  ] as const;
  const shared = { schema: SMALL_SCHEMA, seed: 8, constraints: [] as unknown[], engine: 'fused' as const };
  const bank = new LogisticBank(resolveLearnerOptions({ ...shared }), members.map((m) => resolveLearnerOptions({ ...shared, ...m })), 0, 0);
  const solo: Learner[] = [];
  for (const m of members) solo.push(await createLearner({ ...shared, ...m }));
  let rolledBack = 0;
  for (let i = 0; i < rows.length; i += 3) {
    const r = rows.slice(i, i + 3);
    const y = labels.slice(i, i + 3);
    const step = bank.learn(r, y);
    solo.forEach((m) => m.learnMany(r, y));
    rolledBack += step.losses.filter((l) => Number.isNaN(l)).length;
  }
  assert.ok(rolledBack > 0, 'some step overflowed');
  assert.ok(members.every((_, k) => (bank.getState(k).steps) > 0), 'every member also stepped');
  members.forEach((m, k) => {
    const want = solo[k]!.getState() as unknown as Record<string, unknown>;
    const got = bank.getState(k) as unknown as Record<string, unknown>;
    for (const key of ['params', 'optimizer', 'steps', 'skippedBatches']) assert.deepEqual(got[key], want[key], `${m.optimizer} ${m.learningRate}: ${key}`);
  });
});
