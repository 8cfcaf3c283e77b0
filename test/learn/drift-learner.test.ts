/**
 * The drift wrapper (`drift` option, DriftLearner): the policy on warnings and drifts, its seeds, its
 * state round trip with a background learner and the detectors' windows, and its option checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner, createLearnerSync, resolveLearnerOptions } from '../../src/learn/create-learner';
import { DriftLearner, driftSeed } from '../../src/learn/drift-learner';
import type { Learner, LearnerOptions } from '../../src/learn/learner';
import { OptionError } from '../../src/options/option-error';
import { CustomConstraint } from '../../src/constraints/custom';
import { SMALL_SCHEMA, syntheticRows } from './helpers';
import type { Row } from '../../src/types';

/** Rows whose concept flips at `at`: the labels are reversed from there on. */
function flipped(n: number, at: number, seed = 'flip'): { rows: Row[]; labels: number[] } {
  const d = syntheticRows(n, seed);
  return { rows: d.rows, labels: d.labels.map((y, i) => (i >= at ? 1 - y : y)) };
}

function feed(L: Learner, d: { rows: Row[]; labels: number[] }, batch: number, from = 0, to = d.rows.length): void {
  for (let i = from; i < to; i += batch) L.learnMany(d.rows.slice(i, Math.min(i + batch, to)), d.labels.slice(i, Math.min(i + batch, to)));
}

const make = (o: Omit<LearnerOptions, 'schema'>) => createLearnerSync({ schema: SMALL_SCHEMA, seed: 3, constraints: [], ...o }) as DriftLearner;
const probe = syntheticRows(30, 'probe', 1e6).rows;

test('drift: before any warning or drift the wrapper predicts exactly as the plain learner', () => {
  const d = syntheticRows(600, 'plain');
  for (const model of ['logistic', 'mlp', 'naive-bayes', 'hoeffding-tree'] as const) {
    const plain = createLearnerSync({ schema: SMALL_SCHEMA, seed: 3, constraints: [], model, hidden: [4] });
    const wrapped = make({ model, hidden: [4], drift: 'adwin' });
    assert.ok(wrapped instanceof DriftLearner);
    for (let i = 0; i < d.rows.length; i += 20) {
      const rows = d.rows.slice(i, i + 20);
      assert.deepEqual(Array.from(wrapped.predictMany(rows)), Array.from(plain.predictMany(rows)), `${model} at ${i}`);
      const a = plain.learnMany(rows, d.labels.slice(i, i + 20));
      const b = wrapped.learnMany(rows, d.labels.slice(i, i + 20));
      assert.equal(b.loss, a.loss);
    }
    assert.deepEqual(wrapped.report(), { detector: 'adwin', detections: [], warnings: [] }, model);
    assert.equal(wrapped.backend, plain.backend);
  }
});

test('drift adwin at its defaults: labels reversed at 2,000 → detected within 100 labels; the error falling before is no drift', () => {
  const d = flipped(4000, 2000);
  const L = make({ drift: 'adwin' });
  feed(L, d, 1);
  const r = L.report();
  assert.ok(r.detections.length >= 1 && r.detections[0]! > 2000 && r.detections[0]! <= 2100, JSON.stringify(r));
  assert.ok([...r.detections, ...r.warnings].every((x) => x > 2000), JSON.stringify(r));
});

test('drift adwin: labels reversed → a warning starts a background learner, the drift swaps it in', () => {
  // A warning ADWIN much looser than the drift one, so that the warning comes a clock period earlier.
  const d = flipped(3000, 1500, 'rt-adwin');
  const L = make({ drift: 'adwin', driftOptions: { delta: 0.0001, warningDelta: 0.05 } });
  let background: Learner | null = null;
  let swapped = false;
  for (let i = 0; i < d.rows.length; i++) {
    const fg = L.foreground;
    L.learnMany([d.rows[i]!], [d.labels[i]!]);
    for (const e of L.lastEvents()) {
      assert.equal(e.row, 0);
      if (e.event === 'warning') {
        assert.notEqual(L.background, null);
        background = L.background;
      } else {
        assert.notEqual(L.foreground, fg, 'the foreground was replaced');
        if (background !== null && L.foreground === background) swapped = true;
        assert.equal(L.background, null);
        background = null;
      }
    }
  }
  const r = L.report();
  assert.ok(r.detections.length >= 1, JSON.stringify(r));
  const first = r.detections[0]!;
  assert.ok(first > 1500 && first <= 1800, `first detection at label ${first}`);
  assert.ok(r.warnings.some((w) => w > 1500 && w < first), `a warning came first: ${JSON.stringify(r)}`);
  assert.ok(swapped, 'the background learner became the foreground');
  // Only a rising error is a change: no detection while the error falls (the first 2,000 labels).
  assert.ok(r.detections.every((x) => x > 1500) && r.warnings.every((x) => x > 1500), JSON.stringify(r));
  // After the swap the learner follows the new concept.
  const tail = flipped(3400, 1500, 'rt-adwin');
  let wrong = 0;
  const p = L.predictMany(tail.rows.slice(3000));
  p.forEach((q, i) => { if ((q >= 0.5 ? 1 : 0) !== tail.labels[3000 + i]) wrong++; });
  assert.ok(wrong / 400 < 0.4, `error ${wrong / 400} on the new concept`);
});

test('drift page-hinkley: no warning zone, so a fresh learner (seeded "<seed>/drift-1") replaces the foreground', () => {
  const d = flipped(3000, 1500);
  const L = make({ drift: 'page-hinkley' });
  const before = L.foreground;
  feed(L, d, 1);
  const r = L.report();
  assert.deepEqual(r.warnings, []);
  assert.ok(r.detections.length >= 1 && r.detections[0]! > 1500 && r.detections[0]! <= 1800, JSON.stringify(r));
  assert.notEqual(L.foreground, before);
  assert.equal(L.foreground.options.seed, driftSeed(3, r.detections.length));
  assert.equal(driftSeed(3, 1), '3/drift-1');
  assert.equal(driftSeed('x', 0), 'x');
});

test('drift ddm: a warning zone starts a background learner; a drift swaps it in', () => {
  const d = flipped(4000, 2000);
  const L = make({ drift: 'ddm', model: 'naive-bayes' });
  let sawBackground = false;
  for (let i = 0; i < d.rows.length; i += 4) {
    L.learnMany(d.rows.slice(i, i + 4), d.labels.slice(i, i + 4));
    if (L.background !== null) sawBackground = true;
  }
  const r = L.report();
  assert.ok(sawBackground);
  const drift = r.detections.find((x) => x > 2000);
  assert.ok(drift !== undefined && drift <= 3000, JSON.stringify(r));
  assert.ok(r.warnings.some((w) => w > 2000 && w <= drift), JSON.stringify(r));
});

test('drift: batches — events are reported by their row in the batch, and rows after a drift are not fed', () => {
  const d = flipped(4000, 2000);
  const L = make({ drift: 'adwin' });
  const ordinals: number[] = [];
  for (let i = 0; i < d.rows.length; i += 64) {
    L.learnMany(d.rows.slice(i, i + 64), d.labels.slice(i, i + 64));
    const events = L.lastEvents();
    const drifts = events.filter((e) => e.event === 'drift');
    assert.ok(drifts.length <= 1);
    if (drifts.length === 1) assert.equal(events[events.length - 1]!.event, 'drift', 'nothing after a drift in its batch');
    for (const e of events) if (e.event === 'drift') ordinals.push(i + e.row + 1);
  }
  assert.deepEqual(L.report().detections, ordinals);
  assert.ok(ordinals.length >= 1);
});

test('drift: getState → JSON → setState round-trips foreground, background and detectors bit for bit, at every batch', async () => {
  for (const drift of ['adwin', 'page-hinkley', 'ddm'] as const) {
    for (const model of ['logistic', 'hoeffding-tree'] as const) {
      const d = flipped(3000, 1500, `rt-${drift}`);
      const opts: Omit<LearnerOptions, 'schema'> = { drift, model, ...(drift === 'adwin' ? { driftOptions: { delta: 0.0001, warningDelta: 0.05 } } : {}) };
      const A = make(opts);
      let withBackground = 0;
      // Every 150 rows, and every 10 rows over the 200 after the change (where warnings and drifts come).
      for (let i = 0, j = 150; i < d.rows.length; i = j, j = i >= 1500 && i < 1700 ? i + 10 : i + 150) {
        feed(A, d, 10, i, j);
        const saved = JSON.parse(JSON.stringify(A.getState()));
        if (saved.background !== null) withBackground++;
        const B = make(opts);
        B.setState(saved);
        assert.deepEqual(Array.from(B.predictMany(probe)), Array.from(A.predictMany(probe)));
        // Continue both over the next 40 rows: identical predictions, events and states.
        const C = make(opts);
        C.setState(JSON.parse(JSON.stringify(A.getState())));
        const a2 = make(opts);
        a2.setState(JSON.parse(JSON.stringify(A.getState())));
        feed(a2, d, 10, j, j + 40);
        feed(C, d, 10, j, j + 40);
        assert.equal(JSON.stringify(C.getState()), JSON.stringify(a2.getState()));
        assert.deepEqual(Array.from(C.predictMany(probe)), Array.from(a2.predictMany(probe)));
      }
      const r = A.report();
      assert.ok(r.detections.length >= 1, `${drift}/${model}: ${JSON.stringify(r)}`);
      if (drift !== 'page-hinkley') assert.ok(withBackground >= 1, `${drift}/${model}: a state held a background learner`);
    }
  }
});

test('drift: setState checks the whole state first and leaves the learner as it was on a bad one', () => {
  const d = flipped(2400, 1200);
  const A = make({ drift: 'adwin' });
  feed(A, d, 8);
  const good = JSON.parse(JSON.stringify(A.getState()));
  const p0 = Array.from(A.predictMany(probe));
  const bad = (patch: (s: Record<string, any>) => void, option: RegExp) => {
    const s = JSON.parse(JSON.stringify(good));
    patch(s);
    assert.throws(() => A.setState(s), (err: unknown) => err instanceof OptionError && option.test(err.option));
    assert.deepEqual(Array.from(A.predictMany(probe)), p0);
    assert.equal(JSON.stringify(A.getState()), JSON.stringify(good));
  };
  bad((s) => { s.detector = 'ddm'; }, /^state$/);
  bad((s) => { s.model = 'logistic'; }, /^state$/);
  bad((s) => { s.detectors.drift = { nonsense: true }; }, /^state\.detectors$/);
  bad((s) => { s.detectors.warning = null; }, /^state\.detectors\.warning$/);
  bad((s) => { s.foreground.params = [1, 2]; }, /^state/);
  bad((s) => { s.detections = [5, 3]; }, /^state\.detections$/);
  bad((s) => { s.created = 0; }, /^state\.created$/);
  bad((s) => { s.history = [[['s0', 3]]]; }, /^state\.history/);
  A.setState(good);
  assert.deepEqual(Array.from(A.predictMany(probe)), p0);
});

test('drift: a batch with NaN is refused before any learner or detector sees it', () => {
  const d = flipped(400, 200);
  const A = make({ drift: 'ddm' });
  feed(A, d, 10, 0, 300);
  const s0 = JSON.stringify({ ...A.getState(), skippedBatches: 0 });
  const rows = d.rows.slice(300, 310).map((r, i) => (i === 2 ? { ...r, a: Number.NaN } : r));
  const step = A.learnMany(rows, d.labels.slice(300, 310));
  assert.equal(step.skipped, true);
  assert.equal(A.skippedBatches, 1);
  assert.deepEqual(A.lastEvents(), []);
  assert.equal(JSON.stringify({ ...A.getState(), skippedBatches: 0 }), s0);
});

test('drift: option checks name the option (unknown detector, a model that cannot use it, bad detector options)', async () => {
  const cases: [Omit<LearnerOptions, 'schema'>, string, RegExp][] = [
    [{ drift: 'kswin' as never }, 'drift', /^drift must be one of none, adwin, page-hinkley, ddm, got "kswin"$/],
    [{ drift: 'adwin', model: 'arf' }, 'drift', /drift "adwin" cannot be used with model "arf" \(it has its own drift detectors/],
    [{ drift: 'ddm', model: 'hat' }, 'drift', /drift "ddm" cannot be used with model "hat"/],
    [{ drift: 'adwin', model: 'auto' }, 'drift', /drift "adwin" cannot be used with model "auto"/],
    [{ drift: 'adwin', driftOptions: { delta: -1 } }, 'driftOptions', /^driftOptions: adwin: option "delta" must be a number in \(0, 1\), got -1$/],
    [{ drift: 'page-hinkley', driftOptions: { lambda: 3 } }, 'driftOptions', /unknown option "lambda"/],
    [{ drift: 'adwin', driftOptions: { warningDelta: 0.001 } }, 'driftOptions.warningDelta', /must be ≥ the drift δ \(0\.002\)/],
    [{ drift: 'ddm', driftOptions: { warningDelta: 0.1 } }, 'driftOptions.warningDelta', /adwin" only/],
    [{ driftOptions: { delta: 0.1 } }, 'driftOptions', /needs a drift detector/],
    [{ drift: 'adwin', driftOptions: [] as never }, 'driftOptions', /must be an object/],
    [{ drift: 'adwin', lambda: 1, constraints: [new CustomConstraint({ name: 'cap', fn: (p: any) => p.sub(0.9).relu() })] }, 'constraints', /custom constraints cannot be used with drift "adwin"/],
  ];
  for (const [options, option, message] of cases) {
    const full = { schema: SMALL_SCHEMA, ...options };
    const check = (err: unknown) => err instanceof OptionError && err.option === option && message.test(err.message);
    if (option !== 'constraints') assert.throws(() => resolveLearnerOptions(full), check, JSON.stringify(options));
    await assert.rejects(createLearner(full), check, JSON.stringify(options));
  }
  // Defaults: drift "none" builds the plain learner; driftOptions {} is accepted.
  const plain = resolveLearnerOptions({ schema: SMALL_SCHEMA });
  assert.equal(plain.drift, 'none');
  assert.deepEqual(plain.driftOptions, {});
  assert.ok(!(createLearnerSync({ schema: SMALL_SCHEMA, driftOptions: {} }) instanceof DriftLearner));
});

test('drift: saveModel / loadModel restore the wrapper exactly; the TensorFlow.js export is the foreground network', async () => {
  const { mkdtempSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { saveModel } = await import('../../src/learn/export/save-model');
  const { loadModel } = await import('../../src/learn/export/load-model');
  const d = flipped(3000, 1500, 'rt-adwin');
  const A = make({ drift: 'adwin', driftOptions: { delta: 0.0001, warningDelta: 0.05 } });
  feed(A, d, 10, 0, 2000);
  assert.ok(A.report().detections.length >= 1);
  const dir = mkdtempSync(join(tmpdir(), 'otf-drift-model-'));
  const saved = saveModel(A, dir);
  assert.deepEqual(saved.files, ['model.json', 'weights.bin', 'onthefly.json']);
  assert.ok(existsSync(join(dir, 'model.json')));
  const { learner: B } = await loadModel(dir);
  assert.ok(B instanceof DriftLearner);
  assert.deepEqual(Array.from(B.predictMany(probe)), Array.from(A.predictMany(probe)));
  feed(A, d, 10, 2000, 3000);
  feed(B, d, 10, 2000, 3000);
  assert.equal(JSON.stringify(B.getState()), JSON.stringify(A.getState()));
});
