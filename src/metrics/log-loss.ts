import { checkProb, type ProbMetric } from './prob-metric';

/** Probabilities are clipped to [EPS, 1 − EPS] so a confident mistake costs at most −ln(EPS) ≈ 34.5. */
export const LOG_LOSS_EPS = 1e-15;

/** Mean binary cross-entropy −(y ln p + (1 − y) ln(1 − p)), p clipped (see {@link LOG_LOSS_EPS}); 0 before any update. */
export class LogLoss implements ProbMetric {
  readonly name = 'log_loss';
  private sum = 0;
  private n = 0;

  private static loss(y: 0 | 1, p: number): number {
    const q = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
    return y === 1 ? -Math.log(q) : -Math.log(1 - q);
  }

  update(y: 0 | 1, p: number): void {
    checkProb('LogLoss.update', y, p);
    this.sum += LogLoss.loss(y, p);
    this.n++;
  }

  revert(y: 0 | 1, p: number): void {
    checkProb('LogLoss.revert', y, p);
    if (this.n === 0) throw new RangeError('LogLoss.revert: nothing to revert');
    this.n--;
    this.sum = this.n === 0 ? 0 : this.sum - LogLoss.loss(y, p);
  }

  get(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }

  clone(): LogLoss {
    const c = new LogLoss();
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
