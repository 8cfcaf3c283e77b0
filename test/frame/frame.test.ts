import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDanfo, toFrame, frameRows, describe, valueCounts } from '../../src/frame/frame';

test('danfojs loads without touching the global TensorFlow.js engine and without console output', () => {
  const g = globalThis as Record<string, unknown>;
  const marker = { marker: true };
  const hadEngine = '_tfengine' in g;
  const before = g._tfengine;
  g._tfengine = marker;
  const printed: unknown[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  console.log = console.warn = console.error = console.info = (...a: unknown[]) => { printed.push(a); };
  try {
    loadDanfo();
    const df = toFrame([{ a: 1 }, { a: 2 }]);
    assert.deepEqual(df.shape, [2, 1]);
  } finally {
    Object.assign(console, saved);
    assert.equal(g._tfengine, marker, 'global tfjs engine restored');
    if (hadEngine) g._tfengine = before; else delete g._tfengine;
  }
  assert.deepEqual(printed, []);
});

test('rows round-trip, describe and value counts', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ t: i < 6 ? 'a' : '<b>', x: i, nested: { i } }));
  const back = frameRows(toFrame(rows, ['t', 'x']));
  assert.deepEqual(back[3], { t: 'a', x: 3 });
  const d = describe(rows, ['x']);
  assert.equal(d.length, 1);
  assert.equal(d[0].field, 'x');
  assert.equal(d[0].count, 10);
  assert.equal(d[0].mean, 4.5);
  assert.equal(d[0].min, 0);
  assert.equal(d[0].max, 9);
  assert.deepEqual(valueCounts(rows, 't'), [{ value: 'a', count: 6, share: 0.6 }, { value: '<b>', count: 4, share: 0.4 }]);
});
