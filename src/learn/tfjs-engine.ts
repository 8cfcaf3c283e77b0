import type * as TF from '@tensorflow/tfjs';
import { shiftedRows } from '../constraints/constraint';
import { densify, isSparseRows, type SparseRows } from '../features/sparse-rows';
import type { Engine, OptimizerState, TrainBatch } from './engine';
import type { Network } from './network';
import { ADAM, sgdRate, type OptimizerConfig, type OptimizerKind } from './optimizer';

type Tf = typeof TF;

const f32 = (a: ArrayLike<number>): Float32Array => Float32Array.from(a);

/** Which tfjs backend to use. "auto": tensorflow (tfjs-node) when installed, else wasm, else cpu. */
export type TfjsBackend = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

let loaded: { tf: Tf; backend: string } | null = null;

/**
 * Loads TensorFlow.js (lazily: only the tfjs engine calls this) and selects the backend.
 * Returns the module and the backend name that is active.
 */
export async function loadTf(preferred: TfjsBackend = 'auto'): Promise<{ tf: Tf; backend: string }> {
  if (loaded && (preferred === 'auto' || loaded.backend === preferred)) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  let tf: Tf = require('@tensorflow/tfjs');
  // No console output from the library: PROD silences tfjs's warnings (e.g. the cpu backend's "install tfjs-node" banner).
  tf.env().set('PROD', true);
  const order: string[] = preferred === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preferred, 'cpu'];
  for (const name of order) {
    try {
      if (name === 'tensorflow') {
        require.resolve('@tensorflow/tfjs-node');
        tf = require('@tensorflow/tfjs-node');
        tf.env().set('PROD', true);
      } else if (name === 'wasm') {
        require('@tensorflow/tfjs-backend-wasm');
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        loaded = { tf, backend: tf.getBackend() };
        return loaded;
      }
    } catch {
      // try the next backend
    }
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

/**
 * The reference engine on TensorFlow.js: the same models, constraints and consolidation as the
 * fused engine, differentiated by tfjs (optimizer.minimize with an explicit var list, inside
 * tf.tidy), plus user-written tfjs constraints.
 */
export class TfjsEngine implements Engine {
  readonly backend: string;
  private readonly vars: TF.Variable[] = [];
  private readonly optimizer: TF.Optimizer;

  private readonly optimizerKind: 'sgd' | 'adam';
  private readonly config: OptimizerConfig;
  /** SGD steps taken (the schedule's t; tf.train.sgd counts none). */
  private sgdSteps = 0;

  /**
   * Supports optimizer "sgd" (every lrSchedule: the step size is set before each step) and "adam"
   * (settable β1, β2); "adagrad" and "ftrl" throw (fused engine only).
   */
  constructor(private readonly tf: Tf, tfBackend: string, readonly net: Network, theta: Float64Array,
    optimizer: OptimizerKind | OptimizerConfig) {
    const config = typeof optimizer === 'string' ? { kind: optimizer } : optimizer;
    if (config.kind !== 'sgd' && config.kind !== 'adam') {
      throw new Error(`the tfjs engine supports optimizer "sgd" or "adam", not "${config.kind}" (fused engine only)`);
    }
    this.optimizerKind = config.kind;
    this.config = config;
    this.backend = `tfjs-${tfBackend}`;
    for (let l = 0; l + 1 < net.sizes.length; l++) {
      const inS = net.sizes[l]!;
      const outS = net.sizes[l + 1]!;
      const { W, b } = net.offsets[l]!;
      this.vars.push(tf.variable(tf.tensor2d(f32(theta.subarray(W, W + inS * outS)), [inS, outS]), true));
      this.vars.push(tf.variable(tf.tensor1d(f32(theta.subarray(b, b + outS))), true));
    }
    this.optimizer = this.optimizerKind === 'adam'
      ? tf.train.adam(0.01, config.beta1 ?? ADAM.beta1, config.beta2 ?? ADAM.beta2)
      : tf.train.sgd(0.01);
  }

  private forward(X: TF.Tensor2D): TF.Tensor1D {
    const tf = this.tf;
    const L = this.net.sizes.length - 1;
    let A: TF.Tensor2D = X;
    for (let l = 0; l < L; l++) {
      const pre = tf.add(tf.matMul(A, this.vars[2 * l]!), this.vars[2 * l + 1]!) as TF.Tensor2D;
      A = l < L - 1 ? tf.tanh(pre) : pre;
    }
    return tf.reshape(A, [-1]) as TF.Tensor1D;
  }

  predict(rows: Float64Array | SparseRows, n: number): Float64Array {
    const X = isSparseRows(rows) ? densify(rows) : rows; // the reference engine works on dense rows
    const tf = this.tf;
    if (n === 0) return new Float64Array(0);
    const out = tf.tidy(() => tf.sigmoid(this.forward(tf.tensor2d(f32(X), [n, this.net.dim]))));
    const p = Float64Array.from(out.dataSync());
    out.dispose();
    return p;
  }

  /** The loss as a tfjs scalar (call inside a tidy / gradient scope). */
  private lossFn(b: TrainBatch): () => TF.Scalar {
    const tf = this.tf;
    const d = this.net.dim;
    const dense = isSparseRows(b.X) ? densify(b.X) : b.X; // the reference engine works on dense rows
    return () => {
      const n = b.n;
      const inv = 1 / n;
      const X = tf.tensor2d(f32(dense), [n, d]);
      const y = tf.tensor1d(f32(b.y));
      const c = tf.tensor1d(f32(b.c));
      const z = this.forward(X);
      const p = tf.sigmoid(z);
      const bce = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
      let loss: TF.Scalar = tf.mul(tf.sum(tf.mul(c, bce)), inv);
      const ell = (v: TF.Tensor, penalty: string) => (penalty === 'squared' ? tf.square(v) : v);
      for (const { plan, coef, penalty } of b.plans) {
        if (coef === 0) continue;
        // p[idx] as a product with a 0/1 selection matrix: the wasm backend has no gradient for gather.
        const sel = new Float32Array(plan.idx.length * n);
        plan.idx.forEach((i, m) => { sel[m * n + i] = 1; });
        const inLogit = plan.space === 'logit';
        const q = inLogit ? z : p;
        const qi = tf.reshape(tf.matMul(tf.tensor2d(sel, [plan.idx.length, n]), tf.reshape(q, [n, 1])), [-1]);
        let v: TF.Tensor;
        if (plan.type === 'bounds') {
          v = tf.zerosLike(qi);
          if (Number.isFinite(plan.lo)) v = tf.add(v, tf.relu(tf.sub(plan.lo, qi)));
          if (Number.isFinite(plan.hi)) v = tf.add(v, tf.relu(tf.sub(qi, plan.hi)));
        } else {
          const z2 = this.forward(tf.tensor2d(f32(shiftedRows(dense, d, plan)), [plan.idx.length, d]));
          const q2 = inLogit ? z2 : tf.sigmoid(z2);
          const diff = tf.sub(qi, q2);
          const g = plan.abs ? tf.abs(diff) : tf.mul(diff, plan.sign);
          v = tf.relu(tf.sub(g, tf.tensor1d(f32(plan.slack))));
        }
        loss = tf.add(loss, tf.mul(tf.sum(ell(v, penalty)), coef * inv));
      }
      for (const { constraint, coef } of b.custom) {
        if (coef === 0) continue;
        const v = constraint.fn(p, { rows: b.rows, X }) as TF.Tensor;
        loss = tf.add(loss, tf.mul(tf.sum(ell(tf.relu(v), constraint.penalty)), coef * inv));
      }
      const wd = b.weightDecay ?? 0;
      if (wd > 0) {
        for (let l = 0; l + 1 < this.net.sizes.length; l++) loss = tf.add(loss, tf.mul(tf.sum(tf.square(this.vars[2 * l]!)), 0.5 * wd));
      }
      const cons = b.consolidation;
      if (cons && cons.strength > 0) {
        let pen: TF.Scalar = tf.scalar(0);
        for (let l = 0; l + 1 < this.net.sizes.length; l++) {
          const inS = this.net.sizes[l]!;
          const outS = this.net.sizes[l + 1]!;
          const { W, b: bo } = this.net.offsets[l]!;
          const parts: [TF.Variable, number, number, number[]][] = [
            [this.vars[2 * l]!, W, inS * outS, [inS, outS]],
            [this.vars[2 * l + 1]!, bo, outS, [outS]],
          ];
          for (const [variable, off, len, shape] of parts) {
            const anchor = tf.tensor(f32(cons.anchor.subarray(off, off + len)), shape);
            let sq: TF.Tensor = tf.square(tf.sub(variable, anchor));
            if (cons.F) sq = tf.mul(sq, tf.tensor(f32(cons.F.subarray(off, off + len)), shape));
            pen = tf.add(pen, tf.sum(sq));
          }
        }
        loss = tf.add(loss, tf.mul(pen, 0.5 * cons.strength));
      }
      return loss;
    };
  }

  step(batch: TrainBatch): number {
    const tf = this.tf;
    const f = this.lossFn(batch);
    const c = this.config;
    const lr = this.optimizerKind === 'sgd'
      ? sgdRate(c.lrSchedule ?? 'constant', batch.learningRate, this.sgdSteps + 1, c.alpha ?? 1e-4, c.powerT ?? 0.25)
      : batch.learningRate;
    // tf.train.adam reads this.learningRate at each applyGradients; tf.train.sgd keeps −lr in a
    // scalar that only setLearningRate refreshes (assigning the field alone left it at 0.01).
    const opt = this.optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
    if (opt.learningRate !== lr) {
      if (opt.setLearningRate) opt.setLearningRate(lr);
      else opt.learningRate = lr;
    }
    const lossT = tf.tidy(() => this.optimizer.minimize(f, true, this.vars) as TF.Scalar);
    const loss = lossT.dataSync()[0]!;
    lossT.dispose();
    this.sgdSteps += 1;
    return loss;
  }

  /** Loss and gradient by tfjs automatic differentiation (tf.variableGrads), in the flat layout. */
  lossAndGrad(batch: TrainBatch): { loss: number; grad: Float64Array } {
    const tf = this.tf;
    const f = this.lossFn(batch);
    const grad = new Float64Array(this.net.size);
    let loss = Number.NaN;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(f, this.vars);
      loss = value.dataSync()[0]!;
      this.vars.forEach((v, i) => {
        const l = i >> 1;
        const off = i % 2 === 0 ? this.net.offsets[l]!.W : this.net.offsets[l]!.b;
        grad.set(grads[v.name]!.dataSync(), off);
      });
    });
    return { loss, grad };
  }

  getParams(): Float64Array {
    const theta = new Float64Array(this.net.size);
    this.vars.forEach((v, i) => {
      const l = i >> 1;
      theta.set(v.dataSync(), i % 2 === 0 ? this.net.offsets[l]!.W : this.net.offsets[l]!.b);
    });
    return theta;
  }

  setParams(theta: Float64Array): void {
    const tf = this.tf;
    this.vars.forEach((v, i) => {
      const l = i >> 1;
      const off = i % 2 === 0 ? this.net.offsets[l]!.W : this.net.offsets[l]!.b;
      tf.tidy(() => v.assign(tf.tensor(f32(theta.subarray(off, off + v.size)), v.shape)));
    });
  }

  private flatten(slots: { variable: TF.Variable }[] | undefined): number[] {
    const out = new Float64Array(this.net.size);
    if (slots && slots.length === this.vars.length) {
      slots.forEach((s, i) => {
        const l = i >> 1;
        out.set(s.variable.dataSync(), i % 2 === 0 ? this.net.offsets[l]!.W : this.net.offsets[l]!.b);
      });
    }
    return Array.from(out);
  }

  getOptimizerState(): OptimizerState & { acc?: number[] } {
    // tf.train.* keep their slots in fields that getWeights() (async) exposes; read them synchronously.
    const o = this.optimizer as any;
    const t: number = o.iterations_ ?? 0;
    if (this.optimizerKind === 'sgd') return { kind: 'sgd', t: this.sgdSteps };
    return {
      kind: 'adam', t,
      m: this.flatten(o.accumulatedFirstMoment),
      v: this.flatten(o.accumulatedSecondMoment),
      acc: [o.accBeta1.dataSync()[0], o.accBeta2.dataSync()[0]],
    };
  }

  setOptimizerState(state: OptimizerState & { acc?: number[] }): void {
    const tf = this.tf;
    const o = this.optimizer as any;
    if (!state || state.kind !== this.optimizerKind) throw new Error(`optimizer state is for "${String(state?.kind)}", not "${this.optimizerKind}"`);
    o.iterations_ = state.t;
    if (this.optimizerKind === 'sgd') {
      this.sgdSteps = state.t;
      return;
    }
    const fill = (key: 'accumulatedFirstMoment' | 'accumulatedSecondMoment', flat: number[] | undefined, suffix: string) => {
      const src = Float64Array.from(flat ?? new Array(this.net.size).fill(0));
      if (!o[key]) o[key] = [];
      this.vars.forEach((v, i) => {
        const l = i >> 1;
        const off = i % 2 === 0 ? this.net.offsets[l]!.W : this.net.offsets[l]!.b;
        const value = tf.tensor(f32(src.subarray(off, off + v.size)), v.shape);
        if (o[key][i]) {
          o[key][i].variable.assign(value);
          value.dispose();
        } else {
          o[key][i] = { originalName: `${v.name}/${suffix}`, variable: value.variable(false) };
          value.dispose();
        }
      });
    };
    fill('accumulatedFirstMoment', state.m, 'm');
    fill('accumulatedSecondMoment', state.v, 'v');
    const b1 = this.config.beta1 ?? ADAM.beta1;
    const b2 = this.config.beta2 ?? ADAM.beta2;
    const acc = state.acc ?? [Math.pow(b1, state.t + 1), Math.pow(b2, state.t + 1)];
    tf.tidy(() => {
      o.accBeta1.assign(tf.scalar(acc[0]!));
      o.accBeta2.assign(tf.scalar(acc[1]!));
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const v of this.vars) v.dispose();
  }
}
