import { MeanLoss } from './mean-loss';

/** Probabilities are clipped to [EPS, 1 − EPS] so a confident mistake costs at most −ln(EPS) ≈ 34.5. */
export const LOG_LOSS_EPS = 1e-15;

/** Mean binary cross-entropy −(y ln p + (1 − y) ln(1 − p)), p clipped (see {@link LOG_LOSS_EPS}); 0 before any update. */
export class LogLoss extends MeanLoss {
  readonly name = 'log_loss';
  protected readonly who = 'LogLoss';

  protected loss(y: 0 | 1, p: number): number {
    const q = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
    return y === 1 ? -Math.log(q) : -Math.log(1 - q);
  }
}
