import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createLearner } from '../../src/learn/create-learner';
import { CustomConstraint } from '../../src/constraints/custom';
import { SMALL_SCHEMA, syntheticRows } from '../learn/helpers';

test('a user-written tfjs constraint switches engine "auto" to tfjs and is enforced', async () => {
  const { rows, labels } = syntheticRows(400, 'custom');
  // "P(critical) ≤ 0.6 for every row": violations = relu(p − 0.6).
  const cap = () => new CustomConstraint({ name: 'cap-0.6', fn: (p: any) => p.sub(0.6).relu() });
  const times = rows.map((r) => r.ts as number);
  async function run(lambda: number) {
    const L = await createLearner({ schema: SMALL_SCHEMA, constraints: [cap()], lambda, seed: 1 });
    assert.match(L.backend, /^tfjs-/);
    for (let e = 0; e < 3; e++) for (let i = 0; i < rows.length; i += 20) L.learnMany(rows.slice(i, i + 20), labels.slice(i, i + 20));
    const p = L.predictMany(rows);
    const v = L.violationsMany(rows, p, times);
    let count = 0;
    p.forEach((pi, i) => {
      assert.equal(v[i], pi > 0.6 ? 1 : 0);
      count += v[i]!;
    });
    L.dispose();
    return count / rows.length;
  }
  const free = await run(0);
  const capped = await run(1);
  assert.ok(free > 0.1, `unconstrained violation rate ${free}`);
  assert.ok(capped < free / 2, `violation rate ${capped} with λ = 1 vs ${free}`);
});

test('engine "fused" refuses custom constraints', async () => {
  await assert.rejects(createLearner({ schema: SMALL_SCHEMA, engine: 'fused', constraints: [new CustomConstraint({ fn: (p: any) => p }) ] }));
});

test('the fused engine never loads TensorFlow.js', () => {
  const root = join(__dirname, '..', '..');
  const code = `
    const { createLearner } = require(${JSON.stringify(join(root, 'src/learn/create-learner'))});
    const { GENERATOR_SCHEMA } = require(${JSON.stringify(join(root, 'src/stream/default-schema'))});
    createLearner({ schema: GENERATOR_SCHEMA, model: 'logistic', lambda: 1 }).then((L) => {
      L.learnMany([{ severity: 3, source: 'srv-01', timestamp: 0 }], [1]);
      const loaded = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
      process.stdout.write(JSON.stringify({ backend: L.backend, loaded: loaded.length }));
    });`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { backend: 'fused', loaded: 0 });
});
