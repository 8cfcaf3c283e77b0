import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../src/cli/args';
import { EXPERIMENT_ARGS, experimentFromArgs } from '../../src/cli/experiment-args';
import { observeRanges, rangePoints, type FieldRanges } from '../../src/constraints/range-points';
import { runExperiment } from '../../src/evaluate/run-experiment';
import { createLearner } from '../../src/learn/create-learner';
import type { TrainBatch } from '../../src/learn/engine';
import type { IncrementalLearner } from '../../src/learn/incremental-learner';
import { Rng } from '../../src/learn/rng';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import { IncidentGenerator } from '../../src/stream/generator';
import type { Row } from '../../src/types';

const events = (n: number, seed: number): Row[] => [...new IncidentGenerator({ scenario: 'stationary', events: n, seed })] as unknown as Row[];
const labels = (rows: Row[]): number[] => rows.map((r) => (r.critical ? 1 : 0));

test('lambda "auto": each multiplier starts at 0 and follows λ ← max(0, λ + η(v̂ − E)) (v̂ = 1 and 0 here)', async () => {
  const eta = 0.5, E = 0.05;
  const learner = await createLearner({
    schema: GENERATOR_SCHEMA, model: 'mlp', seed: 2, lambda: 'auto', violationTarget: E, lambdaRate: eta,
    // Every row violates the first (p ≤ 1e-9), none the second (p in [0, 1]).
    constraints: [{ kind: 'bounds', hi: 1e-9, name: 'always' }, { kind: 'bounds', lo: 0, hi: 1, name: 'never' }],
  }) as IncrementalLearner;
  assert.deepEqual(learner.multipliers(), { always: 0, never: 0 });
  const rows = events(5 * 64, 3);
  let always = 0, never = 0;
  for (let k = 0; k < 5; k++) {
    const batch = rows.slice(k * 64, k * 64 + 64);
    learner.learnMany(batch, labels(batch));
    always = Math.max(0, always + eta * (1 - E));
    never = Math.max(0, never + eta * (0 - E));
    assert.deepEqual(learner.multipliers(), { always, never }, `step ${k + 1}`);
  }
  assert.ok(always > 2);
});

test('lambda "auto" with range points: checkpoint and resume continue bit-identically (multipliers, ranges, RNG)', async () => {
  const make = () => createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', seed: 7, lambda: 'auto', constraintPoints: 'range', constraints: [
    { kind: 'monotone', field: 'failed_logins', direction: 'decreasing', name: 'wrong' }, { kind: 'monotone', field: 'severity', max: 5 },
  ] }) as Promise<IncrementalLearner>;
  const a = await make();
  const rows = events(8 * 128, 5);
  const batch = (k: number): Row[] => rows.slice(k * 128, k * 128 + 128);
  for (let k = 0; k < 4; k++) a.learnMany(batch(k), labels(batch(k)));
  const b = await make();
  b.setState(JSON.parse(JSON.stringify(a.getState())));
  for (let k = 4; k < 8; k++) {
    a.learnMany(batch(k), labels(batch(k)));
    b.learnMany(batch(k), labels(batch(k)));
  }
  assert.deepEqual(b.getState(), a.getState());
  assert.ok(a.multipliers().wrong! > 0, 'the wrong constraint is violated, so its multiplier grew');
  assert.deepEqual(b.predictMany(rows.slice(0, 50)), a.predictMany(rows.slice(0, 50)));
});

test('run --json reports the adapted multipliers; a wrong constraint gets a larger one than a true one', async () => {
  const r = await runExperiment({ scenario: 'stationary', events: 3000, seed: 1, learner: { model: 'mlp', lambda: 'auto', constraints: [
    { kind: 'monotone', field: 'failed_logins', direction: 'decreasing', name: 'wrong' }, { kind: 'monotone', field: 'severity', max: 5 },
  ] } });
  const l = r.constraints.lambda!;
  assert.ok(l.wrong! > l['monotone:severity']!, JSON.stringify(l));
  assert.equal(r.config.learner && (r.config.learner as { lambda: unknown }).lambda, 'auto');
});

test('CLI: --lambda auto with --violation-target; the target without auto, or out of [0, 1], is a usage error naming it', () => {
  const parse = (argv: string[]) => experimentFromArgs(parseArgs(argv, EXPERIMENT_ARGS));
  const c = parse(['--lambda', 'auto', '--violation-target', '0.02']);
  assert.equal(c.learner!.lambda, 'auto');
  assert.equal(c.learner!.violationTarget, 0.02);
  assert.equal(parse(['--lambda', 'auto']).learner!.violationTarget, undefined);
  assert.throws(() => parse(['--violation-target', '0.02']), (e: unknown) => e instanceof UsageError && /^--violation-target needs --lambda auto/.test(e.message));
  assert.throws(() => parse(['--lambda', '1', '--violation-target', '0.02']), (e: unknown) => e instanceof UsageError && /--violation-target needs --lambda auto \(got --lambda 1\)/.test(e.message));
  assert.throws(() => parse(['--lambda', 'auto', '--violation-target', '-0.1']), (e: unknown) => e instanceof UsageError && /--violation-target/.test(e.message));
  assert.throws(() => parse(['--lambda', 'often']), (e: unknown) => e instanceof UsageError && /--lambda/.test(e.message));
  assert.equal(parse(['--constraint-points', 'range']).learner!.constraintPoints, 'range');
  assert.throws(() => parse(['--constraint-points', 'far']), (e: unknown) => e instanceof UsageError && /--constraint-points/.test(e.message));
});

test('rangePoints: values drawn over the observed range, far from the labelled rows; other fields untouched', () => {
  const ranges: FieldRanges = new Map();
  observeRanges(ranges, ['failed_logins'], [{ failed_logins: 0 }, { failed_logins: 40 }, { failed_logins: 'n/a' }]);
  assert.deepEqual([...ranges], [['failed_logins', [0, 40]]]);
  const rows: Row[] = Array.from({ length: 50 }, (_, i) => ({ failed_logins: i % 2, severity: 3, kind: 'x' }));
  const pts = rangePoints(rows, ranges, new Rng('r'));
  assert.equal(pts.length, 50);
  assert.ok(pts.every((p) => (p.failed_logins as number) >= 0 && (p.failed_logins as number) <= 40 && p.severity === 3 && p.kind === 'x'));
  // Outside the labelled rows' neighbourhood x ± δ (δ = 1): beyond 2.
  assert.ok(pts.filter((p) => (p.failed_logins as number) > 2).length > 30);
  assert.ok(rows.every((r, i) => r.failed_logins === i % 2), 'the rows are not changed');
});

test('constraintPoints "range": the step penalises pairs at range points (no task loss) beyond the labelled rows', async () => {
  const learner = await createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', seed: 3, lambda: 1, constraintPoints: 'range', constraints: [{ kind: 'monotone', field: 'failed_logins' }] }) as IncrementalLearner;
  const seen: TrainBatch[] = [];
  const engine = (learner as unknown as { engine: { step(b: TrainBatch): number } }).engine;
  const step = engine.step.bind(engine);
  engine.step = (b: TrainBatch) => { seen.push(b); return step(b); };
  const rows = events(256, 9);
  const wide = rows.slice(0, 64).map((r, i) => ({ ...r, failed_logins: i % 41 }));
  learner.learnMany(wide, labels(wide));
  const narrow = rows.slice(64, 128).map((r, i) => ({ ...r, failed_logins: i % 2 }));
  learner.learnMany(narrow, labels(narrow));
  const b = seen[1]!;
  assert.equal(b.n, 128, '64 labelled rows and 64 range points');
  for (let i = 64; i < 128; i++) assert.equal(b.c[i], 0, 'range points carry no task loss');
  for (let i = 0; i < 64; i++) assert.equal(b.c[i], 2, 'labelled rows weigh N / labelled rows');
  const plan = b.plans[0]!.plan;
  const far = Array.from(plan.idx).filter((i) => i >= 64 && (b.rows[i]!.failed_logins as number) > 2);
  assert.ok(far.length > 30, `pairs at range points beyond the labelled rows' x ± 1: ${far.length}`);
  // "local" builds pairs at the labelled rows only.
  const local = await createLearner({ schema: GENERATOR_SCHEMA, model: 'mlp', seed: 3, lambda: 1, constraints: [{ kind: 'monotone', field: 'failed_logins' }] }) as IncrementalLearner;
  const eng2 = (local as unknown as { engine: { step(b: TrainBatch): number } }).engine;
  const step2 = eng2.step.bind(eng2);
  const seen2: TrainBatch[] = [];
  eng2.step = (x: TrainBatch) => { seen2.push(x); return step2(x); };
  local.learnMany(wide, labels(wide));
  local.learnMany(narrow, labels(narrow));
  assert.equal(seen2[1]!.n, 64);
});
