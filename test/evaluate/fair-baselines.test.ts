/**
 * Fair baselines: the majority and no-change baselines see only the labels the learner had been
 * given when each event was predicted (the run's own batch and label delay), against plain
 * references; and `evaluate` on the audit log reproduces them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrequentialCollector } from '../../src/evaluate/collector';
import { evaluateAudit, readAudit } from '../../src/evaluate/audit';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { Rng } from '../../src/learn/rng';

function accuracyF1(y: number[], pred: number[]): { accuracy: number; f1: number } {
  let tp = 0, fp = 0, fn = 0, ok = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === pred[i]) ok++;
    if (pred[i] === 1 && y[i] === 1) tp++;
    if (pred[i] === 1 && y[i] === 0) fp++;
    if (pred[i] === 0 && y[i] === 1) fn++;
  }
  return { accuracy: ok / y.length, f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn) };
}

/** From the definition: at event i, the labels of the first learned[i] novel events. */
function reference(y: number[], dup: boolean[], learned: number[]): { majority: number[]; noChange: number[] } {
  const novelLabels: number[] = [];
  const majority: number[] = [];
  const noChange: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const avail = novelLabels.slice(0, learned[i]);
    const ones = avail.filter((l) => l === 1).length;
    majority.push(ones > avail.length - ones ? 1 : 0);
    noChange.push(avail.length > 0 ? avail[avail.length - 1]! : 0);
    if (!dup[i]) novelLabels.push(y[i]!);
  }
  return { majority, noChange };
}

test('collector baselines = plain reference for random label availability (duplicates, batches, delays), with a checkpoint midway', () => {
  const rng = new Rng('fair');
  const N = 3000;
  const y: number[] = [];
  const dup: boolean[] = [];
  const learned: number[] = [];
  let novel = 0;
  let given = 0;
  for (let i = 0; i < N; i++) {
    // Drifting labels; ~20% duplicates; the learner catches up in random jumps, never past the novel events scored.
    y.push(rng.next() < (i < 1500 ? 0.3 : 0.7) ? 1 : 0);
    dup.push(rng.next() < 0.2);
    if (rng.next() < 0.05) given = novel;
    else if (rng.next() < 0.1) given = Math.min(novel, given + rng.int(20));
    learned.push(given);
    if (!dup[i]) novel++;
  }
  let c = new PrequentialCollector({ window: 100 });
  for (let i = 0; i < N; i++) {
    if (i === 1777) {
      const copy = new PrequentialCollector({ window: 100 });
      copy.setState(JSON.parse(JSON.stringify(c.getState())));
      c = copy;
    }
    c.update({ label: y[i] as 0 | 1, p: 0.5, pred: 0, oracle: null, regime: null, violation: false, duplicate: dup[i]!, learned: learned[i]! });
  }
  const want = reference(y, dup, learned);
  const s = c.summary();
  assert.deepEqual(s.baselines.majority, accuracyF1(y, want.majority));
  assert.deepEqual(s.baselines.noChange, accuracyF1(y, want.noChange));
  // Without `learned`, every earlier event's label is available (the previous behaviour).
  const old = new PrequentialCollector();
  for (let i = 0; i < N; i++) old.update({ label: y[i] as 0 | 1, p: 0.5, pred: 0, oracle: null, regime: null, violation: false, duplicate: dup[i]! });
  const prev = y.map((_, i) => (i > 0 ? y[i - 1]! : 0));
  assert.deepEqual(old.summary().baselines.noChange, accuracyF1(y, prev));
  assert.notDeepEqual(s.baselines.noChange, old.summary().baselines.noChange);
});

for (const [batch, labelDelay] of [[256, 0], [256, 300], [1, 0], [1, 5], [50, 120]] as const) {
  test(`run baselines use the labels available to the learner: batch ${batch}, label delay ${labelDelay} (plain reference; evaluate on the audit agrees)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otf-fair-'));
    try {
      const audit = join(dir, 'audit.jsonl');
      const r = await runExperiment({ scenario: 'abrupt', events: 3000, seed: 4, batch, labelDelay, dedup: false, audit });
      const y: number[] = [];
      const logged: number[] = [];
      for await (const a of readAudit(audit)) {
        y.push(a.label);
        logged.push(a.learned!);
      }
      // The reference's availability from the pipeline's definition (no dedup, no rejects): event i
      // (1-based) is predicted in flush k = ⌈i/B⌉ at consumed = (k−1)·B; after each flush the labels
      // of events ≤ consumed − delay are learned in whole batches of B.
      const learned = y.map((_, i) => {
        const k = Math.ceil((i + 1) / batch);
        const before = (k - 1) * batch - labelDelay;
        return before <= 0 ? 0 : Math.floor(before / batch) * batch;
      });
      assert.deepEqual(logged, learned);
      const want = reference(y, y.map(() => false), learned);
      assert.deepEqual(r.baselines.majority, accuracyF1(y, want.majority));
      assert.deepEqual(r.baselines.noChange, accuracyF1(y, want.noChange));
      assert.deepEqual((await evaluateAudit(audit, { window: 1000 })).baselines, r.baselines);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
