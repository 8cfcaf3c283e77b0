import { test } from 'node:test';
import assert from 'node:assert/strict';

test('TensorFlow.js 4 loaded first, then danfojs: no kernel re-registration, both compute, nothing printed', () => {
  const printed: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  console.log = console.warn = console.error = console.info = (...a: unknown[]) => { printed.push(a.map(String).join(' ')); };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
    tf.env().set('PROD', true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadDanfo, describe } = require('../../src/frame/frame') as typeof import('../../src/frame/frame');
    const dfd = loadDanfo();
    const dtf = (dfd as unknown as { tensorflow: { version_core: string; engine(): unknown } }).tensorflow;
    assert.notEqual(dtf.version_core, tf.version_core, 'danfo has its own tfjs');
    assert.notEqual(dtf.engine(), tf.engine(), 'and its own engine: its kernels did not overwrite tfjs 4\'s');
    assert.deepEqual(Array.from(tf.tensor([1, 2, 3]).mul(2).dataSync()), [2, 4, 6]);
    assert.equal(describe([{ a: 1 }, { a: 3 }], ['a'])[0].mean, 2);
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(printed, []);
});
