import { recallOf } from './confusion-matrix';
import { ConfusionMetric } from './metric';

/** Recall of the positive class (1): tp / (tp + fn); 0 when no label was positive. */
export class Recall extends ConfusionMetric {
  readonly name = 'recall';

  get(): number {
    return recallOf(this.cm);
  }
}
