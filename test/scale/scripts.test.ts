import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'redis';
import { PROCESS_BATCH } from '../../src/scale/scripts';
import { startRedis } from './redis-server';

// PROCESS_BATCH against a real redis-server: dedup owners, once-per-id writes, rejects, counters, XACK.
test('PROCESS_BATCH: a duplicate joins the first id\'s group, a redelivered batch writes nothing, every entry is acknowledged', { timeout: 30_000 }, async () => {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.sendCommand(['XGROUP', 'CREATE', 'in', 'g', '0', 'MKSTREAM']);
    const entries: string[] = [];
    for (let i = 0; i < 4; i++) entries.push(String(await client.sendCommand(['XADD', 'in', '*', 'e', `x${i}`])));
    const read = await client.sendCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 'in', '>']);
    assert.ok(read);
    // Events a (labelled 1), b (same fingerprint as a, labelled 0), c (unlabelled, own fingerprint); one reject.
    const keys = ['out', 'm', 'train', 'in', 'rej',
      'dd:F1', 'done:a', 'ev:a', 'dd:F1', 'done:b', 'ev:b', 'dd:F2', 'done:c', 'ev:c', 'done:entry:' + entries[3]];
    const args = ['100', '60000', 'g', '1', '3', '1',
      'a', '0.9', '1', '7', '1', '{"k":1}',
      'b', '0.2', '0', '7', '0', '{"k":1}',
      'c', '0.6', '1', '7', '-1', '{"k":2}',
      entries[3]!, 'bad line', 'x3', ...entries];
    const run = () => client.sendCommand(['EVAL', PROCESS_BATCH, String(keys.length), ...keys, ...args]);
    assert.deepEqual(await run(), [3, 0, 1]);
    const out = (await client.sendCommand(['XRANGE', 'out', '-', '+'])) as [string, string[]][];
    const rows = out.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i], f[2 * i + 1]])));
    assert.deepEqual(rows.map((r) => [r.id, r.group, r.duplicate, r.prediction, r.version]), [['a', 'a', 'false', '1', '7'], ['b', 'a', 'true', '0', '7'], ['c', 'c', 'false', '1', '7']]);
    const train = (await client.sendCommand(['XRANGE', 'train', '-', '+'])) as [string, string[]][];
    assert.deepEqual(train.map(([, f]) => JSON.parse(f[1]!)), [{ f: { k: 1 }, y: 1 }], 'only the novel labelled event is trained on');
    assert.deepEqual(JSON.parse(String(await client.get('ev:c'))), { f: { k: 2 }, pred: 1 }, 'the unlabelled novel event waits for its label');
    assert.equal(await client.get('ev:b'), null);
    assert.deepEqual(await client.hGetAll('m'), { events: '3', duplicates: '1', labelled: '2', tp: '1', tn: '1' });
    assert.equal(Number(await client.sendCommand(['XLEN', 'rej'])), 1);
    const pending = (await client.sendCommand(['XPENDING', 'in', 'g'])) as unknown[];
    assert.equal(Number(pending[0]), 0, 'every entry acknowledged');
    // The same batch again (a redelivery): nothing new is written or counted; the redelivered a stays novel.
    assert.deepEqual(await run(), [0, 3, 0]);
    assert.equal(Number(await client.sendCommand(['XLEN', 'out'])), 3);
    assert.equal(Number(await client.sendCommand(['XLEN', 'train'])), 1);
    assert.equal(Number(await client.sendCommand(['XLEN', 'rej'])), 1);
    assert.deepEqual(await client.hGetAll('m'), { events: '3', duplicates: '1', labelled: '2', tp: '1', tn: '1' });
    assert.ok(Number(await client.sendCommand(['PTTL', 'dd:F1'])) > 0, 'the dedup key carries the window');
  } finally {
    await client.quit().catch(() => {});
    await redis.stop();
  }
});
