import { checkProb, type ProbMetric } from './prob-metric';

/** Index of the first element ≥ x (lo) or > x (hi) in a sorted array. */
function bound(a: number[], x: number, upper: boolean): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (upper ? a[mid]! <= x : a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Exact ROC AUC over every (positive, negative) pair seen so far: the share of pairs whose positive got
 * the higher score, ties counting ½ (the Mann–Whitney U statistic / (P·N)). No binning, no approximation:
 * the scores of each class are kept sorted, so `update`/`revert` cost a binary search plus an array insert
 * or removal (O(n) memory, O(log n + n) per step with a fast memmove — fine for streams of 10⁵ events;
 * wrap windows with `revert`). `get()` is O(1). 0 until both classes were seen (undefined: zero_division = 0).
 * The U count is a sum of halves, exact in floating point up to 2⁵², so `revert` restores it exactly.
 */
export class RocAuc implements ProbMetric {
  readonly name = 'roc_auc';
  private pos: number[] = [];
  private neg: number[] = [];
  /** Pairs ranked right, ties ½. */
  private u = 0;

  /** Pairs the score `p` of class `y` wins against the other class (ties ½). */
  private wins(y: 0 | 1, p: number): number {
    const other = y === 1 ? this.neg : this.pos;
    const lo = bound(other, p, false);
    const hi = bound(other, p, true);
    const ties = hi - lo;
    return (y === 1 ? lo : other.length - hi) + ties / 2;
  }

  update(y: 0 | 1, p: number): void {
    checkProb('RocAuc.update', y, p);
    this.u += this.wins(y, p);
    const own = y === 1 ? this.pos : this.neg;
    own.splice(bound(own, p, true), 0, p);
  }

  revert(y: 0 | 1, p: number): void {
    checkProb('RocAuc.revert', y, p);
    const own = y === 1 ? this.pos : this.neg;
    const i = bound(own, p, false);
    if (i >= own.length || own[i] !== p) throw new RangeError(`RocAuc.revert: no earlier update(${y}, ${p}) to revert`);
    own.splice(i, 1);
    this.u -= this.wins(y, p);
  }

  get(): number {
    const pairs = this.pos.length * this.neg.length;
    return pairs === 0 ? 0 : this.u / pairs;
  }

  clone(): RocAuc {
    const c = new RocAuc();
    c.set(this.toJSON());
    return c;
  }

  toJSON(): { pos: number[]; neg: number[]; u: number } {
    return { pos: this.pos.slice(), neg: this.neg.slice(), u: this.u };
  }

  set(s: { pos: number[]; neg: number[]; u: number }): void {
    this.pos = s.pos.slice();
    this.neg = s.neg.slice();
    this.u = s.u;
  }
}
