import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OnlinePipeline } from '../../src/evaluate/online-pipeline';
import { createLearner } from '../../src/learn/create-learner';
import { startService } from '../../src/service/service';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { generateEvents } from '../../src/stream/generator';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'otf-serve-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Reply { status: number; body: string }
function call(url: string, method: string, path: string, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const ndjson = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('serve: concurrent clients each get one answer per event; labels later by id; metrics; model out and in', async () => {
  const pipeline = new OnlinePipeline({ learner: await createLearner({ schema: GENERATOR_SCHEMA, seed: 1 }), batch: 16 });
  const service = await startService({ pipeline, maxInFlight: 64 });
  try {
    assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const events = generateEvents({ scenario: 'storm', events: 2000, seed: 3 }).map(({ critical: _c, ...e }) => e);
    const labels = new Map(generateEvents({ scenario: 'storm', events: 2000, seed: 3 }).map((e) => [e.event_id, e.critical]));
    const chunks = Array.from({ length: 20 }, (_, i) => events.slice(i * 100, (i + 1) * 100));
    // 20 clients at once, half NDJSON, half JSON arrays.
    const replies = await Promise.all(chunks.map((c, i) => call(service.url, 'POST', '/events', i % 2 ? JSON.stringify(c) : ndjson(c))));
    const ids: string[] = [];
    for (const [i, r] of replies.entries()) {
      assert.equal(r.status, 200, r.body);
      const lines = r.body.trim().split('\n').map((l) => JSON.parse(l) as { id: string; p: number; prediction: number; group: number; duplicate: boolean; version: number });
      assert.equal(lines.length, 100);
      assert.deepEqual(lines.map((l) => l.id), chunks[i]!.map((e) => e.event_id));
      for (const l of lines) assert.deepEqual(Object.keys(l), ['id', 'p', 'prediction', 'group', 'duplicate', 'version']);
      ids.push(...lines.map((l) => l.id));
    }
    assert.equal(new Set(ids).size, 2000, 'every event answered exactly once');
    const lab = await call(service.url, 'POST', '/labels', ndjson(ids.map((id) => ({ id, label: labels.get(id) }))) + '{"id": 3}\n' + ndjson([{ id: 'nope', label: 1 }]));
    const counts = JSON.parse(lab.body) as { queued: number; duplicate: number; unknown: number; errors: unknown[] };
    assert.equal(counts.queued + counts.duplicate, 2000);
    assert.ok(counts.duplicate > 0);
    assert.equal(counts.unknown, 1);
    assert.equal(counts.errors.length, 1);
    const health = JSON.parse((await call(service.url, 'GET', '/healthz')).body) as { status: string; labelled: number; version: number };
    assert.equal(health.status, 'ok');
    assert.equal(health.labelled, 2000);
    assert.ok(health.version > 0);
    const metrics = (await call(service.url, 'GET', '/metrics')).body;
    assert.match(metrics, /^onthefly_events_total 2000$/m);
    assert.match(metrics, /^onthefly_learned_total \d+$/m);
    // All 2000 were predicted before any label came, so by the untrained model (the class prior, 0): F1 0.
    assert.match(metrics, /^onthefly_rolling_f1 0$/m);
    assert.match(metrics, /^onthefly_rolling_accuracy 0\.\d+$/m);
    assert.match(metrics, /^onthefly_prediction_seconds_count 2000$/m);
    // The model out, into a fresh service: the same answers from there on.
    const model = (await call(service.url, 'GET', '/model')).body;
    const other = await startService({ pipeline: new OnlinePipeline({ learner: await createLearner({ schema: GENERATOR_SCHEMA, seed: 7 }), batch: 16 }) });
    try {
      assert.equal((await call(other.url, 'PUT', '/model', model)).status, 200);
      const next = ndjson(generateEvents({ scenario: 'storm', events: 50, seed: 4 }));
      assert.equal((await call(other.url, 'POST', '/events', next)).body, (await call(service.url, 'POST', '/events', next)).body);
      assert.equal((await call(other.url, 'PUT', '/model', '{"format": "x"}')).status, 400);
    } finally {
      await other.close();
    }
  } finally {
    await service.close();
  }
});

test('serve: an oversized body gets 413, a malformed line a per-line error, a flood 503 — and the server lives on', async () => {
  const pipeline = new OnlinePipeline({ learner: await createLearner({ schema: GENERATOR_SCHEMA, seed: 1 }) });
  const service = await startService({ pipeline, maxBodyBytes: 64 * 1024, maxInFlight: 4 });
  try {
    const big = await call(service.url, 'POST', '/events', Buffer.alloc(200 * 1024, 0x20));
    assert.equal(big.status, 413);
    assert.match(JSON.parse(big.body).error, /over the limit of 65536/);
    const [e] = generateEvents({ scenario: 'stationary', events: 1, seed: 1 });
    const mixed = await call(service.url, 'POST', '/events', `${JSON.stringify(e)}\n{oops\n[1]\n${JSON.stringify({ ...e, severity: 'x' })}\n`);
    assert.equal(mixed.status, 200);
    const lines = mixed.body.trim().split('\n').map((l) => JSON.parse(l) as { id?: string; line?: number; error?: string });
    assert.equal(lines.length, 4);
    assert.equal(lines[0]!.id, e!.event_id);
    assert.equal(lines[1]!.line, 2);
    assert.match(lines[1]!.error!, /not JSON/);
    assert.match(lines[2]!.error!, /JSON object/);
    assert.equal(lines[3]!.line, 4);
    // A flood: 40 clients that hold their requests open; beyond 4 in flight, 503 at once.
    let answered = 0;
    const held = Array.from({ length: 40 }, () => {
      const req = request(`${service.url}/events`, { method: 'POST', agent: false });
      const done = new Promise<number>((resolve) => {
        req.on('response', (res) => { answered++; res.resume(); resolve(res.statusCode ?? 0); });
        req.on('error', () => resolve(-1));
      });
      req.write('{"partial": ');
      return { req, done };
    });
    // The bodies stay open until the server has answered the flood (36 at once) — or 20 s, on a machine
    // so loaded that the requests arrive slowly; a fixed short wait let late arrivals in after the first 4.
    for (const until = Date.now() + 20_000; answered < 36 && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
    for (const h of held) h.req.end(' 1}\n');
    const codes = await Promise.all(held.map((h) => h.done));
    assert.ok(codes.filter((c) => c === 503).length >= 30, `503s: ${codes.join(',')}`);
    assert.ok(codes.filter((c) => c === 200).length >= 1);
    assert.equal((await call(service.url, 'GET', '/healthz')).status, 200, 'still alive');
    assert.equal((await call(service.url, 'GET', '/nowhere')).status, 404);
  } finally {
    await service.close();
  }
});

test('onthefly serve: SIGTERM finishes, checkpoints and exits 0; --resume continues from the checkpoint', async () => {
  const ckpt = join(dir, 'ckpt');
  const start = (extra: string[]) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--batch', '8', '--checkpoint', ckpt, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const url = new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m) { clearInterval(t); resolve(m[1]!); }
      }, 20);
      child.on('exit', () => { clearInterval(t); reject(new Error(stderr)); });
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    return { child, url, exit, stderr: () => stderr };
  };
  const a = start([]);
  const url = await a.url;
  const evs = generateEvents({ scenario: 'stationary', events: 300, seed: 2 });
  assert.equal((await call(url, 'POST', '/events', ndjson(evs.slice(0, 200)))).status, 200);
  const before = JSON.parse((await call(url, 'GET', '/healthz')).body) as { version: number; events: number };
  a.child.kill('SIGTERM');
  assert.equal(await a.exit, 0, a.stderr());
  assert.match(a.stderr(), /SIGTERM: stopped after 200 events/);
  assert.ok(existsSync(join(ckpt, 'state.json')));
  const b = start(['--resume']);
  const url2 = await b.url;
  const after = JSON.parse((await call(url2, 'GET', '/healthz')).body) as { version: number; events: number };
  assert.equal(after.events, before.events);
  assert.equal(after.version, before.version);
  assert.equal((await call(url2, 'POST', '/events', ndjson(evs.slice(200)))).status, 200);
  b.child.kill('SIGINT');
  assert.equal(await b.exit, 0, b.stderr());
  const saved = JSON.parse(readFileSync(join(ckpt, 'state.json'), 'utf8')) as { pipeline: { core: { consumed: number } } };
  assert.equal(saved.pipeline.core.consumed, 300);
  const wrong = start(['--resume', '--lambda', '1']);
  await assert.rejects(wrong.url, /other schema\/learner\/dedup options/);
  assert.equal(await wrong.exit, 1);
});
