import type { Rng } from './rng';
import { isSparseRows, sparseValue, type SparseRows } from '../features/sparse-rows';

/** A model's input rows: dense (n × dim, row-major) or sparse ({@link SparseRows}, the fused engine's default). */
export type Rows = Float64Array | SparseRows;

/**
 * The columns of a matrix's rows that may be non-zero: row i's are cols[i·stride … i·stride + width),
 * ascending, padded with −1 (stride defaults to width; 0 means every row has the same list). The
 * layers visit only those columns: the encoder's index for the input (mostly one-hot zeros), every
 * column for the hidden layers. Zero values are skipped either way, so the sums are the same.
 */
export interface SparseIndex {
  cols: Int32Array;
  width: number;
  stride?: number;
}

/** Activations of one forward pass, kept for the backward pass. */
export interface ForwardCache {
  /** Output logits, one per row. */
  z: Float64Array;
  /** Post-activation outputs of each hidden layer (n × size, row-major). */
  acts: Float64Array[];
}

/**
 * The built-in models as plain math on one flat parameter vector (typed arrays, hand-derived
 * gradients). Layer sizes [d, ...hidden, 1]; hidden layers use tanh; the output is a logit.
 * Logistic regression is the case hidden = []. Parameter layout, per layer l: W_l (in × out,
 * row-major, W[j·out + k]) then b_l (out). The tfjs engine uses the same layout.
 */
export class Network {
  readonly sizes: number[];
  /** Offset of W_l and b_l in the parameter vector. */
  readonly offsets: { W: number; b: number }[];
  /** Number of parameters. */
  readonly size: number;

  constructor(readonly dim: number, readonly hidden: readonly number[]) {
    this.sizes = [dim, ...hidden, 1];
    this.offsets = [];
    let o = 0;
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const inS = this.sizes[l]!;
      const outS = this.sizes[l + 1]!;
      this.offsets.push({ W: o, b: o + inS * outS });
      o += inS * outS + outS;
    }
    this.size = o;
    this.all = this.sizes.slice(0, -1).map((inS) => ({ cols: Int32Array.from({ length: inS }, (_, j) => j), width: inS, stride: 0 }));
  }

  /** Per layer, the index of all its input columns (for inputs without a sparse index). */
  private readonly all: SparseIndex[];

  /** The columns layer l visits: the input's index when given (layer 0), else all of them. */
  private columns(l: number, nz: SparseIndex | undefined): SparseIndex {
    return l === 0 && nz ? nz : this.all[l]!;
  }

  /** Initial parameters: zeros for logistic regression; Glorot-uniform weights and zero biases for the MLP. */
  init(rng: Rng): Float64Array {
    const theta = new Float64Array(this.size);
    if (this.hidden.length === 0) return theta;
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const inS = this.sizes[l]!;
      const outS = this.sizes[l + 1]!;
      const limit = Math.sqrt(6 / (inS + outS));
      const { W } = this.offsets[l]!;
      for (let i = 0; i < inS * outS; i++) theta[W + i] = (2 * rng.next() - 1) * limit;
    }
    return theta;
  }

  /** Layer l's affine map on n rows of A (n × sizes[l]): A·W_l + b_l, visiting the columns of nz (layer 0) and skipping zero inputs. */
  private affine(theta: Float64Array, l: number, A: Rows, n: number, nz?: SparseIndex): Float64Array {
    if (isSparseRows(A)) return this.affineSparse(theta, A, n);
    const inS = this.sizes[l]!;
    const outS = this.sizes[l + 1]!;
    const { W, b } = this.offsets[l]!;
    const index = this.columns(l, nz);
    const { cols, width, stride = width } = index;
    const every = index === this.all[l]; // column c is c: no lookup
    const out = new Float64Array(n * outS);
    for (let i = 0; i < n; i++) {
      const r = i * inS;
      const e = i * stride;
      if (outS === 1) {
        let s = theta[b]!;
        for (let c = 0; c < width; c++) {
          const j = every ? c : cols[e + c]!;
          if (j < 0) break;
          const a = A[r + j]!;
          if (a !== 0) s += a * theta[W + j]!;
        }
        out[i] = s;
        continue;
      }
      const o = i * outS;
      for (let k = 0; k < outS; k++) out[o + k] = theta[b + k]!;
      for (let c = 0; c < width; c++) {
        const j = every ? c : cols[e + c]!;
        if (j < 0) break;
        const a = A[r + j]!;
        if (a === 0) continue;
        const w = W + j * outS;
        for (let k = 0; k < outS; k++) out[o + k] += a * theta[w + k]!;
      }
    }
    return out;
  }

  /**
   * The first layer's affine map on sparse rows: the same sums, in the same order, as the dense map
   * with the rows' sparse index (entries ascending, zeros skipped), so the results are bit-identical.
   */
  private affineSparse(theta: Float64Array, S: SparseRows, n: number): Float64Array {
    const outS = this.sizes[1]!;
    const { W, b } = this.offsets[0]!;
    const { rowPtr, cols, values } = S;
    if (S.dim !== this.dim) throw new Error(`sparse rows have ${S.dim} columns, the model ${this.dim}`);
    if (n > S.n) throw new Error(`${n} rows asked of ${S.n} sparse rows`);
    const out = new Float64Array(n * outS);
    // Outputs four at a time, each summed in a register over the row's entries: every output is
    // still b_k + a_1·w_1k + a_2·w_2k + … in entry order (the dense map's order), so bit for bit the
    // same, without a load and a store of the output per entry (about twice as fast).
    const K4 = outS - (outS % 4);
    for (let i = 0; i < n; i++) {
      const start = rowPtr[i]!;
      const end = rowPtr[i + 1]!;
      if (outS === 1) {
        let s = theta[b]!;
        for (let e = start; e < end; e++) {
          const a = values[e]!;
          if (a !== 0) s += a * theta[W + cols[e]!]!;
        }
        out[i] = s;
        continue;
      }
      const o = i * outS;
      let k = 0;
      for (; k < K4; k += 4) {
        let s0 = theta[b + k]!;
        let s1 = theta[b + k + 1]!;
        let s2 = theta[b + k + 2]!;
        let s3 = theta[b + k + 3]!;
        for (let e = start; e < end; e++) {
          const a = values[e]!;
          if (a === 0) continue;
          const w = W + cols[e]! * outS + k;
          s0 += a * theta[w]!;
          s1 += a * theta[w + 1]!;
          s2 += a * theta[w + 2]!;
          s3 += a * theta[w + 3]!;
        }
        out[o + k] = s0;
        out[o + k + 1] = s1;
        out[o + k + 2] = s2;
        out[o + k + 3] = s3;
      }
      for (; k < outS; k++) {
        let s = theta[b + k]!;
        for (let e = start; e < end; e++) {
          const a = values[e]!;
          if (a !== 0) s += a * theta[W + cols[e]! * outS + k]!;
        }
        out[o + k] = s;
      }
    }
    return out;
  }

  /** Forward pass on n rows of X (dense n × dim, or sparse rows). */
  forward(theta: Float64Array, X: Rows, n: number, nz?: SparseIndex): ForwardCache {
    const L = this.sizes.length - 1;
    const acts: Float64Array[] = [];
    let A: Rows = X;
    for (let l = 0; l < L; l++) {
      const out = this.affine(theta, l, A, n, nz);
      if (l === L - 1) return { z: out, acts };
      for (let i = 0; i < out.length; i++) out[i] = Math.tanh(out[i]!);
      acts.push(out);
      A = out;
    }
    throw new Error('unreachable');
  }

  /** First-layer pre-activations of n rows of X (n × sizes[1]); the logits themselves for logistic regression. */
  firstLayer(theta: Float64Array, X: Rows, n: number, nz?: SparseIndex): Float64Array {
    return this.affine(theta, 0, X, n, nz);
  }

  /**
   * Logits of n rows from their first-layer pre-activations H (n × sizes[1], not changed): forward's
   * result, computed in two parts (firstLayer, then this).
   */
  logitsFromFirstLayer(theta: Float64Array, H: Float64Array, n: number): Float64Array {
    let out: Float64Array = H.slice();
    for (let l = 1; l < this.sizes.length - 1; l++) {
      for (let t = 0; t < out.length; t++) out[t] = Math.tanh(out[t]!);
      out = this.affine(theta, l, out, n);
    }
    return out;
  }

  /**
   * Logits of rows that differ from rows of X in a few columns, from the batch's first-layer
   * pre-activations H: row m is row idx[m] of X with column cols[c] set to values[m·C + c]. Only the
   * changed columns are touched in the first layer (O(C·h) per row instead of O(d·h)); the same
   * function as a forward pass on the changed rows, up to rounding.
   */
  logitsShifted(theta: Float64Array, X: Rows, H: Float64Array, idx: ArrayLike<number>, cols: readonly number[], values: ArrayLike<number>): Float64Array {
    const d = this.dim;
    const h = this.sizes[1]!;
    const { W } = this.offsets[0]!;
    const m = idx.length;
    const C = cols.length;
    const A = new Float64Array(m * h);
    for (let r = 0; r < m; r++) {
      const i = idx[r]!;
      for (let k = 0; k < h; k++) A[r * h + k] = H[i * h + k]!;
      for (let c = 0; c < C; c++) {
        const j = cols[c]!;
        const delta = values[r * C + c]! - (isSparseRows(X) ? sparseValue(X, i, j) : X[i * d + j]!);
        if (delta === 0) continue;
        const w = W + j * h;
        for (let k = 0; k < h; k++) A[r * h + k] += delta * theta[w + k]!;
      }
    }
    // Layers 1 … L−1 after the first one's tanh (none for logistic regression: A holds the logits).
    let out: Float64Array = A;
    for (let l = 1; l < this.sizes.length - 1; l++) {
      for (let t = 0; t < out.length; t++) out[t] = Math.tanh(out[t]!);
      out = this.affine(theta, l, out, m);
    }
    return out;
  }

  /**
   * Backward pass: adds Σ_i dz_i · ∂z_i/∂θ to grad (or, when squared, Σ_i (dz_i · ∂z_i/∂θ)², the
   * per-row squared gradients used by the diagonal Fisher). A row whose error (dz_i, or its δ at a
   * layer) is all zero is skipped there: its terms are ±0, which change no entry of a gradient that
   * holds no −0 (one filled with +0 and summed into never holds one; the constraint pairs that do not
   * violate, most of a step's shifted rows, cost nothing backwards).
   */
  backward(theta: Float64Array, X: Rows, n: number, cache: ForwardCache, dz: Float64Array, grad: Float64Array, squared = false, nz?: SparseIndex): void {
    const L = this.sizes.length - 1;
    let delta = dz;
    for (let l = L - 1; l >= 0; l--) {
      const inS = this.sizes[l]!;
      const outS = this.sizes[l + 1]!;
      const { W, b } = this.offsets[l]!;
      if (l === 0 && isSparseRows(X)) {
        this.backwardSparse(X, n, delta, grad, squared);
        break;
      }
      const A = l === 0 ? (X as Float64Array) : cache.acts[l - 1]!;
      const index = this.columns(l, nz);
      const { cols, width, stride = width } = index;
      const every = index === this.all[l];
      for (let i = 0; i < n; i++) {
        const r = i * inS;
        const e = i * stride;
        if (outS === 1) {
          // One output: its factor is a scalar per row (a·dz, or a²·dz² for the Fisher).
          const dk = delta[i]!;
          if (dk === 0) continue;
          const f = squared ? dk * dk : dk;
          grad[b] += f;
          for (let c = 0; c < width; c++) {
            const j = every ? c : cols[e + c]!;
            if (j < 0) break;
            const a = A[r + j]!;
            if (a !== 0) grad[W + j] += squared ? a * a * f : a * f;
          }
          continue;
        }
        const o = i * outS;
        if (zeroRow(delta, o, outS)) continue;
        for (let k = 0; k < outS; k++) {
          const dk = delta[o + k]!;
          grad[b + k] += squared ? dk * dk : dk;
        }
        for (let c = 0; c < width; c++) {
          const j = every ? c : cols[e + c]!;
          if (j < 0) break;
          const a = A[r + j]!;
          if (a === 0) continue;
          const w = W + j * outS;
          if (squared) {
            const a2 = a * a;
            for (let k = 0; k < outS; k++) {
              const dk = delta[o + k]!;
              grad[w + k] += a2 * dk * dk;
            }
          } else {
            for (let k = 0; k < outS; k++) grad[w + k] += a * delta[o + k]!;
          }
        }
      }
      if (l === 0) break;
      // δ for the previous layer: (W δ) ⊙ tanh'(pre-activation) = (W δ) ⊙ (1 − a²).
      const next = new Float64Array(n * inS);
      for (let i = 0; i < n; i++) {
        const r = i * inS;
        const o = i * outS;
        // A row without error passes none back: (W·0) ⊙ (1 − a²) is +0, what `next` holds already.
        if (zeroRow(delta, o, outS)) continue;
        for (let j = 0; j < inS; j++) {
          const w = W + j * outS;
          let s = 0;
          for (let k = 0; k < outS; k++) s += theta[w + k]! * delta[o + k]!;
          const a = A[r + j]!;
          next[r + j] = s * (1 - a * a);
        }
      }
      delta = next;
    }
  }

  /**
   * The first layer's part of {@link backward} on sparse rows: the same additions, in the same order,
   * as the dense pass with the rows' sparse index (bit-identical gradients).
   */
  private backwardSparse(S: SparseRows, n: number, delta: Float64Array, grad: Float64Array, squared: boolean): void {
    const outS = this.sizes[1]!;
    const { W, b } = this.offsets[0]!;
    const { rowPtr, cols, values } = S;
    if (n > S.n) throw new Error(`${n} rows asked of ${S.n} sparse rows`);
    const K4 = outS - (outS % 4);
    for (let i = 0; i < n; i++) {
      const end = rowPtr[i + 1]!;
      if (outS === 1) {
        const dk = delta[i]!;
        if (dk === 0) continue;
        const f = squared ? dk * dk : dk;
        grad[b] += f;
        for (let e = rowPtr[i]!; e < end; e++) {
          const a = values[e]!;
          if (a !== 0) grad[W + cols[e]!] += squared ? a * a * f : a * f;
        }
        continue;
      }
      const o = i * outS;
      if (zeroRow(delta, o, outS)) continue;
      for (let k = 0; k < outS; k++) {
        const dk = delta[o + k]!;
        grad[b + k] += squared ? dk * dk : dk;
      }
      for (let e = rowPtr[i]!; e < end; e++) {
        const a = values[e]!;
        if (a === 0) continue;
        const w = W + cols[e]! * outS;
        if (squared) {
          const a2 = a * a;
          for (let k = 0; k < outS; k++) {
            const dk = delta[o + k]!;
            grad[w + k] += a2 * dk * dk;
          }
        } else {
          // Unrolled by four (each gradient entry gets the same additions in the same order).
          let k = 0;
          for (; k < K4; k += 4) {
            const q = o + k;
            const g = w + k;
            grad[g] += a * delta[q]!;
            grad[g + 1] += a * delta[q + 1]!;
            grad[g + 2] += a * delta[q + 2]!;
            grad[g + 3] += a * delta[q + 3]!;
          }
          for (; k < outS; k++) grad[w + k] += a * delta[o + k]!;
        }
      }
    }
  }
}

/** Whether a[o … o + len) are all zero (either sign). */
function zeroRow(a: Float64Array, o: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (a[o + k] !== 0) return false;
  return true;
}

/** Logistic sigmoid. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Binary cross-entropy from a logit, numerically stable: max(z, 0) − z·y + log1p(e^−|z|). */
export function bceWithLogit(z: number, y: number): number {
  return (z > 0 ? z : 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}
