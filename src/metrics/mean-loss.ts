import { checkProb, type ProbMetric } from './prob-metric';

/**
 * The mean of a per-event loss of (y, p), with update/revert: the shared part of {@link LogLoss} and
 * {@link Brier}. A subclass names itself and says what one event costs; 0 before any update.
 */
export abstract class MeanLoss implements ProbMetric {
  abstract readonly name: string;
  private sum = 0;
  private n = 0;

  /** What one event with label y and predicted P(y = 1) = p costs. */
  protected abstract loss(y: 0 | 1, p: number): number;

  /** The class name for error messages, e.g. "LogLoss". */
  protected abstract readonly who: string;

  update(y: 0 | 1, p: number): void {
    // checked here first: the message (a string built per call) only when it throws
    if ((y !== 0 && y !== 1) || typeof p !== 'number' || !(p >= 0 && p <= 1)) checkProb(`${this.who}.update`, y, p);
    this.sum += this.loss(y, p);
    this.n++;
  }

  revert(y: 0 | 1, p: number): void {
    checkProb(`${this.who}.revert`, y, p);
    if (this.n === 0) throw new RangeError(`${this.who}.revert: nothing to revert`);
    this.n--;
    this.sum = this.n === 0 ? 0 : this.sum - this.loss(y, p);
  }

  get(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }

  clone(): this {
    const c = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(c, this);
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
