import { MeanLoss } from './mean-loss';

/** Brier score: mean (p − y)²; 0 before any update (lower is better). */
export class Brier extends MeanLoss {
  readonly name = 'brier';
  protected readonly who = 'Brier';

  protected loss(y: 0 | 1, p: number): number {
    return (p - y) * (p - y);
  }
}
