// Fixed runs whose outputs must not change when the pipeline gets faster: the result (every field but
// timing and config), the audit log (without latency_us, the one wall-clock field) and the rejects
// file, each as a SHA-256, recorded from the code before the reader/metric speed-ups (main at 311468a).
// A change that alters a model's arithmetic on purpose must recompute them (and say so in its commit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../src/evaluate/run-experiment';
import type { ExperimentConfig } from '../../src/evaluate/experiment-config';
import { loadSchema } from '../../src/stream/schema';

const ROOT = join(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'onthefly-golden-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const RUNS: Record<string, { config: () => ExperimentConfig; result: string; audit: string; rejects: string; f1: number; events: number; rejected: number }> = {
  'generator, recurring, 6000 events, seed 7, batch 64, λ 0.1': {
    config: () => ({ scenario: 'recurring', events: 6000, seed: 7, batch: 64, learner: { model: 'logistic', lambda: 0.1 } }),
    result: '5f1ddda9799bfb281c8ba109e72020f3f6cf12dc127ffdd79f835d432bc351be',
    audit: 'c840db19138d61077d3e6d50c8c4e11568d3e9d1e6d82b07f2f7e6ac3719060b',
    rejects: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    f1: 0.7208569628229363, events: 6000, rejected: 0,
  },
  'data/ne-weather.csv, batch 256': {
    config: () => ({ input: join(ROOT, 'data', 'ne-weather.csv'), schema: loadSchema(join(ROOT, 'schemas', 'ne-weather.json')), batch: 256, learner: { model: 'logistic' } }),
    result: '4f58fc86fb04dd1cb6e600314b0fd503eec21524d94d2867888169f10fce1db4',
    audit: '68525c716f5f487a6654c650ae2556df904360f2227394cf5277efdd4e35371f',
    rejects: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    f1: 0.5584638899503248, events: 18159, rejected: 0,
  },
  'hostile.csv, batch 4': {
    config: () => ({ input: join(FIX, 'hostile.csv'), schema: loadSchema(join(FIX, 'hostile-schema.json')), batch: 4, learner: { model: 'logistic' } }),
    result: '1ea2c4678d0bd788dbec96cb728d45e6fd9e45040634541f4f7c73afb444b488',
    audit: '136794c4b8a5927271183377e8e7611614267bae0e98f66a75a6a071c84e6487',
    rejects: '9f9741b3c2ab232b085e8272fe1ebf8f3ee3a9f58364afc5e90353d88452ad1a',
    f1: 0, events: 16, rejected: 11,
  },
  'hostile.jsonl, batch 4': {
    config: () => ({ input: join(FIX, 'hostile.jsonl'), schema: loadSchema(join(FIX, 'hostile-schema.json')), batch: 4, learner: { model: 'logistic' } }),
    result: '7517ce975fbf164f84b6ca2f27258c8440f58a43abf3c51ffe116ee3b7683990',
    audit: '75c1964f8f029e822873c46f7372415fd001c7e8609b8b2cb1be9e6b0adb7e46',
    rejects: '5b9d18f092c19ab008716710afbb116e19f2699a38b09c4e92de2e9b498eeb1e',
    f1: 0, events: 29, rejected: 20,
  },
};

for (const [name, want] of Object.entries(RUNS)) {
  test(`golden run (outputs unchanged by the speed-ups): ${name}`, async () => {
    const key = sha(name).slice(0, 8);
    const audit = join(dir, `${key}.audit.jsonl`);
    const rejects = join(dir, `${key}.rejects.jsonl`);
    const r = await runExperiment({ ...want.config(), audit, rejects });
    const { timing: _timing, config: _config, ...rest } = r;
    // Fields added to RunResult since the hashes were recorded (drift wiring, constraint measurements)
    // are left out, so the hash still pins every number the recorded code produced.
    const pinned = JSON.parse(JSON.stringify(rest)) as Record<string, unknown> & { constraints: Record<string, unknown> };
    delete pinned.drift;
    delete pinned.oracleMae;
    for (const k of ['burnIn', 'violationRateAfterBurnIn', 'meanViolation', 'crossings', 'perConstraint', 'lambda']) delete pinned.constraints[k];
    assert.equal(r.events, want.events);
    assert.equal(r.rejected, want.rejected);
    assert.equal(r.metrics.f1, want.f1);
    assert.equal(sha(JSON.stringify(pinned)), want.result, 'result (without timing, config and the fields added since)');
    assert.equal(sha(readFileSync(audit, 'utf8').replace(/"latency_us":[0-9.e+-]+,?/g, '')), want.audit, 'audit log (without latency_us)');
    assert.equal(sha(readFileSync(rejects)), want.rejects, 'rejects file');
  });
}
