import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLearner } from '../../../src/learn/create-learner';
import { saveModel } from '../../../src/learn/export/save-model';
import { loadModel, readSavedModel } from '../../../src/learn/export/load-model';
import { runExperiment } from '../../../src/evaluate/run-experiment';
import { ModelError, schemaMismatch } from '../../../src/learn/export/saved-model';
import { GENERATOR_SCHEMA } from '../../../src/stream/default-schema';
import { generateEvents } from '../../../src/stream/generator';
import type { Row } from '../../../src/types';
import { SMALL_SCHEMA } from '../helpers';

test('schemaMismatch: label and feature fields must match; reading fields (id, timestamp, key) may differ', () => {
  assert.equal(schemaMismatch(GENERATOR_SCHEMA, { ...GENERATOR_SCHEMA, id: 'other', key: ['user'], timestamp: 'ts' }), null);
  assert.equal(schemaMismatch({ ...GENERATOR_SCHEMA, log: undefined }, { ...GENERATOR_SCHEMA, log: [] }), null);
  assert.match(schemaMismatch(GENERATOR_SCHEMA, { ...GENERATOR_SCHEMA, numeric: GENERATOR_SCHEMA.numeric.slice(1) }) ?? '', /^schema field "numeric" differs/);
  assert.match(schemaMismatch(GENERATOR_SCHEMA, { ...GENERATOR_SCHEMA, label: { field: 'critical', positive: [1] } }) ?? '', /^schema field "label" differs/);
  assert.match(schemaMismatch(GENERATOR_SCHEMA, { ...GENERATOR_SCHEMA, hashed: [] }) ?? '', /^schema field "hashed" differs/);
});

test('a model trained with non-default constraints loads only with them; the schema is checked when given', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
  try {
    const learner = await createLearner({ schema: GENERATOR_SCHEMA, constraints: [] });
    const rows = generateEvents({ events: 300, seed: 4 }) as unknown as Row[];
    learner.learnMany(rows, rows.map((r) => Number(r.critical)));
    saveModel(learner, dir);
    await assert.rejects(loadModel(dir), (e: unknown) => e instanceof ModelError && /trained with other constraints \(none\); pass them to loadModel/.test(e.message));
    const { learner: back } = await loadModel(dir, { constraints: [] });
    assert.deepEqual(Array.from(back.predictMany(rows)), Array.from(learner.predictMany(rows)));
    await assert.rejects(loadModel(dir, { constraints: [], schema: SMALL_SCHEMA }), (e: unknown) => e instanceof ModelError && /does not fit this input's schema: schema field "label" differs/.test(e.message));
    back.dispose();
    learner.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('saving a family without a TensorFlow.js form removes the model.json of an earlier save', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
  try {
    const learner = await createLearner({ schema: SMALL_SCHEMA, model: 'logistic' });
    saveModel(learner, dir);
    assert.ok(existsSync(join(dir, 'model.json')));
    // A learner whose state has no dense network (as a tree or naive Bayes learner's).
    const other = Object.assign(Object.create(learner) as typeof learner, { getState: () => ({ format: 'some-tree', nodes: [] }) });
    const saved = saveModel(other, dir);
    assert.deepEqual(saved.files, ['onthefly.json']);
    assert.equal(saved.model.tfjs, null);
    assert.equal(existsSync(join(dir, 'model.json')) || existsSync(join(dir, 'weights.bin')), false);
    learner.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runExperiment with saveModel: a run stopped by its signal saves the model as it stands at the stop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
  try {
    const stop = new AbortController();
    const r = await runExperiment({ events: 8000, batch: 256, learner: { model: 'logistic' }, saveModel: dir, signal: stop.signal, onStep: (s) => { if (s.version === 2) stop.abort(); } });
    assert.equal(r.stopped, true);
    const steps = (readSavedModel(dir).state as { steps: number }).steps;
    assert.ok(steps >= 2 && steps < 8000 / 256 - 1, `steps ${steps}`);
    const full = mkdtempSync(join(tmpdir(), 'otf-model-'));
    try {
      await runExperiment({ events: 8000, batch: 256, learner: { model: 'logistic' }, saveModel: full });
      assert.ok((readSavedModel(full).state as { steps: number }).steps > steps);
    } finally {
      rmSync(full, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every family round-trips through onthefly.json (trees and naive Bayes have no TensorFlow.js form)', async () => {
  const events = generateEvents({ events: 600, seed: 3 }) as unknown as Row[];
  for (const model of ['naive-bayes', 'hoeffding-tree', 'hat', 'arf'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'otf-model-'));
    try {
      const learner = await createLearner({ schema: GENERATOR_SCHEMA, model });
      learner.learnMany(events.slice(0, 500), events.slice(0, 500).map((e) => Number(e.critical)));
      const saved = saveModel(learner, dir);
      assert.deepEqual(saved.files, ['onthefly.json'], model);
      assert.equal(saved.model.family, model);
      const { learner: back } = await loadModel(dir, { schema: GENERATOR_SCHEMA });
      assert.deepEqual(Array.from(back.predictMany(events.slice(500))), Array.from(learner.predictMany(events.slice(500))), model);
      back.dispose();
      learner.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
