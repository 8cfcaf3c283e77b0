import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayBuffer } from '../../src/learn/replay-buffer';
import { Rng } from '../../src/learn/rng';
import { createLearner } from '../../src/learn/create-learner';
import type { LearnerState } from '../../src/learn/incremental-learner';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

test('replay buffer: class-stratified reservoir keeps the rare class, samples with the stream prior, deterministic', () => {
  const make = () => {
    const rng = new Rng('replay');
    const buf = new ReplayBuffer(100);
    for (let i = 0; i < 2000; i++) buf.add({ i }, i % 100 === 0 ? 1 : 0, rng);
    return { buf, rng };
  };
  const { buf, rng } = make();
  const st = buf.getState();
  assert.equal(st.rows[1].length, 20); // all 20 positives kept
  assert.equal(st.rows[0].length, 50); // half the capacity for negatives
  assert.deepEqual(st.seen, [1980, 20]);
  // Uniform reservoir: negatives come from the whole stream, not only the start.
  assert.ok(st.rows[0].some((r) => (r.i as number) > 1000));
  const s = buf.sample(4000, rng);
  const share = s.labels.reduce((a, b) => a + b, 0) / s.labels.length;
  assert.ok(Math.abs(share - 0.01) < 0.01, `positive share ${share}`);
  const a = make();
  const b = make();
  assert.deepEqual(a.buf.getState(), st);
  assert.deepEqual(a.buf.sample(50, a.rng), b.buf.sample(50, b.rng));
  // The stored rows are copies.
  const row = { a: 1 };
  const b2 = new ReplayBuffer(4);
  b2.add(row, 1, new Rng(1));
  row.a = 2;
  assert.equal(b2.getState().rows[1][0]!.a, 1);
});

test('replay adds replayed rows to each step', async () => {
  const { rows, labels } = syntheticRows(200, 'r');
  const L = await createLearner({ schema: SMALL_SCHEMA, model: 'logistic', replay: 2, constraints: [] });
  assert.equal(L.learnMany(rows.slice(0, 10), labels.slice(0, 10)).rows, 10); // buffer empty
  assert.equal(L.learnMany(rows.slice(10, 20), labels.slice(10, 20)).rows, 30);
  const st = L.getState() as LearnerState;
  assert.equal(st.replay!.seen[0] + st.replay!.seen[1], 20);
});

test('consolidation: anchor refreshed every anchorEvery rows; a strong EWC/L2 penalty keeps the weights near it', async () => {
  const first = syntheticRows(400, 'phase1');
  // Phase 2: the label flips sign (a regime change).
  const second = syntheticRows(400, 'phase2');
  const flipped = second.labels.map((y) => 1 - y);
  async function drift(consolidation: number, kind: 'ewc' | 'l2') {
    const L = await createLearner({ schema: SMALL_SCHEMA, model: 'logistic', constraints: [], consolidation, consolidationKind: kind, anchorEvery: 400 });
    for (let i = 0; i < 400; i += 20) L.learnMany(first.rows.slice(i, i + 20), first.labels.slice(i, i + 20));
    const s1 = L.getState() as LearnerState;
    if (consolidation > 0) {
      assert.ok(s1.consolidation.anchor, 'anchor set after anchorEvery rows');
      assert.deepEqual(s1.consolidation.anchor, s1.params);
      if (kind === 'ewc') assert.ok(s1.consolidation.fisher!.every((f) => f >= 0) && s1.consolidation.fisher!.some((f) => f > 0));
      else assert.equal(s1.consolidation.fisher, null);
    }
    for (let i = 0; i < 380; i += 20) L.learnMany(second.rows.slice(i, i + 20), flipped.slice(i, i + 20));
    const s2 = L.getState() as LearnerState;
    let d = 0;
    for (let k = 0; k < s1.params.length; k++) d += (s2.params[k]! - s1.params[k]!) ** 2;
    return Math.sqrt(d);
  }
  const free = await drift(0, 'ewc');
  const ewc = await drift(50, 'ewc');
  const l2 = await drift(50, 'l2');
  assert.ok(ewc < 0.7 * free, `EWC drift ${ewc} vs free ${free}`);
  assert.ok(l2 < 0.7 * free, `L2 drift ${l2} vs free ${free}`);
});
