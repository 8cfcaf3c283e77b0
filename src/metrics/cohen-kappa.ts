import { kappaOf } from './confusion-matrix';
import { ConfusionMetric } from './metric';

/** Cohen's kappa; 0 before any update and when chance agreement is 1. */
export class CohenKappa extends ConfusionMetric {
  readonly name = 'kappa';

  get(): number {
    return kappaOf(this.cm);
  }
}
