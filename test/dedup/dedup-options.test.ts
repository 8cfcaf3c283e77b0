import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupOptionsForSchema, parseDedupWindow, resolveDedupOptions } from '../../src/dedup/dedup-options';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';

test('options: defaults and validation', () => {
  assert.deepEqual(resolveDedupOptions(), {
    key: ['incident_type', 'source', 'user'], windowMs: 300_000, maxGroups: 100_000, nearDup: false, textField: 'message',
  });
  assert.equal(resolveDedupOptions({ windowMs: Infinity }).windowMs, Infinity);
  assert.throws(() => resolveDedupOptions({ key: 'a' as unknown as string[] }), TypeError);
  assert.throws(() => resolveDedupOptions({ key: [1 as unknown as string] }), TypeError);
  assert.throws(() => resolveDedupOptions({ maxGroups: -3 }), RangeError);
});

test('options: from a schema — its key and text, or all features when it has no key', () => {
  assert.deepEqual(dedupOptionsForSchema(GENERATOR_SCHEMA), { key: ['incident_type', 'source', 'user'], textField: 'message' });
  const noKey = { label: { field: 'y', positive: [1] }, numeric: ['a', 'b'], categorical: ['c'], hashed: ['d', 'a'] };
  assert.deepEqual(dedupOptionsForSchema(noKey), { key: ['a', 'b', 'c', 'd'], textField: 'message' });
  assert.deepEqual(dedupOptionsForSchema(GENERATOR_SCHEMA, { key: ['source'], nearDup: true }).key, ['source']);
});

test('options: --dedup-window parsing', () => {
  assert.equal(parseDedupWindow('300000'), 300_000);
  assert.equal(parseDedupWindow('250ms'), 250);
  assert.equal(parseDedupWindow('30s'), 30_000);
  assert.equal(parseDedupWindow('5m'), 300_000);
  assert.equal(parseDedupWindow('5min'), 300_000);
  assert.equal(parseDedupWindow('1.5h'), 5_400_000);
  assert.equal(parseDedupWindow('1d'), 86_400_000);
  assert.equal(parseDedupWindow(' INF '), Infinity);
  assert.equal(parseDedupWindow('0'), 0);
  for (const bad of ['', '-5m', '5 minutes', 'abc', '1e3']) assert.throws(() => parseDedupWindow(bad), RangeError, bad);
});
