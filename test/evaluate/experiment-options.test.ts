import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExperiment } from '../../src/evaluate/resolve-experiment';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { FieldPresence } from '../../src/evaluate/field-presence';
import { OptionError } from '../../src/options/option-error';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import type { ExperimentConfig } from '../../src/evaluate/experiment-config';
import type { Schema } from '../../src/types';

const optionError = (option: string, message: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof OptionError, `expected an OptionError, got ${String(err)}`);
  assert.equal(err.option, option);
  assert.match(err.message, message);
  return true;
};

const BAD: [Record<string, unknown>, string, RegExp][] = [
  [{ learner: { learningRate: 'fast' } }, 'learner.learningRate', /^learner\.learningRate must be a number, got "fast"$/],
  [{ learner: { optimizer: 'rmsprop' } }, 'learner.optimizer', /must be one of sgd, adam, adagrad, ftrl, got "rmsprop"/],
  [{ learner: { model: 'tree' } }, 'learner.model', /must be one of logistic, mlp, naive-bayes, hoeffding-tree, hat, arf, auto, got "tree"/],
  [{ learner: { lambda: -1 } }, 'learner.lambda', /must be ≥ 0, got -1/],
  [{ learner: { lambda: 'high' } }, 'learner.lambda', /must be a number or "auto", got "high"/],
  [{ learner: { violationTarget: 0.1 } }, 'learner.violationTarget', /^learner.violationTarget needs lambda "auto"/],
  [{ batch: 0 }, 'batch', /^batch must be ≥ 1, got 0$/],
  [{ batch: '256' }, 'batch', /^batch must be an integer, got "256"$/],
  [{ scenario: 'nope' }, 'scenario', /must be one of stationary, abrupt/],
  [{ bacth: 32 }, 'bacth', /^unknown experiment option "bacth"/],
  [{ dedup: { windowMs: -5 } }, 'dedup.windowMs', /must be ≥ 0/],
  [{ dedup: { key: ['incident_type', 'usr'] } }, 'dedup.key', /^dedup\.key: "usr" is not a field the schema names \(a typo\?\)/],
  [{ dedup: { key: ['critical'] } }, 'dedup.key', /"critical" is the label field/],
  [{ dedup: { nearDup: true, textField: 'msg' } }, 'dedup.textField', /"msg" is not a field the schema names/],
  [{ schema: { ...GENERATOR_SCHEMA, key: ['incident_type', 'usr'] } }, 'schema', /^schema: "key" field "usr" is not named anywhere else/],
];

test('runExperiment checks its whole configuration first, with an OptionError naming the option', async () => {
  for (const [bad, option, message] of BAD) {
    assert.throws(() => resolveExperiment(bad as ExperimentConfig), optionError(option, message), JSON.stringify(bad));
    await assert.rejects(runExperiment({ events: 100, ...bad } as ExperimentConfig), optionError(option, message), JSON.stringify(bad));
  }
  assert.doesNotThrow(() => resolveExperiment({ dedup: { windowMs: Infinity, key: ['source'] } }));
});

test('a dedup key on the id, timestamp or regime field is read (not one big group)', async () => {
  const byId = await runExperiment({ scenario: 'storm', events: 2000, seed: 1, dedup: { key: ['event_id'], windowMs: Infinity } });
  assert.equal(byId.unique, byId.accepted);
  const byRegime = await runExperiment({ scenario: 'abrupt', events: 2000, seed: 1, dedup: { key: ['regime'], windowMs: Infinity } });
  assert.equal(byRegime.unique, 2);
});

test('FieldPresence names the schema fields that never hold a value in the first N records', () => {
  const schema: Schema = { label: { field: 'y', positive: [1] }, numeric: ['x', 'cpu_lod'], categorical: ['c'], hashed: ['u'], key: ['c', 'host'], ignore: ['host'] };
  const p = new FieldPresence(schema, 3);
  p.observe({ x: 1, cpu_lod: null, c: 'a', u: null, host: null });
  p.observe({ x: null, cpu_lod: null, c: null, u: '', host: null });
  assert.deepEqual(p.warnings(), [
    'schema field "cpu_lod" (numeric) is missing or empty in all 2 records: a typo in the schema?',
    'schema field "u" (hashed) is missing or empty in all 2 records: a typo in the schema?',
    'schema field "host" (key) is missing or empty in all 2 records: a typo in the schema?',
  ]);
  p.observe({ u: 'z' });
  p.observe({ cpu_lod: 5 }); // beyond the first 3: not looked at
  assert.equal(p.warnings().length, 2);
  assert.match(p.warnings()[0]!, /in the first 3 records/);
  assert.deepEqual(new FieldPresence(schema).warnings(), []);
});

test('a misspelt schema field gives a warning in the run result (and none for a good schema)', async () => {
  const schema: Schema = { ...GENERATOR_SCHEMA, numeric: ['severity', 'cpu_lod'], log: [] };
  const r = await runExperiment({ scenario: 'stationary', events: 1500, seed: 1, schema });
  assert.deepEqual(r.warnings, ['schema field "cpu_lod" (numeric) is missing or empty in the first 1000 records: a typo in the schema?']);
  const good = await runExperiment({ scenario: 'stationary', events: 500, seed: 1 });
  assert.deepEqual(good.warnings, []);
});
