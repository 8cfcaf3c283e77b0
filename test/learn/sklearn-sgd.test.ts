/**
 * Our SGD at batch 1 against scikit-learn's SGDClassifier(loss='log_loss', learning_rate='constant',
 * penalty=None) fed the very rows our learner encoded (so feature standardisation is out of the
 * comparison): with the same constant step the predicted probabilities agree on every event.
 * Runs /usr/bin/python3; skipped (with the reason) only when it lacks scikit-learn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLearner } from '../../src/learn/create-learner';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

const PY = '/usr/bin/python3';
const probe = spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : `${PY} cannot import sklearn (install python3-sklearn): ${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()}`;

const SCRIPT = `
import json, sys
import numpy as np
from sklearn.linear_model import SGDClassifier
d = json.load(open(sys.argv[1]))
clf = SGDClassifier(loss='log_loss', learning_rate='constant', eta0=d['eta'], penalty=None, alpha=0.0001, shuffle=False, random_state=0)
out = []
for i, y in enumerate(d['y']):
    if i > 0:
        out.append(float(clf.predict_proba(np.asarray([d['Xp'][i]], dtype=np.float64))[0, 1]))
    clf.partial_fit(np.asarray([d['Xl'][i]], dtype=np.float64), [y], classes=[0, 1])
print(json.dumps(out))
`;

for (const eta of [0.05, 0.5]) {
  test(`sgd constant ${eta} at batch 1 = scikit-learn SGDClassifier (predicted probabilities)`, { skip }, async () => {
    const { rows, labels } = syntheticRows(400, `sk-${eta}`);
    const learner = await createLearner({
      schema: SMALL_SCHEMA, optimizer: 'sgd', learningRate: eta, lrSchedule: 'constant', batchScaling: 'none',
      classWeight: 'none', constraints: [], lambda: 0, replay: 0, consolidation: 0,
    });
    const ours: number[] = [];
    const Xp: number[][] = [];
    const Xl: number[][] = [];
    for (let i = 0; i < rows.length; i++) {
      const p = learner.predictMany([rows[i]!])[0]!;
      if (i > 0) ours.push(p);
      Xp.push(Array.from(learner.features.encodeMany([rows[i]!])));
      learner.learnMany([rows[i]!], [labels[i]!]);
      // The statistics change only in learnMany's update, before the step: this is the encoding the step used.
      Xl.push(Array.from(learner.features.encodeMany([rows[i]!])));
    }
    learner.dispose();
    const dir = mkdtempSync(join(tmpdir(), 'otf-sk-'));
    try {
      const file = join(dir, 'data.json');
      writeFileSync(file, JSON.stringify({ eta, y: labels, Xp, Xl }));
      const theirs = JSON.parse(execFileSync(PY, ['-c', SCRIPT, file], { encoding: 'utf8' })) as number[];
      assert.equal(theirs.length, ours.length);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
      assert.ok(worst < 1e-4, `max |p − p_sklearn| = ${worst}`);
      // Not trivially equal: the model moved away from its start.
      assert.ok(ours.some((p) => Math.abs(p - ours[0]!) > 0.1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
