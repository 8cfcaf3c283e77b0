/** The optimizer and normalisation options of `run`: each bad value exits 2 naming its option; good ones reach the learner. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(__dirname, '../../../dist/cli/main.js');

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bad optimizer options exit 2 with a one-line message naming the option', () => {
  const cases: [string[], RegExp][] = [
    [['--lr', '0'], /--lr must be > 0, got 0/],
    [['--lr', '-0.1'], /--lr must be > 0/],
    [['--lr', 'fast'], /--lr must be a number/],
    [['--optimizer', 'rmsprop'], /--optimizer must be one of sgd, adam, adagrad, ftrl, got "rmsprop"/],
    [['--lr-schedule', 'cosine', '--optimizer', 'sgd'], /--lr-schedule must be one of constant, optimal, invscaling/],
    [['--lr-schedule', 'optimal'], /--lr-schedule optimal needs --optimizer sgd/],
    [['--optimizer', 'ftrl', '--model', 'mlp'], /--optimizer ftrl needs --model logistic/],
    [['--optimizer', 'adagrad', '--engine', 'tfjs'], /--optimizer adagrad runs on the fused engine only/],
    [['--beta1', '1'], /--beta1 must be in \[0, 1\), got 1/],
    [['--beta2', '-0.5'], /--beta2 must be ≥ 0/],
    [['--beta1', '0.5', '--optimizer', 'sgd'], /--beta1\/--beta2 need --optimizer adam/],
    [['--l1', '0.1'], /--l1\/--l2 need --optimizer ftrl/],
    [['--optimizer', 'ftrl', '--l2', '-1'], /--l2 must be ≥ 0/],
    [['--alpha', '0', '--optimizer', 'sgd', '--lr-schedule', 'optimal'], /--alpha must be > 0/],
    [['--alpha', '0.001', '--optimizer', 'sgd'], /--alpha needs --lr-schedule optimal/],
    [['--normalise', 'ewm:0'], /--normalise must be cumulative or ewm:N/],
    [['--normalise', 'rolling'], /--normalise must be cumulative or ewm:N/],
  ];
  for (const [extra, re] of cases) {
    const r = cli(['run', '--events', '50', ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: exit ${r.code}, ${r.stderr}`);
    assert.match(r.stderr, re, extra.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('run with each optimizer and ewm normalisation: the options reach the learner and change the model', () => {
  const base = ['run', '--scenario', 'abrupt', '--events', '3000', '--batch', '16', '--json'];
  const runs = new Map<string, { metrics: { accuracy: number }; config: { learner: Record<string, unknown> } }>();
  for (const extra of [
    [], ['--optimizer', 'sgd', '--lr', '0.5'], ['--optimizer', 'sgd', '--lr-schedule', 'optimal', '--alpha', '0.001'],
    ['--optimizer', 'sgd', '--lr-schedule', 'invscaling'], ['--optimizer', 'adagrad'], ['--optimizer', 'ftrl', '--l1', '0.001', '--l2', '0.01'],
    ['--beta1', '0', '--beta2', '0.99'], ['--normalise', 'ewm:500'],
  ]) {
    const r = cli([...base, ...extra]);
    assert.equal(r.code, 0, `${extra.join(' ')}: ${r.stderr}`);
    runs.set(extra.join(' '), JSON.parse(r.stdout));
  }
  const ftrl = runs.get('--optimizer ftrl --l1 0.001 --l2 0.01')!;
  assert.deepEqual({ o: ftrl.config.learner.optimizer, l1: ftrl.config.learner.l1, l2: ftrl.config.learner.l2 }, { o: 'ftrl', l1: 0.001, l2: 0.01 });
  assert.equal(runs.get('--normalise ewm:500')!.config.learner.normalise, 'ewm:500');
  const accuracies = [...runs.values()].map((r) => r.metrics.accuracy);
  assert.equal(new Set(accuracies).size, accuracies.length, `every configuration gives its own result: ${accuracies.join(', ')}`);
  for (const a of accuracies) assert.ok(a > 0.6, `accuracy ${a}`);
});

test('run --help documents the optimizer options', () => {
  const r = cli(['run', '--help']);
  assert.equal(r.code, 0);
  for (const o of ['--optimizer adam|sgd|adagrad|ftrl', '--lr-schedule constant|optimal|invscaling', '--beta1', '--beta2', '--normalise cumulative|ewm:N', '--alpha', '--l1']) {
    assert.ok(r.stdout.includes(o), o);
  }
});

test('--model auto with an option its members set themselves exits 2 naming it', () => {
  for (const [flag, value] of [['--optimizer', 'sgd'], ['--lr', '0.1']] as const) {
    const r = cli(['run', '--events', '50', '--model', 'auto', flag, value]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot be set with model "auto"/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
