import type { Row } from '../types';
import type { LearnStep } from './learner';

/**
 * The one-event verbs of every built-in learner, on top of its batch verbs (River's `predict_one` /
 * `learn_one`): `predictOne(row)` is `predictMany([row])[0]`, `learnOne(row, y)` is
 * `learnMany([row], [y])`; synchronous like them. Bit-identical to the batch verbs on one row.
 */
export abstract class LearnerBase {
  abstract predictMany(rows: Row[]): Float64Array;
  abstract learnMany(rows: Row[], labels: ArrayLike<number>, times?: ArrayLike<number>): LearnStep;

  /** P(critical = 1) for one row, with the current model. Pure: changes no state. */
  predictOne(row: Row): number {
    return this.predictMany([row])[0]!;
  }

  /**
   * One step on one row and its label (0/1 or a boolean); `time` is its event time (epoch ms) for the
   * temporal constraints, read from the row's timestamp field when omitted.
   */
  learnOne(row: Row, label: 0 | 1 | boolean, time?: number): LearnStep {
    if (label !== 0 && label !== 1 && label !== true && label !== false) {
      throw new RangeError(`learnOne: label must be 0, 1, true or false, got ${String(label)}`);
    }
    return this.learnMany([row], [label === true || label === 1 ? 1 : 0], time === undefined ? undefined : [time]);
  }
}
