import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OnlinePipeline } from '../../src/evaluate/online-pipeline';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { createLearner } from '../../src/learn/create-learner';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import { labelArrival } from '../../src/stream/scenarios';

const dir = mkdtempSync(join(tmpdir(), 'otf-online-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

for (const [scenario, batch, lambda] of [['storm', 32, 0], ['abrupt', 1, 0.1]] as const) {
  test(`OnlinePipeline fed event by event, labels sent by id, equals runExperiment (${scenario}, batch ${batch}, λ ${lambda})`, async () => {
    const events = generateEvents({ scenario, events: 3000, seed: 5 });
    const audit = join(dir, `${scenario}.jsonl`);
    const ref = await runExperiment({ scenario, events: 3000, seed: 5, batch, learner: { lambda }, audit });
    const pipeline = new OnlinePipeline({ learner: await createLearner({ schema: GENERATOR_SCHEMA, seed: 5, lambda }), batch });
    const ps: number[] = [];
    for (const e of events) {
      const { critical, ...unlabelled } = e;
      const out = pipeline.process(unlabelled);
      assert.ok(!('rejected' in out));
      ps.push(out.p);
      assert.equal(pipeline.label(out.id, critical), out.duplicate ? 'duplicate' : 'queued');
    }
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { p: number; duplicate: boolean; version: number });
    assert.deepEqual(ps, lines.map((l) => l.p));
    const m = pipeline.metrics();
    assert.deepEqual(m.metrics, ref.metrics);
    assert.deepEqual(m.rolling, ref.rolling);
    assert.deepEqual(m.bayes, ref.bayes);
    assert.deepEqual(m.ratio, ref.ratio);
    // The fair baselines too: they see the labels the learner had when each event was predicted.
    assert.deepEqual(m.baselines, ref.baselines);
    assert.deepEqual(m.forgetting, ref.forgetting);
    const { lambda: _lambda, ...refConstraints } = ref.constraints;
    assert.deepEqual(m.constraints, refConstraints);
    assert.equal(m.oracleMae, ref.oracleMae);
    pipeline.flush(); // the end of the stream: the last partial batch is learned from
    assert.equal(pipeline.counts().learned, ref.learned);
    assert.equal(pipeline.counts().duplicates, ref.duplicates);
    assert.equal(pipeline.counts().pending, 0);
  });
}

test('OnlinePipeline: labels with the event, late labels, unknown and expired ids, rejects, state round trip', async () => {
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, seed: 1 });
  const p = new OnlinePipeline({ learner, batch: 4, maxPending: 3, dedup: false });
  const evs = generateEvents({ scenario: 'stationary', events: 40, seed: 2 });
  // With the label on the event: scored and learned at once.
  for (const e of evs.slice(0, 8)) p.process(e);
  assert.equal(p.counts().labelled, 8);
  assert.equal(p.version, 2);
  // Without: waits; the oldest of more than maxPending expires.
  const waiting = evs.slice(8, 13).map(({ critical: _c, ...e }) => p.process(e));
  assert.equal(p.counts().pending, 3);
  assert.equal(p.counts().expiredLabels, 2);
  const first = waiting[0]!;
  assert.ok(!('rejected' in first));
  assert.equal(p.label(first.id, 1), 'unknown');
  const last = waiting[4]!;
  assert.ok(!('rejected' in last));
  assert.equal(p.label(last.id, true), 'queued');
  assert.equal(p.label(last.id, true), 'unknown', 'a second label for the same id');
  assert.throws(() => p.label(last.id, 2 as 0), /label must be 0, 1, true or false/);
  const bad = p.process({ ...evs[20], severity: 'high' });
  assert.ok('rejected' in bad);
  assert.equal(p.counts().rejected, 1);
  // State round trip: the copy answers exactly as the original from here on.
  const copy = new OnlinePipeline({ learner: await createLearner({ schema: GENERATOR_SCHEMA, seed: 99 }), batch: 4, maxPending: 3, dedup: false });
  copy.setState(JSON.parse(JSON.stringify(p.getState())));
  for (const e of evs.slice(21)) assert.deepEqual(copy.process(e), p.process(e));
  assert.deepEqual(copy.metrics(), p.metrics());
  assert.throws(() => copy.setState({ format: 'nope' }), /not an onthefly online-pipeline state/);
});

test('OnlinePipeline event by event, labels on the events, with a label delay and a penalty-only step gives runExperiment\'s audit lines and metrics', async () => {
  const config = { scenario: 'delayed', events: 3000, seed: 3, batch: 16, labelDelay: 40, unlabelled: true, learner: { lambda: 1 } } as const;
  const audit = join(dir, 'delayed.jsonl');
  const ref = await runExperiment({ ...config, audit });
  const lines: { p: number; version: number; learned?: number }[] = [];
  const pipeline = new OnlinePipeline({
    learner: await createLearner({ schema: GENERATOR_SCHEMA, seed: 3, lambda: 1 }), batch: 16, labelDelay: 40, unlabelled: true,
    labelArrival: (i) => Math.max(i + 40, labelArrival('delayed', 3, i)),
    onOutcome: (l) => lines.push({ p: l.p, version: l.version, learned: l.learned }),
  });
  for (const e of generateEvents({ scenario: 'delayed', events: 3000, seed: 3 })) {
    const out = pipeline.process(e);
    assert.ok(!('rejected' in out));
  }
  pipeline.flush();
  const want = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { p: number; version: number; learned: number });
  assert.deepEqual(lines, want.map((l) => ({ p: l.p, version: l.version, learned: l.learned })));
  const m = pipeline.metrics();
  assert.deepEqual(m.metrics, ref.metrics);
  assert.deepEqual(m.baselines, ref.baselines);
  assert.equal(pipeline.counts().learned, ref.learned);
  assert.equal(pipeline.version, ref.timing.batches);
});
