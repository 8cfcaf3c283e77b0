import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateAudit } from '../../src/evaluate/audit';
import { runExperiment } from '../../src/evaluate/run-experiment';

test('evaluate on the audit log equals the run (recurring scenario: Bayes, baselines, forgetting)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otf-audit-run-'));
  try {
    const audit = join(dir, 'audit.jsonl');
    const run = await runExperiment({ scenario: 'recurring', events: 6000, seed: 3, batch: 64, window: 500, audit });
    const ev = await evaluateAudit(audit, { window: 500, forgettingWindow: 500 });
    assert.equal(ev.events, 6000);
    for (const k of ['metrics', 'rolling', 'bayes', 'ratio', 'baselines', 'forgetting', 'oracleMae'] as const) {
      assert.deepEqual(ev[k], (run as unknown as Record<string, unknown>)[k], k);
    }
    // The audit log holds each event's violation flag, not the learner's per-constraint detail.
    for (const k of ['violationRate', 'violations', 'burnIn', 'violationRateAfterBurnIn'] as const) assert.equal(ev.constraints[k], run.constraints[k], k);
    assert.equal(ev.constraints.perConstraint, null);
    assert.ok(run.constraints.perConstraint);
    assert.ok(ev.bayes, 'the generator carries oracle_p');
    assert.ok(ev.forgetting, 'recurring returns to a regime');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
