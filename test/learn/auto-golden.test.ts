/**
 * Bit-identity guard for the speed work on `auto` and the constraint meter (issue 11, session 5): the
 * prequential loop as `run` drives it — predictMany, violationsMany (the schema's default constraints,
 * with event times) and learnMany — on generated events, at batch 1, 7 and 256 (the fit term), with
 * "best" and "hedge", and the same loop for the row models that measure through the meter (Hoeffding
 * tree, naive Bayes) and for `--drift adwin`. Hashed: the probabilities, the violation flags, every
 * violation detail (amounts and crossings), the learnMany losses, the violation counts and the final
 * checkpoint (SHA-256), compared with the hashes recorded from the code before it was made faster
 * (main at e2c77e5). A change that alters any result fails here; one that alters results on purpose
 * must say so and record new hashes.
 *
 * `GOLDEN_PRINT=1 node --test build/test/learn/auto-golden.test.js` prints the current hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createLearner } from '../../src/learn/create-learner';
import type { LearnerOptions } from '../../src/learn/learner';
import { generateEvents } from '../../src/stream/generator';
import { GENERATOR_SCHEMA } from '../../src/stream/default-schema';
import type { ScenarioName } from '../../src/stream/scenarios';
import type { Row } from '../../src/types';
import { MonotoneConstraint } from '../../src/constraints/monotone';
import { SmoothnessConstraint } from '../../src/constraints/smoothness';
import { BoundsConstraint } from '../../src/constraints/bounds';
import { SMOOTHNESS } from '../../src/stream/oracle';

/** Constraints the models do violate (the defaults hold for most of them): every path of the meter measures something. */
const strict = (): LearnerOptions['constraints'] => [
  new MonotoneConstraint({ field: 'severity', delta: 1, max: 5, direction: 'decreasing', name: 'anti-monotone:severity' }),
  new MonotoneConstraint({ field: 'failed_logins', delta: 2 }),
  new SmoothnessConstraint({ stateFields: [...SMOOTHNESS.stateFields], epsilon: 0.002, perSecond: 0 }),
  new BoundsConstraint({ hi: 0.4, where: { severity: { min: 3 } }, name: 'bounds:cap' }),
];

const sha = (b: ArrayBufferView | string): string => {
  const h = createHash('sha256');
  if (typeof b === 'string') h.update(b);
  else h.update(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return h.digest('hex').slice(0, 16);
};

/** One prequential pass in batches of `batch`: hashes of probabilities, flags, details, losses, counts and state. */
async function fingerprint(events: Row[], options: Partial<LearnerOptions>, batch: number): Promise<string> {
  const L = await createLearner({ schema: GENERATOR_SCHEMA, seed: 5, ...options } as LearnerOptions);
  const n = events.length;
  const times = events.map((e) => Date.parse(String(e.timestamp)));
  const labels = events.map((e) => Number(e.critical));
  const probs = new Float64Array(n);
  const flags = new Uint8Array(n);
  const losses: number[] = [];
  const details = createHash('sha256');
  for (let i = 0; i < n; i += batch) {
    const rows = events.slice(i, i + batch);
    const p = L.predictMany(rows);
    probs.set(p, i);
    flags.set(L.violationsMany(rows, p, times.slice(i, i + batch)), i);
    const d = L.lastViolationDetail();
    if (d) {
      details.update(d.names.join(','));
      details.update(Buffer.from(d.amounts.buffer, d.amounts.byteOffset, d.amounts.byteLength));
      details.update(Buffer.from(d.crossed.buffer, d.crossed.byteOffset, d.crossed.byteLength));
    }
    losses.push(L.learnMany(rows, labels.slice(i, i + batch)).loss);
  }
  const state = JSON.stringify(L.getState());
  const counts = JSON.stringify(L.violationCounts());
  L.dispose();
  return `${sha(probs)} ${sha(flags)} ${details.digest('hex').slice(0, 16)} ${sha(Float64Array.from(losses))} ${sha(counts)} ${sha(state)}`;
}

/** Recorded from the code before the speed work (see the file's comment). */
const GOLDEN: Record<string, string> = {
  'auto b1 stationary': 'f640d54f80e38d4e a6bedce1e512d653 3d97864ef385ecbb 94caaab058ece305 242f8a031ad44c46 9f88ba5c7f0f2148',
  'auto b1 abrupt': '43022897d261f767 a6bedce1e512d653 3d97864ef385ecbb cc10f202540a624a 242f8a031ad44c46 40b87c597a027909',
  'auto b7 recurring': '32f3173678f0a71f fc19b19971194257 987e2ec9beaed4ee 48777c5f1e3c2619 637c5a3a223f66fa 9ac11e76a7fb97e5',
  'auto b256 abrupt': 'beed4aaa2c6a05f8 a6bedce1e512d653 b47337ead95165ba bb977a0142a70908 242f8a031ad44c46 bec9b1f0d7adc491',
  'auto hedge b1 abrupt': '9012c7f304734ddc fc19b19971194257 51aeb9f1e7de62f3 ca951b0e86db07e0 637c5a3a223f66fa dee29e8f9d30418e',
  'auto log-loss b3 stationary': 'f73c421ed54566f6 c81ca5eda5947c78 ce3d485faed9ad5f 7f43038af63ec4ac 58c64c3666a83a38 46f8e8dd9236b6c9',
  'auto λ 0.1 b1 abrupt': '83666a26817a3b1f c81ca5eda5947c78 8f5f4b3f0f0f7490 f632e80aa9806705 58c64c3666a83a38 76906b0d945cd933',
  'auto b1 strict abrupt': '767c430101f61e76 931f799ae4247125 a3727a812ca83bef e17b5d817089707f 4e5232048b158ddb aaa2a1f618d798f5',
  'auto b7 strict recurring': '32f3173678f0a71f 7d1bdc2fb4ea8b0e 88b5fcf9d9a9f936 48777c5f1e3c2619 3dcca0c68d710f7c 23e113377ac0f129',
  'auto hedge b1 strict stationary': '034a3f19643f3f20 71a5d3ff4c306b9a abefff2e49e7f18e a39fa9b63e6de5bc a16acb5358d3cf37 494cc0f57a0ff1cf',
  'auto λ 0.1 b4 strict abrupt': 'feb0d21d2df7bea2 4caf4fabaa90229c e7238cd645a9ebbd 77a29f5aeda66b28 54812fe6da978605 a9390f3a40ecb32d',
  'hoeffding-tree b1 strict abrupt': 'dd0b3fda4be3240e 266ebc15d4c5953a 629d8cf3665713d1 774956f1e1484a07 976800e5dc59b01c 5eb921eff8c366cd',
  'logistic b1 strict abrupt': 'e553b6463458e79c 394e9cd718e345d3 7cf0905d4c2082e5 fb9825802a3d59dd 2ba7207c9ad56871 c52bdd17f563bb60',
  'hoeffding-tree b1 abrupt': 'dd0b3fda4be3240e 479000c103daf95c 00bea3392e8256fa 774956f1e1484a07 a8c1d67b93f19b5a f728cbce08953b4f',
  'naive-bayes b5 recurring': '2bef9eb7498f1ca5 c81ca5eda5947c78 764a1ef658f4acf2 61e50e2927a8d7fa 58c64c3666a83a38 7ab1b229aa198471',
  'logistic drift adwin b1 abrupt': 'e553b6463458e79c c81ca5eda5947c78 8f5f4b3f0f0f7490 fb9825802a3d59dd 58c64c3666a83a38 5da26b8c229a7e18',
};

const CASES: { name: string; scenario: ScenarioName; events: number; options: Partial<LearnerOptions>; batch: number }[] = [
  { name: 'auto b1 stationary', scenario: 'stationary', events: 6000, options: { model: 'auto' }, batch: 1 },
  { name: 'auto b1 abrupt', scenario: 'abrupt', events: 6000, options: { model: 'auto' }, batch: 1 },
  { name: 'auto b7 recurring', scenario: 'recurring', events: 4000, options: { model: 'auto' }, batch: 7 },
  { name: 'auto b256 abrupt', scenario: 'abrupt', events: 6000, options: { model: 'auto' }, batch: 256 },
  { name: 'auto hedge b1 abrupt', scenario: 'abrupt', events: 4000, options: { model: 'auto', auto: { combine: 'hedge' } }, batch: 1 },
  { name: 'auto log-loss b3 stationary', scenario: 'stationary', events: 3000, options: { model: 'auto', auto: { select: 'log-loss' } }, batch: 3 },
  { name: 'auto λ 0.1 b1 abrupt', scenario: 'abrupt', events: 3000, options: { model: 'auto', lambda: 0.1 }, batch: 1 },
  { name: 'auto b1 strict abrupt', scenario: 'abrupt', events: 5000, options: { model: 'auto', constraints: strict() }, batch: 1 },
  { name: 'auto b7 strict recurring', scenario: 'recurring', events: 4000, options: { model: 'auto', constraints: strict() }, batch: 7 },
  { name: 'auto hedge b1 strict stationary', scenario: 'stationary', events: 3000, options: { model: 'auto', constraints: strict(), auto: { combine: 'hedge' } }, batch: 1 },
  { name: 'auto λ 0.1 b4 strict abrupt', scenario: 'abrupt', events: 3000, options: { model: 'auto', constraints: strict(), lambda: 0.1 }, batch: 4 },
  { name: 'hoeffding-tree b1 strict abrupt', scenario: 'abrupt', events: 4000, options: { model: 'hoeffding-tree', constraints: strict() }, batch: 1 },
  { name: 'logistic b1 strict abrupt', scenario: 'abrupt', events: 3000, options: { model: 'logistic', constraints: strict() }, batch: 1 },
  { name: 'hoeffding-tree b1 abrupt', scenario: 'abrupt', events: 4000, options: { model: 'hoeffding-tree' }, batch: 1 },
  { name: 'naive-bayes b5 recurring', scenario: 'recurring', events: 3000, options: { model: 'naive-bayes' }, batch: 5 },
  { name: 'logistic drift adwin b1 abrupt', scenario: 'abrupt', events: 3000, options: { model: 'logistic', drift: 'adwin' } as Partial<LearnerOptions>, batch: 1 },
];

const print = process.env.GOLDEN_PRINT === '1';
const seen: Record<string, string> = {};

for (const c of CASES) {
  test(`auto golden: ${c.name} gives the probabilities, violations, losses and state recorded before the speed work`, async () => {
    const events = generateEvents({ scenario: c.scenario, events: c.events, seed: 'auto-golden' }) as unknown as Row[];
    const got = await fingerprint(events, c.options, c.batch);
    seen[c.name] = got;
    if (print) return;
    assert.equal(got, GOLDEN[c.name], `${c.name}: results changed`);
  });
}

test('auto golden: print', { skip: !print }, () => {
  process.stdout.write(`${JSON.stringify(seen, null, 2)}\n`);
});
