import type { RowModel } from './row-learner';
import type { RowCoder } from './tree/row-coder';

/** JSON-safe state of a {@link NaiveBayes}. */
export interface NaiveBayesState {
  kind: 'naive-bayes';
  /** Weight per class. */
  classes: number[];
  /** Per numeric feature f and class c at (f·2 + c)·3: weight, mean, M2 (Welford) of the non-missing values. */
  gauss: number[];
  /** Per nominal code v (flat, see RowCoder.nominalOffset) and class c at v·2 + c: weight. */
  counts: number[];
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Gaussian + categorical naive Bayes for two classes, learned one row at a time.
 *
 * P(c | x) ∝ π_c · Π_f N(x_f; μ_cf, σ²_cf + ε) · Π_j (n_cjv + 1) / (n_c + K_j), where
 * - π_c = n_c / n, the class frequencies;
 * - μ_cf, σ²_cf: mean and (maximum-likelihood, ddof 0) variance of numeric feature f over the class's
 *   rows where f is present (Welford), after the schema's log transform; a missing value is left out of
 *   both learning and prediction, as is a feature some class has not yet seen;
 * - ε = 1e-9 · the largest per-feature variance over all rows (scikit-learn's var_smoothing; 1e-9 when
 *   that is 0);
 * - nominal field j (categorical and hashed, K_j codes including "other" and "missing"): Laplace
 *   smoothing with α = 1.
 * With one class seen so far, P(y = 1) is that class's prior (0 or 1).
 */
export class NaiveBayes implements RowModel {
  private classes = new Float64Array(2);
  private gauss: Float64Array;
  private counts: Float64Array;
  private readonly m: number;
  private readonly q: number;

  constructor(private readonly coder: RowCoder) {
    this.m = coder.m;
    this.q = coder.q;
    this.gauss = new Float64Array(this.m * 6);
    this.counts = new Float64Array(coder.totalCodes * 2);
  }

  learnOne(num: Float64Array, nom: Int32Array, y: 0 | 1, w: number): number {
    const before = this.predictOne(num, nom);
    this.classes[y] += w;
    const g = this.gauss;
    for (let f = 0; f < this.m; f++) {
      const x = num[f]!;
      if (x - x !== 0) continue;
      const o = (f * 2 + y) * 3;
      const n = g[o]! + w;
      const d = x - g[o + 1]!;
      const mean = g[o + 1]! + (w * d) / n;
      g[o] = n;
      g[o + 1] = mean;
      g[o + 2] = g[o + 2]! + w * d * (x - mean);
    }
    const off = this.coder.nominalOffset;
    for (let j = 0; j < this.q; j++) this.counts[(off[j]! + nom[j]!) * 2 + y] += w;
    return before;
  }

  predictOne(num: Float64Array, nom: Int32Array): number {
    const n0 = this.classes[0]!;
    const n1 = this.classes[1]!;
    if (n1 === 0) return 0;
    if (n0 === 0) return 1;
    const g = this.gauss;
    // ε from the pooled variance of each feature over both classes (Chan et al.'s combination).
    let maxVar = 0;
    for (let f = 0; f < this.m; f++) {
      const a = f * 6;
      const wa = g[a]!;
      const wb = g[a + 3]!;
      const w = wa + wb;
      if (w <= 0) continue;
      const d = g[a + 4]! - g[a + 1]!;
      const v = (g[a + 2]! + g[a + 5]! + (d * d * wa * wb) / w) / w;
      if (v > maxVar) maxVar = v;
    }
    const eps = maxVar > 0 ? 1e-9 * maxVar : 1e-9;
    let l = Math.log(n1) - Math.log(n0); // log P(1 | x) − log P(0 | x)
    for (let f = 0; f < this.m; f++) {
      const x = num[f]!;
      if (x - x !== 0) continue;
      const a = f * 6;
      const w0 = g[a]!;
      const w1 = g[a + 3]!;
      if (w0 <= 0 || w1 <= 0) continue;
      const v0 = g[a + 2]! / w0 + eps;
      const v1 = g[a + 5]! / w1 + eps;
      const d0 = x - g[a + 1]!;
      const d1 = x - g[a + 4]!;
      l += -0.5 * (LOG_2PI + Math.log(v1)) - (d1 * d1) / (2 * v1) + 0.5 * (LOG_2PI + Math.log(v0)) + (d0 * d0) / (2 * v0);
    }
    const off = this.coder.nominalOffset;
    const card = this.coder.cardinality;
    for (let j = 0; j < this.q; j++) {
      const v = (off[j]! + nom[j]!) * 2;
      const k = card[j]!;
      l += Math.log((this.counts[v + 1]! + 1) / (n1 + k)) - Math.log((this.counts[v]! + 1) / (n0 + k));
    }
    return 1 / (1 + Math.exp(-l));
  }

  getState(): NaiveBayesState {
    return { kind: 'naive-bayes', classes: Array.from(this.classes), gauss: Array.from(this.gauss), counts: Array.from(this.counts) };
  }

  setState(state: unknown): void {
    const s = state as NaiveBayesState;
    if (!s || s.kind !== 'naive-bayes' || s.classes?.length !== 2 || s.gauss?.length !== this.gauss.length || s.counts?.length !== this.counts.length) {
      throw new Error('naive Bayes state does not match this learner');
    }
    this.classes = Float64Array.from(s.classes);
    this.gauss = Float64Array.from(s.gauss);
    this.counts = Float64Array.from(s.counts);
  }
}
