import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'redis';
import { PROCESS_BATCH } from '../../src/scale/scripts';
import { startRedis } from './redis-server';

type Client = { sendCommand(args: string[]): Promise<unknown> } & Pick<ReturnType<typeof createClient>, "get" | "hGetAll" | "hLen" | "sCard" | "exists">;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ev { id: string; fp: string; p: number; label: 0 | 1 | null; fields: object }

/** PROCESS_BATCH's arguments for events and rejects, as the worker builds them (see the script's doc). */
function batchArgs(o: { window: string; ttl?: string; store?: boolean; version?: number; events: Ev[]; rejects?: [string, string, string][]; ack: string[] }): string[] {
  const n = o.events.length;
  const args = ['pre', o.ttl ?? '100', o.window, 'g', o.store ? '1' : '0', String(o.version ?? 7), String(n), String(o.rejects?.length ?? 0)];
  const pred = (e: Ev) => (e.p >= 0.5 ? 1 : 0);
  for (const e of o.events) args.push(JSON.stringify(e.id));
  for (const e of o.events) args.push(e.fp);
  for (const e of o.events) args.push(`{"id":${JSON.stringify(e.id)},"p":${e.p},"prediction":${pred(e)},"group":`);
  for (const e of o.events) args.push(e.label === null ? '' : e.label === 1 ? (pred(e) ? 'tp' : 'fn') : pred(e) ? 'fp' : 'tn');
  for (const e of o.events) args.push(e.label !== null ? JSON.stringify({ ...e.fields, y: e.label }) : o.store ? JSON.stringify({ f: e.fields, pred: pred(e) }) : '');
  for (const r of o.rejects ?? []) args.push(...r);
  return [...args, ...o.ack];
}

const KEYS = ['out', 'pre:metrics', 'train', 'in', 'rej'];
const run = (client: Client, args: string[]) => client.sendCommand(['EVAL', PROCESS_BATCH, String(KEYS.length), ...KEYS, ...args]);
const records = async (client: Client) => ((await client.sendCommand(['XRANGE', 'out', '-', '+'])) as [string, string[]][]).map(([, f]) => {
  assert.equal(f.length, 2, 'one field per output entry');
  assert.equal(f[0], 'r');
  return JSON.parse(f[1]!) as { id: string; p: number; prediction: number; group: string; duplicate: boolean; version: number };
});
const redisMs = async (client: Client) => {
  const [s, us] = (await client.sendCommand(['TIME'])) as [string, string];
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
};

async function withRedis(fn: (client: Client) => Promise<void>): Promise<void> {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.quit().catch(() => {});
    await redis.stop();
  }
}

// PROCESS_BATCH against a real redis-server: dedup owners, once-per-id writes, rejects, counters, XACK.
test('PROCESS_BATCH: a duplicate joins the first id\'s group, a redelivered batch writes nothing, every entry is acknowledged', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    await client.sendCommand(['XGROUP', 'CREATE', 'in', 'g', '0', 'MKSTREAM']);
    const entries: string[] = [];
    for (let i = 0; i < 4; i++) entries.push(String(await client.sendCommand(['XADD', 'in', '*', 'e', `x${i}`])));
    assert.ok(await client.sendCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 'in', '>']));
    // Events a (labelled 1), b (same fingerprint as a, labelled 0), c (unlabelled, own fingerprint); one reject.
    const args = batchArgs({
      window: '60000', store: true,
      events: [{ id: 'a', fp: 'F1', p: 0.9, label: 1, fields: { k: 1 } }, { id: 'b', fp: 'F1', p: 0.2, label: 0, fields: { k: 1 } }, { id: 'c', fp: 'F2', p: 0.6, label: null, fields: { k: 2 } }],
      rejects: [[entries[3]!, 'bad line', 'x3']], ack: entries,
    });
    assert.deepEqual(await run(client, args), [3, 0, 1]);
    assert.deepEqual((await records(client)).map((r) => [r.id, r.group, r.duplicate, r.prediction, r.version, r.p]),
      [['a', 'a', false, 1, 7, 0.9], ['b', 'a', true, 0, 7, 0.2], ['c', 'c', false, 1, 7, 0.6]]);
    const train = (await client.sendCommand(['XRANGE', 'train', '-', '+'])) as [string, string[]][];
    assert.equal(train.length, 1, 'one train entry per batch');
    assert.deepEqual(JSON.parse(train[0]![1][3]!), [{ k: 1, y: 1 }], 'only the novel labelled event is trained on');
    assert.deepEqual(JSON.parse(String(await client.get('pre:event:"c"'))), { f: { k: 2 }, pred: 1 }, 'the unlabelled novel event waits for its label');
    assert.equal(await client.get('pre:event:"b"'), null);
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '3', duplicates: '1', labelled: '2', tp: '1', tn: '1' });
    assert.equal(Number(await client.sendCommand(['XLEN', 'rej'])), 1);
    const pending = (await client.sendCommand(['XPENDING', 'in', 'g'])) as unknown[];
    assert.equal(Number(pending[0]), 0, 'every entry acknowledged');
    // The same batch again (a redelivery): nothing new is written or counted; the redelivered a stays novel.
    assert.deepEqual(await run(client, args), [0, 3, 0]);
    assert.equal(Number(await client.sendCommand(['XLEN', 'out'])), 3);
    assert.equal(Number(await client.sendCommand(['XLEN', 'train'])), 1);
    assert.equal(Number(await client.sendCommand(['XLEN', 'rej'])), 1);
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '3', duplicates: '1', labelled: '2', tp: '1', tn: '1' });
    // The same id twice in one batch (a producer that sent it again): one record.
    const twice = { id: 'd', fp: 'F3', p: 0.1, label: null, fields: {} };
    assert.deepEqual(await run(client, batchArgs({ window: '60000', events: [twice, twice], ack: [] })), [1, 1, 0]);
    // The dedup state is one hash per window bucket, the done marks one set per TTL bucket, each with an expiry.
    const now = await redisMs(client);
    const bucket = `pre:dedup:${Math.floor(now / 60000)}`;
    assert.equal(await client.hLen(bucket), 3, 'one field per fingerprint');
    const ttl = Number(await client.sendCommand(['PTTL', bucket]));
    assert.ok(ttl > 60000 && ttl <= 120000, `the bucket expires as a whole at its end plus one window: ${ttl} ms`);
    const done = `pre:done:${Math.floor(now / 1000 / 100)}`;
    assert.equal(await client.sCard(done), 5, 'a, b, c, d and the reject');
    assert.ok(Number(await client.sendCommand(['TTL', done])) > 100);
  });
});

test('PROCESS_BATCH: entries claimed by another consumer and replayed after the first one\'s script yield no second prediction', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    await client.sendCommand(['XGROUP', 'CREATE', 'in', 'g', '0', 'MKSTREAM']);
    const ids = [String(await client.sendCommand(['XADD', 'in', '*', 'e', 'x'])), String(await client.sendCommand(['XADD', 'in', '*', 'e', 'y']))];
    await client.sendCommand(['XREADGROUP', 'GROUP', 'g', 'slow', 'COUNT', '10', 'STREAMS', 'in', '>']);
    const claimed = (await client.sendCommand(['XAUTOCLAIM', 'in', 'g', 'fast', '0', '0-0'])) as [string, [string, string[]][]];
    assert.deepEqual(claimed[1].map(([id]) => id), ids);
    const events: Ev[] = [{ id: 'x', fp: 'X', p: 0.7, label: 1, fields: { v: 1 } }, { id: 'y', fp: 'Y', p: 0.3, label: 0, fields: { v: 2 } }];
    assert.deepEqual(await run(client, batchArgs({ window: '60000', events, ack: ids })), [2, 0, 0], 'the claimer writes');
    assert.deepEqual(await run(client, batchArgs({ window: '60000', events, ack: ids })), [0, 2, 0], 'the slow first reader, late, writes nothing');
    assert.equal((await records(client)).length, 2);
    assert.equal(Number(await client.sendCommand(['XLEN', 'train'])), 1);
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '2', labelled: '2', tp: '1', tn: '1' });
  });
});

test('PROCESS_BATCH: dedup across a window bucket boundary is the old per-key semantics (a group is open for the window after its first event); buckets expire as a whole', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    await client.sendCommand(['XGROUP', 'CREATE', 'in', 'g', '0', 'MKSTREAM']);
    const W = 1000;
    // Wait until Redis' clock is at an offset within the current bucket (the script reads TIME).
    const at = async (offset: number) => {
      for (;;) {
        const now = await redisMs(client);
        const into = now % W;
        if (into >= offset && into < offset + 60) return now;
        await sleep(Math.max(1, (offset - into + W) % W - 5));
      }
    };
    const one = (id: string, fp: string) => batchArgs({ window: String(W), events: [{ id, fp, p: 0.1, label: null, fields: {} }], ack: [] });
    const t0 = await at(700);
    await run(client, one('a', 'F')); // opens F late in bucket k
    const k = Math.floor(t0 / W);
    await at(250); // bucket k + 1, about 550 ms after a
    assert.ok(Math.floor((await redisMs(client)) / W) === k + 1);
    await run(client, one('b', 'F')); // found in the previous bucket, younger than the window: a duplicate of a
    await at(850); // still bucket k + 1, about 1,150 ms after a: a's group has closed
    await run(client, one('c', 'F'));
    await at(100); // bucket k + 2: c's group (opened in k + 1) is open, a's bucket k has expired
    await run(client, one('d', 'F'));
    assert.deepEqual((await records(client)).map((r) => [r.id, r.group]), [['a', 'a'], ['b', 'a'], ['c', 'c'], ['d', 'c']]);
    assert.equal(await client.exists(`pre:dedup:${k}`), 0, 'bucket k expired as a whole at (k + 2)·W');
  });
});

test('PROCESS_BATCH: done marks outlive their TTL bucket by less than one more TTL; a redelivery within the TTL writes nothing', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    const args = batchArgs({ window: 'off', ttl: '1', events: [{ id: 'z', fp: '', p: 0.2, label: null, fields: {} }], ack: [] });
    const now = await redisMs(client);
    assert.deepEqual(await run(client, args), [1, 0, 0]);
    const k = Math.floor(now / 1000);
    const t = Number(await client.sendCommand(['PTTL', `pre:done:${k}`]));
    assert.ok(t > 0 && t <= 2000, `done bucket k expires at (k + 2) s: ${t} ms`);
    // Within the TTL (its own bucket or the next one) the id is known.
    assert.deepEqual(await run(client, args), [0, 1, 0]);
    await sleep(1000 - ((await redisMs(client)) % 1000) + 50); // into bucket k + 1 (or later)
    if (Math.floor((await redisMs(client)) / 1000) === k + 1) assert.deepEqual(await run(client, args), [0, 1, 0], 'found in the previous bucket');
    await sleep(2200);
    assert.equal(await client.exists(`pre:done:${k}`), 0, 'the bucket expired as a whole');
    assert.deepEqual(await run(client, args), [1, 0, 0], 'after more than 2 TTLs the id is forgotten');
  });
});
