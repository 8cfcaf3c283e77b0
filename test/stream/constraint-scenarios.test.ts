/**
 * The scenarios that need constraints: delayed and scarce labels (a label schedule honoured by
 * runExperiment) and confounded failed logins (a negative marginal correlation while the exact
 * posterior still rises by log 3 per failed login).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateEvents } from '../../src/stream/generator';
import { createOracle } from '../../src/stream/oracle';
import { DELAY_MIN, DELAY_BLOCK, labelArrival, SCARCE_EVERY } from '../../src/stream/scenarios';
import { runExperiment } from '../../src/evaluate/run-experiment';
import type { Row } from '../../src/types';

test('the oracle of the new scenarios is the events\' oracle_p, exactly', () => {
  for (const scenario of ['delayed', 'scarce', 'confounded'] as const) {
    const ev = generateEvents({ scenario, events: 3000, seed: 9 });
    const o = createOracle(scenario, 3000);
    for (const e of ev) assert.equal(o(e), e.oracle_p);
  }
});

test('confounded: failed_logins and critical correlate negatively early, positively later, with counts unseen early', () => {
  const ev = generateEvents({ scenario: 'confounded', events: 20000, seed: 1 });
  const corr = (a: typeof ev): number => {
    const n = a.length;
    const mx = a.reduce((s, e) => s + e.failed_logins, 0) / n;
    const my = a.reduce((s, e) => s + e.critical, 0) / n;
    let sxy = 0; let sxx = 0; let syy = 0;
    for (const e of a) { sxy += (e.failed_logins - mx) * (e.critical - my); sxx += (e.failed_logins - mx) ** 2; syy += (e.critical - my) ** 2; }
    return sxy / Math.sqrt(sxx * syy);
  };
  const early = ev.slice(0, 8000);
  const late = ev.slice(8000);
  assert.ok(corr(early) < -0.05, `early correlation ${corr(early)}`);
  assert.ok(corr(late) > 0.3, `late correlation ${corr(late)}`);
  const maxEarly = Math.max(...early.map((e) => e.failed_logins));
  assert.ok(late.filter((e) => e.failed_logins > maxEarly).length > 50, `counts above the early maximum ${maxEarly}`);
  // Given the row, one more failed login raises the posterior's log-odds by exactly log 3.
  const o = createOracle('confounded', 20000);
  const lg = (p: number) => Math.log(p / (1 - p));
  for (const e of ev.slice(0, 200).concat(ev.slice(10000, 10200))) {
    const up = { ...e, failed_logins: e.failed_logins + 1 } as unknown as Row;
    assert.ok(Math.abs(lg(o(up)) - lg(e.oracle_p) - Math.log(3)) < 1e-6);
  }
});

test('labelArrival: delayed labels come 2,000–5,000 events late in bursts; scarce ones for 1 event in 50', () => {
  const releases = new Set<number>();
  for (let i = 1; i <= 30000; i++) {
    const at = labelArrival('delayed', 1, i);
    assert.ok(at - i >= DELAY_MIN && at - i <= DELAY_MIN + DELAY_BLOCK, `event ${i}: label at ${at}`);
    releases.add(at);
  }
  assert.ok(releases.size <= 11, `${releases.size} release points`);
  let labelled = 0;
  for (let i = 1; i <= 50000; i++) {
    const at = labelArrival('scarce', 'x', i);
    if (at === i) labelled++;
    else assert.equal(at, Number.POSITIVE_INFINITY);
  }
  assert.ok(Math.abs(labelled / 50000 - 1 / SCARCE_EVERY) < 0.004, `${labelled} labelled`);
  assert.equal(labelArrival('stationary', 1, 77), 77);
});

test('runExperiment honours the label schedules', async () => {
  const steps: number[] = [];
  const d = await runExperiment({ scenario: 'delayed', events: 12000, seed: 2, onStep: (s) => steps.push(s.events) });
  assert.ok(steps.length > 0 && steps[0]! >= DELAY_MIN, `first step after ${steps[0]} events`);
  // Bursts: the steps come at the first learning point (every 256 novel events) after a release.
  const at = new Set(steps.filter((e) => e < 12000));
  assert.ok(at.size >= 3 && [...at].every((e) => (e - DELAY_MIN) % DELAY_BLOCK < 600), `steps at ${[...at].join(', ')}`);
  assert.equal(d.events, 12000);
  const s = await runExperiment({ scenario: 'scarce', events: 10000, seed: 3, batch: 1, dedup: false });
  assert.ok(s.timing.batches > 140 && s.timing.batches < 260, `${s.timing.batches} labelled events learned of 10,000`);
  const full = await runExperiment({ scenario: 'stationary', events: 10000, seed: 3, batch: 1, dedup: false });
  assert.equal(full.timing.batches, 10000);
});
