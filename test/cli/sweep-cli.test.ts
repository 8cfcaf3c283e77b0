import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateEvents } from '../../src/stream/generator';

const CLI = join(__dirname, '../../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'onthefly-sweep-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonSweep {
  rows: { params: Record<string, unknown>; f1: { mean: number }; delta: { f1: { mean: number; lo: number | null; hi: number | null } } | null }[];
  runs: { params: Record<string, unknown>; seed: string; result: { metrics: { f1: number }; config: { learner: Record<string, unknown>; batch: number } } }[];
}

test('sweep crosses any run option given as a list (command-line order), and each run equals onthefly run', () => {
  const args = ['sweep', '--scenario', 'abrupt', '--events', '1200', '--optimizer', 'sgd,adam', '--batch', '1,64', '--lambda', '0', '--seeds', '1,2', '--workers', '2', '--json'];
  const r = cli(args);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as JsonSweep;
  assert.deepEqual(j.rows.map((x) => x.params), [
    { optimizer: 'sgd', batch: 1, lambda: 0 }, { optimizer: 'sgd', batch: 64, lambda: 0 },
    { optimizer: 'adam', batch: 1, lambda: 0 }, { optimizer: 'adam', batch: 64, lambda: 0 },
  ]);
  assert.equal(j.runs.length, 8);
  const one = j.runs.find((x) => x.params.optimizer === 'adam' && x.params.batch === 1 && x.seed === '2')!;
  assert.equal(one.result.config.batch, 1);
  assert.equal(one.result.config.learner.optimizer, 'adam');
  const alone = cli(['run', '--scenario', 'abrupt', '--events', '1200', '--optimizer', 'adam', '--batch', '1', '--lambda', '0', '--seed', '2', '--json']);
  assert.equal(alone.code, 0, alone.stderr);
  assert.deepEqual(JSON.parse(alone.stdout).metrics, one.result.metrics);
});

test('sweep --baseline adds seed-paired deltas with intervals; list-valued options take / between alternatives', () => {
  const r = cli(['sweep', '--scenario', 'stationary', '--events', '1000', '--lambda', '0,1', '--model', 'mlp', '--hidden', '4/8,4', '--seeds', '1,2,3', '--baseline', 'lambda=0,hidden=4', '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /mean ± std over 3 seed\(s\); Δ: seed-paired difference to λ=0 hidden=4/);
  assert.match(lines[1]!, /Δ F1 \[95 % CI\]/);
  assert.equal(lines.length, 3 + 4, r.stdout); // caption, header, rule, 2 λ × 2 hidden
  assert.match(lines[3]!, /\+0\.000 \[\+0\.000, \+0\.000\]/); // the baseline against itself
  const bad = cli(['sweep', '--events', '500', '--lambda', '0,1', '--baseline', 'lambda=3']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--baseline λ=3 matches 0 configurations/);
  const badValue = cli(['sweep', '--events', '500', '--lambda', '0,-1']);
  assert.equal(badValue.code, 2);
  assert.match(badValue.stderr, /--lambda/);
});

test('sweep reads a stream once: a JSONL file on stdin serves every configuration', () => {
  const lines = generateEvents({ scenario: 'stationary', events: 800, seed: 3 }).map((e) => JSON.stringify(e)).join('\n') + '\n';
  const file = join(dir, 'in.jsonl');
  writeFileSync(file, lines);
  const fromStdin = cli(['sweep', '--input', '-', '--lambda', '0,1', '--seeds', '1', '--json'], lines);
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  const fromFile = cli(['sweep', '--input', file, '--lambda', '0,1', '--seeds', '1', '--json']);
  const f1 = (s: string): number[] => (JSON.parse(s) as JsonSweep).runs.map((x) => x.result.metrics.f1);
  assert.deepEqual(f1(fromStdin.stdout), f1(fromFile.stdout));
  assert.equal((JSON.parse(fromStdin.stdout) as JsonSweep).runs.length, 2);
});
