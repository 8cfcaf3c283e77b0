import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLearner } from '../../../src/learn/create-learner';
import type { IncrementalLearner } from '../../../src/learn/incremental-learner';
import { saveModel } from '../../../src/learn/export/save-model';
import { loadModel } from '../../../src/learn/export/load-model';
import { layersModelArtifacts } from '../../../src/learn/export/layers-model';
import { modelFileHandler } from '../../../src/learn/export/model-file-handler';
import { loadTf } from '../../../src/learn/tfjs-engine';
import { generateEvents } from '../../../src/stream/generator';
import { GENERATOR_SCHEMA } from '../../../src/stream/default-schema';
import type { Row } from '../../../src/types';

/** A learner trained on 2,000 generated events, and 500 further events to score. */
async function trained(model: 'logistic' | 'mlp', hidden?: number[]): Promise<{ learner: IncrementalLearner; rows: Row[] }> {
  const events = generateEvents({ scenario: 'stationary', events: 2500, seed: 7 }) as unknown as Row[];
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, model, hidden, seed: 3 });
  for (let i = 0; i < 2000; i += 100) {
    const batch = events.slice(i, i + 100);
    learner.learnMany(batch, batch.map((e) => Number(e.critical)));
  }
  return { learner, rows: events.slice(2000) };
}

async function tfPredict(source: 'file' | 'memory', dir: string, X: Float64Array, n: number, dim: number): Promise<Float32Array> {
  const { tf } = await loadTf('cpu');
  let handler;
  if (source === 'file') handler = modelFileHandler(dir);
  else {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bin = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
    handler = tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    });
  }
  const m = await tf.loadLayersModel(handler);
  try {
    const out = tf.tidy(() => (m.predict(tf.tensor2d(Float32Array.from(X), [n, dim])) as import('@tensorflow/tfjs').Tensor).dataSync() as Float32Array);
    return Float32Array.from(out);
  } finally {
    m.dispose();
  }
}

for (const [model, hidden] of [['logistic', undefined], ['mlp', [16]], ['mlp', [12, 5]]] as const) {
  test(`tf.loadLayersModel on a saved ${model}${hidden ? ` [${hidden.join(',')}]` : ''} reproduces predictMany on encoded rows to 1e-6`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
    try {
      const { learner, rows } = await trained(model, hidden ? [...hidden] : undefined);
      const saved = saveModel(learner, dir);
      assert.deepEqual(saved.files, ['model.json', 'weights.bin', 'onthefly.json']);
      const expected = learner.predictMany(rows);
      // Not a constant model: the comparison would be empty otherwise.
      assert.ok(Math.max(...expected) - Math.min(...expected) > 0.3, 'predictions spread');
      const X = learner.features.encodeMany(rows);
      for (const source of ['file', 'memory'] as const) {
        const got = await tfPredict(source, dir, X, rows.length, learner.features.dim);
        assert.equal(got.length, rows.length);
        let worst = 0;
        for (let i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
        assert.ok(worst <= 1e-6, `${source}: max |tfjs − library| = ${worst}`);
      }
      // The columns the TensorFlow.js model takes are named in onthefly.json.
      assert.deepEqual(saved.model.columns, learner.features.columnNames());
      learner.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('loadModel restores a saved learner exactly: same predictions, same state, and it keeps learning the same way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
  try {
    const { learner, rows } = await trained('mlp', [8]);
    saveModel(learner, dir);
    const { learner: back, model } = await loadModel(dir, { schema: GENERATOR_SCHEMA });
    assert.equal(model.family, 'mlp');
    assert.deepEqual(Array.from(back.predictMany(rows)), Array.from(learner.predictMany(rows)));
    const labels = rows.map((r) => Number(r.critical));
    learner.learnMany(rows.slice(0, 200), labels.slice(0, 200));
    back.learnMany(rows.slice(0, 200), labels.slice(0, 200));
    assert.deepEqual(back.getState(), learner.getState());
    learner.dispose();
    back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('layersModelArtifacts maps the parameter layout to Keras kernel [in, out] and bias slices', () => {
  // dim 2, hidden [3]: W0 (2×3) row-major, b0 (3), W1 (3×1), b1 (1).
  const params = [1, 2, 3, 4, 5, 6, 0.5, 0.25, 0.125, 7, 8, 9, -1];
  const { modelJson, weights } = layersModelArtifacts({ dim: 2, hidden: [3], params });
  assert.deepEqual(modelJson.weightsManifest[0]!.weights.map((w) => [w.name, w.shape]), [
    ['dense_1/kernel', [2, 3]], ['dense_1/bias', [3]], ['dense_2/kernel', [3, 1]], ['dense_2/bias', [1]],
  ]);
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  assert.deepEqual(Array.from({ length: params.length }, (_, k) => view.getFloat32(k * 4, true)), params);
  const layers = (modelJson.modelTopology.config as { layers: { config: { activation: string; units: number } }[] }).layers;
  assert.deepEqual(layers.map((l) => [l.config.units, l.config.activation]), [[3, 'tanh'], [1, 'sigmoid']]);
  assert.throws(() => layersModelArtifacts({ dim: 2, hidden: [3], params: params.slice(1) }), /12 parameters, but layers 2 → 3 → 1 need 13/);
  assert.throws(() => layersModelArtifacts({ dim: 2, hidden: [], params: [1, Number.NaN, 0] }), /parameter 1 is not finite/);
});

test('an untrained model (the class prior, not its network) exports as that constant: 0 before any label, the prior after', async () => {
  const events = generateEvents({ events: 300, seed: 2 }) as unknown as Row[];
  for (const [model, counts] of [['logistic', null], ['mlp', null], ['mlp', [3, 1]], ['logistic', [0, 5]]] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
    try {
      const learner = await createLearner({ schema: GENERATOR_SCHEMA, model, seed: 1 });
      if (counts) learner.setState({ ...learner.getState(), classCounts: [...counts] });
      const expected = learner.predictMany(events);
      assert.equal(expected[0], counts ? counts[1] / (counts[0] + counts[1]) : 0);
      saveModel(learner, dir);
      const got = await tfPredict('file', dir, learner.features.encodeMany(events), events.length, learner.features.dim);
      let worst = 0;
      for (let i = 0; i < events.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
      assert.ok(worst <= 1e-6, `${model} ${JSON.stringify(counts)}: max |tfjs − library| = ${worst}`);
      learner.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
