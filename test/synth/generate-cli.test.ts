/** `onthefly generate --synth` and `run --synth`: byte-identical per seed, usage errors exit 2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SynthStream } from '../../src/synth/synth-stream';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

test('generate --synth: byte-identical per seed (stdout and --out), equal to the library rows, another seed differs', () => {
  const args = ['generate', '--synth', 'agrawal', '--function', '3', '--drift-at', '0.5', '--drift-width', '200', '--events', '3000', '--seed', '7'];
  const a = cli(args);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(cli(args).stdout, a.stdout);
  const dir = mkdtempSync(join(tmpdir(), 'onthefly-synth-'));
  assert.equal(cli([...args, '--out', join(dir, 'a.jsonl')]).status, 0);
  assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8'), a.stdout);
  const lib = [...new SynthStream({ name: 'agrawal', function: 3, driftAt: 0.5, driftWidth: 200, events: 3000, seed: '7' })];
  assert.equal(a.stdout, lib.map((r) => `${JSON.stringify(r)}\n`).join(''));
  assert.notEqual(cli([...args.slice(0, -1), '8']).stdout, a.stdout);
  assert.equal(a.stdout.trim().split('\n').length, 3000);
});

test('run --synth reads the stream through its schema and records it in config', () => {
  const r = cli(['run', '--synth', 'sea', '--drift-at', '3000', '--synth-params', 'noise=0.1', '--events', '6000', '--seed', '2', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.events, 6000);
  assert.equal(o.rejected, 0);
  assert.equal(o.duplicates, 0);
  assert.ok(Math.abs(o.bayes.accuracy - 0.9) < 0.02, `Bayes accuracy ${o.bayes.accuracy}`);
  assert.ok(o.metrics.accuracy > 0.75, `model accuracy ${o.metrics.accuracy}`);
  assert.equal(o.config.source.synth.name, 'sea');
  assert.equal(o.config.source.synth.driftAt, 3000);
  assert.equal(o.config.schema.label.field, 'y');
});

test('generate/run --synth: bad options exit 2 with one line naming the option', () => {
  const cases: [string[], RegExp][] = [
    [['generate', '--synth', 'nope'], /unknown --synth stream "nope"/],
    [['generate', '--synth', 'sea', '--function', '9'], /--function must be an integer in 1\.\.4/],
    [['generate', '--synth', 'sea', '--drift-width', '5'], /--drift-width needs --drift-at/],
    [['generate', '--synth', 'sea', '--synth-params', 'noise=abc'], /--synth-params: "noise" must be a number/],
    [['generate', '--synth', 'sea', '--synth-params', 'level=1'], /unknown --synth-params key "level"/],
    [['generate', '--drift-at', '5'], /--drift-at needs --synth NAME/],
    [['generate', '--synth', 'sea', '--scenario', 'abrupt'], /exclusive/],
    [['run', '--synth', 'sea', '--input', 'x.jsonl'], /--synth and --input are exclusive/],
    [['run', '--synth', 'hyperplane', '--drift-function', '2', '--drift-at', '5'], /no labelling functions/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
