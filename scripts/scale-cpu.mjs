// CPU cost per event of the Redis scale-out, split between redis-server and the workers: a fixed backlog
// (storm, seed 3, as bench/service.mjs; written by onthefly produce, PACK events per entry, default
// produce's) is handed to already idle workers in one RENAME, and the CPU ticks
// of redis-server and of each worker (/proc/PID/stat utime+stime, all threads) are read around it, with
// INFO commandstats reset at the start. CPU time per event is meaningful on a shared machine; the wall
// time printed beside it is not. For each process' main thread it also prints the share of the wall time
// it ran, waited runnable for a CPU (/proc/PID/schedstat: other load on the machine, or more runnable
// threads than cores) and was idle (blocked: a worker waiting for Redis, Redis waiting for a command).
//   [PACK=K] [MODEL=NAME] [NOLABEL=1] node scripts/scale-cpu.mjs [events=100000] [workers=1, or a list: 1,2] [repeat=1]
// MODEL is the workers' --model (bench/service.mjs uses logistic; default: the CLI's); NOLABEL=1 drops the
// label field from the events (nothing to train: the trainer's share out of the picture). PIN=1 pins
// worker k to CPU k (taskset; redis-server floats): a diagnostic of the scheduler's placement, not how
// the benchmark runs.
// ROOT=DIR measures the build in DIR/dist instead; WORKER_NODE_ARGS="--cpu-prof …" is passed to each worker's node.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// ROOT: another checkout's build to compare with (its dist/), e.g. the code before a change.
const root = process.env.ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { generateEvents } = require(join(root, 'dist/index.js'));
const { createClient } = require('redis');
const cli = join(root, 'dist/cli/main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const N = Number(process.argv[2] ?? 100_000);
const workerCounts = String(process.argv[3] ?? '1').split(',').map(Number);
const repeat = Number(process.argv[4] ?? 1);

const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
/** utime + stime of a process (all its threads), in µs. */
const cpuUs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 1e4; // fields 14, 15 of the file; USER_HZ is 100
};

/** [run ns, runqueue wait ns] of a process' main thread (/proc/PID/schedstat): CPU starvation shows as wait. */
const sched = (pid) => readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').slice(0, 2).map(Number);

async function once(workers) {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = createClient({ url });
  client.on('error', () => {});
  for (let i = 0; ; i++) { try { await client.connect(); break; } catch { if (i > 100) throw new Error('no redis'); await sleep(50); } }
  try {
    const dir = mkdtempSync(join(tmpdir(), 'onthefly-scale-cpu-'));
    writeFileSync(join(dir, 'events.jsonl'), generateEvents({ scenario: 'storm', events: N, seed: 3 }).map((e) => JSON.stringify(process.env.NOLABEL ? { ...e, critical: undefined } : e)).join('\n') + '\n');
    const producer = spawn(process.execPath, [cli, 'produce', '--redis', url, '--stream', 'staging', '--input', join(dir, 'events.jsonl'), ...(process.env.PACK ? ['--pack', process.env.PACK] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
    await new Promise((r) => producer.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
    await client.sendCommand(['XGROUP', 'CREATE', 'staging', 'g', '0']);
    const procs = Array.from({ length: workers }, (_, k) => spawn(process.env.PIN ? 'taskset' : process.execPath, [...(process.env.PIN ? ['-c', String(k % availableParallelism()), process.execPath] : []), ...(process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'worker', '--redis', url, '--in', 'in', '--out', 'out', '--group', 'g', '--consumer', `w${k}`, '--batch', '256', ...(process.env.MODEL ? ['--model', process.env.MODEL] : [])], { stdio: ['ignore', 'ignore', 'inherit'] }));
    await sleep(2500); // loaded, connected, blocked on the empty stream
    const w0 = procs.map((p) => cpuUs(p.pid));
    await client.sendCommand(['CONFIG', 'RESETSTAT']);
    const r0 = cpuUs(redis.pid);
    const s0 = [redis, ...procs].map((p) => sched(p.pid));
    const t0 = performance.now();
    await client.sendCommand(['RENAME', 'staging', 'in']);
    while (Number(await client.sendCommand(['HGET', 'onthefly:g:metrics', 'events'])) < N) await sleep(10);
    const wall = performance.now() - t0;
    const r1 = cpuUs(redis.pid);
    const s1 = [redis, ...procs].map((p) => sched(p.pid));
    const w1 = procs.map((p) => cpuUs(p.pid));
    const stats = String(await client.sendCommand(['INFO', 'commandstats']));
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => p.on('exit', r))));
    const wsum = w1.reduce((s, x, i) => s + x - w0[i], 0);
    const cmds = [];
    for (const m of stats.matchAll(/cmdstat_(\w+(?:\|\w+)?):calls=(\d+),usec=(\d+)/g)) cmds.push({ cmd: m[1], calls: Number(m[2]), usec: Number(m[3]) });
    cmds.sort((a, b) => b.usec - a.usec);
    console.log(`${workers} worker(s), ${N} events, pack ${process.env.PACK ?? 'default'}: redis ${((r1 - r0) / N).toFixed(1)} µs CPU/event, workers ${(wsum / N).toFixed(1)} µs CPU/event (${w1.map((x, i) => ((x - w0[i]) / N).toFixed(1)).join(' + ')}), wall ${(N / wall * 1000).toFixed(0)} events/s (machine shared)`);
    // Main thread of each process over the wall time: running, waiting for a CPU (runnable, not running), idle (blocked).
    console.log('  main threads (run / runnable-waiting / idle, % of wall): ' + ['redis', ...procs.map((_, k) => `w${k}`)].map((name, k) => {
      const run = (s1[k][0] - s0[k][0]) / 1e6 / wall;
      const wait = (s1[k][1] - s0[k][1]) / 1e6 / wall;
      return `${name} ${(100 * run).toFixed(0)}/${(100 * wait).toFixed(0)}/${(100 * (1 - run - wait)).toFixed(0)}`;
    }).join(', '));
    console.log('  commandstats: ' + cmds.slice(0, 9).map((c) => `${c.cmd} ${c.calls}× ${(c.usec / N).toFixed(2)} µs/event (${(c.usec / c.calls).toFixed(1)}/call)`).join('; '));
  } finally {
    await client.quit().catch(() => {});
    redis.kill('SIGTERM');
  }
}

for (let k = 0; k < repeat; k++) for (const w of workerCounts) await once(w);
