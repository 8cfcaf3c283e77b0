import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createClient } from 'redis';
import { labelOf, splitLearned } from '../../src/scale/worker';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';
import { startRedis } from './redis-server';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'otf-scale-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

/** A redis-server of the test's own, and a connected client. */
async function redisWithClient() {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  /** The end of a test: SIGKILL for the workers still alive, then the client and the server. */
  const close = async (...workers: ({ child: ChildProcess } | null)[]): Promise<void> => {
    for (const w of workers) if (w && w.child.exitCode === null) w.child.kill('SIGKILL');
    await client.quit().catch(() => {});
    await redis.stop();
  };
  return { redis, client, close };
}

/** All entries of a stream, oldest first. */
async function allEntries(client: { sendCommand(args: string[]): Promise<unknown> }, stream: string): Promise<[string, string[]][]> {
  const out: [string, string[]][] = [];
  let cursor = '-';
  for (;;) {
    const page = await client.sendCommand(['XRANGE', stream, cursor, '+', 'COUNT', '20000']) as [string, string[]][];
    for (const e of page) out.push(e);
    if (page.length < 20000) return out;
    cursor = `(${page[page.length - 1]![0]}`;
  }
}

/** The prediction records of an output stream: one JSON line per event in each entry's field r. */
async function outputRecords(client: { sendCommand(args: string[]): Promise<unknown> }, stream: string): Promise<{ id: string; group: string; duplicate: boolean }[]> {
  return (await allEntries(client, stream)).flatMap(([, f]) => {
    assert.equal(f[0], 'r');
    return f[1]!.split('\n').map((line) => JSON.parse(line) as { id: string; group: string; duplicate: boolean });
  });
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return Date.now() - t0;
    await sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

test('labelOf reads label entries through the schema', () => {
  assert.equal(labelOf(GENERATOR_SCHEMA, '1'), 1);
  assert.equal(labelOf(GENERATOR_SCHEMA, '0'), 0);
  assert.equal(labelOf(GENERATOR_SCHEMA, 'true'), 1);
  assert.equal(labelOf(GENERATOR_SCHEMA, undefined), null);
  assert.equal(labelOf({ ...GENERATOR_SCHEMA, label: { field: 'y', negative: ['ok'] } }, 'OK'), 0);
});

test('200k events (16 per entry) through 2 workers, one SIGKILLed midway and restarted: exactly one prediction per event id, one output entry per input entry; metrics count each event once; training moves to the other worker within the lease', { timeout: 240_000 }, async () => {
  const { redis, client, close } = await redisWithClient();
  const workers: ReturnType<typeof cli>[] = [];
  try {
    const N = 200_000;
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, generateEvents({ scenario: 'storm', events: N, seed: 11 }).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const lease = 1500;
    const common = ['--redis', redis.url, '--in', 'incidents', '--out', 'predictions', '--group', 'g', '--claim-idle', '1000', '--lease', String(lease), '--batch', '256'];
    const start = (name: string) => {
      const w = cli(['worker', ...common, '--consumer', name]);
      workers.push(w);
      return w;
    };
    const a = start('a');
    let b = start('b');
    const produced = cli(['produce', '--redis', redis.url, '--stream', 'incidents', '--input', file]);
    assert.equal(await produced.exit, 0, produced.err());
    assert.deepEqual(JSON.parse(produced.out()), { events: N, entries: N / 16, labels: 0, unparsed: 0 }, 'produce packs 16 events per entry by default');
    const counted = async () => Number(await client.sendCommand(['HGET', 'onthefly:g:metrics', 'events']) ?? 0);
    const outLen = async () => Number(await client.sendCommand(['XLEN', 'predictions']));
    // Kill b midway, then restart it under the same name.
    await until('a third of the predictions', 120_000, async () => (await counted()) >= N / 3);
    b.child.kill('SIGKILL');
    await b.exit;
    await sleep(300);
    b = start('b');
    await until('every prediction', 180_000, async () => (await counted()) >= N);
    await sleep(1500); // let redeliveries and claims settle: nothing more may be written
    assert.equal(await outLen(), N / 16, 'exactly one output entry per input entry');
    const records = await outputRecords(client, 'predictions');
    assert.equal(records.length, N, 'exactly one record per event');
    assert.equal(new Set(records.map((r) => r.id)).size, N, 'distinct event ids');
    const metrics = await client.hGetAll('onthefly:g:metrics');
    assert.equal(Number(metrics.events), N);
    assert.equal(Number(metrics.labelled), N);
    assert.equal(Number(metrics.tp ?? 0) + Number(metrics.fp ?? 0) + Number(metrics.tn ?? 0) + Number(metrics.fn ?? 0), N, 'each event scored once');
    assert.ok(Number(metrics.duplicates) > 0);
    const version = Number(await client.get('onthefly:g:model-version'));
    assert.ok(version > 10, `model version advanced: ${version}`);
    // Kill the lease holder: the other worker holds it within the lease time (plus one renewal period).
    const holder = await client.get('onthefly:g:lease');
    assert.ok(holder === 'a' || holder === 'b');
    const victim = holder === 'a' ? a : b;
    victim.child.kill('SIGKILL');
    await victim.exit;
    const took = await until('the other worker to take the lease', lease * 3, async () => {
      const h = await client.get('onthefly:g:lease');
      return h !== null && h !== holder;
    });
    assert.ok(took <= lease + lease / 3 + 500, `lease handed over in ${took} ms`);
    const survivor = holder === 'a' ? b : a;
    survivor.child.kill('SIGTERM');
    assert.equal(await survivor.exit, 0, survivor.err());
    assert.match(survivor.err(), /stopped: \d+ entries \(\d+ events\) processed/);
  } finally {
    await close(...workers);
  }
});

test('labels apart from the events: produce --labels-stream, the trainer joins them to the stored events', { timeout: 60_000 }, async () => {
  const { redis, client, close } = await redisWithClient();
  let w: ReturnType<typeof cli> | null = null;
  try {
    const N = 5000;
    const file = join(dir, 'labelled.jsonl');
    const lines = generateEvents({ scenario: 'stationary', events: N, seed: 2 }).map((e) => JSON.stringify(e));
    lines.splice(10, 0, '{not json');
    writeFileSync(file, lines.join('\n') + '\n');
    w = cli(['worker', '--redis', redis.url, '--in', 'ev', '--out', 'out', '--group', 'h', '--labels', 'lab', '--consumer', 'only', '--batch', '64', '--no-dedup']);
    const p = cli(['produce', '--redis', redis.url, '--stream', 'ev', '--input', file, '--labels-stream', 'lab']);
    assert.equal(await p.exit, 0, p.err());
    const stats = JSON.parse(p.out()) as { entries: number };
    assert.deepEqual(stats, { events: N + 1, entries: stats.entries, labels: N, unparsed: 1 });
    assert.equal(Number(await client.sendCommand(['XLEN', 'ev'])), stats.entries);
    await until('all predictions and labels', 30_000, async () => Number((await client.hGetAll('onthefly:h:metrics')).labelled ?? 0) >= N);
    assert.equal((await outputRecords(client, 'out')).length, N);
    // The bad line is the 11th of the file: the first entry's 11th line.
    const rejects = await allEntries(client, 'out:rejects');
    assert.equal(rejects.length, 1);
    const [firstEntry] = (await allEntries(client, 'ev'))[0]!;
    assert.deepEqual(rejects[0]![1].slice(0, 4), ['entry', firstEntry, 'line', '11']);
    assert.ok(Number(await client.get('onthefly:h:model-version')) > 0);
    w.child.kill('SIGTERM');
    assert.equal(await w.exit, 0, w.err());
  } finally {
    await close(w);
  }
});

test('produce: every line in file order, packed --pack per entry within a round, each label after its event; --rate paces the rounds; bad --rate or --pack is a usage error', { timeout: 60_000 }, async () => {
  const { redis, client, close } = await redisWithClient();
  try {
    const N = 3000;
    const file = join(dir, 'paced.jsonl');
    const events = generateEvents({ scenario: 'stationary', events: N, seed: 4 });
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const t0 = Date.now();
    const p = cli(['produce', '--redis', redis.url, '--stream', 'paced', '--input', file, '--labels-stream', 'paced-labels', '--rate', '5000']);
    assert.equal(await p.exit, 0, p.err());
    const took = Date.now() - t0;
    // Rounds of 50 events, packed 16, 16, 16, 2; the last round due at (N − 50) / 5000 s: at least 0.59 s, whatever the machine.
    assert.deepEqual(JSON.parse(p.out()), { events: N, entries: (N / 50) * 4, labels: N, unparsed: 0 });
    assert.ok(took >= 590, `paced at 5000 events/s, ${N} events took ${took} ms`);
    const packed = (await client.sendCommand(['XRANGE', 'paced', '-', '+'])) as [string, string[]][];
    assert.deepEqual(packed.slice(0, 5).map(([, f]) => f[1]!.split('\n').length), [16, 16, 16, 2, 16]);
    const entries = packed.flatMap(([id, f]) => f[1]!.split('\n').map((line): [string, string[]] => [id, ['e', line]]));
    assert.deepEqual(entries.map(([, f]) => JSON.parse(f[1]!).event_id), events.map((e) => e.event_id));
    assert.ok(entries.every(([, f]) => !('critical' in JSON.parse(f[1]!))), 'labels moved out of the events');
    const labels = (await client.sendCommand(['XRANGE', 'paced-labels', '-', '+'])) as [string, string[]][];
    assert.deepEqual(labels.map(([, f]) => [f[1], f[3]]), events.map((e) => [e.event_id, String(e.critical)]));
    // Each label's entry comes after its event's (stream ids are Redis' clock, then a sequence).
    const at = new Map(entries.map(([id, f]) => [JSON.parse(f[1]!).event_id as string, id]));
    const order = (a: string, b: string) => { const [x, y] = a.split('-').map(Number), [u, v] = b.split('-').map(Number); return x! - u! || y! - v!; };
    assert.ok(labels.every(([id, f]) => order(id, at.get(f[1]!)!) >= 0));
    // --pack 1: one event per entry.
    const one = cli(['produce', '--redis', redis.url, '--stream', 'single', '--input', file, '--pack', '1']);
    assert.equal(await one.exit, 0, one.err());
    assert.deepEqual(JSON.parse(one.out()), { events: N, entries: N, labels: 0, unparsed: 0 });
    const singles = (await client.sendCommand(['XRANGE', 'single', '-', '+'])) as [string, string[]][];
    assert.deepEqual(singles.map(([, f]) => JSON.parse(f[1]!).event_id), events.map((e) => e.event_id));
    for (const [option, bad] of [['--rate', '0'], ['--rate', '-5'], ['--rate', 'fast'], ['--pack', '0'], ['--pack', '2.5'], ['--pack', 'many']]) {
      const q = cli(['produce', '--redis', redis.url, '--stream', 'x', '--input', file, option!, bad!]);
      assert.equal(await q.exit, 2, `${option} ${bad}`);
      assert.match(q.err(), new RegExp(`${option}`));
    }
    assert.equal(Number(await client.sendCommand(['EXISTS', 'x'])), 0, 'nothing sent after a usage error');
  } finally {
    await close();
  }
});

test('splitLearned: an entry is acknowledged only when all its rows are learned; the rest stay held with their unlearned count', () => {
  const acks = [{ id: 'a', rows: 3 }, { id: 'b', rows: 0 }, { id: 'c', rows: 5 }, { id: 'd', rows: 2 }];
  assert.deepEqual(splitLearned(acks, 0), { done: [], held: acks });
  assert.deepEqual(splitLearned(acks, 2), { done: [], held: [{ id: 'a', rows: 1 }, ...acks.slice(1)] });
  assert.deepEqual(splitLearned(acks, 3).done.map((a) => a.id), ['a', 'b'], 'an entry without rows goes with the one before');
  const mid = splitLearned(acks, 6);
  assert.deepEqual(mid, { done: acks.slice(0, 2), held: [{ id: 'c', rows: 2 }, { id: 'd', rows: 2 }] });
  assert.deepEqual(splitLearned(mid.held, 4), { done: mid.held, held: [] });
  assert.equal(acks[2]!.rows, 5, 'inputs unchanged');
});

test('SIGTERM midway: every entry the worker read (the batch read ahead included) is finished and acknowledged, none left pending', { timeout: 120_000 }, async () => {
  const { redis, client, close } = await redisWithClient();
  let w: ReturnType<typeof cli> | null = null;
  try {
    const N = 60_000;
    const file = join(dir, 'term.jsonl');
    writeFileSync(file, generateEvents({ scenario: 'storm', events: N, seed: 5 }).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const p = cli(['produce', '--redis', redis.url, '--stream', 'tin', '--input', file]);
    assert.equal(await p.exit, 0, p.err());
    w = cli(['worker', '--redis', redis.url, '--in', 'tin', '--out', 'tout', '--group', 't', '--consumer', 'only', '--batch', '256']);
    await until('some predictions', 60_000, async () => Number(await client.sendCommand(['HGET', 'onthefly:t:metrics', 'events']) ?? 0) >= 5000);
    w.child.kill('SIGTERM');
    assert.equal(await w.exit, 0, w.err());
    const outEntries = Number(await client.sendCommand(['XLEN', 'tout']));
    const written = (await outputRecords(client, 'tout')).length;
    assert.ok(written < N, `stopped midway (${written} of ${N})`);
    const pending = (await client.sendCommand(['XPENDING', 'tin', 't'])) as unknown[];
    assert.equal(Number(pending[0]), 0, 'nothing read is left pending');
    const g = ((await client.sendCommand(['XINFO', 'GROUPS', 'tin'])) as unknown[])[0] as unknown[] | Record<string, unknown>;
    const delivered = String(Array.isArray(g) ? g[g.indexOf('last-delivered-id') + 1] : g['last-delivered-id']);
    const entries = (await client.sendCommand(['XRANGE', 'tin', '-', delivered])) as [string, string[]][];
    assert.equal(entries.length, outEntries, 'every delivered entry has its output entry');
    assert.equal(entries.reduce((s, [, f]) => s + f[1]!.split('\n').length, 0), written, 'every delivered event has its prediction');
    assert.equal(Number((await client.hGetAll('onthefly:t:metrics')).events), written);
  } finally {
    await close(w);
  }
});

test('a trainer whose learning round outlasts its lease renews it between steps and publishes (it used to lose the lease before every publish and relearn forever)', { timeout: 120_000 }, async () => {
  const { redis, client, close } = await redisWithClient();
  let w: ReturnType<typeof cli> | null = null;
  try {
    // 100 train entries of 256 labelled rows each, left pending by a dead trainer, as the batch script writes them.
    const lines = generateEvents({ scenario: 'stationary', events: 25_600, seed: 6 }).map((e) => JSON.stringify(e));
    await client.sendCommand(['XGROUP', 'CREATE', 'onthefly:r:train', 'trainer', '0', 'MKSTREAM']);
    for (let i = 0; i < lines.length; i += 256) {
      await client.sendCommand(['XADD', 'onthefly:r:train', '*', 'n', '256', 'e', lines.slice(i, i + 256).join('\n'), 'm', '1'.repeat(256)]);
    }
    await client.sendCommand(['XREADGROUP', 'GROUP', 'trainer', 'dead', 'COUNT', '1000', 'STREAMS', 'onthefly:r:train', '>']);
    // Reading, validating and learning 100 steps of 256 rows takes longer than the 150 ms lease.
    w = cli(['worker', '--redis', redis.url, '--in', 'rin', '--out', 'rout', '--group', 'r', '--consumer', 'only', '--lease', '150', '--model', 'logistic', '--batch', '256']);
    await until('a published model', 90_000, async () => Number(await client.get('onthefly:r:model-version') ?? 0) >= 1);
    await until('every train entry learned and acknowledged', 60_000, async () => Number(((await client.sendCommand(['XPENDING', 'onthefly:r:train', 'trainer'])) as unknown[])[0]) === 0);
    w.child.kill('SIGTERM');
    assert.equal(await w.exit, 0, w.err());
  } finally {
    await close(w);
  }
});
