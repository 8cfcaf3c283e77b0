import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../src/cli/args';
import { EXPERIMENT_ARGS, experimentFromArgs } from '../../src/cli/experiment-args';
import { FeatureSpace } from '../../src/features/feature-space';
import { createLearner } from '../../src/learn/create-learner';
import { parseSchema, SchemaError } from '../../src/stream/schema';

const BASE = { label: { field: 'y', positive: [1] }, categorical: ['kind'], hashed: ['user'] };

test('schema categoricalCapacity / hashBuckets: parsed, range-checked, and the encoding default', () => {
  const s = parseSchema({ ...BASE, categoricalCapacity: 5, hashBuckets: 7 });
  assert.equal(s.categoricalCapacity, 5);
  assert.equal(s.hashBuckets, 7);
  const fs = new FeatureSpace(s);
  assert.equal(fs.capacity, 5);
  assert.equal(fs.buckets, 7);
  assert.equal(fs.dim, 5 + 2 + 7);
  // a learner option overrides the schema
  const o = new FeatureSpace(s, { categoricalCapacity: 3, hashBuckets: 2 });
  assert.equal(o.dim, 3 + 2 + 2);
  // absent: 32 as before
  assert.equal(new FeatureSpace(parseSchema(BASE)).dim, 32 + 2 + 32);
  assert.equal(parseSchema(BASE).categoricalCapacity, undefined);
  for (const v of [0, -1, 1.5, '8', null, 2 ** 21]) {
    assert.throws(() => parseSchema({ ...BASE, hashBuckets: v }), (e: unknown) => e instanceof SchemaError && /"hashBuckets" must be an integer from 1 to/.test((e as Error).message));
    assert.throws(() => parseSchema({ ...BASE, categoricalCapacity: v }), /"categoricalCapacity" must be an integer/);
  }
});

test('createLearner takes the sizes from the schema unless its options say otherwise', async () => {
  const schema = parseSchema({ ...BASE, categoricalCapacity: 4, hashBuckets: 8 });
  const a = await createLearner({ schema, model: 'logistic', engine: 'fused' });
  assert.equal(a.features.dim, 4 + 2 + 8);
  const b = await createLearner({ schema, model: 'logistic', engine: 'fused', hashBuckets: 16 });
  assert.equal(b.features.dim, 4 + 2 + 16);
  a.dispose();
  b.dispose();
});

test('--categorical-capacity and --hash-buckets reach the learner options; bad values are usage errors', () => {
  const cfg = experimentFromArgs(parseArgs(['--categorical-capacity', '64', '--hash-buckets', '256'], EXPERIMENT_ARGS));
  assert.equal(cfg.learner?.categoricalCapacity, 64);
  assert.equal(cfg.learner?.hashBuckets, 256);
  const none = experimentFromArgs(parseArgs([], EXPERIMENT_ARGS));
  assert.equal('hashBuckets' in (none.learner ?? {}), false);
  for (const bad of ['0', '1.5', 'x']) {
    assert.throws(() => experimentFromArgs(parseArgs(['--hash-buckets', bad], EXPERIMENT_ARGS)), UsageError);
  }
});
