import { accuracyOf } from './confusion-matrix';
import { ConfusionMetric } from './metric';

/** Accuracy: (tp + tn) / n; 0 before any update. */
export class Accuracy extends ConfusionMetric {
  readonly name = 'accuracy';

  get(): number {
    return accuracyOf(this.cm);
  }
}
