/**
 * The Hoeffding adaptive tree on SEA with an abrupt drift: its nodes' ADWIN monitors start alternate
 * subtrees and swap one in, and after the drift it is clearly more accurate than the plain Hoeffding
 * tree on the same events; checkpoints taken while alternates grow resume bit-identically.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import type { HoeffdingAdaptiveTree } from '../../src/learn/hat';
import { SEA_SCHEMA, prequentialHits, seaRows, windowAccuracy } from './sea';

const AT = 20_000;

test('hat: alternates replace the outdated subtree after an abrupt drift; more accurate than the plain tree after it', async () => {
  const data = seaRows(AT + 10_000, 'hat-sea', AT, 7, 9.5);
  const L = await createLearner({ schema: SEA_SCHEMA, model: 'hat', constraints: [], seed: 1 });
  const hits = prequentialHits(L, data.rows, data.labels);
  const alt = (L as unknown as { model: HoeffdingAdaptiveTree }).model.alternates;
  assert.ok(alt.started > 0 && alt.swapped > 0, JSON.stringify(alt));
  const H = await createLearner({ schema: SEA_SCHEMA, model: 'hoeffding-tree', constraints: [], seed: 1 });
  const hh = prequentialHits(H, data.rows, data.labels);
  const hat = windowAccuracy(hits, AT + 2000, AT + 10_000);
  const ht = windowAccuracy(hh, AT + 2000, AT + 10_000);
  assert.ok(hat > ht + 0.05, `after the drift: hat ${hat}, hoeffding tree ${ht}`);
  // Before the drift, both are good.
  assert.ok(windowAccuracy(hits, AT - 2000, AT) > 0.95);
});

test('hat: a checkpoint taken while alternates grow resumes bit-identically', async () => {
  const make = () => createLearner({ schema: SEA_SCHEMA, model: 'hat', constraints: [], seed: 9 });
  const d = seaRows(16_000, 'hat-resume', 10_000, 7, 9.5);
  const A = await make();
  const tree = (A as unknown as { model: HoeffdingAdaptiveTree }).model;
  let at = -1;
  const rows = d.rows;
  for (let i = 0; i < 14_000; i++) {
    A.learnMany([rows[i]!], [d.labels[i]!]);
    if (i > 10_000 && tree.alternates.started > 0 && JSON.stringify(A.getState()).includes('"alt":{')) {
      at = i + 1;
      break;
    }
  }
  assert.ok(at > 0, 'no alternate grew');
  const B = await make();
  B.setState(JSON.parse(JSON.stringify(A.getState())));
  const ha = prequentialHits(A, rows.slice(at), d.labels.slice(at));
  const hb = prequentialHits(B, rows.slice(at), d.labels.slice(at));
  assert.deepEqual(Array.from(hb), Array.from(ha));
  assert.equal(JSON.stringify(B.getState()), JSON.stringify(A.getState()));
});
