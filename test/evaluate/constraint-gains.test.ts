import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constraintGains, WRONG_CONSTRAINT } from '../../src/evaluate/constraint-gains';
import { pairedDelta } from '../../src/evaluate/paired-delta';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { constraintGainsTable } from '../../src/report/constraint-gains-table';

test('constraintGains: per scenario, each setting\'s paired F1 difference to λ = 0 equals the runs made by hand', async () => {
  const seeds = [1, 2];
  const g = await constraintGains({ scenarios: ['stationary'], seeds, events: 800, lambdas: [1], auto: true, wrongLambda: 10 });
  assert.deepEqual(g.rows.map((r) => r.setting), ['λ = 0', 'λ = 1', 'auto', 'wrong, λ = 10']);
  const f1 = async (learner: object): Promise<number[]> => Promise.all(seeds.map(async (seed) => (await runExperiment({ scenario: 'stationary', events: 800, seed, learner: { ...learner, seed } })).metrics.f1));
  const base = await f1({ model: 'logistic', lambda: 0 });
  const wrong = await f1({ model: 'logistic', lambda: 10, constraints: [{ ...WRONG_CONSTRAINT }] });
  assert.deepEqual(g.rows[3]!.delta, pairedDelta(wrong, base));
  assert.equal(g.rows[0]!.delta.mean, 0);
  assert.ok(g.rows[2]!.lambda, 'auto reports its multipliers');
  assert.equal(g.rows[1]!.lambda, null);
  const table = constraintGainsTable(g.rows);
  assert.equal(table[0]!['Δ F1 vs λ = 0 [95 % CI]'], '—');
  assert.match(table[3]!['Δ F1 vs λ = 0 [95 % CI]']!, /^[+−]\d\.\d{3} \[/);
});
