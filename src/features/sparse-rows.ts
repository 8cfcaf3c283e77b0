/**
 * Encoded rows in compressed sparse row form (CSR): row i's entries are cols[rowPtr[i] … rowPtr[i+1])
 * with values[…] at the same positions, columns ascending and distinct; every other column of the row
 * is 0. An entry may hold the value 0 (a numeric feature at its mean, text counts that cancelled):
 * the models skip zeros, so such an entry changes no sum. Memory is O(non-zeros), not O(n · dim).
 * The arrays may be longer than the entries they hold (reused scratch): only rowPtr[0 … n] and the
 * entries before rowPtr[n] count.
 */
export interface SparseRows {
  /** Rows. */
  n: number;
  /** Columns of a dense row (the encoder's dim). */
  dim: number;
  /** n + 1 offsets into cols / values; rowPtr[0] = 0. */
  rowPtr: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** True when `X` is a {@link SparseRows} rather than a dense row-major matrix. */
export function isSparseRows(X: Float64Array | SparseRows): X is SparseRows {
  return !(X instanceof Float64Array);
}

/** Empty rows with room for `entries` entries (no entry written yet). */
export function sparseRows(n: number, dim: number, entries: number): SparseRows {
  return { n, dim, rowPtr: new Int32Array(n + 1), cols: new Int32Array(entries), values: new Float64Array(entries) };
}

/** The dense n × dim row-major matrix of S (the tfjs engine and custom constraints take it). */
export function densify(S: SparseRows): Float64Array {
  const { n, dim, rowPtr, cols, values } = S;
  const X = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) X[i * dim + cols[e]!] = values[e]!;
  return X;
}

/** The value of row i, column j (0 when the row has no entry there); binary search in the row. */
export function sparseValue(S: SparseRows, i: number, j: number): number {
  const cols = S.cols;
  let lo = S.rowPtr[i]!;
  let hi = S.rowPtr[i + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cols[mid]!;
    if (c === j) return S.values[mid]!;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * Rows idx of S with columns `setCols` set to values (row m: values[m·C + c]), as new sparse rows:
 * the sparse form of shiftedRows (src/constraints/constraint.ts) on the dense matrix. A column set to
 * 0 keeps an entry of value 0.
 */
export function shiftedSparse(S: SparseRows, idx: ArrayLike<number>, setCols: readonly number[], values: ArrayLike<number>): SparseRows {
  const C = setCols.length;
  // The changed columns in ascending order, with their position in setCols.
  const order = Array.from({ length: C }, (_, c) => c).sort((a, b) => setCols[a]! - setCols[b]!);
  let total = 0;
  for (let m = 0; m < idx.length; m++) total += S.rowPtr[idx[m]! + 1]! - S.rowPtr[idx[m]!]! + C;
  const out = sparseRows(idx.length, S.dim, total);
  let e = 0;
  for (let m = 0; m < idx.length; m++) {
    const i = idx[m]!;
    let k = S.rowPtr[i]!;
    const end = S.rowPtr[i + 1]!;
    let last = -1;
    for (let q = 0; q < C; q++) {
      const c = order[q]!;
      const j = setCols[c]!;
      while (k < end && S.cols[k]! < j) {
        out.cols[e] = S.cols[k]!;
        out.values[e++] = S.values[k++]!;
      }
      if (k < end && S.cols[k] === j) k++;
      const v = values[m * C + c]!;
      // A column listed twice in setCols: the later value wins, as in the dense copy.
      if (j === last) out.values[e - 1] = v;
      else {
        out.cols[e] = j;
        out.values[e++] = v;
      }
      last = j;
    }
    while (k < end) {
      out.cols[e] = S.cols[k]!;
      out.values[e++] = S.values[k++]!;
    }
    out.rowPtr[m + 1] = e;
  }
  return out;
}
