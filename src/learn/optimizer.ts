import type { OptimizerState } from './engine';

/** Adam's defaults, matching tf.train.adam (epsilon = the float32 backend epsilon). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** AdaGrad's constants, matching tf.train.adagrad (initial accumulator 0.1, epsilon 1e-7). */
export const ADAGRAD = { initialAccumulator: 0.1, epsilon: 1e-7 };

/** The optimizers of the fused engine. */
export type OptimizerKind = 'sgd' | 'adam' | 'adagrad' | 'ftrl';

/** SGD step-size schedules (scikit-learn's names). */
export type LrSchedule = 'constant' | 'optimal' | 'invscaling';

/** Everything that parametrises an optimizer besides the step size of a step. */
export interface OptimizerConfig {
  kind: OptimizerKind;
  /** SGD only. Default "constant". */
  lrSchedule?: LrSchedule;
  /** SGD "optimal": the α of η_t = 1/(α(t0 + t − 1)). Default 1e-4 (scikit-learn's). */
  alpha?: number;
  /** SGD "invscaling": η_t = lr / t^powerT. Default 0.25. */
  powerT?: number;
  /** Adam. Defaults 0.9 / 0.999. */
  beta1?: number;
  beta2?: number;
  /** FTRL-Proximal's β (per-coordinate rate lr / (β + √n)). Default 1. */
  ftrlBeta?: number;
  /** FTRL-Proximal's L1 and L2 strengths λ1, λ2. Default 0. */
  l1?: number;
  l2?: number;
}

/**
 * The initial t0 of scikit-learn's "optimal" schedule (sklearn/linear_model/_sgd_fast.pyx): with
 * typw = √(1/√α) and, for the log loss, initial η0 = typw / max(1, dloss(−typw, 1)) = typw (dloss is
 * negative), t0 = 1/(η0·α), so that the first step (t = 1) has η = η0.
 */
export function optimalT0(alpha: number): number {
  const typw = Math.sqrt(1 / Math.sqrt(alpha));
  return 1 / (typw * alpha);
}

/**
 * Step size of SGD's step t (1-based) for base rate lr: "constant" lr; "optimal"
 * 1/(α(t0 + t − 1)) (scikit-learn's, lr unused; t counts steps, i.e. events at batch 1);
 * "invscaling" lr / t^powerT.
 */
export function sgdRate(schedule: LrSchedule, lr: number, t: number, alpha: number, powerT: number): number {
  if (schedule === 'optimal') return 1 / (alpha * (optimalT0(alpha) + t - 1));
  if (schedule === 'invscaling') return lr / Math.pow(t, powerT);
  return lr;
}

/**
 * The fused engine's optimizers on a flat parameter vector, in place. For gradient g_k of
 * coordinate k at step t with step size lr:
 * - sgd: θ_k −= η_t·g_k with η_t from {@link sgdRate}.
 * - adam: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ −= lr·(m/(1 − β1^t)) / (√(v/(1 − β2^t)) + ε).
 * - adagrad: G ← G + g² (G starts at 0.1), θ −= lr·g / √(G + ε) (tf.train.adagrad's rule).
 * - ftrl: FTRL-Proximal (McMahan et al. 2013, Algorithm 1) with per-coordinate rate lr/(β + √n):
 *   σ = (√(n + g²) − √n)/lr, z ← z + g − σ·θ, n ← n + g², then
 *   θ = 0 if |z| ≤ λ1, else −(z − sign(z)·λ1) / ((β + √n)/lr + λ2).
 *   The weights are a closed form centred on 0, so FTRL suits models that start at 0 (logistic).
 */
export class FusedOptimizer {
  t = 0;
  /** Adam's first moment; FTRL's z. */
  m: Float64Array;
  /** Adam's second moment; AdaGrad's accumulator; FTRL's n. */
  v: Float64Array;
  readonly kind: OptimizerKind;
  private readonly cfg: Required<OptimizerConfig>;

  constructor(config: OptimizerKind | OptimizerConfig, size: number) {
    const c = typeof config === 'string' ? { kind: config } : config;
    this.kind = c.kind;
    this.cfg = {
      kind: c.kind,
      lrSchedule: c.lrSchedule ?? 'constant',
      alpha: c.alpha ?? 1e-4,
      powerT: c.powerT ?? 0.25,
      beta1: c.beta1 ?? ADAM.beta1,
      beta2: c.beta2 ?? ADAM.beta2,
      ftrlBeta: c.ftrlBeta ?? 1,
      l1: c.l1 ?? 0,
      l2: c.l2 ?? 0,
    };
    if (!['sgd', 'adam', 'adagrad', 'ftrl'].includes(this.kind)) throw new Error(`unknown optimizer "${String(this.kind)}"`);
    const slots = this.kind === 'sgd' ? 0 : size;
    this.m = new Float64Array(this.kind === 'adam' || this.kind === 'ftrl' ? slots : 0);
    this.v = new Float64Array(slots);
    if (this.kind === 'adagrad') this.v.fill(ADAGRAD.initialAccumulator);
  }

  apply(theta: Float64Array, grad: Float64Array, lr: number): void {
    this.t += 1;
    const m = this.m;
    const v = this.v;
    const K = theta.length;
    switch (this.kind) {
      case 'sgd': {
        const eta = sgdRate(this.cfg.lrSchedule, lr, this.t, this.cfg.alpha, this.cfg.powerT);
        for (let k = 0; k < K; k++) theta[k] -= eta * grad[k]!;
        return;
      }
      case 'adam': {
        const { beta1, beta2 } = this.cfg;
        const epsilon = ADAM.epsilon;
        const c1 = 1 - Math.pow(beta1, this.t);
        const c2 = 1 - Math.pow(beta2, this.t);
        for (let k = 0; k < K; k++) {
          const g = grad[k]!;
          const mk = beta1 * m[k]! + (1 - beta1) * g;
          const vk = beta2 * v[k]! + (1 - beta2) * g * g;
          m[k] = mk;
          v[k] = vk;
          theta[k] -= lr * (mk / c1) / (Math.sqrt(vk / c2) + epsilon);
        }
        return;
      }
      case 'adagrad': {
        const eps = ADAGRAD.epsilon;
        for (let k = 0; k < K; k++) {
          const g = grad[k]!;
          const G = v[k]! + g * g;
          v[k] = G;
          theta[k] -= (lr * g) / Math.sqrt(G + eps);
        }
        return;
      }
      case 'ftrl': {
        const { ftrlBeta, l1, l2 } = this.cfg;
        for (let k = 0; k < K; k++) {
          const g = grad[k]!;
          const n0 = v[k]!;
          const n1 = n0 + g * g;
          const sigma = (Math.sqrt(n1) - Math.sqrt(n0)) / lr;
          const z = m[k]! + g - sigma * theta[k]!;
          m[k] = z;
          v[k] = n1;
          theta[k] = Math.abs(z) <= l1 ? 0 : -(z - Math.sign(z) * l1) / ((ftrlBeta + Math.sqrt(n1)) / lr + l2);
        }
        return;
      }
    }
  }

  getState(): OptimizerState {
    switch (this.kind) {
      case 'sgd': return { kind: 'sgd', t: this.t };
      case 'adam': return { kind: 'adam', t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
      case 'adagrad': return { kind: 'adagrad', t: this.t, v: Array.from(this.v) };
      case 'ftrl': return { kind: 'ftrl', t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
    }
  }

  setState(s: OptimizerState): void {
    if (!s || s.kind !== this.kind) throw new Error(`optimizer state is for "${String(s?.kind)}", not "${this.kind}"`);
    if (!Number.isInteger(s.t) || s.t < 0) throw new Error('optimizer state: t must be a non-negative integer');
    const needM = this.m.length > 0;
    const needV = this.v.length > 0;
    if ((needM && (!s.m || s.m.length !== this.m.length)) || (needV && (!s.v || s.v.length !== this.v.length))) {
      throw new Error('optimizer state does not match');
    }
    this.t = s.t;
    if (needM) this.m = Float64Array.from(s.m!);
    if (needV) this.v = Float64Array.from(s.v!);
  }
}
