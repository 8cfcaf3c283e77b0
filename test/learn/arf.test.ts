/**
 * The adaptive random forest on SEA with an abrupt drift (θ 7 → 9.5 at event 20,000: a fifth of the
 * labels change): it recovers its pre-drift accuracy within 5,000 events, where a single Hoeffding
 * tree does not; checkpoints taken while background trees grow resume bit-identically.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import { AdaptiveRandomForest } from '../../src/learn/arf';
import { SEA_SCHEMA, prequentialHits, seaRows, windowAccuracy } from './sea';

const AT = 20_000;
// 10% label noise, as MOA's SEA generator: accuracy ≈ 0.9 at best before and after the drift.
const data = seaRows(AT + 5_000, 'arf-sea', AT, 7, 9.5, 0.1);

/** The first end t ∈ (AT + 1000, AT + 5000] of a 1,000-event window with accuracy ≥ target, or −1. */
function recovery(hits: Uint8Array, target: number): number {
  for (let t = AT + 1000; t <= AT + 5000; t += 100) if (windowAccuracy(hits, t - 1000, t) >= target) return t - AT;
  return -1;
}

test('arf: SEA with an abrupt drift, the pre-drift accuracy is back within 5,000 events (a plain Hoeffding tree: not)', async () => {
  const L = await createLearner({ schema: SEA_SCHEMA, model: 'arf', constraints: [], seed: 1 });
  const hits = prequentialHits(L, data.rows, data.labels);
  const pre = windowAccuracy(hits, AT - 2000, AT);
  const after = windowAccuracy(hits, AT, AT + 1000);
  // 0.01 ≈ one standard deviation of a 1,000-event accuracy near 0.9.
  const back = recovery(hits, pre - 0.01);
  assert.ok(pre > 0.85, `pre-drift accuracy ${pre}`);
  assert.ok(after < pre - 0.03, `the drift must hurt first (${pre} → ${after})`);
  assert.ok(back > 0, `pre-drift accuracy ${pre}, not recovered within 5,000 events`);
  const forest = (L as unknown as { model: AdaptiveRandomForest }).model;
  assert.ok(forest.detections.drifts > 0, 'no drift detected');

  const H = await createLearner({ schema: SEA_SCHEMA, model: 'hoeffding-tree', constraints: [], seed: 1 });
  const hh = prequentialHits(H, data.rows, data.labels);
  assert.equal(recovery(hh, windowAccuracy(hh, AT - 2000, AT) - 0.01), -1, 'the control tree recovered: the test cannot tell');
});

test('arf: a checkpoint taken while background trees grow resumes bit-identically', async () => {
  const make = () => createLearner({ schema: SEA_SCHEMA, model: 'arf', constraints: [], seed: 5, tree: { trees: 4 } });
  const d = seaRows(9000, 'arf-resume', 6000, 7, 9.5);
  const A = await make();
  const forest = (A as unknown as { model: AdaptiveRandomForest }).model;
  let at = -1;
  for (let i = 0; i < 8000 && at < 0; i++) {
    A.learnMany([d.rows[i]!], [d.labels[i]!]);
    if (i > 6000 && forest.backgrounds > 0) at = i + 1;
  }
  assert.ok(at > 0, 'no background tree grew after the drift');
  const saved = JSON.stringify(A.getState());
  assert.match(saved, /"background":\{/);
  const B = await make();
  B.setState(JSON.parse(saved));
  const ha = prequentialHits(A, d.rows.slice(at), d.labels.slice(at));
  const hb = prequentialHits(B, d.rows.slice(at), d.labels.slice(at));
  assert.deepEqual(Array.from(hb), Array.from(ha));
  assert.equal(JSON.stringify(B.getState()), JSON.stringify(A.getState()));
});

test('arf: tree options are checked, naming the option', async () => {
  await assert.rejects(createLearner({ schema: SEA_SCHEMA, model: 'arf', tree: { trees: 0 } }), /tree\.trees must be a positive integer/);
  await assert.rejects(createLearner({ schema: SEA_SCHEMA, model: 'arf', tree: { driftDelta: -1 } }), /tree\.driftDelta must be in \(0, 1\)/);
  await assert.rejects(createLearner({ schema: SEA_SCHEMA, model: 'arf', tree: { maxFeatures: 'half' as never } }), /tree\.maxFeatures/);
});

test('arf: leaf buffers freed by splits and dropped trees are reused, never while a live leaf still holds them', async () => {
  // Trees split, warnings replace background trees and drifts drop trees: every path that frees leaf buffers runs.
  const L = await createLearner({ schema: SEA_SCHEMA, model: 'arf', constraints: [], seed: 3, tree: { trees: 6 } });
  const d = seaRows(16_000, 'arf-pool', 8000, 7, 9.5, 0.1);
  const forest = (L as unknown as { model: AdaptiveRandomForest }).model;
  const members = (): { tree: { root: unknown }; background: { root: unknown } | null }[] => (forest as unknown as { members: never }).members;
  const seen = new Map<ArrayBufferLike, Set<number>>();
  let leaves = 0;
  const walk = (node: { leaf: boolean; stats?: Float64Array; children?: unknown[] } | null): void => {
    if (!node) return;
    if (!node.leaf) {
      for (const c of node.children!) walk(c as never);
      return;
    }
    const s = node.stats!;
    const offsets = seen.get(s.buffer) ?? new Set<number>();
    assert.ok(!offsets.has(s.byteOffset), 'two live leaves share one buffer');
    offsets.add(s.byteOffset);
    seen.set(s.buffer, offsets);
    leaves += 1;
  };
  for (let i = 0; i < d.rows.length; i++) {
    L.predictMany([d.rows[i]!]);
    L.learnMany([d.rows[i]!], [d.labels[i]!]);
    if (i % 500 === 499) {
      seen.clear();
      for (const m of members()) {
        walk(m.tree.root as never);
        walk((m.background?.root ?? null) as never);
      }
    }
  }
  assert.ok(forest.detections.warnings > 1 && forest.detections.drifts > 0, `warnings ${forest.detections.warnings}, drifts ${forest.detections.drifts}`);
  assert.ok(leaves > 6 * 32, `only ${leaves} leaves checked`);
});
