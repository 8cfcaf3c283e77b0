import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-cli-'));

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run summary without wall-clock figures. */
function stable(json: string): unknown {
  const r = JSON.parse(json);
  delete r.timing.trainMsPerBatchP50;
  delete r.timing.trainMsPerBatchP95;
  delete r.timing.eventsPerSec;
  delete r.timing.wallMs;
  return r;
}

test('run --json prints exactly one JSON object with the docs/design.md §5 fields', () => {
  const r = cli(['run', '--scenario', 'storm', '--events', '6000', '--seed', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const o = JSON.parse(lines[0]);
  for (const k of ['events', 'rejected', 'unique', 'duplicates', 'metrics', 'bayes', 'timing', 'backend', 'dedup', 'constraints', 'forgetting']) {
    assert.ok(k in o, k);
  }
  for (const k of ['precision', 'recall', 'f1', 'accuracy']) assert.equal(typeof o.metrics[k], 'number');
  for (const k of ['accuracy', 'f1']) assert.equal(typeof o.bayes[k], 'number');
  assert.equal(typeof o.timing.trainMsPerBatchP50, 'number');
  assert.equal(typeof o.timing.eventsPerSec, 'number');
  for (const k of ['groups', 'evictions', 'compression']) assert.equal(typeof o.dedup[k], 'number');
  assert.equal(typeof o.constraints.violationRate, 'number');
  assert.ok(o.duplicates > 0 && o.unique < o.events && o.dedup.compression > 1);
  const off = JSON.parse(cli(['run', '--scenario', 'storm', '--events', '6000', '--seed', '2', '--json', '--no-dedup']).stdout);
  assert.equal(off.duplicates, 0);
});

test('a generated file read back (JSONL and stdin) gives the same run as the generator', () => {
  const dir = tmp();
  const file = join(dir, 's.jsonl');
  assert.equal(cli(['generate', '--scenario', 'abrupt', '--events', '5000', '--seed', '4', '--out', file]).code, 0);
  const direct = cli(['run', '--scenario', 'abrupt', '--events', '5000', '--seed', '4', '--json']);
  const fromFile = cli(['run', '--input', file, '--seed', '4', '--json']);
  const fromStdin = cli(['run', '--input', '-', '--seed', '4', '--json'], readFileSync(file, 'utf8'));
  const metrics = (s: string): unknown => {
    const o = JSON.parse(s);
    return [o.events, o.unique, o.metrics, o.bayes, o.forgetting, o.constraints];
  };
  assert.deepEqual(metrics(fromFile.stdout), metrics(direct.stdout));
  assert.deepEqual(metrics(fromStdin.stdout), metrics(direct.stdout));
});

test('usage errors are clear and exit 2; unreadable input exits 1', () => {
  const bad = cli(['run', '--batch', 'zero']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--batch must be an integer/);
  assert.equal(cli(['run', '--scenario', 'nope']).code, 2);
  assert.equal(cli(['run', '--resume']).code, 2);
  const missing = cli(['run', '--input', '/nonexistent/x.jsonl']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read input/);
  assert.equal(cli(['sweep', '--lambda', 'a,b']).code, 2);
});

test('evaluate --audit recomputes what run printed', () => {
  const dir = tmp();
  const audit = join(dir, 'audit.jsonl');
  const run = JSON.parse(cli(['run', '--scenario', 'recurring', '--events', '9000', '--audit', audit, '--json']).stdout);
  const ev = cli(['evaluate', '--audit', audit, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const e = JSON.parse(ev.stdout);
  assert.deepEqual(e.metrics, run.metrics);
  assert.deepEqual(e.bayes, run.bayes);
  assert.deepEqual(e.forgetting, run.forgetting);
});

test('SIGKILL at any moment, then --resume: the same final metrics and audit log as an uninterrupted run', async () => {
  const dir = tmp();
  const common = ['run', '--scenario', 'recurring', '--events', '150000', '--seed', '3', '--batch', '64', '--replay', '1', '--json', '--checkpoint-every', '7000'];
  const whole = cli([...common, '--audit', join(dir, 'whole.jsonl')]);
  assert.equal(whole.code, 0, whole.stderr);
  for (const waitMs of [150, 900]) {
    const ck = join(dir, `ck-${waitMs}`);
    const audit = join(dir, `audit-${waitMs}.jsonl`);
    const args = [...common, '--audit', audit, '--checkpoint', ck];
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    // Let it run past at least one checkpoint (or not, for the shortest wait), then kill it hard.
    const deadline = Date.now() + 20_000;
    while (waitMs > 500 && !existsSync(join(ck, 'state.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, waitMs));
    const killed = child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    assert.ok(killed);
    const resumed = cli([...args, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(stable(resumed.stdout), stable(whole.stdout));
    const strip = (f: string): string => readFileSync(f, 'utf8').replace(/"latency_us":\d+/g, '');
    assert.equal(strip(audit), strip(join(dir, 'whole.jsonl')));
  }
});

test('SIGKILL then --resume on a JSONL file read by the parser thread (≥ 4 MB): the same metrics and audit log', async () => {
  const dir = tmp();
  const file = join(dir, 'abrupt.jsonl');
  const gen = cli(['generate', '--scenario', 'abrupt', '--events', '20000', '--seed', '2', '--out', file]);
  assert.equal(gen.code, 0, gen.stderr);
  assert.ok(statSync(file).size >= 4 << 20, 'large enough for the parser thread');
  const common = ['run', '--input', file, '--batch', '64', '--json', '--checkpoint-every', '3000'];
  const whole = cli([...common, '--audit', join(dir, 'whole.jsonl')]);
  assert.equal(whole.code, 0, whole.stderr);
  const ck = join(dir, 'ck');
  const audit = join(dir, 'audit.jsonl');
  const args = [...common, '--audit', audit, '--checkpoint', ck];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(ck, 'state.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  const code = await new Promise((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, null, 'killed before the end');
  const resumed = cli([...args, '--resume']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(stable(resumed.stdout), stable(whole.stdout));
  const strip = (f: string): string => readFileSync(f, 'utf8').replace(/"latency_us":\d+/g, '');
  assert.equal(strip(audit), strip(join(dir, 'whole.jsonl')));
});

test('sweep prints one table (through danfo), writes it as CSV, and --json holds the same means', () => {
  const dir = tmp();
  const csv = join(dir, 'sweep.csv');
  const common = ['sweep', '--scenario', 'storm', '--lambda', '0,1', '--seeds', '1,2', '--events', '1500', '--batch', '64'];
  const r = cli([...common, '--csv', csv]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'mean ± std over 2 seed(s)');
  assert.equal(lines.length, 5, r.stdout); // caption, header, rule, two configurations
  assert.doesNotMatch(r.stderr, /tensorflow|already registered/i);
  const rows = readFileSync(csv, 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.equal(rows.length, 3);
  const j = JSON.parse(cli([...common, '--json']).stdout) as { rows: { lambda: number; f1: { mean: number } }[] };
  const f1 = rows[0]!.indexOf('f1_mean');
  const lambda = rows[0]!.indexOf('lambda');
  assert.equal(rows[0]![0], 'config');
  j.rows.forEach((row, i) => {
    assert.equal(rows[i + 1]![0], `λ=${row.lambda}`);
    assert.equal(Number(rows[i + 1]![lambda]), row.lambda);
    assert.ok(Math.abs(Number(rows[i + 1]![f1]) - row.f1.mean) < 1e-12);
  });
});

test('run --curve FILE writes the rolling series as CSV equal to rolling.series; an unwritable path exits 1 first', () => {
  const dir = tmp();
  const file = join(dir, 'curve.csv');
  const r = cli(['run', '--scenario', 'storm', '--events', '5000', '--seed', '3', '--window', '500', '--curve', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const series = JSON.parse(r.stdout).rolling.series as Array<{ index: number; f1: number; accuracy: number; bayesF1?: number }>;
  const lines = readFileSync(file, 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'index,f1,accuracy,bayesF1');
  assert.equal(lines.length - 1, series.length);
  assert.ok(series.length >= 9, `${series.length} points`);
  lines.slice(1).forEach((line, i) => {
    const [index, f1, accuracy, bayesF1] = line.split(',');
    const p = series[i]!;
    assert.deepEqual([Number(index), Number(f1), Number(accuracy)], [p.index, p.f1, p.accuracy]);
    assert.equal(bayesF1, p.bayesF1 === undefined ? '' : String(p.bayesF1));
  });
  const bad = cli(['run', '--scenario', 'storm', '--events', '500', '--curve', join(dir, 'no', 'such', 'dir', 'c.csv')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^onthefly run: --curve .*c\.csv: cannot write \(ENOENT\)\n$/);
});
