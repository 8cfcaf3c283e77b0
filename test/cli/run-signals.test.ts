import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-sig-'));

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run summary without wall-clock figures. */
function stable(json: string): unknown {
  const r = JSON.parse(json);
  for (const k of ['trainMsPerBatchP50', 'trainMsPerBatchP95', 'eventsPerSec', 'wallMs', 'maxPending']) delete r.timing[k];
  return r;
}

const lines = (f: string): number => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);
const strip = (f: string): string => readFileSync(f, 'utf8').replace(/"latency_us":\d+/g, '');

async function until(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Spawn the CLI on a stdin pipe left open; collects stderr and stdout. */
function live(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

test('a live stdin stream: the audit log reaches disk without closing stdin; SIGTERM stops cleanly and --resume continues', async () => {
  const dir = tmp();
  const file = join(dir, 'stream.jsonl');
  const gen = cli(['generate', '--scenario', 'storm', '--events', '6000', '--seed', '4', '--out', file]);
  assert.equal(gen.code, 0, gen.stderr);
  const all = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const common = ['run', '--input', '-', '--batch', '32', '--json', '--rejects', join(dir, 'rejects.jsonl')];
  const whole = cli([...common, '--audit', join(dir, 'whole.jsonl')], `${all.join('\n')}\n`);
  assert.equal(whole.code, 0, whole.stderr);

  const audit = join(dir, 'audit.jsonl');
  const ck = join(dir, 'ck');
  const args = [...common, '--audit', audit, '--checkpoint', ck];
  const run = live(args);
  run.child.stdin!.write(`${all.slice(0, 2500).join('\n')}\n`);
  await until('2500 audit lines on disk', () => lines(audit) === 2500);
  // A second run on the same checkpoint directory is refused while this one lives.
  const second = cli(args, '');
  assert.equal(second.code, 1);
  assert.match(second.stderr, /^onthefly run: checkpoint directory .*ck is in use by process \d+ .*\n$/);
  run.child.kill('SIGTERM');
  assert.equal(await run.exit, 0, run.err());
  assert.match(run.err(), /^onthefly run: stopped by SIGTERM after 2500 events, all of them predicted and logged; checkpoint in .*ck, continue with --resume\n$/);
  assert.equal(JSON.parse(run.out()).stopped, true);
  assert.equal(lines(audit), 2500);
  assert.ok(existsSync(join(ck, 'state.json')));
  assert.ok(!existsSync(join(ck, 'lock')), 'lock released');

  // The whole stream again on stdin: the checkpoint's 2500 events are skipped (and checked), the rest is run.
  const resumed = cli([...args, '--resume'], `${all.join('\n')}\n`);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(stable(resumed.stdout), stable(whole.stdout));
  assert.equal(strip(audit), strip(join(dir, 'whole.jsonl')));
});

test('stdin on --resume: a shorter stream or another one is refused (exit 1, one line)', async () => {
  const dir = tmp();
  const file = join(dir, 'stream.jsonl');
  assert.equal(cli(['generate', '--scenario', 'abrupt', '--events', '3000', '--seed', '4', '--out', file]).code, 0);
  const all = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const audit = join(dir, 'audit.jsonl');
  const args = ['run', '--input', '-', '--batch', '32', '--json', '--checkpoint', join(dir, 'ck'), '--audit', audit];
  const run = live(args);
  run.child.stdin!.write(`${all.slice(0, 2000).join('\n')}\n`);
  await until('2000 audit lines on disk', () => lines(audit) === 2000);
  run.child.kill('SIGINT');
  assert.equal(await run.exit, 0, run.err());
  assert.match(run.err(), /stopped by SIGINT after 2000 events/);
  const short = cli([...args, '--resume'], `${all.slice(0, 1200).join('\n')}\n`);
  assert.equal(short.code, 1);
  assert.match(short.stderr, /^onthefly run: -: ended after 1200 records, but the checkpoint in .* is at record 2000; it is not the stream the checkpoint belongs to\n$/);
  const other = readFileSync(file, 'utf8').replace(/"severity":(\d)/g, '"severity":1');
  const changed = cli([...args, '--resume'], other);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /^onthefly run: -: its first 1024 records differ/);
});

test('every failure of a run is one line on stderr without a stack, exit 1', async () => {
  const dir = tmp();
  const base = ['run', '--scenario', 'stationary', '--events', '3000', '--json'];
  const check = (r: { code: number | null; stderr: string }, pattern: RegExp): void => {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    assert.ok(!/\n\s+at /.test(r.stderr), 'no stack');
  };
  check(cli([...base, '--audit', '/dev/full']), /^onthefly run: cannot write audit log \/dev\/full: no space left on device \(ENOSPC\)\n$/);
  writeFileSync(join(dir, 'file'), 'x');
  check(cli([...base, '--checkpoint', join(dir, 'file', 'ck')]), /^onthefly run: cannot create checkpoint directory .*: not a directory \(ENOTDIR\)\n$/);
  check(cli([...base, '--rejects', join(dir, 'file', 'r.jsonl')]), /^onthefly run: cannot open rejects file .*: not a directory \(ENOTDIR\)\n$/);
  const ck = join(dir, 'ck');
  for (const [text, why] of [['', /empty file/], ['null', /found null/], ['{"fingerprint":', /not valid JSON/]] as const) {
    assert.equal(cli([...base, '--checkpoint', ck, '--checkpoint-every', '1000']).code, 0);
    writeFileSync(join(ck, 'state.json'), text);
    check(cli([...base, '--checkpoint', ck, '--resume']), new RegExp(`^onthefly run: checkpoint ${join(ck, 'state.json').replace(/[/.]/g, '\\$&')} is .*${why.source}`));
  }
});
