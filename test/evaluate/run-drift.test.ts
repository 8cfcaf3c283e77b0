/**
 * A run with a drift detector (learner option `drift`): `drift{}` in the result, the audit lines'
 * `drift` field, detection on the `abrupt` scenario and none on `stationary`, and resume equivalence.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateAudit, readAudit, type AuditLine } from '../../src/evaluate/audit';
import { runExperiment } from '../../src/evaluate/run-experiment';
import type { RunResult } from '../../src/evaluate/run-result';
import { phaseSpecs } from '../../src/stream/scenarios';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'onthefly-drift-'));
const EVENTS = 10_000;
/** Position (1-based, records read) of the first event of regime B in `abrupt`. */
const CHANGE = phaseSpecs('abrupt', EVENTS)[1]!.start + 1;

async function lines(path: string): Promise<AuditLine[]> {
  const out: AuditLine[] = [];
  for await (const a of readAudit(path)) out.push(a);
  return out;
}

const strip = (f: string): string => readFileSync(f, 'utf8').replace(/"latency_us":\d+/g, '');

test('abrupt with drift adwin: a detection within 1,000 events after the change, on seeds 1–3; stationary: none', async () => {
  assert.equal(CHANGE, 5001);
  for (const seed of [1, 2, 3]) {
    const r = await runExperiment({ scenario: 'abrupt', events: EVENTS, seed, learner: { drift: 'adwin' } });
    assert.ok(r.drift);
    assert.equal(r.drift.detector, 'adwin');
    const after = r.drift.detections.filter((x) => x >= CHANGE);
    assert.ok(after.length >= 1 && after[0]! < CHANGE + 1000, `seed ${seed}: detections ${JSON.stringify(r.drift.detections)}`);
    assert.ok(r.drift.detections.every((x) => x >= CHANGE), `seed ${seed}: no detection before the change: ${JSON.stringify(r.drift)}`);
    const still = await runExperiment({ scenario: 'stationary', events: EVENTS, seed, learner: { drift: 'adwin' } });
    assert.deepEqual(still.drift, { detector: 'adwin', detections: [], warnings: [] }, `stationary seed ${seed}`);
  }
  const plain = await runExperiment({ scenario: 'abrupt', events: 2000, seed: 1 });
  assert.equal(plain.drift, null);
});

test('the audit lines carry drift: "warning"|"drift" exactly at the run\'s positions; deterministic; evaluate reads them', async () => {
  const dir = tmp();
  for (const [batch, labelDelay] of [[256, 0], [64, 300], [1, 0]] as const) {
    const opts = { scenario: 'abrupt' as const, events: EVENTS, seed: 1, batch, labelDelay, learner: { drift: 'ddm' as const } };
    const a = join(dir, `a-${batch}-${labelDelay}.jsonl`);
    const b = join(dir, `b-${batch}-${labelDelay}.jsonl`);
    const r = await runExperiment({ ...opts, audit: a });
    await runExperiment({ ...opts, audit: b });
    assert.equal(strip(a), strip(b));
    const all = await lines(a);
    assert.equal(all.length, EVENTS);
    all.forEach((l, i) => assert.equal(l.line, i + 1, 'in event order'));
    assert.ok(r.drift && r.drift.detections.length >= 1 && r.drift.warnings.length >= 1, JSON.stringify(r.drift));
    const at = (kind: string) => all.flatMap((l, i) => (l.drift === kind ? [i + 1] : []));
    assert.deepEqual(at('drift'), r.drift.detections);
    assert.deepEqual(at('warning'), r.drift.warnings.filter((w) => !r.drift!.detections.includes(w)));
    const e = await evaluateAudit(a);
    assert.deepEqual(e.metrics, r.metrics);
    assert.deepEqual(e.rolling, r.rolling);
  }
});

test('stop after a checkpoint, resume: the same audit log, drift report and metrics as an uninterrupted run', async () => {
  const dir = tmp();
  for (const [drift, labelDelay] of [['adwin', 0], ['ddm', 200]] as const) {
    const base = { scenario: 'abrupt' as const, events: EVENTS, seed: 1, batch: 64, labelDelay, learner: { drift }, checkpointEvery: 700 };
    const whole = await runExperiment({ ...base, audit: join(dir, `whole-${drift}.jsonl`) });
    const audit = join(dir, `part-${drift}.jsonl`);
    const ck = join(dir, `ck-${drift}`);
    const stop = new AbortController();
    const first = await runExperiment({ ...base, audit, checkpoint: ck, signal: stop.signal, onStep: (s) => { if (s.events >= 5300) stop.abort(); } });
    assert.equal(first.stopped, true);
    assert.equal((await lines(audit)).length, first.events, 'a stopped run logs every event it read');
    const resumed = await runExperiment({ ...base, audit, checkpoint: ck, resume: true });
    const { timing: _t1, ...a } = resumed as RunResult;
    const { timing: _t2, ...b } = whole;
    assert.deepEqual(a, b);
    assert.ok(whole.drift && whole.drift.detections.length + whole.drift.warnings.length >= 1, JSON.stringify(whole.drift));
    assert.ok([...whole.drift.detections, ...whole.drift.warnings].some((x) => x > 5300), `an event after the stop: ${JSON.stringify(whole.drift)}`);
    assert.equal(strip(audit), strip(join(dir, `whole-${drift}.jsonl`)));
  }
});

const CLI = join(__dirname, '../../../dist/cli/main.js');
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('CLI: run --drift adwin on abrupt reports drift{} in --json and marks the audit; bad --drift exits 2 naming it', () => {
  const dir = tmp();
  const audit = join(dir, 'cli.jsonl');
  const r = cli(['run', '--scenario', 'abrupt', '--events', String(EVENTS), '--seed', '2', '--drift', 'adwin', '--audit', audit, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.drift.detector, 'adwin');
  assert.ok(o.drift.detections.some((x: number) => x >= CHANGE && x < CHANGE + 1000), JSON.stringify(o.drift));
  assert.equal(o.config.learner.drift, 'adwin');
  const marked = readFileSync(audit, 'utf8').trim().split('\n').flatMap((l, i) => (JSON.parse(l).drift === 'drift' ? [i + 1] : []));
  assert.deepEqual(marked, o.drift.detections);
  const ev = cli(['evaluate', '--audit', audit, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.deepEqual(JSON.parse(ev.stdout).metrics, o.metrics);
  assert.equal(JSON.parse(cli(['run', '--events', '600', '--json']).stdout).drift, null);

  const arf = cli(['run', '--events', '100', '--drift', 'adwin', '--model', 'arf']);
  assert.equal(arf.code, 2);
  assert.match(arf.stderr, /--drift adwin cannot be used with --model arf/);
  const unknown = cli(['run', '--events', '100', '--drift', 'kswin']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--drift must be one of none, adwin, page-hinkley, ddm, got "kswin"/);
  assert.match(cli(['run', '--help']).stdout, /--drift none\|adwin\|page-hinkley\|ddm/);
});
