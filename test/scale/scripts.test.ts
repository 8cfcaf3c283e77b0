import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'redis';
import { MODEL_IF_NEWER, PROCESS_BATCH, PUBLISH_MODEL } from '../../src/scale/scripts';
import { startRedis } from './redis-server';

type Client = { sendCommand(args: string[]): Promise<unknown> } & Pick<ReturnType<typeof createClient>, "get" | "hGetAll" | "hLen" | "sCard" | "exists">;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ev { id: string; fp: string; p: number; label: 0 | 1 | null; fields: object }

/** An input entry as the worker sees it: its id, its valid events in order, its rejected lines. */
interface In { id: string; events: Ev[]; rejects?: [line: number, reason: string, raw: string][] }

/** PROCESS_BATCH's arguments for a batch of entries, as the worker builds them (see the script's doc). */
function batchArgs(o: { window: string; ttl?: string; store?: boolean; version?: number; entries: In[] }): string[] {
  const events = o.entries.flatMap((e) => e.events);
  const n = events.length;
  const version = o.version ?? 7;
  const rejects = o.entries.flatMap((e, j) => (e.rejects ?? []).map(([line, reason, raw]) => [String(j + 1), String(line), reason, raw]));
  const args = ['pre', o.ttl ?? '100', o.window, 'g', o.store ? '1' : '0', String(version), String(o.entries.length), String(n), String(rejects.length)];
  const pred = (e: Ev) => (e.p >= 0.5 ? 1 : 0);
  for (const e of o.entries) args.push(e.id);
  for (const e of o.entries) args.push(String(e.events.length));
  args.push(events.filter((e) => e.label !== null).map((e) => JSON.stringify({ ...e.fields, y: e.label })).join('\n'));
  for (const e of events) args.push(JSON.stringify(e.id));
  for (const e of events) args.push(e.fp);
  for (const e of events) args.push(`{"id":${JSON.stringify(e.id)},"p":${e.p},"prediction":${pred(e)},"group":${JSON.stringify(e.id)},"duplicate":false,"version":${version}}`);
  for (const e of events) args.push(e.label === null ? '' : e.label === 1 ? (pred(e) ? 'tp' : 'fn') : pred(e) ? 'fp' : 'tn');
  if (o.store) for (const e of events) args.push(e.label === null ? JSON.stringify({ f: e.fields, pred: pred(e) }) : '');
  for (const r of rejects) args.push(...r);
  return args;
}
/** A batch of one entry of one event (its id: the event's, with an "e-" prefix). */
const single = (window: string, e: Ev, ttl?: string) => batchArgs({ window, ttl, entries: [{ id: `1-${e.id.charCodeAt(0)}`, events: [e] }] });

const KEYS = ['out', 'pre:metrics', 'train', 'in', 'rej'];
const run = (client: Client, args: string[]) => client.sendCommand(['EVAL', PROCESS_BATCH, String(KEYS.length), ...KEYS, ...args]);
/** The output entries, each as its records (one JSON line per event of its input entry). */
const outEntries = async (client: Client) => ((await client.sendCommand(['XRANGE', 'out', '-', '+'])) as [string, string[]][]).map(([, f]) => {
  assert.equal(f.length, 2, 'one field per output entry');
  assert.equal(f[0], 'r');
  return f[1]!.split('\n').map((line) => JSON.parse(line) as { id: string; p: number; prediction: number; group: string; duplicate: boolean; version: number });
});
const records = async (client: Client) => (await outEntries(client)).flat();
/** The train entries: the lines to learn (mask "1"), parsed. */
const trainRows = async (client: Client) => ((await client.sendCommand(['XRANGE', 'train', '-', '+'])) as [string, string[]][]).map(([, f]) => {
  const get = (k: string) => f[f.indexOf(k) + 1]!;
  const lines = get('e').split('\n');
  const mask = get('m');
  assert.equal(mask.length, lines.length, 'one mask character per labelled line');
  const rows = lines.filter((_, q) => mask[q] === '1').map((l) => JSON.parse(l) as object);
  assert.equal(Number(get('n')), rows.length);
  return rows;
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

// PROCESS_BATCH against a real redis-server: dedup owners, once-per-entry writes, rejects, counters, XACK.
test('PROCESS_BATCH: one output entry per input entry holding its events\' records; a duplicate joins the first id\'s group; a redelivered entry writes nothing; every entry is acknowledged', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    await client.sendCommand(['XGROUP', 'CREATE', 'in', 'g', '0', 'MKSTREAM']);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String(await client.sendCommand(['XADD', 'in', '*', 'e', `x${i}`])));
    assert.ok(await client.sendCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 'in', '>']));
    // Entry 0 packs a (labelled 1) and b (same fingerprint as a, labelled 0) and a bad third line; entry 1
    // holds c (unlabelled, own fingerprint); entry 2 holds only a bad line.
    const a: Ev = { id: 'a', fp: 'F1', p: 0.9, label: 1, fields: { k: 1 } };
    const b: Ev = { id: 'b', fp: 'F1', p: 0.2, label: 0, fields: { k: 1 } };
    const c: Ev = { id: 'c', fp: 'F2', p: 0.6, label: null, fields: { k: 2 } };
    const first: In[] = [
      { id: ids[0]!, events: [a, b], rejects: [[3, 'bad line', 'x0:3']] },
      { id: ids[1]!, events: [c] },
      { id: ids[2]!, events: [], rejects: [[1, 'not a JSON object', 'x2']] },
    ];
    const args = batchArgs({ window: '60000', store: true, entries: first });
    assert.deepEqual(await run(client, args), [3, 0, 1]);
    assert.deepEqual((await outEntries(client)).map((e) => e.map((r) => [r.id, r.group, r.duplicate, r.prediction, r.version, r.p])),
      [[['a', 'a', false, 1, 7, 0.9], ['b', 'a', true, 0, 7, 0.2]], [['c', 'c', false, 1, 7, 0.6]]], 'one output entry per input entry with events, records in order');
    assert.deepEqual(await trainRows(client), [[{ k: 1, y: 1 }]], 'one train entry per batch; only the novel labelled event is learned');
    assert.deepEqual(JSON.parse(String(await client.get('pre:event:"c"'))), { f: { k: 2 }, pred: 1 }, 'the unlabelled novel event waits for its label');
    assert.equal(await client.get('pre:event:"b"'), null);
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '3', duplicates: '1', labelled: '2', tp: '1', tn: '1' });
    const rejects = (await client.sendCommand(['XRANGE', 'rej', '-', '+'])) as [string, string[]][];
    assert.deepEqual(rejects.map(([, f]) => f), [['entry', ids[0]!, 'line', '3', 'error', 'bad line', 'raw', 'x0:3'], ['entry', ids[2]!, 'line', '1', 'error', 'not a JSON object', 'raw', 'x2']]);
    const pending = async () => Number(((await client.sendCommand(['XPENDING', 'in', 'g'])) as unknown[])[0]);
    assert.equal(await pending(), 1, 'every entry of the batch acknowledged (the fourth one read is not in it)');
    // The same batch again (a redelivery): nothing new is written or counted.
    assert.deepEqual(await run(client, args), [0, 3, 0]);
    assert.equal(Number(await client.sendCommand(['XLEN', 'out'])), 2);
    assert.equal(Number(await client.sendCommand(['XLEN', 'train'])), 1);
    assert.equal(Number(await client.sendCommand(['XLEN', 'rej'])), 2);
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '3', duplicates: '1', labelled: '2', tp: '1', tn: '1' });
    // A batch mixing a written entry (claimed again) and a new one: only the new one is written and learned;
    // the redelivered a stays novel (its group's owner is its own id).
    const d: Ev = { id: 'd', fp: 'F3', p: 0.1, label: 1, fields: { k: 3 } };
    const mixed = batchArgs({ window: '60000', store: true, entries: [first[0]!, { id: ids[3]!, events: [d] }] });
    assert.deepEqual(await run(client, mixed), [1, 2, 0]);
    assert.deepEqual((await outEntries(client)).map((e) => e.map((r) => [r.id, r.group, r.duplicate])), [[['a', 'a', false], ['b', 'a', true]], [['c', 'c', false]], [['d', 'd', false]]]);
    assert.deepEqual(await trainRows(client), [[{ k: 1, y: 1 }], [{ k: 3, y: 1 }]], 'a and b, redelivered, are not learned again');
    assert.equal(Number(await client.sendCommand(['XLEN', 'rej'])), 2, 'the redelivered entry\'s reject is not written again');
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '4', duplicates: '1', labelled: '3', tp: '1', tn: '1', fn: '1' });
    assert.equal(await pending(), 0, 'every entry acknowledged');
    // The dedup state is one hash per window bucket, the done marks one set per TTL bucket, each with an expiry.
    const now = await redisMs(client);
    const bucket = `pre:dedup:${Math.floor(now / 60000)}`;
    assert.equal(await client.hLen(bucket), 3, 'one field per fingerprint');
    const ttl = Number(await client.sendCommand(['PTTL', bucket]));
    assert.ok(ttl > 60000 && ttl <= 120000, `the bucket expires as a whole at its end plus one window: ${ttl} ms`);
    const done = `pre:done:${Math.floor(now / 1000 / 100)}`;
    assert.equal(await client.sCard(done), 4, 'one mark per input entry');
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
    const entries: In[] = [
      { id: ids[0]!, events: [{ id: 'x', fp: 'X', p: 0.7, label: 1, fields: { v: 1 } }, { id: 'x2', fp: 'X2', p: 0.6, label: 1, fields: { v: 3 } }] },
      { id: ids[1]!, events: [{ id: 'y', fp: 'Y', p: 0.3, label: 0, fields: { v: 2 } }] },
    ];
    assert.deepEqual(await run(client, batchArgs({ window: '60000', entries })), [3, 0, 0], 'the claimer writes');
    assert.deepEqual(await run(client, batchArgs({ window: '60000', entries })), [0, 3, 0], 'the slow first reader, late, writes nothing');
    assert.deepEqual((await records(client)).map((r) => r.id), ['x', 'x2', 'y']);
    assert.equal(Number(await client.sendCommand(['XLEN', 'train'])), 1);
    assert.deepEqual(await client.hGetAll('pre:metrics'), { events: '3', labelled: '3', tp: '2', tn: '1' });
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
    const one = (id: string, fp: string) => single(String(W), { id, fp, p: 0.1, label: null, fields: {} });
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

test('PROCESS_BATCH: done marks (one per input entry) outlive their TTL bucket by less than one more TTL; a redelivery within the TTL writes nothing', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    const args = single('off', { id: 'z', fp: '', p: 0.2, label: null, fields: {} }, '1');
    const now = await redisMs(client);
    assert.deepEqual(await run(client, args), [1, 0, 0]);
    const k = Math.floor(now / 1000);
    const t = Number(await client.sendCommand(['PTTL', `pre:done:${k}`]));
    assert.ok(t > 0 && t <= 2000, `done bucket k expires at (k + 2) s: ${t} ms`);
    // Within the TTL (its own bucket or the next one) the entry is known.
    assert.deepEqual(await run(client, args), [0, 1, 0]);
    await sleep(1000 - ((await redisMs(client)) % 1000) + 50); // into bucket k + 1 (or later)
    if (Math.floor((await redisMs(client)) / 1000) === k + 1) assert.deepEqual(await run(client, args), [0, 1, 0], 'found in the previous bucket');
    await sleep(2200);
    assert.equal(await client.exists(`pre:done:${k}`), 0, 'the bucket expired as a whole');
    assert.deepEqual(await run(client, args), [1, 0, 0], 'after more than 2 TTLs the entry is forgotten');
  });
});

test('PUBLISH_MODEL: with the lease, one past the larger of the stored and our version, and the learned entries acknowledged in the same step; without it, nothing written or acknowledged', { timeout: 30_000 }, async () => {
  await withRedis(async (client) => {
    await client.sendCommand(['XGROUP', 'CREATE', 'tr', 'trainer', '0', 'MKSTREAM']);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(String(await client.sendCommand(['XADD', 'tr', '*', 'n', '1'])));
    await client.sendCommand(['XREADGROUP', 'GROUP', 'trainer', 't', 'COUNT', '10', 'STREAMS', 'tr', '>']);
    const pending = async () => Number(((await client.sendCommand(['XPENDING', 'tr', 'trainer'])) as unknown[])[0]);
    const publish = (holder: string, state: string, ours: number, acks: string[]) =>
      client.sendCommand(['EVAL', PUBLISH_MODEL, '4', 'lease', 'model', 'version', 'tr', holder, state, String(ours), 'trainer', ...acks]);
    await client.sendCommand(['SET', 'lease', 'other']);
    assert.equal(await publish('t', '{"w":1}', 0, ids.slice(0, 2)), 0, 'the lease is another\'s');
    assert.equal(await client.exists('model'), 0);
    assert.equal(await pending(), 3, 'nothing acknowledged without the lease');
    await client.sendCommand(['SET', 'lease', 't']);
    assert.equal(await publish('t', '{"w":1}', 0, ids.slice(0, 2)), 1);
    assert.equal(await client.get('model'), '{"w":1}');
    assert.equal(await client.get('version'), '1');
    assert.equal(await pending(), 1, 'the learned entries acknowledged with the model');
    await client.sendCommand(['SET', 'version', '5']); // a later trainer published meanwhile
    assert.equal(await publish('t', '{"w":2}', 1, []), 6, 'one past the stored version');
    assert.equal(await publish('t', '{"w":3}', 9, ids.slice(2)), 10, 'one past ours when it is larger');
    assert.equal(await pending(), 0);
    const check = (ours: number) => client.sendCommand(['EVAL', MODEL_IF_NEWER, '2', 'version', 'model', String(ours)]);
    assert.deepEqual(await check(3), [10, '{"w":3}'], 'newer: the version and the model');
    assert.deepEqual(await check(10), [10], 'not newer: the version alone');
  });
});
