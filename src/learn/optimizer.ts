import type { OptimizerState } from './engine';

/** Adam's defaults, matching tf.train.adam (epsilon = the float32 backend epsilon). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Plain SGD or Adam on a flat parameter vector, in place. */
export class FusedOptimizer {
  t = 0;
  m: Float64Array;
  v: Float64Array;

  constructor(readonly kind: 'sgd' | 'adam', size: number) {
    this.m = new Float64Array(kind === 'adam' ? size : 0);
    this.v = new Float64Array(kind === 'adam' ? size : 0);
  }

  apply(theta: Float64Array, grad: Float64Array, lr: number): void {
    this.t += 1;
    if (this.kind === 'sgd') {
      for (let k = 0; k < theta.length; k++) theta[k] -= lr * grad[k]!;
      return;
    }
    const { beta1, beta2, epsilon } = ADAM;
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    const m = this.m;
    const v = this.v;
    for (let k = 0; k < theta.length; k++) {
      const g = grad[k]!;
      const mk = beta1 * m[k]! + (1 - beta1) * g;
      const vk = beta2 * v[k]! + (1 - beta2) * g * g;
      m[k] = mk;
      v[k] = vk;
      theta[k] -= lr * (mk / c1) / (Math.sqrt(vk / c2) + epsilon);
    }
  }

  getState(): OptimizerState {
    return this.kind === 'adam' ? { kind: 'adam', t: this.t, m: Array.from(this.m), v: Array.from(this.v) } : { kind: 'sgd', t: this.t };
  }

  setState(s: OptimizerState): void {
    this.t = s.t;
    if (this.kind === 'adam') {
      if (!s.m || !s.v || s.m.length !== this.m.length) throw new Error('optimizer state does not match');
      this.m = Float64Array.from(s.m);
      this.v = Float64Array.from(s.v);
    }
  }
}
