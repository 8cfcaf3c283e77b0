import { test } from 'node:test';
import assert from 'node:assert/strict';

test('danfojs loaded first, then TensorFlow.js 4: tfjs 4 builds its own engine, nothing printed', () => {
  const printed: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  console.log = console.warn = console.error = console.info = (...a: unknown[]) => { printed.push(a.map(String).join(' ')); };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadDanfo, valueCounts } = require('../../src/frame/frame') as typeof import('../../src/frame/frame');
    loadDanfo();
    assert.equal((globalThis as Record<string, unknown>)._tfengine, undefined, 'danfo left no global engine behind');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
    tf.env().set('PROD', true);
    assert.deepEqual(Array.from(tf.tensor([1, 2]).add(1).dataSync()), [2, 3]);
    assert.deepEqual(valueCounts([{ t: 'a' }, { t: 'b' }, { t: 'a' }], 't').map((c) => c.value), ['a', 'b']);
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(printed, []);
});
