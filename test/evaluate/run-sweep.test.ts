import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanStd } from '../../src/evaluate/mean-std';
import { runSweep } from '../../src/evaluate/run-sweep';
import { sweepRecords } from '../../src/evaluate/sweep-table';
import { sweepTableFrame } from '../../src/evaluate/sweep-frame';

test('meanStd: sample standard deviation', () => {
  assert.deepEqual(meanStd([2, 4, 4, 4, 5, 5, 7, 9]), { mean: 5, std: Math.sqrt(32 / 7) });
  assert.deepEqual(meanStd([3]), { mean: 3, std: 0 });
  assert.ok(Number.isNaN(meanStd([]).mean));
});

test('runSweep: one row per configuration, aggregated over the seeds of the same streams', async () => {
  const r = await runSweep({
    base: { scenario: 'storm', events: 2000, batch: 32 },
    lambdas: [0, 1],
    seeds: [1, 2],
    dedups: [true, false],
  });
  assert.equal(r.rows.length, 4);
  assert.equal(r.runs.length, 8);
  for (const row of r.rows) {
    const mine = r.runs.filter((x) => x.lambda === row.lambda && x.dedup === row.dedup);
    assert.equal(mine.length, 2);
    assert.deepEqual(row.f1, meanStd(mine.map((x) => x.result.metrics.f1)));
    assert.deepEqual(row.violationRate, meanStd(mine.map((x) => x.result.constraints.violationRate)));
    // Every configuration saw the same streams: same events and, per seed, the same Bayes F1.
    for (const x of mine) assert.equal(x.result.events, 2000);
  }
  const seed1 = r.runs.filter((x) => x.seed === 1).map((x) => x.result.bayes?.f1);
  assert.ok(seed1.every((b) => b === seed1[0]));
  const off = r.runs.filter((x) => !x.dedup);
  assert.ok(off.every((x) => x.result.duplicates === 0));
  assert.ok(r.runs.filter((x) => x.dedup).every((x) => x.result.duplicates > 0));
  const records = sweepRecords(r.rows);
  assert.equal(records.length, 4);
  assert.equal(records[0].f1_mean, r.rows[0].f1.mean);
});

test('the sweep table through a danfo DataFrame equals the library aggregation (grid order, nulls kept)', async () => {
  const r = await runSweep({
    base: { scenario: 'recurring', events: 3000, batch: 64 },
    lambdas: [0, 0.5],
    seeds: [1, 2, 3],
    replays: [0, 1],
  });
  const fromFrame = sweepTableFrame(r.runs);
  const fromRows = sweepRecords(r.rows);
  assert.equal(fromFrame.length, 4);
  assert.deepEqual(Object.keys(fromFrame[0]!), Object.keys(fromRows[0]!));
  for (let i = 0; i < fromRows.length; i++) {
    for (const [k, want] of Object.entries(fromRows[i]!)) {
      const got = fromFrame[i]![k];
      if (typeof want === 'number') assert.ok(typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `row ${i} ${k}: ${got} vs ${want}`);
      else assert.equal(got, want, `row ${i} ${k}`);
    }
  }
  // A stream without regimes: no forgetting, null in both.
  const s = await runSweep({ base: { scenario: 'stationary', events: 1500 }, lambdas: [0], seeds: [1, 2] });
  assert.equal(sweepTableFrame(s.runs)[0]!.forgetting_drop_mean, null);
  assert.equal(sweepRecords(s.rows)[0]!.forgetting_drop_mean, null);
});
