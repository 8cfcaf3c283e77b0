/**
 * The fused engine's hand-derived gradients against TensorFlow.js automatic differentiation
 * (tf.variableGrads, i.e. tf.grad over the variables) and against central finite differences,
 * on random inputs: logistic and MLP, each built-in constraint kind, and consolidation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FusedEngine } from '../../src/learn/fused-engine';
import { TfjsEngine, loadTf } from '../../src/learn/tfjs-engine';
import { Network } from '../../src/learn/network';
import { Rng } from '../../src/learn/rng';
import { finiteDifference } from './helpers';
import type { TrainBatch } from '../../src/learn/engine';
import type { ConstraintPlan, Penalty } from '../../src/constraints/constraint';

const d = 6;
const n = 8;

type Which = 'none' | 'monotone' | 'monotone-logit' | 'smoothness' | 'bounds' | 'bounds-logit' | 'ewc' | 'l2' | 'weight-decay';

function randomBatch(rng: Rng, net: Network, which: Which, penalty: Penalty): TrainBatch {
  const r = () => rng.next() * 2 - 1;
  const X = Float64Array.from({ length: n * d }, r);
  const y = Float64Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 1));
  const c = Float64Array.from({ length: n }, () => 0.5 + rng.next());
  const plans: { plan: ConstraintPlan; coef: number; penalty: Penalty }[] = [];
  const idx = Int32Array.from([0, 2, 3, 5, 7]);
  // Shifted rows: one changed column (monotone), three (smoothness), new values at random.
  const shift = (cols: number[]) => ({ cols, values: Float64Array.from({ length: idx.length * cols.length }, r) });
  // Slacks chosen so that some rows violate and some do not (none exactly at a kink).
  if (which === 'monotone') plans.push({ plan: { type: 'pair', space: 'prob', idx, ...shift([1]), slack: Float64Array.from({ length: idx.length }, () => -0.3), sign: 1, abs: false }, coef: 3, penalty });
  if (which === 'monotone-logit') plans.push({ plan: { type: 'pair', space: 'logit', idx, ...shift([4]), slack: Float64Array.from({ length: idx.length }, () => -0.5), sign: -1, abs: false }, coef: 3, penalty });
  if (which === 'smoothness') plans.push({ plan: { type: 'pair', space: 'prob', idx, ...shift([0, 2, 5]), slack: Float64Array.from([0.001, 0.002, 0.0, 0.003, 0.001]), sign: 1, abs: true }, coef: 5, penalty });
  if (which === 'bounds') plans.push({ plan: { type: 'bounds', space: 'prob', idx, lo: 0.45, hi: 0.55 }, coef: 4, penalty });
  if (which === 'bounds-logit') plans.push({ plan: { type: 'bounds', space: 'logit', idx, lo: -0.2, hi: 0.2 }, coef: 4, penalty });
  let consolidation: TrainBatch['consolidation'] = null;
  if (which === 'ewc' || which === 'l2') {
    consolidation = {
      strength: 0.8,
      F: which === 'ewc' ? Float64Array.from({ length: net.size }, () => rng.next()) : null,
      anchor: Float64Array.from({ length: net.size }, r),
    };
  }
  return { X, n, y, c, rows: [], plans, custom: [], learningRate: 0.01, consolidation, ...(which === 'weight-decay' ? { weightDecay: 0.7 } : {}) };
}

function maxRelErr(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let k = 0; k < a.length; k++) err = Math.max(err, Math.abs(a[k]! - b[k]!));
  return err / Math.max(scale, 1e-3);
}

for (const hidden of [[], [5, 3]]) {
  for (const which of ['none', 'monotone', 'monotone-logit', 'smoothness', 'bounds', 'bounds-logit', 'ewc', 'l2', 'weight-decay'] as const) {
    for (const penalty of ['squared', 'linear'] as const) {
      if (penalty === 'linear' && (which === 'none' || which === 'ewc' || which === 'l2' || which === 'weight-decay')) continue;
      const model = hidden.length ? 'mlp' : 'logistic';
      test(`fused gradient = tf gradient = finite differences: ${model}, ${which}, ${penalty}`, async () => {
        const rng = new Rng(`${model}-${which}-${penalty}`);
        const net = new Network(d, hidden);
        const theta = Float64Array.from({ length: net.size }, () => rng.next() * 1.6 - 0.8);
        const batch = randomBatch(rng, net, which, penalty);
        const fused = new FusedEngine(net, theta, 'adam');
        const { tf, backend } = await loadTf('wasm');
        // Float64 weights rounded to float32 for a like-for-like comparison.
        const theta32 = Float64Array.from(Float32Array.from(theta));
        fused.setParams(theta32);
        const tfe = new TfjsEngine(tf, backend, net, theta32, 'adam');
        const a = fused.lossAndGrad(batch);
        const b = tfe.lossAndGrad(batch);
        tfe.dispose();
        assert.ok(Math.abs(a.loss - b.loss) < 1e-4 * Math.max(1, Math.abs(a.loss)), `loss ${a.loss} vs tf ${b.loss}`);
        assert.ok(maxRelErr(a.grad, b.grad) < 2e-3, `grad differs from tf: ${maxRelErr(a.grad, b.grad)}`);
        // Central finite differences on the float64 fused loss.
        const h = 1e-6;
        const fd = new Float64Array(net.size);
        for (let k = 0; k < net.size; k++) {
          fd[k] = finiteDifference(fused, theta32, batch, k, h);
        }
        assert.ok(maxRelErr(a.grad, fd) < 1e-5, `grad differs from finite differences: ${maxRelErr(a.grad, fd)}`);
        if (which === 'weight-decay') {
          // The penalty is on the weights only: the biases' gradient is the task-only one.
          fused.setParams(theta32);
          const task = fused.lossAndGrad({ ...batch, weightDecay: 0 });
          for (let l = 0; l < net.offsets.length; l++) {
            const { b: bo } = net.offsets[l]!;
            for (let k = bo; k < bo + net.sizes[l + 1]!; k++) assert.equal(a.grad[k], task.grad[k], `bias ${k}`);
          }
          assert.ok(maxRelErr(a.grad, task.grad) > 1e-3, 'weight decay has no effect on the gradient');
        }
        if (which !== 'none' && which !== 'ewc' && which !== 'l2' && which !== 'weight-decay') {
          // The penalty is active: the gradient differs from the task-only gradient.
          fused.setParams(theta32);
          const task = fused.lossAndGrad({ ...batch, plans: [] });
          assert.ok(maxRelErr(a.grad, task.grad) > 1e-3, 'constraint penalty has no effect on the gradient');
        }
      });
    }
  }
}
