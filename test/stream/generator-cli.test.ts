import { test } from 'node:test';
import { SCENARIO_NAMES } from '../../src/stream/scenarios';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createOracle } from '../../src/stream/oracle';
import type { Row } from '../../src/types';

// build/test/stream → build/src/cli/main.js (the test build of the CLI).
const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

function cli(args: string[]): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

test('generate: byte-identical runs, stdout equals --out, other seed differs, oracle accuracy in range', () => {
  const args = ['generate', '--scenario', 'stationary', '--events', '20000', '--seed', '7'];
  const a = cli(args);
  const b = cli(args);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stderr, '');
  assert.equal(md5(a.stdout), md5(b.stdout));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onthefly-gen-'));
  const file = path.join(dir, 'out.jsonl');
  const c = cli([...args, '--out', file]);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.stdout.length, 0);
  assert.equal(md5(fs.readFileSync(file)), md5(a.stdout));
  const d = cli(['generate', '--scenario', 'stationary', '--events', '20000', '--seed', '8']);
  assert.notEqual(md5(d.stdout), md5(a.stdout));
  const lines = a.stdout.toString().split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 20000);
  // Read back from JSONL, every row still scores exactly its oracle_p.
  const oracle = createOracle('stationary', 20000);
  for (const l of lines) {
    const row = JSON.parse(l) as Row;
    assert.equal(oracle(row), row.oracle_p);
  }
  const ps = lines.map((l) => JSON.parse(l).oracle_p as number);
  const acc = ps.reduce((s, p) => s + Math.max(p, 1 - p), 0) / ps.length;
  assert.ok(acc >= 0.85 && acc <= 0.97, `oracle accuracy ${acc}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('generate: two worker threads write the same bytes as one', () => {
  for (const s of ['storm', 'gradual']) {
    const one = cli(['generate', '--scenario', s, '--events', '30000', '--seed', '3', '--threads', '1']);
    const two = cli(['generate', '--scenario', s, '--events', '30000', '--seed', '3', '--threads', '2']);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(md5(two.stdout), md5(one.stdout));
    assert.equal(one.stdout.toString().split('\n').length, 30001);
  }
  assert.equal(cli(['generate', '--threads', '3']).code, 2);
});

test('generate: default options, every scenario, zero events', () => {
  for (const s of ['abrupt', 'storm', 'imbalanced']) {
    const r = cli(['generate', '--scenario', s, '--events', '500', '--seed', 'x']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString().split('\n').length, 501);
  }
  const z = cli(['generate', '--events', '0']);
  assert.equal(z.code, 0);
  assert.equal(z.stdout.length, 0);
});

test('generate: usage errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['generate', '--scenario', 'nope'], /unknown scenario "nope".*stationary/],
    [['generate', '--events', 'abc'], /--events must be an integer/],
    [['generate', '--events', '-3'], /--events must be ≥ 0/],
    [['generate', '--events', '1.5'], /--events must be an integer/],
    [['generate', '--bogus', '1'], /unknown option --bogus/],
    [['generate', 'extra'], /unexpected argument/],
    [['generate', '--start', 'yesterday'], /--start must be an ISO 8601 time/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout.length, 0);
  }
  const h = cli(['generate', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout.toString(), /--scenario NAME/);
});

test('generate: an early-closed pipe ends quietly', async () => {
  const child = spawn(process.execPath, [MAIN, 'generate', '--events', '300000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
});

test('generate never loads TensorFlow.js', () => {
  const script = `
    const { main } = require(${JSON.stringify(path.resolve(__dirname, '../../src/cli/generate.js'))});
    main(['--events', '100', '--out', ${JSON.stringify(path.join(os.tmpdir(), `onthefly-notf-${process.pid}.jsonl`))}]).then(() => {
      const tf = Object.keys(require.cache).filter((k) => /tensorflow|danfo|plotly/.test(k));
      process.stdout.write(JSON.stringify(tf));
    });`;
  const r = spawnSync(process.execPath, ['-e', script]);
  assert.equal(r.status, 0, r.stderr.toString());
  assert.deepEqual(JSON.parse(r.stdout.toString()), []);
  fs.rmSync(path.join(os.tmpdir(), `onthefly-notf-${process.pid}.jsonl`), { force: true });
});

test('scenarios: lists every scenario with description and change indexes (text and --json)', () => {
  const t = cli(['scenarios']);
  assert.equal(t.code, 0);
  for (const s of ['stationary', 'abrupt', 'gradual', 'recurring', 'storm', 'imbalanced', 'logs']) assert.match(t.stdout.toString(), new RegExp(`^${s}$`, 'm'));
  const j = cli(['scenarios', '--json', '--events', '30000']);
  assert.equal(j.code, 0);
  const list = JSON.parse(j.stdout.toString()) as { name: string; description: string; changes: number[]; phases: { start: number; end: number; regime: string }[] }[];
  assert.equal(list.length, SCENARIO_NAMES.length);
  const by = new Map(list.map((s) => [s.name, s]));
  assert.deepEqual(by.get('abrupt')!.changes, [15000]);
  assert.deepEqual(by.get('recurring')!.phases.map((p) => [p.start, p.end, p.regime]), [[0, 10000, 'A'], [10000, 20000, 'B'], [20000, 30000, 'A']]);
  assert.deepEqual(by.get('gradual')!.changes, [12000, 18000]);
  assert.deepEqual(by.get('stationary')!.changes, []);
  for (const s of list) assert.ok(s.description.length > 10);
  assert.equal(cli(['scenarios', '--events', 'x']).code, 2);
});
