import { penaltyGrad, penaltyValue, shiftedRows } from '../constraints/constraint';
import type { Engine, OptimizerState, TrainBatch } from './engine';
import { bceWithLogit, sigmoid, type Network, type Rows } from './network';
import { isSparseRows, shiftedSparse, sparseValue } from '../features/sparse-rows';
import { FusedOptimizer, type OptimizerConfig, type OptimizerKind } from './optimizer';

/**
 * The fused engine: the built-in models, built-in constraints and consolidation with
 * hand-derived gradients on Float64Arrays. Custom constraints are not supported here.
 */
export class FusedEngine implements Engine {
  readonly backend = 'fused';
  private theta: Float64Array;
  private grad: Float64Array;
  /** The parameters before the current step (for the rollback of a step that made them non-finite). */
  private before: Float64Array;
  private opt: FusedOptimizer;

  /**
   * @param sparseRows Whether the learner gives this engine sparse rows (FeatureSpace.encodeSparse),
   *   the default, or today's dense n × dim batches (the reference the sparse path is tested against:
   *   both give bit-identical results). The engine itself takes either.
   */
  constructor(readonly net: Network, theta: Float64Array, optimizer: OptimizerKind | OptimizerConfig, readonly sparseRows = true) {
    this.theta = Float64Array.from(theta);
    this.grad = new Float64Array(net.size);
    this.before = new Float64Array(net.size);
    this.opt = new FusedOptimizer(optimizer, net.size);
  }

  predict(X: Rows, n: number): Float64Array {
    const { z } = this.net.forward(this.theta, X, n);
    for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]!);
    return z;
  }

  /** Loss and gradient into this.grad. */
  private compute(b: TrainBatch): number {
    const net = this.net;
    const theta = this.theta;
    const grad = this.grad;
    grad.fill(0);
    const n = b.n;
    const inv = 1 / n;
    const cache = net.forward(theta, b.X, n, b.nz);
    const z = cache.z;
    const p = new Float64Array(n);
    const dz = new Float64Array(n);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(z[i]!);
      p[i] = pi;
      const ci = b.c[i]!;
      loss += ci * bceWithLogit(z[i]!, b.y[i]!);
      dz[i] = ci * (pi - b.y[i]!) * inv;
    }
    loss *= inv;
    for (const { plan, coef, penalty } of b.plans) {
      if (coef === 0) continue;
      const idx = plan.idx;
      const scale = coef * inv;
      const inLogit = plan.space === 'logit';
      if (plan.type === 'bounds') {
        for (let m = 0; m < idx.length; m++) {
          const i = idx[m]!;
          const qi = inLogit ? z[i]! : p[i]!;
          let v = 0;
          let dvdq = 0;
          if (qi < plan.lo) { v = plan.lo - qi; dvdq = -1; } else if (qi > plan.hi) { v = qi - plan.hi; dvdq = 1; }
          if (v <= 0) continue;
          loss += scale * penaltyValue(penalty, v);
          const dqdz = inLogit ? 1 : p[i]! * (1 - p[i]!);
          dz[i] += scale * penaltyGrad(penalty, v) * dvdq * dqdz;
        }
      } else {
        // The shifted rows X2 (row idx[m] of X with columns cols set to values).
        const mN = idx.length;
        const { cols, values } = plan;
        const C = cols.length;
        const d = net.dim;
        // Logistic regression: the shifted logits come from z (only the changed columns differ), and
        // X2ᵀ·dz2 = Xᵀ·(dz2 scattered to idx) + the changed columns' corrections, so dz2 is folded into
        // dz and no X2 is built. An MLP runs its own forward/backward pass on X2.
        const logistic = net.hidden.length === 0;
        const W = net.offsets[0]!.W;
        const X0 = b.X;
        const X2 = logistic ? null : isSparseRows(X0) ? shiftedSparse(X0, idx, cols, values) : shiftedRows(X0, d, plan);
        const c2 = X2 ? net.forward(theta, X2, mN) : null;
        const z2 = c2 ? c2.z : net.logitsShifted(theta, b.X, z, idx, cols, values);
        const dz2 = logistic ? null : new Float64Array(mN);
        let any = false;
        for (let m = 0; m < mN; m++) {
          const i = idx[m]!;
          const pi = p[i]!;
          const p2 = sigmoid(z2[m]!);
          const diff = inLogit ? z[i]! - z2[m]! : pi - p2;
          const s = plan.abs ? (diff >= 0 ? 1 : -1) : plan.sign;
          const v = s * diff - plan.slack[m]!;
          if (v <= 0) continue;
          loss += scale * penaltyValue(penalty, v);
          const g = scale * penaltyGrad(penalty, v) * s;
          dz[i] += inLogit ? g : g * pi * (1 - pi);
          const g2 = inLogit ? -g : -g * p2 * (1 - p2);
          if (dz2) {
            dz2[m] = g2;
            any = true;
          } else {
            dz[i] += g2;
            for (let c = 0; c < C; c++) {
              const j = cols[c]!;
              grad[W + j] += g2 * (values[m * C + c]! - (isSparseRows(X0) ? sparseValue(X0, i, j) : X0[i * d + j]!));
            }
          }
        }
        if (any) net.backward(theta, X2!, mN, c2!, dz2!, grad);
      }
    }
    net.backward(theta, b.X, n, cache, dz, grad, false, b.nz);
    const cons = b.consolidation;
    if (cons && cons.strength > 0) {
      const { strength, F, anchor } = cons;
      let pen = 0;
      for (let k = 0; k < theta.length; k++) {
        const diff = theta[k]! - anchor[k]!;
        const f = F ? F[k]! : 1;
        pen += f * diff * diff;
        grad[k] += strength * f * diff;
      }
      loss += 0.5 * strength * pen;
    }
    const wd = b.weightDecay ?? 0;
    if (wd > 0) {
      let pen = 0;
      for (let l = 0; l + 1 < net.sizes.length; l++) {
        const { W } = net.offsets[l]!;
        const end = W + net.sizes[l]! * net.sizes[l + 1]!;
        for (let k = W; k < end; k++) {
          pen += theta[k]! * theta[k]!;
          grad[k] += wd * theta[k]!;
        }
      }
      loss += 0.5 * wd * pen;
    }
    return loss;
  }

  lossAndGrad(batch: TrainBatch): { loss: number; grad: Float64Array } {
    const loss = this.compute(batch);
    return { loss, grad: this.grad.slice() };
  }

  step(batch: TrainBatch): number {
    const loss = this.compute(batch);
    const g = this.grad;
    let ok = Number.isFinite(loss);
    for (let k = 0; ok && k < g.length; k++) if (!Number.isFinite(g[k]!)) ok = false;
    if (!ok) return Number.NaN;
    this.before.set(this.theta);
    this.opt.apply(this.theta, g, batch.learningRate);
    for (let k = 0; k < this.theta.length; k++) {
      if (!Number.isFinite(this.theta[k]!)) {
        // Back to the parameters before the step (the optimizer moments keep this step's finite gradient).
        const t = this.theta;
        this.theta = this.before;
        this.before = t;
        return Number.NaN;
      }
    }
    return loss;
  }

  getParams(): Float64Array {
    return this.theta.slice();
  }

  /** The live parameter vector, not a copy: read it, do not keep it across a step. */
  get params(): Float64Array {
    return this.theta;
  }

  setParams(theta: Float64Array): void {
    if (theta.length !== this.theta.length) throw new Error('parameter count does not match the model');
    this.theta = Float64Array.from(theta);
  }

  getOptimizerState(): OptimizerState {
    return this.opt.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.opt.setState(state);
  }

  dispose(): void {}
}
