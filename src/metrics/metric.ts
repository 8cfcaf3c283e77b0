import { ConfusionMatrix } from './confusion-matrix';

/** A streaming binary classification metric (River-style): update/revert one pair at a time. */
export interface Metric {
  /** Short name, e.g. "f1". */
  readonly name: string;
  update(y: 0 | 1, yPred: 0 | 1): void;
  /** Undo one earlier `update(y, yPred)`. */
  revert(y: 0 | 1, yPred: 0 | 1): void;
  /** Current value; 0 in undefined (0/0) cases, see confusion-matrix.ts. */
  get(): number;
  /** An independent copy with the same state. */
  clone(): Metric;
}

/** A metric computed from its own confusion matrix. */
export abstract class ConfusionMetric implements Metric {
  abstract readonly name: string;
  readonly cm: ConfusionMatrix;

  constructor(cm?: ConfusionMatrix) {
    this.cm = cm ?? new ConfusionMatrix();
  }

  update(y: 0 | 1, yPred: 0 | 1): void {
    this.cm.update(y, yPred);
  }

  revert(y: 0 | 1, yPred: 0 | 1): void {
    this.cm.revert(y, yPred);
  }

  abstract get(): number;

  clone(): Metric {
    const Ctor = this.constructor as new (cm?: ConfusionMatrix) => ConfusionMetric;
    return new Ctor(this.cm.clone());
  }
}
