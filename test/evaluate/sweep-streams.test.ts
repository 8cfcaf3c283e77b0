import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSweep, streamKey, type StreamCache } from '../../src/evaluate/run-sweep';
import { SweepPool } from '../../src/evaluate/sweep-pool';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { mainRun } from '../../src/report/studies';

const untimed = (r: { result: { timing: unknown } }): unknown => ({ ...r, result: { ...r.result, timing: undefined } });

test('sweeps sharing a stream cache read each stream once and equal the same sweeps on their own', async () => {
  const points = [
    { params: { lambda: 0 }, config: { learner: { lambda: 0 } } },
    { params: { lambda: 1 }, config: { learner: { lambda: 1 } } },
  ];
  const base = { scenario: 'abrupt' as const, events: 1200, batch: 32 };
  const soloA = await runSweep({ base, points, seeds: [1, 2], workers: 1 });
  const soloB = await runSweep({ base: { ...base, learner: { model: 'mlp' as const } }, points, seeds: [2, 3], workers: 1 });
  const streams: StreamCache = new Map();
  const pool = new SweepPool({ workers: 2 });
  pool.warm();
  try {
    const [a, b] = await Promise.all([
      runSweep({ base, points, seeds: [1, 2], pool, streams }),
      runSweep({ base: { ...base, learner: { model: 'mlp' as const } }, points, seeds: [2, 3], pool, streams }),
    ]);
    assert.deepEqual(a.runs.map(untimed), soloA.runs.map(untimed));
    assert.deepEqual(b.runs.map(untimed), soloB.runs.map(untimed));
    // seeds 1, 2, 3: three streams, seed 2's read once for both sweeps (with its dedup decisions made once)
    assert.equal(streams.size, 3);
    const two = await streams.get(streamKey({ ...base, seed: 2 }))!;
    assert.equal(Object.keys(two.groupings ?? {}).length, 1);
    // a later sweep takes the cached stream object itself
    const before = [...streams.values()];
    const c = await runSweep({ base, points: points.slice(1), seeds: [2], pool, streams });
    assert.deepEqual(c.runs.map(untimed), soloA.runs.slice(3).map(untimed));
    assert.deepEqual([...streams.values()], before);
  } finally {
    await pool.close();
  }
});

test('a failed read is not kept in the stream cache', async () => {
  const streams: StreamCache = new Map();
  const config = { input: '/nonexistent/onthefly-missing.jsonl' };
  await assert.rejects(runSweep({ base: config, points: [{ params: { lambda: 0 }, config: {} }, { params: { lambda: 1 }, config: { learner: { lambda: 1 } } }], seeds: [1], streams }));
  await new Promise((r) => setImmediate(r));
  assert.equal(streams.size, 0);
});

test('the main run on a pool with the studies\' stream cache replays the cached stream and equals the run on its own', async () => {
  const options = { events: 1500, seed: 2, lambda: 0.1 };
  const alone = await runExperiment({ scenario: 'stationary', events: 1500, seed: 2, window: 150, learner: { model: 'logistic', lambda: 0.1 } });
  const streams: StreamCache = new Map();
  const pool = new SweepPool({ workers: 1 });
  try {
    const shared = await mainRun({ ...options, pool, streams });
    assert.equal(streams.size, 1);
    assert.deepEqual(untimed({ result: shared }), untimed({ result: alone }));
  } finally {
    await pool.close();
  }
});
