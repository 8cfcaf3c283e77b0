/**
 * Each update rule of the fused engine's optimizers against a plain reference written from its
 * definition, step by step; state round trips; the tfjs engine's SGD schedules against the fused
 * engine's; option validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FusedOptimizer, optimalT0, type OptimizerConfig } from '../../src/learn/optimizer';
import { FusedEngine } from '../../src/learn/fused-engine';
import { TfjsEngine, loadTf } from '../../src/learn/tfjs-engine';
import { Network } from '../../src/learn/network';
import { Rng } from '../../src/learn/rng';
import { createLearner } from '../../src/learn/create-learner';
import type { TrainBatch } from '../../src/learn/engine';
import { SMALL_SCHEMA } from './helpers';

const K = 7;
const STEPS = 40;

/** A plain reference: one coordinate at a time, every formula written out from its paper / library. */
function reference(cfg: Required<OptimizerConfig>, theta0: number[], grads: number[][], lrs: number[]): number[][] {
  const theta = [...theta0];
  const m = new Array<number>(K).fill(0);
  const v = new Array<number>(K).fill(cfg.kind === 'adagrad' ? 0.1 : 0);
  const out: number[][] = [];
  // scikit-learn's _sgd_fast: typw = sqrt(1/sqrt(alpha)); initial_eta0 = typw / max(1, dloss(-typw, 1))
  // with the log loss's dloss(p, y) = -y / (exp(p·y) + 1); optimal_init = 1 / (initial_eta0 · alpha);
  // eta = 1 / (alpha · (optimal_init + t − 1)) at sample t = 1, 2, …
  const typw = Math.sqrt(1 / Math.sqrt(cfg.alpha));
  const dloss = (p: number, y: number): number => -y / (Math.exp(p * y) + 1);
  const initialEta0 = typw / Math.max(1, dloss(-typw, 1));
  const optimalInit = 1 / (initialEta0 * cfg.alpha);
  for (let s = 0; s < grads.length; s++) {
    const t = s + 1;
    const lr = lrs[s]!;
    for (let k = 0; k < K; k++) {
      const g = grads[s]![k]!;
      if (cfg.kind === 'sgd') {
        let eta = lr;
        if (cfg.lrSchedule === 'optimal') eta = 1 / (cfg.alpha * (optimalInit + t - 1));
        if (cfg.lrSchedule === 'invscaling') eta = lr / t ** cfg.powerT;
        theta[k] = theta[k]! - eta * g;
      } else if (cfg.kind === 'adam') {
        m[k] = cfg.beta1 * m[k]! + (1 - cfg.beta1) * g;
        v[k] = cfg.beta2 * v[k]! + (1 - cfg.beta2) * g * g;
        const mHat = m[k]! / (1 - cfg.beta1 ** t);
        const vHat = v[k]! / (1 - cfg.beta2 ** t);
        theta[k] = theta[k]! - (lr * mHat) / (Math.sqrt(vHat) + 1e-7);
      } else if (cfg.kind === 'adagrad') {
        v[k] = v[k]! + g * g;
        theta[k] = theta[k]! - (lr * g) / Math.sqrt(v[k]! + 1e-7);
      } else {
        // McMahan et al. 2013, Algorithm 1 (per-coordinate learning rate α/(β + √n)).
        const alpha = lr;
        const sigma = (Math.sqrt(v[k]! + g * g) - Math.sqrt(v[k]!)) / alpha;
        m[k] = m[k]! + g - sigma * theta[k]!;
        v[k] = v[k]! + g * g;
        const z = m[k]!;
        theta[k] = Math.abs(z) <= cfg.l1 ? 0 : -(z - Math.sign(z) * cfg.l1) / ((cfg.ftrlBeta + Math.sqrt(v[k]!)) / alpha + cfg.l2);
      }
    }
    out.push([...theta]);
  }
  return out;
}

const full = (c: OptimizerConfig): Required<OptimizerConfig> => ({
  lrSchedule: 'constant', alpha: 1e-4, powerT: 0.25, beta1: 0.9, beta2: 0.999, ftrlBeta: 1, l1: 0, l2: 0, ...c,
});

const CASES: { name: string; cfg: OptimizerConfig; lr: number; theta0: 'zero' | 'random' }[] = [
  { name: 'sgd constant', cfg: { kind: 'sgd' }, lr: 0.3, theta0: 'random' },
  { name: 'sgd optimal (alpha 1e-4, scikit-learn t0)', cfg: { kind: 'sgd', lrSchedule: 'optimal' }, lr: 0.3, theta0: 'random' },
  { name: 'sgd optimal (alpha 0.01)', cfg: { kind: 'sgd', lrSchedule: 'optimal', alpha: 0.01 }, lr: 0.3, theta0: 'random' },
  { name: 'sgd invscaling (power 0.25)', cfg: { kind: 'sgd', lrSchedule: 'invscaling' }, lr: 0.3, theta0: 'random' },
  { name: 'sgd invscaling (power 0.5)', cfg: { kind: 'sgd', lrSchedule: 'invscaling', powerT: 0.5 }, lr: 0.3, theta0: 'random' },
  { name: 'adam default betas', cfg: { kind: 'adam' }, lr: 0.05, theta0: 'random' },
  { name: 'adam beta1 0, beta2 0.9', cfg: { kind: 'adam', beta1: 0, beta2: 0.9 }, lr: 0.05, theta0: 'random' },
  { name: 'adagrad', cfg: { kind: 'adagrad' }, lr: 0.1, theta0: 'random' },
  { name: 'ftrl (no regularisation)', cfg: { kind: 'ftrl' }, lr: 0.1, theta0: 'zero' },
  { name: 'ftrl (l1 0.3, l2 0.5, beta 0.5)', cfg: { kind: 'ftrl', l1: 0.3, l2: 0.5, ftrlBeta: 0.5 }, lr: 0.2, theta0: 'zero' },
];

for (const c of CASES) {
  test(`optimizer update = plain reference, step by step: ${c.name}`, () => {
    const rng = new Rng(c.name);
    const r = () => rng.next() * 2 - 1;
    const theta0 = Array.from({ length: K }, () => (c.theta0 === 'zero' ? 0 : r()));
    const grads = Array.from({ length: STEPS }, () => Array.from({ length: K }, () => 2 * r()));
    // Varying step sizes (the learner's last partial batch scales it) — except FTRL, whose α is fixed.
    const lrs = Array.from({ length: STEPS }, (_, s) => (c.cfg.kind === 'ftrl' ? c.lr : c.lr * (1 + (s % 3) / 2)));
    const want = reference(full(c.cfg), theta0, grads, lrs);
    const opt = new FusedOptimizer(c.cfg, K);
    const theta = Float64Array.from(theta0);
    for (let s = 0; s < STEPS; s++) {
      opt.apply(theta, Float64Array.from(grads[s]!), lrs[s]!);
      for (let k = 0; k < K; k++) {
        const w = want[s]![k]!;
        assert.ok(Math.abs(theta[k]! - w) <= 1e-12 * Math.max(1, Math.abs(w)), `step ${s + 1}, θ[${k}] = ${theta[k]} vs reference ${w}`);
      }
    }
    assert.ok(theta.some((x, k) => x !== theta0[k]), 'the parameters moved');
    // State round trip (JSON): the continued trajectories are bit-identical.
    const copy = new FusedOptimizer(c.cfg, K);
    copy.setState(JSON.parse(JSON.stringify(opt.getState())));
    const a = theta.slice();
    const b = theta.slice();
    for (let s = 0; s < 5; s++) {
      const g = Float64Array.from(grads[s]!);
      opt.apply(a, g, c.lr);
      copy.apply(b, g, c.lr);
    }
    assert.deepEqual(Array.from(b), Array.from(a));
  });
}

test('sgd optimal: the first step size is scikit-learn\'s initial eta0 = alpha^(-1/4), then 1/(alpha(t0 + t − 1))', () => {
  for (const alpha of [1e-4, 1e-2, 0.5]) {
    const t0 = optimalT0(alpha);
    assert.ok(Math.abs(1 / (alpha * t0) - Math.pow(alpha, -0.25)) < 1e-12 * Math.pow(alpha, -0.25));
  }
  // One coordinate with gradient 1: the parameter moves by −η_t at step t.
  const opt = new FusedOptimizer({ kind: 'sgd', lrSchedule: 'optimal', alpha: 1e-4 }, 1);
  const theta = new Float64Array(1);
  opt.apply(theta, Float64Array.of(1), 123);
  assert.ok(Math.abs(theta[0]! + 10) < 1e-12, `first step ${-theta[0]!} (want 1e-4^(-1/4) = 10)`);
  opt.apply(theta, Float64Array.of(1), 123);
  assert.ok(Math.abs(theta[0]! + 10 + 1 / (1e-4 * (optimalT0(1e-4) + 1))) < 1e-12);
});

test('ftrl with l1 keeps weak coordinates exactly at 0', () => {
  const opt = new FusedOptimizer({ kind: 'ftrl', l1: 5 }, 3);
  const theta = new Float64Array(3);
  for (let s = 0; s < 20; s++) opt.apply(theta, Float64Array.of(0.1, -0.1, s % 2 ? 1 : 2), 0.1);
  assert.equal(theta[0], 0);
  assert.equal(theta[1], 0);
  assert.ok(theta[2]! < 0, 'a coordinate with a strong gradient leaves 0');
});

test('optimizer setState refuses another optimizer\'s state or the wrong size', () => {
  const adam = new FusedOptimizer('adam', 3);
  assert.throws(() => new FusedOptimizer('adagrad', 3).setState(adam.getState()), /adam.*not "adagrad"/);
  assert.throws(() => new FusedOptimizer('adam', 4).setState(adam.getState()), /does not match/);
});

function batchOf(rng: Rng, d: number, n: number, lr: number): TrainBatch {
  const X = Float64Array.from({ length: n * d }, () => rng.next() * 2 - 1);
  const y = Float64Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 1));
  return { X, n, y, c: new Float64Array(n).fill(1), rows: [], plans: [], custom: [], learningRate: lr, consolidation: null };
}

for (const schedule of ['constant', 'optimal', 'invscaling'] as const) {
  test(`tfjs engine sgd ${schedule} takes the fused engine's steps (float32)`, async () => {
    const { tf, backend } = await loadTf('wasm');
    const net = new Network(5, []);
    const theta = new Float64Array(net.size);
    const cfg: OptimizerConfig = { kind: 'sgd', lrSchedule: schedule, alpha: 0.01, powerT: 0.5 };
    const fused = new FusedEngine(net, theta, cfg);
    const tfe = new TfjsEngine(tf, backend, net, theta, cfg);
    const rng = new Rng(schedule);
    for (let s = 0; s < 10; s++) {
      const b = batchOf(rng, 5, 8, 0.2);
      fused.step(b);
      tfe.step(b);
    }
    const a = fused.getParams();
    const b = tfe.getParams();
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]! - b[k]!) < 1e-4 * Math.max(1, Math.abs(a[k]!)), `θ[${k}] ${a[k]} vs tf ${b[k]}`);
    assert.deepEqual(tfe.getOptimizerState(), { kind: 'sgd', t: 10 });
    tfe.dispose();
  });
}

test('tfjs engine adam with beta1 = 0 takes the fused engine\'s steps', async () => {
  const { tf, backend } = await loadTf('wasm');
  const net = new Network(4, []);
  const theta = new Float64Array(net.size);
  const cfg: OptimizerConfig = { kind: 'adam', beta1: 0, beta2: 0.9 };
  const fused = new FusedEngine(net, theta, cfg);
  const tfe = new TfjsEngine(tf, backend, net, theta, cfg);
  const ref = new FusedEngine(net, theta, 'adam');
  const rng = new Rng('adam-b');
  for (let s = 0; s < 8; s++) {
    const b = batchOf(rng, 4, 6, 0.05);
    fused.step(b);
    tfe.step(b);
    ref.step(b);
  }
  const a = fused.getParams();
  const b = tfe.getParams();
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]! - b[k]!) < 1e-3 * Math.max(1, Math.abs(a[k]!)), `θ[${k}] ${a[k]} vs tf ${b[k]}`);
  const c = ref.getParams();
  assert.ok(a.some((x, k) => Math.abs(x - c[k]!) > 1e-3), 'the betas make a difference');
  tfe.dispose();
});

test('tfjs engine refuses adagrad and ftrl, naming them', async () => {
  const { tf, backend } = await loadTf('wasm');
  const net = new Network(3, []);
  for (const kind of ['adagrad', 'ftrl'] as const) {
    assert.throws(() => new TfjsEngine(tf, backend, net, new Float64Array(net.size), kind), new RegExp(`not "${kind}"`));
    await assert.rejects(createLearner({ schema: SMALL_SCHEMA, engine: 'tfjs', optimizer: kind }), new RegExp(`optimizer "${kind}" runs on the fused engine only`));
  }
});

test('createLearner validates the optimizer options, naming each', async () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ learningRate: 0 }, /learningRate must be a number > 0, got 0/],
    [{ learningRate: -1 }, /learningRate/],
    [{ optimizer: 'rmsprop' }, /optimizer must be one of sgd, adam, adagrad, ftrl, got "rmsprop"/],
    [{ lrSchedule: 'step' }, /lrSchedule must be one of/],
    [{ optimizer: 'adam', lrSchedule: 'optimal' }, /lrSchedule "optimal" needs optimizer "sgd"/],
    [{ optimizer: 'ftrl', model: 'mlp' }, /optimizer "ftrl" needs model "logistic"/],
    [{ beta1: 1 }, /beta1 must be in \[0, 1\)/],
    [{ beta2: -0.1 }, /beta2/],
    [{ alpha: 0 }, /alpha must be a number > 0/],
    [{ l1: -1 }, /l1 must be a number ≥ 0/],
    [{ l2: Number.NaN }, /l2/],
    [{ ftrlBeta: -1 }, /ftrlBeta/],
    [{ powerT: -1 }, /powerT/],
    [{ normalise: 'ewm:0' }, /normalise must be "cumulative" or "ewm:N"/],
    [{ normalise: 'ewm' }, /normalise/],
    [{ normalise: 'rolling' }, /normalise/],
  ];
  for (const [opts, re] of bad) await assert.rejects(createLearner({ schema: SMALL_SCHEMA, ...(opts as object) }), re, JSON.stringify(opts));
  const ok = await createLearner({ schema: SMALL_SCHEMA, optimizer: 'ftrl' });
  assert.equal(ok.options.learningRate, 0.1);
  assert.equal(ok.options.lrSchedule, 'constant');
  assert.equal(ok.options.normalise, 'cumulative');
  ok.dispose();
});
