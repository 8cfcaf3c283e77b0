import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateAudit, readAudit } from '../../src/evaluate/audit';
import { runExperiment } from '../../src/evaluate/run-experiment';
import type { RunResult } from '../../src/evaluate/run-result';
import { loadSchema } from '../../src/stream/schema';
import { generateEvents } from '../../src/stream/generator';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-run-'));

/** Everything but wall-clock figures. */
function stable(r: RunResult): unknown {
  const { timing, ...rest } = r;
  return { ...rest, batches: timing.batches };
}

test('accounting adds up and dedup groups a storm', async () => {
  const r = await runExperiment({ scenario: 'storm', events: 8000, seed: 3 });
  assert.equal(r.events, 8000);
  assert.equal(r.unique + r.duplicates + r.rejected, r.events);
  assert.ok(r.duplicates > 0, 'a storm has duplicates');
  assert.ok(r.unique < r.events);
  assert.ok(r.dedup.compression > 1);
  assert.equal(r.metrics.confusion.tp + r.metrics.confusion.fp + r.metrics.confusion.tn + r.metrics.confusion.fn, r.accepted);
  const off = await runExperiment({ scenario: 'storm', events: 8000, seed: 3, dedup: false });
  assert.equal(off.duplicates, 0);
  assert.equal(off.unique, off.events);
  assert.equal(off.dedup.enabled, false);
});

test('the same configuration gives the same result and the same audit log', async () => {
  const dir = tmp();
  const a = await runExperiment({ scenario: 'abrupt', events: 3000, seed: 5, batch: 16, audit: join(dir, 'a.jsonl') });
  const b = await runExperiment({ scenario: 'abrupt', events: 3000, seed: 5, batch: 16, audit: join(dir, 'b.jsonl') });
  assert.deepEqual(stable(a), stable(b));
  const strip = (f: string): string => readFileSync(join(dir, f), 'utf8').replace(/"latency_us":\d+/g, '');
  assert.equal(strip('a.jsonl'), strip('b.jsonl'));
  const c = await runExperiment({ scenario: 'abrupt', events: 3000, seed: 6, batch: 16 });
  assert.notDeepEqual(stable(a), stable(c));
});

test('a JSONL file parsed on a worker thread gives the same result, audit log and rejects as inline parsing', async () => {
  const dir = tmp();
  const file = join(dir, 'storm.jsonl');
  const lines = generateEvents({ scenario: 'storm', events: 6000, seed: 4 }).map((e) => JSON.stringify(e));
  lines.splice(100, 0, '{"broken": ', '[1, 2]', '{"critical": null}'); // three rejects
  writeFileSync(file, `${lines.join('\n')}\n`);
  const run = (parseThread: boolean, name: string) =>
    runExperiment({ input: file, parseThread, batch: 64, audit: join(dir, `${name}.audit`), rejects: join(dir, `${name}.rejects`) });
  const inline = await run(false, 'inline');
  const threaded = await run(true, 'threaded');
  assert.equal(threaded.rejected, 3);
  assert.deepEqual(stable(threaded), stable(inline));
  const strip = (f: string): string => readFileSync(join(dir, f), 'utf8').replace(/"latency_us":\d+/g, '');
  assert.equal(strip('threaded.audit'), strip('inline.audit'));
  assert.equal(strip('threaded.rejects'), strip('inline.rejects'));
  // Strict mode stops at the first reject; the parser thread is stopped with the run (no hang).
  await assert.rejects(runExperiment({ input: file, parseThread: true, strict: true }), /line 101: malformed JSON/);
});

test('test-then-train: every event is predicted by a model that has not learned from it', async () => {
  const dir = tmp();
  for (const [batch, labelDelay] of [[1, 0], [7, 0], [4, 25]]) {
    const audit = join(dir, `audit-${batch}-${labelDelay}.jsonl`);
    await runExperiment({ scenario: 'storm', events: 1500, seed: 2, batch, labelDelay, audit });
    let position = 0;
    let novel = 0;
    const novelPositions: number[] = [];
    for await (const line of readAudit(audit)) {
      position++;
      // Steps taken before this event was predicted can only have used novel events whose label was
      // known when this event arrived: positions ≤ position − 1 − labelDelay.
      let usable = 0;
      for (const p of novelPositions) if (p <= position - 1 - labelDelay) usable++;
      assert.ok(line.version <= Math.floor(usable / batch), `event ${position}: version ${line.version} > ${usable}/${batch}`);
      if (labelDelay === 0) assert.equal(line.version, Math.floor(novel / batch), `event ${position}`);
      if (!line.duplicate) {
        novel++;
        novelPositions.push(position);
      }
    }
    assert.equal(position, 1500);
  }
});

test('evaluate on the audit log recomputes the run metrics', async () => {
  const dir = tmp();
  const audit = join(dir, 'audit.jsonl');
  const r = await runExperiment({ scenario: 'recurring', events: 12000, seed: 4, audit, learner: { replay: 1 } });
  const e = await evaluateAudit(audit);
  assert.deepEqual(e.metrics, r.metrics);
  assert.deepEqual(e.bayes, r.bayes);
  assert.deepEqual(e.baselines, r.baselines);
  // The audit log holds each event's violation flag, not the learner's per-constraint detail.
  for (const k of ['violationRate', 'violations', 'burnIn', 'violationRateAfterBurnIn'] as const) assert.equal(e.constraints[k], r.constraints[k], k);
  assert.equal(e.oracleMae, r.oracleMae);
  assert.deepEqual(e.forgetting, r.forgetting);
  assert.ok(r.forgetting !== null, 'recurring returns to regime A');
});

test('stationary, 50,000 events, seed 1, logistic: F1 ≥ 0.95 × Bayes F1 and above the baselines', async () => {
  const r = await runExperiment({ scenario: 'stationary', events: 50_000, seed: 1 });
  assert.ok(r.bayes && r.ratio);
  assert.ok(r.metrics.f1 >= 0.95 * r.bayes.f1, `F1 ${r.metrics.f1} vs Bayes ${r.bayes.f1}`);
  assert.ok(r.metrics.f1 > r.baselines.majority.f1 && r.metrics.f1 > r.baselines.noChange.f1);
  assert.ok(r.metrics.accuracy > r.baselines.majority.accuracy);
});

test('abrupt: the rolling F1 recovers after the change', async () => {
  const events = 40_000;
  const change = events / 2;
  const r = await runExperiment({ scenario: 'abrupt', events, seed: 1, window: 500 });
  // The class mix changes with the regime, so compare the rolling F1 with the rolling Bayes F1 of the same window.
  const gap = r.rolling.series.map((s) => ({ index: s.index, ratio: s.f1 / (s.bayesF1 as number) }));
  const mean = (xs: { ratio: number }[]): number => xs.reduce((a, s) => a + s.ratio, 0) / xs.length;
  const before = mean(gap.filter((s) => s.index <= change && s.index > change - 5000));
  const dip = Math.min(...gap.filter((s) => s.index > change && s.index <= change + 2000).map((s) => s.ratio));
  const end = mean(gap.filter((s) => s.index > events - 5000));
  assert.ok(before > 0.9, `near the ceiling before the change: ${before}`);
  assert.ok(dip < before - 0.08, `a visible dip after the change: ${dip} vs ${before}`);
  assert.ok(end > 0.93 && end > dip + 0.08, `recovered: ${end} vs dip ${dip}`);
});

test("the paper's 1k-event file runs with its schema, and bad records are written out with reasons", async () => {
  const dir = tmp();
  const seedFile = join(__dirname, '../../../data/seed-streams_1k.json');
  const schema = loadSchema(join(__dirname, '../../../schemas/seed-streams.json'));
  const r = await runExperiment({ input: seedFile, schema, batch: 32 });
  assert.equal(r.events, 1000);
  assert.equal(r.rejected, 0);
  assert.equal(r.bayes, null, 'no oracle in the paper file');
  const lines = generateEvents({ scenario: 'stationary', events: 50, seed: 9 }).map((e) => JSON.stringify(e));
  lines.splice(10, 0, '{not json', '[1,2]', JSON.stringify({ ...JSON.parse(lines[3]), critical: undefined }));
  const input = join(dir, 'mixed.jsonl');
  writeFileSync(input, lines.join('\n') + '\n');
  const rejects = join(dir, 'rejects.jsonl');
  const m = await runExperiment({ input, rejects, batch: 8 });
  assert.equal(m.events, 53);
  assert.equal(m.rejected, 3);
  assert.equal(m.accepted + m.rejected, m.events);
  const rows = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => x.line), [11, 12, 13]);
  for (const x of rows) assert.ok(typeof x.reason === 'string' && x.reason.length > 0);
  await assert.rejects(runExperiment({ input, strict: true }), /line 11/);
});
