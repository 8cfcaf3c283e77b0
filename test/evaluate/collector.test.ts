import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { PrequentialCollector } from '../../src/evaluate/collector';
import type { Outcome } from '../../src/evaluate/summary';

type Bit = 0 | 1;

/** Plain reference: counts from scratch. */
function ref(y: Bit[], p: Bit[]) {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  y.forEach((v, i) => {
    if (v && p[i]) tp++; else if (!v && p[i]) fp++; else if (!v && !p[i]) tn++; else fn++;
  });
  const n = y.length;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const accuracy = n ? (tp + tn) / n : 0;
  const pe = n ? (((tp + fn) / n) * ((tp + fp) / n) + ((tn + fp) / n) * ((tn + fn) / n)) : 1;
  const kappa = n && pe !== 1 ? (accuracy - pe) / (1 - pe) : 0;
  return { precision, recall, f1, accuracy, kappa, confusion: { tp, fp, tn, fn } };
}

const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-12, `${msg}: ${a} vs ${b}`);

/** Outcomes with regimes A (1500) → B (1200) → A (1300) → C (400); the model is worse right after changes. */
function makeOutcomes(seed: string, withOracle = true): Outcome[] {
  const rng = seedrandom.alea(seed);
  const plan: Array<[string, number]> = [['A', 1500], ['B', 1200], ['A', 1300], ['C', 400]];
  const out: Outcome[] = [];
  for (const [regime, n] of plan) {
    for (let i = 0; i < n; i++) {
      const oracle = rng();
      const label = (rng() < oracle ? 1 : 0) as Bit;
      const skill = i < 300 ? 0.55 : 0.85;
      const pred = (rng() < skill ? (oracle >= 0.5 ? 1 : 0) : rng() < 0.5 ? 1 : 0) as Bit;
      out.push({ label, p: pred ? 0.7 : 0.3, pred, oracle: withOracle ? oracle : null, regime, violation: rng() < 0.07, duplicate: rng() < 0.1 });
    }
  }
  return out;
}

test('summary equals plain references (metrics, rolling + series, Bayes, ratio, baselines, violations, forgetting)', () => {
  const W = 500, FW = 400;
  const outs = makeOutcomes('c1');
  const c = new PrequentialCollector({ window: W, forgettingWindow: FW });
  for (const o of outs) c.update(o);
  const s = c.summary();
  const y = outs.map((o) => o.label), p = outs.map((o) => o.pred);
  const op = outs.map((o) => ((o.oracle as number) >= 0.5 ? 1 : 0) as Bit);
  const r = ref(y, p);
  assert.equal(s.events, outs.length);
  assert.equal(s.duplicates, outs.filter((o) => o.duplicate).length);
  assert.deepEqual(s.metrics.confusion, r.confusion);
  for (const k of ['precision', 'recall', 'f1', 'accuracy', 'kappa'] as const) close(s.metrics[k], r[k], k);
  const rl = ref(y.slice(-W), p.slice(-W));
  close(s.rolling.f1, rl.f1, 'rolling f1');
  close(s.rolling.accuracy, rl.accuracy, 'rolling accuracy');
  assert.equal(s.rolling.series.length, Math.floor(outs.length / W));
  s.rolling.series.forEach((pt, k) => {
    const end = (k + 1) * W;
    assert.equal(pt.index, end);
    const m = ref(y.slice(end - W, end), p.slice(end - W, end));
    close(pt.f1, m.f1, `series f1 ${k}`);
    close(pt.accuracy, m.accuracy, `series acc ${k}`);
    close(pt.bayesF1 as number, ref(y.slice(end - W, end), op.slice(end - W, end)).f1, `series bayes ${k}`);
  });
  const b = ref(y, op);
  assert.ok(s.bayes);
  for (const k of ['precision', 'recall', 'f1', 'accuracy', 'kappa'] as const) close(s.bayes[k], b[k], `bayes ${k}`);
  close(s.ratio?.f1 as number, r.f1 / b.f1, 'ratio f1');
  close(s.ratio?.accuracy as number, r.accuracy / b.accuracy, 'ratio accuracy');
  // baselines
  const maj: Bit[] = [], nc: Bit[] = [];
  let n1 = 0, n0 = 0;
  y.forEach((v, i) => {
    maj.push(n1 > n0 ? 1 : 0);
    nc.push(i === 0 ? 0 : y[i - 1]);
    if (v) n1++; else n0++;
  });
  close(s.baselines.majority.f1, ref(y, maj).f1, 'majority f1');
  close(s.baselines.majority.accuracy, ref(y, maj).accuracy, 'majority acc');
  close(s.baselines.noChange.f1, ref(y, nc).f1, 'no-change f1');
  close(s.baselines.noChange.accuracy, ref(y, nc).accuracy, 'no-change acc');
  close(s.constraints.violationRate, outs.filter((o) => o.violation).length / outs.length, 'violation rate');
  // forgetting: A's first phase is [0, 1500), A returns at 2700
  const acc = (from: number, to: number) => { let k = 0; for (let i = from; i < to; i++) if (y[i] === p[i]) k++; return k / (to - from); };
  const bacc = (from: number, to: number) => { let k = 0; for (let i = from; i < to; i++) if (y[i] === op[i]) k++; return k / (to - from); };
  assert.ok(s.forgetting);
  assert.equal(s.forgetting.regime, 'A');
  assert.equal(s.forgetting.beforeEvents, FW);
  assert.equal(s.forgetting.afterEvents, FW);
  close(s.forgetting.before, acc(1500 - FW, 1500), 'before');
  close(s.forgetting.after, acc(2700, 2700 + FW), 'after');
  close(s.forgetting.drop, acc(1500 - FW, 1500) - acc(2700, 2700 + FW), 'drop');
  close(s.forgetting.bayesBefore as number, bacc(1500 - FW, 1500), 'bayes before');
  close(s.forgetting.bayesAfter as number, bacc(2700, 2700 + FW), 'bayes after');
});

test('Bayes is null when an oracle is missing; forgetting null without a return; short spans are partial', () => {
  const outs = makeOutcomes('c2', false);
  const c = new PrequentialCollector({ window: 100 });
  outs.slice(0, 2000).forEach((o) => c.update(o)); // A then B: no return
  const s = c.summary();
  assert.equal(s.bayes, null);
  assert.equal(s.ratio, null);
  assert.equal(s.forgetting, null);
  assert.equal(s.rolling.series[0].bayesF1, undefined);

  const one = new PrequentialCollector();
  const withOracle = makeOutcomes('c3');
  withOracle.forEach((o, i) => one.update(i === 10 ? { ...o, oracle: null } : o));
  assert.equal(one.summary().bayes, null, 'one missing oracle → no ceiling');

  // forgetting window larger than the phases: partial spans
  const big = new PrequentialCollector({ forgettingWindow: 5000 });
  withOracle.forEach((o) => big.update(o));
  const f = big.summary().forgetting;
  assert.ok(f);
  assert.equal(f.beforeEvents, 1500);
  assert.equal(f.afterEvents, 1300);

  const none = new PrequentialCollector();
  withOracle.forEach((o) => none.update({ ...o, regime: null }));
  assert.equal(none.summary().forgetting, null);
  assert.equal(new PrequentialCollector().summary().events, 0);
  assert.equal(new PrequentialCollector().summary().constraints.violationRate, 0);
});

test('getState/setState through JSON resumes to the identical summary', () => {
  const outs = makeOutcomes('c4');
  const full = new PrequentialCollector({ window: 300, forgettingWindow: 250 });
  outs.forEach((o) => full.update(o));
  for (const cut of [0, 1, 1499, 1500, 1501, 2700, 2800, outs.length]) {
    const a = new PrequentialCollector({ window: 300, forgettingWindow: 250 });
    outs.slice(0, cut).forEach((o) => a.update(o));
    const b = new PrequentialCollector(); // other options: the state carries them
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    outs.slice(cut).forEach((o) => b.update(o));
    assert.deepEqual(b.summary(), full.summary(), `cut at ${cut}`);
  }
  assert.throws(() => new PrequentialCollector().setState({ v: 2 }), /not a collector state/);
  assert.throws(() => new PrequentialCollector({ window: 0 }), RangeError);
});

test('the collector rejects a label or prediction that is not 0 or 1 (label 2 is not "negative") and counts nothing', async () => {
  const { OptionError } = await import('../../src/options/option-error');
  const c = new PrequentialCollector({ window: 10 });
  const ok: Outcome = { label: 1, p: 0.9, pred: 1, oracle: null, regime: null, violation: false, duplicate: false };
  c.update(ok);
  const before = JSON.stringify(c.getState());
  for (const [bad, option] of [[{ label: 2 }, 'label'], [{ label: -1 }, 'label'], [{ label: '1' }, 'label'], [{ pred: 2 }, 'pred'], [{ label: Number.NaN }, 'label']] as const) {
    assert.throws(() => c.update({ ...ok, ...bad } as unknown as Outcome), (err: unknown) => {
      assert.ok(err instanceof OptionError);
      assert.equal(err.option, option);
      assert.match(err.message, new RegExp(`^collector: ${option} must be 0 or 1, got `));
      return true;
    });
  }
  assert.equal(JSON.stringify(c.getState()), before);
  assert.equal(c.summary().events, 1);
});

test('summary metrics carry ROC AUC, log loss and Brier of p (NaN p skipped), kept across getState/setState', async () => {
  const { RocAuc, LogLoss, Brier } = await import('../../src/metrics');
  const outs = makeOutcomes('prob');
  outs[7] = { ...outs[7]!, p: Number.NaN };
  const half = Math.floor(outs.length / 2);
  const c = new PrequentialCollector({ window: 250 });
  const auc = new RocAuc(), ll = new LogLoss(), br = new Brier();
  for (const o of outs.slice(0, half)) c.update(o);
  const resumed = new PrequentialCollector({ window: 250 });
  resumed.setState(JSON.parse(JSON.stringify(c.getState())));
  for (const o of outs.slice(half)) resumed.update(o);
  for (const o of outs) {
    if (Number.isNaN(o.p)) continue;
    auc.update(o.label, o.p); ll.update(o.label, o.p); br.update(o.label, o.p);
  }
  const m = resumed.summary().metrics;
  assert.equal(m.rocAuc, auc.get());
  assert.ok(m.rocAuc > 0.5 && m.rocAuc < 1, `auc ${m.rocAuc}`);
  close(m.logLoss, ll.get(), 'logLoss');
  close(m.brier, br.get(), 'brier');
});

test('constraint detail read at an offset (`at`, one view for a batch) tallies as per-event copies do', () => {
  const rng = seedrandom.alea('collector-at');
  const names = ['mono', 'smooth', 'bounds'];
  const n = 3000;
  const amounts = Float64Array.from({ length: n * 3 }, () => (rng() < 0.3 ? rng() : 0));
  const crossed = Uint8Array.from({ length: n * 3 }, () => (rng() < 0.1 ? 1 : 0));
  const a = new PrequentialCollector({ window: 100, burnIn: 500 });
  const b = new PrequentialCollector({ window: 100, burnIn: 500 });
  const view = { names, amounts, crossed, at: 0 };
  for (let i = 0; i < n; i++) {
    const p = rng();
    const o: Outcome = { label: rng() < 0.4 ? 1 : 0, p, pred: p >= 0.5 ? 1 : 0, oracle: null, regime: null, violation: amounts[3 * i]! > 0, duplicate: false };
    a.update({ ...o, constraints: { names, amounts: amounts.subarray(3 * i, 3 * i + 3), crossed: crossed.subarray(3 * i, 3 * i + 3) } });
    view.at = 3 * i;
    b.update({ ...o, constraints: view });
    if (i === 1500) b.setState(JSON.parse(JSON.stringify(b.getState()))); // restored mid-way: the tallies are looked up again
  }
  assert.deepEqual(b.summary(), a.summary());
  assert.ok((a.summary().constraints.crossings ?? 0) > 0);
});
