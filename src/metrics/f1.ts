import { f1Of } from './confusion-matrix';
import { ConfusionMetric } from './metric';

/** F1 of the positive class (1): 2·tp / (2·tp + fp + fn); 0 when tp = fp = fn = 0. */
export class F1 extends ConfusionMetric {
  readonly name = 'f1';

  get(): number {
    return f1Of(this.cm);
  }
}
