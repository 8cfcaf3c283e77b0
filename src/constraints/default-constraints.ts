import type { Schema } from '../types';
import { SMOOTHNESS } from '../stream/oracle';
import { BoundsConstraint } from './bounds';
import { MonotoneConstraint } from './monotone';
import { SmoothnessConstraint } from './smoothness';
import type { Constraint } from './make-constraint';

/**
 * The floor of the default bounds constraint: P(critical) ≥ 0.5 when severity = 5 and
 * failed_logins ≥ 8. Both likelihood ratios are then large (sevKappa·5 and 8·log failRatio); on
 * 600,000 generated events (6 scenarios × 2 seeds × 50,000) the oracle's minimum over the 3,092
 * matching events is 0.82. This is an empirical margin, not a proof: the net_bytes likelihood
 * ratio is unbounded below, so an extremely small byte count could in principle break it.
 */
export const DEFAULT_FLOOR = {
  lo: 0.5,
  where: { severity: { min: 5 }, failed_logins: { min: 8 } },
};

/**
 * The built-in constraints that hold for the generator's oracle, restricted to the fields the
 * schema has:
 * - monotone increasing in severity (δ = +1, rows with severity ≤ 4) and in failed_logins (δ = +1):
 *   the oracle's likelihood ratios grow with both (docs/generator.md);
 * - temporal smoothness per source over the state fields, with the proven constants SMOOTHNESS
 *   of src/stream/oracle.ts;
 * - a floor on P(critical) for the rows matching DEFAULT_FLOOR.where.
 */
export function defaultConstraints(schema: Schema): Constraint[] {
  const numeric = new Set(schema.numeric);
  const out: Constraint[] = [];
  if (numeric.has('severity')) out.push(new MonotoneConstraint({ field: 'severity', delta: 1, max: 5 }));
  if (numeric.has('failed_logins')) out.push(new MonotoneConstraint({ field: 'failed_logins', delta: 1 }));
  if (SMOOTHNESS.stateFields.every((f) => numeric.has(f))) {
    out.push(new SmoothnessConstraint({ stateFields: [...SMOOTHNESS.stateFields], epsilon: SMOOTHNESS.epsilon, perSecond: SMOOTHNESS.perSecond }));
  }
  if (Object.keys(DEFAULT_FLOOR.where).every((f) => numeric.has(f))) {
    out.push(new BoundsConstraint({ lo: DEFAULT_FLOOR.lo, where: DEFAULT_FLOOR.where, name: 'bounds:floor' }));
  }
  return out;
}
