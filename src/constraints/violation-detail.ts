/**
 * What one violationsMany call measured, per row and per constraint (learners keep the last one;
 * runExperiment hands it to the collector for `constraints.perConstraint`, `meanViolation` and
 * `crossings`).
 */
export interface ViolationDetail {
  /** Constraint names, in the learner's constraint order. */
  names: readonly string[];
  /**
   * rows × names.length, row-major: the violation of constraint j by row i (0: none), in the
   * constraint's own units: probability (monotone, bounds, smoothness, custom), logits (slope).
   */
  amounts: Float64Array;
  /** rows × names.length: 1 where the violating pair's two predictions lie on opposite sides of 0.5. */
  crossed: Uint8Array;
}

/** An empty detail for `rows` rows and these constraints. */
export function emptyViolationDetail(names: readonly string[], rows: number): ViolationDetail {
  return { names, amounts: new Float64Array(rows * names.length), crossed: new Uint8Array(rows * names.length) };
}

/**
 * Copies constraint j's violations `v` (and crossings `crossed`, per row) into `detail`, marks the
 * violating rows in `any` and returns how many rows violated it.
 */
export function recordViolations(detail: ViolationDetail, j: number, v: ArrayLike<number>, crossed: Uint8Array | null, any: Uint8Array): number {
  const C = detail.names.length;
  let count = 0;
  for (let i = 0; i < any.length; i++) {
    const x = v[i]!;
    if (x > 0) {
      any[i] = 1;
      count += 1;
      detail.amounts[i * C + j] = x;
      if (crossed && crossed[i] === 1) detail.crossed[i * C + j] = 1;
    }
  }
  return count;
}
