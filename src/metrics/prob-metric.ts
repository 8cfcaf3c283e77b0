/**
 * A streaming metric of predicted probabilities (River-style): `update(y, p)` with the true label and the
 * predicted P(y = 1); `revert` undoes one earlier `update` with the same arguments.
 */
export interface ProbMetric {
  /** Short name, e.g. "log_loss". */
  readonly name: string;
  update(y: 0 | 1, p: number): void;
  revert(y: 0 | 1, p: number): void;
  /** Current value; 0 before any update (and in other undefined cases, see each metric). */
  get(): number;
  /** An independent copy with the same state. */
  clone(): ProbMetric;
}

/** Throws a RangeError naming `who` unless `y` is 0/1 and `p` a number in [0, 1]. */
export function checkProb(who: string, y: number, p: number): void {
  if (y !== 0 && y !== 1) throw new RangeError(`${who}: y must be 0 or 1, got ${String(y)}`);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`${who}: p must be a number in [0, 1], got ${String(p)}`);
}
