import { checkProb, type ProbMetric } from './prob-metric';

/** Brier score: mean (p − y)²; 0 before any update (lower is better). */
export class Brier implements ProbMetric {
  readonly name = 'brier';
  private sum = 0;
  private n = 0;

  update(y: 0 | 1, p: number): void {
    checkProb('Brier.update', y, p);
    this.sum += (p - y) * (p - y);
    this.n++;
  }

  revert(y: 0 | 1, p: number): void {
    checkProb('Brier.revert', y, p);
    if (this.n === 0) throw new RangeError('Brier.revert: nothing to revert');
    this.n--;
    this.sum = this.n === 0 ? 0 : this.sum - (p - y) * (p - y);
  }

  get(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }

  clone(): Brier {
    const c = new Brier();
    c.sum = this.sum;
    c.n = this.n;
    return c;
  }

  toJSON(): { sum: number; n: number } {
    return { sum: this.sum, n: this.n };
  }

  set(s: { sum: number; n: number }): void {
    this.sum = s.sum;
    this.n = s.n;
  }
}
