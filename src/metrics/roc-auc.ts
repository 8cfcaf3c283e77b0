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
 * the scores of each class are kept sorted. `update` only appends the score to a pending list (O(1));
 * the pending scores are folded in when they are needed — by `get`, `revert` or `toJSON` — either one by
 * one (a binary search and an array insert each, when few are pending) or all at once (sorted, merged,
 * and the U count recomputed by one walk over both classes, O(n + k log k)). So a long stream scored
 * once at its end costs O(n log n), not O(n²), and a window wrapped with `revert` costs what it did.
 * The U count is a sum of halves, exact in floating point up to 2⁵², and it is a function of the scores
 * held, not of the order they came in: every way of folding them in gives the same bits, so `get()` is
 * exactly what updating one by one gave. 0 until both classes were seen (undefined: zero_division = 0).
 */
export class RocAuc implements ProbMetric {
  readonly name = 'roc_auc';
  private pos: number[] = [];
  private neg: number[] = [];
  /** Scores given to `update` and not yet folded into pos/neg (in arrival order). */
  private newPos: number[] = [];
  private newNeg: number[] = [];
  /** Pairs ranked right, ties ½, over pos × neg (the folded scores). */
  private u = 0;

  /** Pairs the score `p` of class `y` wins against the other class (ties ½). */
  private wins(y: 0 | 1, p: number): number {
    const other = y === 1 ? this.neg : this.pos;
    const lo = bound(other, p, false);
    const hi = bound(other, p, true);
    const ties = hi - lo;
    return (y === 1 ? lo : other.length - hi) + ties / 2;
  }

  /** One score into the sorted arrays, U updated (the original one-by-one step). */
  private insert(y: 0 | 1, p: number): void {
    this.u += this.wins(y, p);
    const own = y === 1 ? this.pos : this.neg;
    own.splice(bound(own, p, true), 0, p);
  }

  /** Fold the pending scores into the sorted arrays and U. */
  private fold(): void {
    const k = this.newPos.length + this.newNeg.length;
    if (k === 0) return;
    const n = this.pos.length + this.neg.length;
    if (k * 16 < n) {
      // few pending: one by one, in arrival order (the classes' order among themselves is immaterial)
      for (const p of this.newPos) this.insert(1, p);
      for (const p of this.newNeg) this.insert(0, p);
    } else {
      this.pos = mergeSorted(this.pos, this.newPos);
      this.neg = mergeSorted(this.neg, this.newNeg);
      this.u = uCount(this.pos, this.neg);
    }
    this.newPos = [];
    this.newNeg = [];
  }

  update(y: 0 | 1, p: number): void {
    checkProb('RocAuc.update', y, p);
    (y === 1 ? this.newPos : this.newNeg).push(p);
  }

  revert(y: 0 | 1, p: number): void {
    checkProb('RocAuc.revert', y, p);
    this.fold();
    const own = y === 1 ? this.pos : this.neg;
    const i = bound(own, p, false);
    if (i >= own.length || own[i] !== p) throw new RangeError(`RocAuc.revert: no earlier update(${y}, ${p}) to revert`);
    own.splice(i, 1);
    this.u -= this.wins(y, p);
  }

  get(): number {
    this.fold();
    const pairs = this.pos.length * this.neg.length;
    return pairs === 0 ? 0 : this.u / pairs;
  }

  clone(): RocAuc {
    const c = new RocAuc();
    c.set(this.toJSON());
    return c;
  }

  toJSON(): { pos: number[]; neg: number[]; u: number } {
    this.fold();
    return { pos: this.pos.slice(), neg: this.neg.slice(), u: this.u };
  }

  set(s: { pos: number[]; neg: number[]; u: number }): void {
    this.pos = s.pos.slice();
    this.neg = s.neg.slice();
    this.u = s.u;
    this.newPos = [];
    this.newNeg = [];
  }
}

/** `sorted` (ascending) merged with the unsorted `extra`, ascending; a new array. */
function mergeSorted(sorted: readonly number[], extra: readonly number[]): number[] {
  if (extra.length === 0) return sorted as number[];
  const e = new Float64Array(extra).sort();
  const out: number[] = new Array(sorted.length + e.length);
  let i = 0, j = 0, o = 0;
  // equal scores: the held one first (as one-by-one insertion at the upper bound would place it)
  while (i < sorted.length && j < e.length) out[o++] = sorted[i]! <= e[j]! ? sorted[i++]! : e[j++]!;
  while (i < sorted.length) out[o++] = sorted[i++]!;
  while (j < e.length) out[o++] = e[j++]!;
  return out;
}

/** U over pos × neg (both ascending): pairs with pos > neg, plus ½ per tie; exact (an integer count of halves). */
function uCount(pos: readonly number[], neg: readonly number[]): number {
  let halves = 0;
  let lo = 0; // neg[0..lo) < p
  let hi = 0; // neg[0..hi) <= p
  for (let i = 0; i < pos.length; i++) {
    const p = pos[i]!;
    while (lo < neg.length && neg[lo]! < p) lo++;
    if (hi < lo) hi = lo;
    while (hi < neg.length && neg[hi]! <= p) hi++;
    halves += 2 * lo + (hi - lo);
  }
  return halves / 2;
}
