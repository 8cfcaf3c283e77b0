import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanStd } from '../../src/evaluate/mean-std';
import { runSweep } from '../../src/evaluate/run-sweep';
import { runIdentity, runOnPool, SweepPool } from '../../src/evaluate/sweep-pool';
import { sweepRecords } from '../../src/evaluate/sweep-table';
import { sweepTableFrame } from '../../src/evaluate/sweep-frame';
import { pairedDelta, t975 } from '../../src/evaluate/paired-delta';
import { readPackedStream, replayPackedStream } from '../../src/evaluate/packed-stream';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { generateEvents } from '../../src/stream/generator';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { openSource, type Validated } from '../../src/stream/source';

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
    assert.deepEqual(row.violationRateAfterBurnIn, meanStd(mine.map((x) => x.result.constraints.violationRateAfterBurnIn as number)));
    assert.deepEqual(row.oracleMae, meanStd(mine.map((x) => x.result.oracleMae as number)));
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

/** A run's result without what depends on the clock. */
const untimed = (r: { result: { timing: unknown } }): unknown => ({ ...r, result: { ...r.result, timing: undefined } });

test('runSweep on 2 worker threads, parsed once, equals running every configuration one by one (metric for metric)', async () => {
  const points = [
    { params: { lambda: 0, model: 'logistic' }, config: { learner: { lambda: 0 } } },
    { params: { lambda: 0.5, model: 'logistic' }, config: { learner: { lambda: 0.5 } } },
    { params: { lambda: 0, model: 'mlp' }, config: { learner: { lambda: 0, model: 'mlp' as const } } },
  ];
  const base = { scenario: 'abrupt' as const, events: 2500, batch: 32 };
  const serial = await runSweep({ base, points, seeds: [1, 2], workers: 1, parseOnce: false });
  const pooled = await runSweep({ base, points, seeds: [1, 2], workers: 2 });
  const once = await runSweep({ base, points, seeds: [1, 2], workers: 1, parseOnce: true });
  assert.equal(pooled.runs.length, 6);
  assert.deepEqual(pooled.runs.map(untimed), serial.runs.map(untimed));
  assert.deepEqual(once.runs.map(untimed), serial.runs.map(untimed));
  assert.deepEqual(pooled.rows.map((r) => r.f1), serial.rows.map((r) => r.f1));
  // Each run is the same computation as runExperiment on its own.
  const alone = await runExperiment({ ...base, seed: 2, learner: { lambda: 0, model: 'mlp', seed: 2 } });
  assert.deepEqual(untimed({ result: pooled.runs[5]!.result }), untimed({ result: alone }));
});

test('two sweeps at once on one shared SweepPool equal the same sweeps run one by one; a closed pool refuses work', async () => {
  const pointsA = [
    { params: { lambda: 0 }, config: { learner: { lambda: 0 } } },
    { params: { lambda: 1 }, config: { learner: { lambda: 1 } } },
  ];
  const pointsB = [
    { params: { model: 'mlp' }, config: { learner: { model: 'mlp' as const } } },
    { params: { model: 'logistic' }, config: { learner: { model: 'logistic' as const } } },
  ];
  const baseA = { scenario: 'abrupt' as const, events: 1500, batch: 32 };
  const baseB = { scenario: 'recurring' as const, events: 1500, batch: 64 };
  const soloA = await runSweep({ base: baseA, points: pointsA, seeds: [1, 2], workers: 1, parseOnce: false });
  const soloB = await runSweep({ base: baseB, points: pointsB, seeds: [3], workers: 1, parseOnce: false });
  const pool = new SweepPool({ workers: 2 });
  try {
    const [a, b, main] = await Promise.all([
      runSweep({ base: baseA, points: pointsA, seeds: [1, 2], pool }),
      runSweep({ base: baseB, points: pointsB, seeds: [3], pool }),
      runOnPool([{ config: { ...baseA, seed: 2, learner: { lambda: 1, seed: 2 } }, stream: null }], new Map(), { pool }),
    ]);
    assert.deepEqual(a.runs.map(untimed), soloA.runs.map(untimed));
    assert.deepEqual(b.runs.map(untimed), soloB.runs.map(untimed));
    assert.deepEqual(untimed({ result: main[0]! }), untimed({ result: soloA.runs[3]!.result }));
    // a failing task rejects its own call only; the pool goes on
    await assert.rejects(runOnPool([{ config: { ...baseA, events: -5 }, stream: null }], new Map(), { pool }), /events/);
    const again = await runSweep({ base: baseA, points: pointsA.slice(0, 1), seeds: [1], pool });
    assert.deepEqual(again.runs.map(untimed), soloA.runs.slice(0, 1).map(untimed));
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.run([{ config: baseA, stream: null }], new Map()), /closed/);
  assert.throws(() => new SweepPool({ workers: 0 }), /workers must be a positive integer/);
});

test('a pool runs an identical run once: other calls (and other spellings of it) get a copy of its result; failures reach every caller', async () => {
  const base = { scenario: 'abrupt' as const, events: 1200, batch: 32 };
  // the learner's seed defaults to the run's seed; key order and undefined entries do not matter
  assert.equal(runIdentity({ ...base, seed: 3, learner: { lambda: 1 } }), runIdentity({ learner: { seed: 3, lambda: 1 }, seed: 3, audit: undefined, ...base }));
  assert.notEqual(runIdentity({ ...base, seed: 3, learner: { lambda: 1 } }), runIdentity({ ...base, seed: 3, learner: { lambda: 1, seed: 4 } }));
  assert.notEqual(runIdentity({ ...base, seed: 3 }), runIdentity({ ...base, seed: 4 }));
  // defaults spelled out (as a λ sweep's grid does) are the same run; other values are not
  assert.equal(runIdentity({ ...base, learner: { model: 'mlp', lambda: 0 } }), runIdentity({ ...base, batch: 32, window: 1000, dedup: {}, learner: { model: 'mlp', lambda: 0, replay: 0, consolidation: 0, hidden: [16] } }));
  assert.notEqual(runIdentity({ ...base, learner: { model: 'mlp' } }), runIdentity({ ...base, learner: { model: 'mlp', hidden: [8] } }));
  assert.notEqual(runIdentity({ ...base }), runIdentity({ ...base, dedup: false }));
  assert.notEqual(runIdentity({ ...base }), runIdentity({ ...base, labelDelay: 5 }));
  assert.notEqual(runIdentity({ ...base }), runIdentity({ ...base, strict: true }));
  // options the resolved learner options do not list still tell runs apart
  const wrong = { kind: 'monotone', field: 'failed_logins', direction: 'decreasing' } as const;
  assert.notEqual(runIdentity({ ...base, learner: { lambda: 10 } }), runIdentity({ ...base, learner: { lambda: 10, constraints: [wrong] } }));
  // a run that writes files is never taken for another
  assert.equal(runIdentity({ ...base, audit: '/tmp/a.jsonl' }), null);
  assert.equal(runIdentity({ ...base, saveModel: '/tmp/m.json' }), null);
  const alone = await runExperiment({ ...base, seed: 3, learner: { lambda: 1 } });
  const pool = new SweepPool({ workers: 1 });
  try {
    const [a, b] = await Promise.all([
      runOnPool([{ config: { ...base, seed: 3, learner: { lambda: 1 } }, stream: null }], new Map(), { pool }),
      runOnPool([{ config: { learner: { seed: 3, lambda: 1 }, seed: 3, ...base }, stream: null }, { config: { ...base, seed: 3, learner: { lambda: 1 } }, stream: null }], new Map(), { pool }),
    ]);
    assert.deepEqual(pool.stats, { ran: 1, reused: 2 });
    for (const r of [a[0]!, b[0]!, b[1]!]) assert.deepEqual(untimed({ result: r }), untimed({ result: alone }));
    assert.notEqual(b[0], a[0], 'each caller gets its own copy');
    const later = await runOnPool([{ config: { ...base, seed: 3, learner: { lambda: 1 } }, stream: null }], new Map(), { pool });
    assert.deepEqual(untimed({ result: later[0]! }), untimed({ result: alone }));
    assert.deepEqual(pool.stats, { ran: 1, reused: 3 });
    // a failing run fails every call waiting for it, and is tried again by a later call
    const bad = { ...base, seed: 3, events: -5 };
    const [x, y] = await Promise.allSettled([
      runOnPool([{ config: bad, stream: null }], new Map(), { pool }),
      runOnPool([{ config: bad, stream: null }], new Map(), { pool }),
    ]);
    assert.equal(x.status, 'rejected');
    assert.equal(y.status, 'rejected');
    await assert.rejects(runOnPool([{ config: bad, stream: null }], new Map(), { pool }), /events/);
    // a run dropped by a failing call is still run for another call waiting for it
    const good = { ...base, seed: 5 };
    const [p, q] = await Promise.allSettled([
      runOnPool([{ config: { ...base, seed: 6, events: -1 }, stream: null }, { config: good, stream: null }], new Map(), { pool }),
      runOnPool([{ config: good, stream: null }], new Map(), { pool }),
    ]);
    assert.equal(p.status, 'rejected');
    assert.equal(q.status, 'fulfilled');
    assert.deepEqual(untimed({ result: (q as PromiseFulfilledResult<Awaited<ReturnType<typeof runOnPool>>>).value[0]! }), untimed({ result: await runExperiment(good) }));
  } finally {
    await pool.close();
  }
});

test('runSweep with a baseline: seed-paired deltas with a t interval, recomputed by hand', async () => {
  const seeds = [1, 2, 3, 4];
  const r = await runSweep({ base: { scenario: 'stationary', events: 1500, batch: 64 }, lambdas: [0, 1], seeds, baseline: { lambda: 0 } });
  const [zero, one] = r.rows;
  assert.deepEqual(zero!.delta!.f1, { mean: 0, lo: 0, hi: 0, n: 4 });
  const f1 = (lambda: number): number[] => r.runs.filter((x) => x.lambda === lambda).map((x) => x.result.metrics.f1);
  const d = f1(1).map((v, i) => v - f1(0)[i]!);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
  assert.ok(Math.abs(one!.delta!.f1.mean - mean) < 1e-12);
  assert.ok(Math.abs(one!.delta!.f1.hi - (mean + 3.182 * sd / 2)) < 1e-12);
  assert.ok(Math.abs(one!.delta!.f1.lo - (mean - 3.182 * sd / 2)) < 1e-12);
  await assert.rejects(runSweep({ base: { events: 500 }, lambdas: [0, 1], seeds: [1], baseline: { lambda: 7 } }), /no configuration matches the baseline λ=7/);
});

test('t975 and pairedDelta', () => {
  assert.equal(t975(1), 12.706);
  assert.equal(t975(9), 2.262);
  assert.ok(t975(45) < 2.021 && t975(45) > 2.0);
  assert.ok(Math.abs(t975(1e9) - 1.96) < 1e-6);
  assert.deepEqual(pairedDelta([1], [0.5]), { mean: 0.5, lo: -Infinity, hi: Infinity, n: 1 });
  assert.throws(() => pairedDelta([1, 2], [1]), /2 values against 1/);
});

test('readPackedStream replays exactly the records the source gives, rejects included', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'otf-packed-'));
  try {
    const lines = generateEvents({ scenario: 'storm', events: 3000, seed: 4 }).map((e) => JSON.stringify(e));
    lines.splice(100, 0, '{broken', '[]');
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    const packed = await readPackedStream({ input, parseThread: false });
    assert.equal(packed.records, 3002);
    const direct: Validated[] = [];
    for await (const v of openSource(input, GENERATOR_SCHEMA, { parallel: false })) direct.push(v);
    const replayed = [...replayPackedStream(packed)].flat();
    assert.deepEqual(JSON.parse(JSON.stringify(replayed)), JSON.parse(JSON.stringify(direct)));
    const a = await runExperiment({ input, batch: 16 });
    const b = await runExperiment({ input, batch: 16, records: packed });
    assert.deepEqual({ ...b, timing: undefined }, { ...a, timing: undefined });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
