/**
 * Naive Bayes against a closed-form reference recomputed from scratch on every prefix of a stream
 * (class frequencies, two-pass per-class means and ML variances with scikit-learn's var_smoothing,
 * Laplace-smoothed code frequencies), with missing values, a log-transformed field, categorical and
 * hashed fields; and the untrained prior.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLearner } from '../../src/learn/create-learner';
import { fnv1a } from '../../src/features/hash';
import type { Row } from '../../src/types';
import { SMALL_SCHEMA, syntheticRows } from './helpers';

const CAP = 32;
const BUCKETS = 32;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const t = (field: string, x: number): number => ((SMALL_SCHEMA.log ?? []).includes(field) ? Math.sign(x) * Math.log1p(Math.abs(x)) : x);

/** P(y = 1 | x) of naive Bayes fitted on rows[0 .. k) from scratch. */
function reference(rows: Row[], labels: number[], k: number, x: Row): number {
  const n = [0, 0];
  for (let i = 0; i < k; i++) n[labels[i]!] += 1;
  if (n[1] === 0) return 0;
  if (n[0] === 0) return 1;
  let l = Math.log(n[1]!) - Math.log(n[0]!);
  // Numeric: per class mean and ML variance of the present values; ε from the overall variance.
  const stats = SMALL_SCHEMA.numeric.map((f) => {
    const per = [0, 1].map((c) => {
      const xs: number[] = [];
      for (let i = 0; i < k; i++) if (labels[i] === c && Number.isFinite(num(rows[i]![f]))) xs.push(t(f, num(rows[i]![f])));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { count: xs.length, mean, v: xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / xs.length };
    });
    const all: number[] = [];
    for (let i = 0; i < k; i++) if (Number.isFinite(num(rows[i]![f]))) all.push(t(f, num(rows[i]![f])));
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    return { per, v: all.length ? all.reduce((a, b) => a + (b - mean) * (b - mean), 0) / all.length : 0 };
  });
  const maxVar = Math.max(0, ...stats.map((s) => s.v));
  const eps = maxVar > 0 ? 1e-9 * maxVar : 1e-9;
  SMALL_SCHEMA.numeric.forEach((f, j) => {
    const xv = num(x[f]);
    const s = stats[j]!;
    if (!Number.isFinite(xv) || s.per[0]!.count === 0 || s.per[1]!.count === 0) return;
    const logpdf = (c: number) => {
      const v = s.per[c]!.v + eps;
      const d = t(f, xv) - s.per[c]!.mean;
      return -0.5 * Math.log(2 * Math.PI * v) - (d * d) / (2 * v);
    };
    l += logpdf(1) - logpdf(0);
  });
  // Categorical: codes in order of first appearance (CAP of them), then "other", then "missing".
  const code = (field: string, v: unknown, seen: string[]): number => (v === undefined || v === null || v === '' ? CAP + 1 : seen.indexOf(String(v)) >= 0 ? seen.indexOf(String(v)) : CAP);
  for (const f of SMALL_SCHEMA.categorical) {
    const seen: string[] = [];
    for (let i = 0; i < k; i++) {
      const v = rows[i]![f];
      if (v !== undefined && v !== null && v !== '' && !seen.includes(String(v)) && seen.length < CAP) seen.push(String(v));
    }
    const cx = code(f, x[f], seen);
    const cnt = [0, 0];
    for (let i = 0; i < k; i++) if (code(f, rows[i]![f], seen) === cx) cnt[labels[i]!] += 1;
    l += Math.log((cnt[1]! + 1) / (n[1]! + CAP + 2)) - Math.log((cnt[0]! + 1) / (n[0]! + CAP + 2));
  }
  for (const f of SMALL_SCHEMA.hashed ?? []) {
    const code2 = (v: unknown) => (v === undefined || v === null || v === '' ? BUCKETS : fnv1a(String(v)) % BUCKETS);
    const cx = code2(x[f]);
    const cnt = [0, 0];
    for (let i = 0; i < k; i++) if (code2(rows[i]![f]) === cx) cnt[labels[i]!] += 1;
    l += Math.log((cnt[1]! + 1) / (n[1]! + BUCKETS + 1)) - Math.log((cnt[0]! + 1) / (n[0]! + BUCKETS + 1));
  }
  return 1 / (1 + Math.exp(-l));
}

/** Rows with holes: missing numerics, a missing category and a missing user now and then. */
function holedRows(n: number, seed: string): { rows: Row[]; labels: number[] } {
  const { rows, labels } = syntheticRows(n, seed);
  rows.forEach((r, i) => {
    if (i % 7 === 3) r.a = null;
    if (i % 11 === 5) r.b = '';
    if (i % 13 === 1) delete r.kind;
    if (i % 17 === 2) r.user = null;
  });
  return { rows, labels };
}

test('naive Bayes equals the closed-form reference on every prefix', async () => {
  const { rows, labels } = holedRows(120, 'nb-prefix');
  const probe = holedRows(12, 'nb-probe').rows;
  probe.push({ a: 0.3, b: 10, sev: 2, load: 0.5, kind: 'never-seen', src: 's1', user: 'nobody' });
  const L = await createLearner({ schema: SMALL_SCHEMA, model: 'naive-bayes', constraints: [] });
  let k = 0;
  let checked = 0;
  // Batches of 1, 2 and 3 rows in turn: the result depends on the rows seen, not on the batching.
  for (let size = 1; k < rows.length; size = (size % 3) + 1) {
    const end = Math.min(rows.length, k + size);
    L.learnMany(rows.slice(k, end), labels.slice(k, end));
    k = end;
    const p = L.predictMany(probe);
    probe.forEach((x, i) => {
      const ref = reference(rows, labels, k, x);
      assert.ok(Math.abs(p[i]! - ref) <= 1e-9 * Math.max(1, Math.abs(ref)), `prefix ${k}, probe ${i}: ${p[i]} vs ${ref}`);
      checked += 1;
    });
  }
  assert.ok(checked > 500);
});

test('naive Bayes: untrained it predicts 0, then the class prior of the labels seen so far', async () => {
  const L = await createLearner({ schema: SMALL_SCHEMA, model: 'naive-bayes', constraints: [] });
  const { rows } = syntheticRows(4, 'nb-prior');
  assert.deepEqual(Array.from(L.predictMany(rows)), [0, 0, 0, 0]);
  L.learnMany(rows.slice(0, 2), [1, 1]);
  assert.deepEqual(Array.from(L.predictMany(rows)), [1, 1, 1, 1]);
});

test('row models: a state that does not match is refused and the learner is left as it was', async () => {
  const { rows, labels } = syntheticRows(60, 'nb-state');
  for (const model of ['naive-bayes', 'hoeffding-tree', 'hat', 'arf'] as const) {
    const L = await createLearner({ schema: SMALL_SCHEMA, model, constraints: [], tree: { trees: 2 } });
    L.learnMany(rows, labels);
    const before = JSON.stringify(L.getState());
    const good = JSON.parse(before);
    for (const bad of [{ ...good, classCounts: [1] }, { ...good, model: 'logistic' }, { ...good, state: { ...good.state, kind: 'other' } }, { ...good, violations: null }, null]) {
      assert.throws(() => L.setState(bad), /state/, model);
      assert.equal(JSON.stringify(L.getState()), before, model);
    }
  }
});
