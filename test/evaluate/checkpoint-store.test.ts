import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckpointStore } from '../../src/evaluate/checkpoint-store';
import { FileError } from '../../src/evaluate/file-error';
import { runExperiment } from '../../src/evaluate/run-experiment';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-ck-'));

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** A run stopped after `consumed` events with a checkpoint left behind, and its options. */
async function stoppedRun(dir: string, extra: Record<string, unknown> = {}) {
  const opts = { scenario: 'abrupt' as const, events: 6000, seed: 2, batch: 32, learner: { model: 'logistic' as const }, checkpoint: join(dir, 'ck'), checkpointEvery: 1000, ...extra };
  const stop = new AbortController();
  const r = await runExperiment({ ...opts, onStep: (s) => { if (s.events >= 2500) stop.abort(); }, signal: stop.signal });
  assert.equal(r.stopped, true);
  assert.ok(existsSync(join(dir, 'ck', 'state.json')));
  return { opts, stopped: r };
}

test('a checkpoint directory is locked: a second store on it fails with a clear message; a dead owner\'s lock is taken over', () => {
  const dir = join(tmp(), 'ck');
  const a = new CheckpointStore(dir);
  assert.equal(readFileSync(join(dir, 'lock'), 'utf8').trim(), String(process.pid));
  assert.throws(() => new CheckpointStore(dir), (err: Error) => err instanceof FileError && /in use by process \d+/.test(err.message) && err.message.includes(dir));
  a.close();
  assert.ok(!existsSync(join(dir, 'lock')), 'close releases the lock');
  const b = new CheckpointStore(dir);
  b.close();
  writeFileSync(join(dir, 'lock'), `${deadPid()}\n`);
  const c = new CheckpointStore(dir);
  assert.equal(readFileSync(join(dir, 'lock'), 'utf8').trim(), String(process.pid), 'stale lock taken over');
  c.finish();
  assert.ok(!existsSync(join(dir, 'lock')));
});

test('the temporary state file is per process, and a full disk at a checkpoint is a one-line error naming the file', async () => {
  const dir = tmp();
  const ck = join(dir, 'ck');
  new CheckpointStore(ck).close();
  // This process's temporary file leads to /dev/full: writing it fails with ENOSPC.
  symlinkSync('/dev/full', join(ck, `state.json.tmp-${process.pid}`));
  await assert.rejects(
    runExperiment({ scenario: 'stationary', events: 3000, checkpoint: ck, checkpointEvery: 1000 }),
    (err: Error) => err instanceof FileError && err.message === `cannot write checkpoint ${join(ck, 'state.json')}: no space left on device (ENOSPC)`,
  );
  assert.ok(!existsSync(join(ck, 'lock')), 'the lock is released after a failed run');
  // A checkpoint directory under a regular file cannot be created.
  writeFileSync(join(dir, 'file'), 'x');
  await assert.rejects(
    runExperiment({ scenario: 'stationary', events: 100, checkpoint: join(dir, 'file', 'ck') }),
    (err: Error) => err instanceof FileError && /^cannot create checkpoint directory .*file\/ck: not a directory \(ENOTDIR\)$/.test(err.message),
  );
});

test('a damaged state.json is refused before anything is used, naming the file', async () => {
  const dir = tmp();
  const { opts } = await stoppedRun(dir);
  const path = join(dir, 'ck', 'state.json');
  const good = readFileSync(path, 'utf8');
  const state = JSON.parse(good);
  const cases: [string, string, RegExp][] = [
    ['empty', '', /is not valid JSON \(empty file\)/],
    ['truncated', good.slice(0, good.length >> 1), /is not valid JSON/],
    ['null', 'null', /expected an object, found null/],
    ['params not numbers', JSON.stringify({ ...state, learner: { ...state.learner, params: state.learner.params.map(() => 'x') } }), /learner params are not all finite numbers/],
    ['counts', JSON.stringify({ ...state, consumed: -1 }), /consumed is not a non-negative integer/],
    ['train', JSON.stringify({ ...state, train: { rows: [], labels: [1], index: [] } }), /train rows, labels and index differ/],
    ['collector', JSON.stringify({ ...state, collector: { kind: 'x' } }), /collector: /],
    ['learner', JSON.stringify({ ...state, learner: { format: 'nope' } }), /learner: /],
  ];
  for (const [name, text, why] of cases) {
    writeFileSync(path, text);
    await assert.rejects(runExperiment({ ...opts, resume: true }), (err: Error) => {
      assert.ok(err instanceof FileError, `${name}: ${err.stack}`);
      assert.ok(err.message.includes(path), `${name}: ${err.message}`);
      assert.match(err.message, why, name);
      assert.ok(!err.message.includes('\n'), name);
      return true;
    });
  }
  writeFileSync(path, good);
  const resumed = await runExperiment({ ...opts, resume: true });
  const whole = await runExperiment({ ...opts, checkpoint: undefined });
  assert.deepEqual(resumed.metrics, whole.metrics, 'the intact checkpoint still resumes to the same result');
});

test('rejects and audit files on resume: shorter than the checkpoint or missing after writing is refused; missing and empty is created', async () => {
  const dir = tmp();
  const input = join(dir, 'in.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(i % 100 === 7 ? '{"broken": ' : JSON.stringify({ event_id: `e${i}`, timestamp: 1e12 + i * 1000, critical: i % 2, severity: i % 5, incident_type: 't', source: `s${i % 40}`, user: `u${i % 13}` }));
  writeFileSync(input, `${lines.join('\n')}\n`);
  const rejects = join(dir, 'rejects.jsonl');
  const audit = join(dir, 'audit.jsonl');
  const opts = { input, parseThread: false, batch: 16, checkpoint: join(dir, 'ck'), checkpointEvery: 500, rejects, audit };
  const stop = new AbortController();
  const first = await runExperiment({ ...opts, signal: stop.signal, onStep: (s) => { if (s.events > 1500) stop.abort(); } });
  assert.equal(first.stopped, true);
  const state = JSON.parse(readFileSync(join(dir, 'ck', 'state.json'), 'utf8'));
  assert.ok(state.rejectsBytes > 0);
  const fullRejects = readFileSync(rejects);
  writeFileSync(rejects, fullRejects.subarray(0, state.rejectsBytes - 10));
  await assert.rejects(runExperiment({ ...opts, resume: true }), /^FileError: rejects file .* has \d+ bytes, cannot resume at offset \d+/);
  writeFileSync(rejects, fullRejects);
  const saved = readFileSync(join(dir, 'ck', 'state.json'));
  const whole = await runExperiment({ ...opts, checkpoint: undefined, rejects: join(dir, 'whole-rejects.jsonl'), audit: join(dir, 'whole-audit.jsonl') });
  const resumed = await runExperiment({ ...opts, resume: true });
  assert.deepEqual(resumed.metrics, whole.metrics);
  assert.equal(readFileSync(rejects, 'utf8'), readFileSync(join(dir, 'whole-rejects.jsonl'), 'utf8'), 'no NUL padding, nothing lost');
  // A rejects file added at resume although the first run wrote none: its rejects would be missing.
  writeFileSync(join(dir, 'ck', 'state.json'), saved);
  const noRejects = JSON.parse(saved.toString());
  writeFileSync(join(dir, 'ck', 'state.json'), JSON.stringify({ ...noRejects, rejectsBytes: null }));
  await assert.rejects(runExperiment({ ...opts, rejects: join(dir, 'new.jsonl'), resume: true }), /written by a run without --rejects/);
  // A deleted audit log or rejects file, with a checkpoint that had written to it: refused, no ENOENT.
  for (const [option, name] of [['audit', 'audit log'], ['rejects', 'rejects file']] as const) {
    writeFileSync(join(dir, 'ck', 'state.json'), saved);
    const gone = join(dir, `gone-${option}.jsonl`);
    await assert.rejects(runExperiment({ ...opts, [option]: gone, resume: true }), (err: Error) =>
      err instanceof FileError && err.message.startsWith(`${name} ${gone} has 0 bytes, cannot resume at offset`));
  }
  // A missing rejects file when the checkpoint had written nothing to it is created.
  const r2 = join(dir, 'r2.jsonl');
  const early = { ...opts, checkpoint: join(dir, 'ck2'), rejects: r2, audit: undefined };
  assert.equal((await runExperiment({ ...early, signal: AbortSignal.abort() })).events, 0);
  rmSync(r2);
  const done = await runExperiment({ ...early, resume: true });
  assert.equal(done.rejected, 30);
  assert.equal(readFileSync(r2, 'utf8').split('\n').length - 1, 30);
});
