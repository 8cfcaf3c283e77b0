import { BoundsConstraint, type BoundsOptions } from './bounds';
import type { BuiltinConstraint } from './constraint';
import { CustomConstraint, type CustomOptions } from './custom';
import { MonotoneConstraint, type MonotoneOptions } from './monotone';
import { SlopeConstraint, type SlopeOptions } from './slope';
import { SmoothnessConstraint, type SmoothnessOptions } from './smoothness';

/** Any constraint object the learner accepts. */
export type Constraint = BuiltinConstraint | CustomConstraint;

/** A constraint described as plain data (e.g. from a JSON config). */
export type ConstraintSpec =
  | ({ kind: 'monotone' } & MonotoneOptions)
  | ({ kind: 'bounds' } & BoundsOptions)
  | ({ kind: 'smoothness' } & SmoothnessOptions)
  | ({ kind: 'slope' } & SlopeOptions)
  | ({ kind: 'custom' } & CustomOptions);

/** Returns constraint objects unchanged and builds one from a plain spec. */
export function makeConstraint(c: unknown): Constraint {
  if (c instanceof MonotoneConstraint || c instanceof BoundsConstraint || c instanceof SmoothnessConstraint || c instanceof SlopeConstraint || c instanceof CustomConstraint) {
    return c;
  }
  const spec = c as ConstraintSpec;
  switch (spec?.kind) {
    case 'monotone': return new MonotoneConstraint(spec);
    case 'bounds': return new BoundsConstraint(spec);
    case 'smoothness': return new SmoothnessConstraint(spec);
    case 'slope': return new SlopeConstraint(spec);
    case 'custom': return new CustomConstraint(spec);
    default: {
      // A structurally compatible object (e.g. from another copy of the library).
      const o = c as { kind?: string; violations?: unknown; plan?: unknown; fn?: unknown };
      if (o && (o.kind === 'monotone' || o.kind === 'bounds' || o.kind === 'smoothness' || o.kind === 'slope') && typeof o.violations === 'function' && typeof o.plan === 'function') {
        return c as BuiltinConstraint;
      }
      if (o && o.kind === 'custom' && typeof o.fn === 'function') return c as CustomConstraint;
      throw new Error(`not a constraint: ${JSON.stringify(c)}`);
    }
  }
}
