import type { Row } from '../types';
import { readNumber } from '../features/feature-space';
import { logit, type BuiltinConstraint, type ConstraintBatch, type ConstraintPlan, type Penalty, type Scorer } from './constraint';

/** A declarative row condition: every listed field must match (a list of allowed values, or a numeric range). */
export type RowCondition = Record<string, unknown[] | { min?: number; max?: number }>;

/** Options of {@link BoundsConstraint}. */
export interface BoundsOptions {
  /** Lower bound on P(critical). Default 0. */
  lo?: number;
  /** Upper bound on P(critical). Default 1. */
  hi?: number;
  /** Rows the bound applies to (declarative, JSON-safe). Default: all rows. */
  where?: RowCondition;
  /** Rows the bound applies to (a predicate; combined with `where` by AND). */
  when?: (row: Row) => boolean;
  /** Default 1. */
  weight?: number;
  /** Default "squared". */
  penalty?: Penalty;
  /** Unit of the training penalty, in logits: ℓ = (v/scale)² or v/scale, with v in logits (probability-space violations count 1/4 of probability as one logit). Default 1. */
  scale?: number;
  /** Default "bounds". */
  name?: string;
}

/** True when the row satisfies the condition. */
export function matches(row: Row, where: RowCondition): boolean {
  return compileCondition(where)(row);
}

/** A {@link RowCondition} as one predicate (the condition's entries read once, not per row). */
export function compileCondition(where: RowCondition): (row: Row) => boolean {
  const tests = Object.entries(where).map(([field, test]): ((row: Row) => boolean) => {
    if (Array.isArray(test)) {
      const values = [...test];
      const strings = values.map((t) => String(t));
      return (row) => {
        const v = row[field];
        for (let i = 0; i < values.length; i++) if (values[i] === v || strings[i] === String(v)) return true;
        return false;
      };
    }
    const min = test.min;
    const max = test.max;
    return (row) => {
      const x = readNumber(row[field]);
      if (!Number.isFinite(x)) return false;
      if (min !== undefined && x < min) return false;
      if (max !== undefined && x > max) return false;
      return true;
    };
  });
  return (row) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(row)) return false;
    return true;
  };
}

/**
 * Output bounds: lo ≤ p ≤ hi on the rows selected by where/when; violation = max(0, lo − p) +
 * max(0, p − hi). Trained in logit space: max(0, logit(lo) − z) + max(0, z − logit(hi)).
 */
export class BoundsConstraint implements BuiltinConstraint {
  readonly kind = 'bounds' as const;
  readonly name: string;
  readonly weight: number;
  readonly penalty: Penalty;
  readonly scale: number;
  readonly lo: number;
  readonly hi: number;
  readonly where: RowCondition | undefined;
  readonly when: ((row: Row) => boolean) | undefined;
  private readonly whereTest: ((row: Row) => boolean) | undefined;

  constructor(options: BoundsOptions = {}) {
    this.lo = options.lo ?? 0;
    this.hi = options.hi ?? 1;
    this.where = options.where;
    this.whereTest = options.where ? compileCondition(options.where) : undefined;
    this.when = options.when;
    this.weight = options.weight ?? 1;
    this.penalty = options.penalty ?? 'squared';
    this.scale = options.scale ?? 1;
    this.name = options.name ?? 'bounds';
  }

  applies(row: Row): boolean {
    if (this.whereTest && !this.whereTest(row)) return false;
    if (this.when && !this.when(row)) return false;
    return true;
  }

  violations(batch: ConstraintBatch, scorer: Scorer, probs?: Float64Array, _crossed?: Uint8Array, into?: Float64Array): Float64Array {
    const rows = batch.rows;
    const out = into ?? new Float64Array(rows.length);
    const p = probs ?? scorer.predictMany(rows as Row[]);
    for (let i = 0; i < rows.length; i++) {
      if (!this.applies(rows[i]!)) continue;
      const pi = p[i]!;
      out[i] = (pi < this.lo ? this.lo - pi : 0) + (pi > this.hi ? pi - this.hi : 0);
    }
    return out;
  }

  plan(batch: ConstraintBatch): ConstraintPlan | null {
    const idx: number[] = [];
    for (let i = 0; i < batch.rows.length; i++) if (this.applies(batch.rows[i]!)) idx.push(i);
    return idx.length === 0 ? null : { type: 'bounds', space: 'logit', idx: Int32Array.from(idx), lo: logit(this.lo), hi: logit(this.hi) };
  }
}
