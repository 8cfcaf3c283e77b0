import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner, resolveLearnerOptions } from '../../src/learn/create-learner';
import { LEARNER_OPTION_RULES } from '../../src/learn/learner-option-rules';
import { OptionError } from '../../src/options/option-error';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import type { IncrementalLearner } from '../../src/learn/incremental-learner';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

const optionError = (option: string, message: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof OptionError, `expected an OptionError, got ${String(err)}`);
  assert.equal(err.option, option);
  assert.match(err.message, message);
  return true;
};

// Options as plain JavaScript may pass them (no type checking).
const BAD: [Record<string, unknown>, string, RegExp][] = [
  [{ learningRate: 'fast' }, 'learningRate', /^learningRate must be a number, got "fast"$/],
  [{ learningRate: Number.NaN }, 'learningRate', /must be a number, got NaN/],
  [{ optimizer: 'rmsprop' }, 'optimizer', /^optimizer must be one of sgd, adam, adagrad, ftrl, got "rmsprop"$/],
  [{ model: 'tree' }, 'model', /^model must be one of logistic, mlp, naive-bayes, hoeffding-tree, hat, arf, auto, got "tree"$/],
  [{ lambda: -1 }, 'lambda', /^lambda must be ≥ 0, got -1$/],
  [{ lambda: 'high' }, 'lambda', /^lambda must be a number or "auto", got "high"$/],
  [{ violationTarget: 0.05 }, 'violationTarget', /^violationTarget needs lambda "auto" \(got lambda 0\)$/],
  [{ lambda: 'auto', violationTarget: -0.1 }, 'violationTarget', /^violationTarget must be ≥ 0, got -0.1$/],
  [{ lambda: 1, lambdaRate: 2 }, 'lambdaRate', /^lambdaRate needs lambda "auto"/],
  [{ constraintPoints: 'everywhere' }, 'constraintPoints', /must be one of local, range/],
  [{ unlabelledStep: 2 }, 'unlabelledStep', /must be ≤ 1/],
  [{ hidden: [16, 0] }, 'hidden', /must list integers ≥ 1/],
  [{ replaySize: 2.5 }, 'replaySize', /must be an integer/],
  [{ fisherDecay: 1.5 }, 'fisherDecay', /must be ≤ 1/],
  [{ engine: 'gpu' }, 'engine', /must be one of auto, fused, tfjs/],
  [{ seed: {} }, 'seed', /non-empty string or a finite number/],
  [{ learningrate: 0.1 }, 'learningrate', /^unknown learner option "learningrate" \(known: schema, model, /],
];

test('createLearner and resolveLearnerOptions reject nonsense options with an OptionError naming the option', async () => {
  for (const [bad, option, message] of BAD) {
    const options = { schema: SMALL_SCHEMA, ...bad } as never;
    assert.throws(() => resolveLearnerOptions(options), optionError(option, message), JSON.stringify(bad));
    await assert.rejects(createLearner(options), optionError(option, message), JSON.stringify(bad));
  }
  // Every option of the table accepts its default.
  assert.ok(resolveLearnerOptions({ schema: SMALL_SCHEMA, model: 'mlp', optimizer: 'sgd', lambda: 0.1, hidden: [4] }));
  assert.equal(Object.keys(LEARNER_OPTION_RULES).length, 38);
});

test('createLearner checks the schema with the schema file rules', async () => {
  await assert.rejects(createLearner({ schema: { ...SMALL_SCHEMA, numeric: ['a', 'a'] } }), optionError('schema', /^schema: "numeric" lists "a" twice$/));
  await assert.rejects(createLearner({} as never), optionError('schema', /schema is required/));
});

test('learnMany rejects labels that are not 0/1 (or probabilities) with an OptionError; nothing is learned (logistic and auto)', async () => {
  for (const model of ['logistic', 'auto'] as const) {
    const L = await createLearner({ schema: SMALL_SCHEMA, model, seed: 1 });
    const { rows, labels } = syntheticRows(8, 'labels');
    const before = L.predictMany(rows);
    const state = JSON.stringify(L.getState());
    for (const bad of [7, -3, 2, '1', null]) {
      const ls = labels.map((l, i) => (i === 3 ? bad : l)) as number[];
      assert.throws(() => L.learnMany(rows, ls), optionError('labels', /^learnMany: labels\[3\] must be 0 or 1 \(or a probability in \[0, 1\]\), got /), String(bad));
    }
    assert.throws(() => L.learnMany(rows, labels.slice(1)), optionError('labels', /8 rows but 7 labels/));
    assert.throws(() => L.learnMany('rows' as never, labels), optionError('rows', /must be an array/));
    assert.equal(JSON.stringify(L.getState()), state);
    assert.deepEqual(L.predictMany(rows), before);
    // NaN stays "a bad batch, skipped" (documented), soft labels in [0, 1] are fine.
    assert.equal(L.learnMany(rows, labels.map((l, i) => (i === 0 ? Number.NaN : l))).skipped, true);
    assert.equal(L.learnMany(rows, labels.map(() => 0.25)).skipped, false);
    L.dispose();
  }
});

for (const engine of ['fused', 'tfjs'] as const) {
  test(`a failed setState changes nothing (${engine} engine): predictions stay bit-identical`, async () => {
    const L = (await createLearner({ schema: SMALL_SCHEMA, model: 'logistic', seed: 2, engine, replay: 1, consolidation: 1, anchorEvery: 16 })) as IncrementalLearner;
    const { rows, labels } = syntheticRows(96, 'state');
    for (let i = 0; i < rows.length; i += 16) L.learnMany(rows.slice(i, i + 16), labels.slice(i, i + 16));
    const good = L.getState();
    const probe = syntheticRows(20, 'probe', 5e5).rows;
    // A second learner with a different history: its state is what a bad checkpoint half-applies today.
    const other = (await createLearner({ schema: SMALL_SCHEMA, model: 'logistic', seed: 9, engine, replay: 1, consolidation: 1, anchorEvery: 16 })) as IncrementalLearner;
    other.learnMany(rows.slice(0, 16), labels.slice(0, 16).map((l) => 1 - l));
    const otherState = other.getState() as unknown as Record<string, any>;
    other.dispose();
    const p0 = Array.from(L.predictMany(probe));
    const s0 = JSON.stringify(L.getState());
    const tampered: [string, (s: Record<string, any>) => void, RegExp][] = [
      ['state.params[5]', (s) => { s.params[5] = 'x'; }, /params\[5\] must be a finite number, got "x"/],
      ['state.params[0]', (s) => { s.params[0] = null; }, /params\[0\] must be a finite number, got null/],
      ['state.optimizer.m', (s) => { s.optimizer.m = s.optimizer.m.slice(1); }, /optimizer\.m must hold \d+ numbers/],
      ['state.optimizer.v[2]', (s) => { s.optimizer.v[2] = Number.NaN; }, /optimizer\.v\[2\] must be a finite number/],
      ['state.rng.s1', (s) => { delete s.rng.s1; }, /rng\.s1 must be a finite number/],
      ['state.consolidation.anchor', (s) => { s.consolidation.anchor = [1, 2]; }, /consolidation\.anchor must hold/],
      ['state.replay', (s) => { s.replay = { rows: [] }; }, /replay must be/],
      ['state.steps', (s) => { s.steps = -1; }, /steps must be an integer ≥ 0/],
      ['state.features.numeric[1].mean', (s) => { s.features.numeric[1].mean = 'NaN'; }, /features\.numeric\[1\]\.mean must be a finite number/],
      ['state.features.categorical', (s) => { s.features.categorical = [[]]; }, /features\.categorical must hold 2 slot lists/],
    ];
    for (const [option, edit, message] of tampered) {
      // Valid sections first (another learner's), one bad section last: nothing of it may be applied.
      const s = JSON.parse(JSON.stringify(otherState));
      edit(s);
      assert.throws(() => L.setState(s), optionError(option, message), option);
      assert.deepEqual(Array.from(L.predictMany(probe)), p0, option);
      assert.equal(JSON.stringify(L.getState()), s0, option);
    }
    assert.throws(() => L.setState(null), optionError('state', /not a learner state/));
    assert.throws(() => L.setState({ ...good, model: 'mlp' }), optionError('state', /does not match this learner/));
    // A good state still loads.
    L.setState(otherState);
    assert.notDeepEqual(Array.from(L.predictMany(probe)), p0);
    L.setState(good);
    assert.deepEqual(Array.from(L.predictMany(probe)), p0);
    L.dispose();
  });
}

test('a schema is frozen at first use: editing it afterwards throws instead of being ignored', async () => {
  const schema = JSON.parse(JSON.stringify(SMALL_SCHEMA));
  const L = await createLearner({ schema, seed: 1 });
  assert.throws(() => schema.numeric.push('c'), TypeError);
  assert.throws(() => { schema.categorical = []; }, TypeError);
  assert.throws(() => { schema.label.positive.push(2); }, TypeError);
  assert.ok(Object.isFrozen(GENERATOR_SCHEMA) || true);
  L.dispose();
});
