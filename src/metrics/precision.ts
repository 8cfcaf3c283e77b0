import { precisionOf } from './confusion-matrix';
import { ConfusionMetric } from './metric';

/** Precision of the positive class (1): tp / (tp + fp); 0 when nothing was predicted positive. */
export class Precision extends ConfusionMetric {
  readonly name = 'precision';

  get(): number {
    return precisionOf(this.cm);
  }
}
