import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSchema, parseSchema, SchemaError } from '../../src/stream/schema';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';

const ROOT = join(__dirname, '..', '..', '..');
const ok = { label: { field: 'critical', positive: [1] }, numeric: ['x'], categorical: ['c'] };

test('the shipped schemas and the generator schema parse, with defaults filled in', () => {
  const gen = loadSchema(join(ROOT, 'schemas', 'generator.json'));
  assert.deepEqual(gen, parseSchema(GENERATOR_SCHEMA));
  const seed = loadSchema(join(ROOT, 'schemas', 'seed-streams.json'));
  assert.deepEqual(seed.label, { field: 'severity', positive: [4, 5] });
  assert.equal(seed.oracle, 'oracle_p');
  assert.equal(seed.regime, 'regime');
  assert.equal(seed.text, 'message');
  const min = parseSchema(ok);
  assert.deepEqual(min.hashed, []);
  assert.deepEqual(min.log, []);
  assert.deepEqual(min.ignore, []);
  assert.equal(min.key, undefined);
  assert.equal(min.timestamp, 'timestamp');
  assert.equal(min.id, 'event_id');
});

const bad: Array<[string, unknown, RegExp]> = [
  ['not an object', [1], /must be a JSON object, got an array/],
  ['no label', { numeric: ['x'] }, /"label" is required/],
  ['both lists', { ...ok, label: { field: 'y', positive: [1], negative: [0] } }, /exactly one of "positive"/],
  ['neither list', { ...ok, label: { field: 'y' } }, /exactly one of "positive"/],
  ['empty positive', { ...ok, label: { field: 'y', positive: [] } }, /"label.positive" must be a non-empty array/],
  ['object label value', { ...ok, label: { field: 'y', positive: [{}] } }, /"label.positive"\[0\] must be/],
  ['label field not a string', { ...ok, label: { field: 3, positive: [1] } }, /"label.field" must be a non-empty string/],
  ['unknown label key', { ...ok, label: { field: 'y', positive: [1], posative: [2] } }, /unknown key "label.posative"/],
  ['typo key', { ...ok, catagorical: ['c'] }, /unknown schema key "catagorical"/],
  ['numeric not array', { ...ok, numeric: 'x' }, /"numeric" must be an array of field names/],
  ['numeric non-string', { ...ok, numeric: ['x', 3] }, /"numeric"\[1\] must be a non-empty string/],
  ['duplicate', { ...ok, numeric: ['x', 'x'] }, /lists "x" twice/],
  ['no features', { label: { field: 'y', positive: [1] } }, /names no feature/],
  ['numeric and categorical', { ...ok, categorical: ['x'] }, /"x" is both numeric and categorical/],
  ['log not numeric', { ...ok, log: ['c'] }, /"log" field "c" must also be listed in "numeric"/],
  ['label as feature', { ...ok, numeric: ['critical'] }, /label field "critical" cannot also be a feature/],
  ['oracle as feature', { ...ok, numeric: ['oracle_p'] }, /oracle field "oracle_p" cannot be a feature/],
  ['ignored feature', { ...ok, ignore: ['x'] }, /"x" is both ignored and numeric/],
  ['proto name', { ...ok, numeric: ['__proto__'] }, /"__proto__" cannot be a field name/],
  ['constructor label', { ...ok, label: { field: 'constructor', positive: [1] } }, /"constructor" cannot be a field name/],
  ['empty key', { ...ok, key: [] }, /"key" must list at least one field/],
  ['timestamp not string', { ...ok, timestamp: 5 }, /"timestamp" must be a non-empty string/],
];

for (const [name, obj, re] of bad) {
  test(`parseSchema rejects: ${name}`, () => {
    assert.throws(() => parseSchema(obj), (err: unknown) => err instanceof SchemaError && re.test((err as Error).message));
  });
}

test('loadSchema names the file on errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-schema-'));
  try {
    writeFileSync(join(dir, 'bad.json'), '{"label": ');
    assert.throws(() => loadSchema(join(dir, 'bad.json')), /schema .*bad\.json is not valid JSON/);
    writeFileSync(join(dir, 'typo.json'), '\uFEFF' + JSON.stringify({ ...ok, nmeric: [] }));
    assert.throws(() => loadSchema(join(dir, 'typo.json')), /typo\.json: unknown schema key "nmeric"/);
    assert.throws(() => loadSchema(join(dir, 'missing.json')), /cannot read schema/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a schema "key" field named nowhere else (a typo) is a schema error naming the field', () => {
  assert.throws(() => parseSchema({ ...ok, key: ['c', 'usr'] }), (err: unknown) => err instanceof SchemaError && /^"key" field "usr" is not named anywhere else in the schema \(a typo\?\)/.test(err.message));
  // Named as a feature, the timestamp/id/regime/text field, or in "ignore": fine.
  for (const extra of [{ key: ['c', 'x'] }, { key: ['event_id', 'timestamp', 'regime', 'message'] }, { key: ['host'], ignore: ['host'] }, { key: ['rid'], id: 'rid' }]) {
    assert.ok(parseSchema({ ...ok, ...extra }), JSON.stringify(extra));
  }
});

test('parseSchema returns a frozen schema: an edit throws instead of being ignored', () => {
  const s = parseSchema({ ...ok, key: ['c'] });
  assert.ok(Object.isFrozen(s) && Object.isFrozen(s.numeric) && Object.isFrozen(s.label) && Object.isFrozen(s.label.positive));
  assert.throws(() => (s.numeric as string[]).push('y'), TypeError);
});
